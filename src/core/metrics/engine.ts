// Samples metrics.k8s.io (nodes and pods) per context, keeps a bounded ring of full-resolution samples in memory and
// writes 5-minute buckets (avg/max) to the store. When metrics.k8s.io is not installed, or not allowed, it says so and
// reports no numbers: nothing is ever made up. The metrics API cannot be watched, so sampling is the only way.
import type { KubeEngine, Subscription } from '../kube/engine';
import type { KObject } from '../kube/descriptors';
import { Emitter } from '../kube/emitter';
import { quantity } from '../../shared/quantity';
import { KubeError, toKubeError } from '../kube/errors';
import type { KubeGrafStore, MetricsBucketRow } from '../store/store';
import type {
  MetricsHistory,
  MetricsPoint,
  MetricsSnapshot,
  MetricsStatus,
  NodeMetric,
  PodMetric,
} from '../../shared/metrics';
import type { MetricsFacts } from '../incidents/engine';

const GROUP = 'metrics.k8s.io/v1beta1';
const MI = 1024 * 1024;
const BUCKET_MS = 5 * 60_000;

export function parseCpu(q: string | undefined): number {
  if (!q) return 0;
  const m = /^([0-9.]+)([num]?)$/.exec(q);
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === 'n' ? n / 1e6 : m[2] === 'u' ? n / 1e3 : m[2] === 'm' ? n : n * 1000;
}

export interface MetricsEngineOptions {
  kube: KubeEngine;
  store?: KubeGrafStore;
  intervalMs?: number;
  /** Full-resolution samples kept in memory per series (cluster, each node, each pod). */
  ringSize?: number;
  /** Days of 5-minute buckets kept in the store. */
  retentionDays?: number;
  /** Raw GET against the cluster; default: the context's connection. Tests pass their own. */
  get?: (context: string, path: string) => Promise<unknown>;
}

interface Ring<T> {
  items: T[];
  cap: number;
}
const push = <T>(r: Ring<T>, x: T) => {
  r.items.push(x);
  if (r.items.length > r.cap) r.items.splice(0, r.items.length - r.cap);
};

class ContextSampler {
  available = false;
  reason?: string;
  lastSample?: number;
  lastError?: string;
  samples = 0;
  latest?: MetricsSnapshot;
  readonly cluster: Ring<{ t: number; cpu: number; mem: number; cpuPct: number; memPct: number }>;
  readonly nodes = new Map<string, Ring<{ t: number; cpu: number; mem: number; cpuPct: number; memPct: number }>>();
  /** Per pod (`ns/pod`), per container: t, cpu millicores, memory bytes. Kept by pod so a pod's series is one lookup. */
  readonly pods = new Map<string, Map<string, Ring<ContainerPoint>>>();
  /** Highest memory per container (bytes) since start, kept even when the ring forgets. */
  readonly peaks = new Map<string, number>();
  /** Samples not yet written as buckets, per target. */
  pending = new Map<string, Array<{ t: number; cpu: number; mem: number; cpuPct?: number; memPct?: number }>>();
  timer?: NodeJS.Timeout;
  nodesSub?: Subscription;
  running?: Promise<void>;

  constructor(
    readonly context: string,
    readonly ringSize: number,
  ) {
    this.cluster = { items: [], cap: ringSize };
  }
}

/** One sample of a container: time (ms), CPU in millicores, memory in bytes. */
export interface ContainerPoint {
  t: number;
  cpu: number;
  mem: number;
}

export interface MetricsEvents extends Record<string, unknown> {
  sample: MetricsSnapshot;
}

export class MetricsEngine implements MetricsFacts {
  readonly events = new Emitter<MetricsEvents>();
  private readonly samplers = new Map<string, ContextSampler>();
  private readonly o: Required<Omit<MetricsEngineOptions, 'store' | 'get'>> &
    Pick<MetricsEngineOptions, 'store' | 'get'>;

  constructor(o: MetricsEngineOptions) {
    this.o = { intervalMs: 15_000, ringSize: 240, retentionDays: 7, ...o };
  }

  get intervalMs(): number {
    return this.o.intervalMs;
  }

  private rawGet(context: string, path: string): Promise<unknown> {
    if (this.o.get) return this.o.get(context, path);
    return this.o.kube.actions(context).raw(path);
  }

  /** Starts sampling a context (idempotent); resolves after the first sample. */
  async start(context: string = this.o.kube.currentContext()): Promise<void> {
    let s = this.samplers.get(context);
    if (s) return s.running;
    this.o.kube.context(context);
    s = new ContextSampler(context, this.o.ringSize);
    this.samplers.set(context, s);
    try {
      s.nodesSub = this.o.kube.subscribe(context, 'nodes');
    } catch {
      // Without the node list, percentages are unknown; raw usage still comes from the metrics API.
    }
    const sampler = s;
    const tick = async () => {
      await this.sample(sampler).catch(() => undefined);
      if (this.samplers.get(context) === sampler) {
        sampler.timer = setTimeout(() => void tick(), this.o.intervalMs);
        sampler.timer.unref();
      }
    };
    s.running = (async () => {
      await s.nodesSub?.cache.whenSynced().catch(() => undefined);
      await this.sample(sampler).catch(() => undefined);
      sampler.timer = setTimeout(() => void tick(), this.o.intervalMs);
      sampler.timer.unref();
    })();
    return s.running;
  }

  /** The contexts being sampled. */
  contexts(): string[] {
    return [...this.samplers.keys()];
  }

  async stop(context: string): Promise<void> {
    const s = this.samplers.get(context);
    if (!s) return;
    this.samplers.delete(context);
    clearTimeout(s.timer);
    await this.flushBuckets(s, true).catch(() => undefined);
    await s.nodesSub?.unsubscribe();
  }

  async close(): Promise<void> {
    await Promise.all([...this.samplers.keys()].map((c) => this.stop(c)));
  }

  /** Takes one sample now (also what the timer does). */
  async sampleNow(context: string): Promise<MetricsSnapshot> {
    await this.start(context);
    const s = this.samplers.get(context)!;
    await this.sample(s);
    return s.latest!;
  }

  private async sample(s: ContextSampler): Promise<void> {
    const now = Date.now();
    const ts = new Date(now).toISOString();
    let nodesRaw: { items?: KObject[] };
    let podsRaw: { items?: KObject[] };
    try {
      [nodesRaw, podsRaw] = (await Promise.all([
        this.rawGet(s.context, `/apis/${GROUP}/nodes`),
        this.rawGet(s.context, `/apis/${GROUP}/pods`),
      ])) as [{ items?: KObject[] }, { items?: KObject[] }];
    } catch (e) {
      const k = toKubeError(e);
      s.available = false;
      s.reason =
        k.code === 'notFound'
          ? `metrics.k8s.io is not installed on this cluster (no metrics-server): install metrics-server to see CPU and memory`
          : k.code === 'forbidden'
            ? `not allowed to read metrics.k8s.io: ${k.message}`
            : `metrics.k8s.io is unavailable: ${k.message}`;
      s.lastError = k.message;
      s.latest = emptySnapshot(s.context, ts, s.reason);
      this.events.emit('sample', s.latest);
      return;
    }
    const nodeObjs = new Map<string, KObject>();
    for (const n of s.nodesSub?.cache.list() ?? []) nodeObjs.set(n.metadata.name, n);
    const nodes: NodeMetric[] = (nodesRaw.items ?? []).map((m) => {
      const cpu = parseCpu(m.usage ? (m.usage as Record<string, string>).cpu : undefined);
      const mem = quantity(m.usage ? (m.usage as Record<string, string>).memory : undefined);
      const n = nodeObjs.get(m.metadata.name);
      const alloc = (n?.status?.allocatable ?? n?.status?.capacity ?? {}) as Record<string, string>;
      const cpuCap = parseCpu(alloc.cpu);
      const memCap = quantity(alloc.memory);
      return {
        name: m.metadata.name,
        cpuUsage: cpuCap ? round((cpu / cpuCap) * 100) : 0,
        memoryUsage: memCap ? round((mem / memCap) * 100) : 0,
        cpuCapacity: Math.round(cpuCap),
        memoryCapacity: Math.round(memCap / MI),
        cpuMillicores: Math.round(cpu),
        memoryMiB: round(mem / MI),
      };
    });
    const pods: PodMetric[] = (podsRaw.items ?? []).map((m) => {
      const containers = (
        (m.containers as Array<{ name: string; usage?: Record<string, string> }> | undefined) ?? []
      ).map((c) => ({
        name: c.name,
        cpuMillicores: round(parseCpu(c.usage?.cpu)),
        memoryMiB: round(quantity(c.usage?.memory) / MI),
      }));
      return {
        namespace: m.metadata.namespace ?? '',
        name: m.metadata.name,
        cpuUsage: round(containers.reduce((a, c) => a + c.cpuMillicores, 0)),
        memoryUsage: round(containers.reduce((a, c) => a + c.memoryMiB, 0)),
        containers,
      };
    });
    const cpu = nodes.reduce((a, n) => a + n.cpuMillicores, 0);
    const mem = nodes.reduce((a, n) => a + n.memoryMiB, 0);
    let cpuCap = 0;
    let memCap = 0;
    for (const n of nodeObjs.values()) {
      const alloc = (n.status?.allocatable ?? n.status?.capacity ?? {}) as Record<string, string>;
      cpuCap += parseCpu(alloc.cpu);
      memCap += quantity(alloc.memory) / MI;
    }
    const snap: MetricsSnapshot = {
      context: s.context,
      timestamp: ts,
      available: true,
      cluster: {
        cpuMillicores: Math.round(cpu),
        cpuCapacityMillicores: Math.round(cpuCap),
        cpuPercent: cpuCap ? round((cpu / cpuCap) * 100) : 0,
        memoryMiB: round(mem),
        memoryCapacityMiB: Math.round(memCap),
        memoryPercent: memCap ? round((mem / memCap) * 100) : 0,
        nodes: nodes.length,
        pods: pods.length,
      },
      nodes,
      pods,
    };
    s.available = true;
    s.reason = undefined;
    s.lastError = undefined;
    s.lastSample = now;
    s.samples++;
    s.latest = snap;
    push(s.cluster, {
      t: now,
      cpu: snap.cluster.cpuMillicores,
      mem: snap.cluster.memoryMiB,
      cpuPct: snap.cluster.cpuPercent,
      memPct: snap.cluster.memoryPercent,
    });
    this.pend(s, 'cluster', {
      t: now,
      cpu: snap.cluster.cpuMillicores,
      mem: snap.cluster.memoryMiB,
      cpuPct: snap.cluster.cpuPercent,
      memPct: snap.cluster.memoryPercent,
    });
    for (const n of nodes) {
      let r = s.nodes.get(n.name);
      if (!r) s.nodes.set(n.name, (r = { items: [], cap: this.o.ringSize }));
      push(r, { t: now, cpu: n.cpuMillicores, mem: n.memoryMiB, cpuPct: n.cpuUsage, memPct: n.memoryUsage });
      this.pend(s, `node:${n.name}`, {
        t: now,
        cpu: n.cpuMillicores,
        mem: n.memoryMiB,
        cpuPct: n.cpuUsage,
        memPct: n.memoryUsage,
      });
    }
    const seen = new Set<string>();
    for (const p of pods) {
      const podKey = `${p.namespace}/${p.name}`;
      seen.add(podKey);
      let rings = s.pods.get(podKey);
      if (!rings) s.pods.set(podKey, (rings = new Map()));
      for (const c of p.containers) {
        const key = `${podKey}/${c.name}`;
        let r = rings.get(c.name);
        if (!r) rings.set(c.name, (r = { items: [], cap: Math.min(this.o.ringSize, 120) }));
        const bytes = c.memoryMiB * MI;
        push(r, { t: now, cpu: c.cpuMillicores, mem: bytes });
        s.peaks.set(key, Math.max(s.peaks.get(key) ?? 0, bytes));
        this.pend(s, `container:${key}`, { t: now, cpu: c.cpuMillicores, mem: c.memoryMiB });
      }
      if (rings.size > p.containers.length)
        for (const name of rings.keys()) if (!p.containers.some((c) => c.name === name)) rings.delete(name);
    }
    // Forget rings of pods that are gone (their peaks stay for OOM insights until restart).
    for (const k of s.pods.keys()) if (!seen.has(k)) s.pods.delete(k);
    this.events.emit('sample', snap);
    await this.flushBuckets(s, false).catch(() => undefined);
  }

  private pend(
    s: ContextSampler,
    target: string,
    x: { t: number; cpu: number; mem: number; cpuPct?: number; memPct?: number },
  ): void {
    let l = s.pending.get(target);
    if (!l) s.pending.set(target, (l = []));
    l.push(x);
  }

  /** Writes every complete 5-minute bucket (or all, on stop) to the store, then prunes old ones. */
  private async flushBuckets(s: ContextSampler, all: boolean): Promise<void> {
    const store = this.o.store;
    if (!store) return;
    const currentBucket = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS;
    const rows: MetricsBucketRow[] = [];
    for (const [target, list] of s.pending) {
      const done = all ? list : list.filter((x) => x.t < currentBucket);
      if (!done.length) continue;
      const groups = new Map<number, typeof list>();
      for (const x of done) {
        const b = Math.floor(x.t / BUCKET_MS) * BUCKET_MS;
        groups.set(b, [...(groups.get(b) ?? []), x]);
      }
      for (const [b, g] of groups) {
        const avg = (f: (x: (typeof g)[number]) => number | undefined) => {
          const v = g.map(f).filter((n): n is number => n !== undefined);
          return v.length ? v.reduce((a, c) => a + c, 0) / v.length : null;
        };
        rows.push({
          target,
          bucket: new Date(b).toISOString(),
          cpuAvg: avg((x) => x.cpu) ?? 0,
          cpuMax: Math.max(...g.map((x) => x.cpu)),
          memAvg: avg((x) => x.mem) ?? 0,
          memMax: Math.max(...g.map((x) => x.mem)),
          cpuPct: avg((x) => x.cpuPct),
          memPct: avg((x) => x.memPct),
          samples: g.length,
        });
      }
      s.pending.set(target, all ? [] : list.filter((x) => x.t >= currentBucket));
    }
    if (!rows.length) return;
    await store.saveMetricsBuckets(s.context, rows);
    await store.pruneMetrics(new Date(Date.now() - this.o.retentionDays * 86400_000).toISOString());
  }

  // ---------------- queries ----------------

  private sampler(context: string): ContextSampler {
    const s = this.samplers.get(context);
    if (!s) throw new KubeError('notFound', `metrics are not being sampled for context "${context}"`);
    return s;
  }

  snapshot(context: string, namespace?: string): MetricsSnapshot {
    const s = this.samplers.get(context);
    const snap =
      s?.latest ??
      emptySnapshot(
        context,
        new Date().toISOString(),
        s ? 'the first sample is not in yet' : 'metrics sampling has not started for this context',
      );
    if (!namespace) return snap;
    return { ...snap, pods: snap.pods.filter((p) => p.namespace === namespace) };
  }

  podMetrics(
    context: string,
    namespace?: string,
  ): { available: boolean; reason?: string; timestamp: string; pods: PodMetric[] } {
    const snap = this.snapshot(context, namespace);
    const r: { available: boolean; reason?: string; timestamp: string; pods: PodMetric[] } = {
      available: snap.available,
      timestamp: snap.timestamp,
      pods: snap.pods,
    };
    if (snap.reason) r.reason = snap.reason;
    return r;
  }

  status(context: string): MetricsStatus {
    const s = this.samplers.get(context);
    const st: MetricsStatus = {
      context,
      available: s?.available ?? false,
      apiGroup: GROUP,
      sampling: !!s,
      intervalMs: this.o.intervalMs,
      samples: s?.samples ?? 0,
      ringCapacity: this.o.ringSize,
      ringSize: s?.cluster.items.length ?? 0,
      storedBuckets: this.o.store?.metricsBucketCount(context) ?? 0,
    };
    if (s?.reason) st.reason = s.reason;
    else if (!s) st.reason = 'metrics sampling has not started for this context';
    if (s?.lastSample) st.lastSample = new Date(s.lastSample).toISOString();
    if (s?.lastError) st.lastError = s.lastError;
    return st;
  }

  /** History of the cluster, a node or a pod: the memory ring for recent windows, stored buckets for longer ones. */
  history(
    context: string,
    q: { kind?: 'cluster' | 'node' | 'pod'; name?: string; namespace?: string; minutes?: number } = {},
  ): MetricsHistory {
    const s = this.sampler(context);
    const kind = q.kind ?? 'cluster';
    const minutes = q.minutes ?? 60;
    const since = Date.now() - minutes * 60_000;
    if ((kind === 'node' || kind === 'pod') && !q.name)
      throw new KubeError('invalid', `a ${kind} history needs a name`);
    if (kind === 'pod' && !q.namespace) throw new KubeError('invalid', 'a pod history needs a namespace');
    const target = {
      kind,
      ...(q.namespace ? { namespace: q.namespace } : {}),
      ...(q.name ? { name: q.name } : {}),
    } as MetricsHistory['target'];
    const ringSpan = s.cluster.items.length ? Date.now() - s.cluster.items[0].t : 0;
    if (ringSpan >= minutes * 60_000 * 0.9 || !this.o.store || minutes <= 60) {
      let points: MetricsPoint[];
      if (kind === 'cluster')
        points = s.cluster.items
          .filter((x) => x.t >= since)
          .map((x) => ({
            time: new Date(x.t).toISOString(),
            cpuMillicores: x.cpu,
            memoryMiB: x.mem,
            cpuPercent: x.cpuPct,
            memoryPercent: x.memPct,
          }));
      else if (kind === 'node')
        points = (s.nodes.get(q.name!)?.items ?? [])
          .filter((x) => x.t >= since)
          .map((x) => ({
            time: new Date(x.t).toISOString(),
            cpuMillicores: x.cpu,
            memoryMiB: x.mem,
            cpuPercent: x.cpuPct,
            memoryPercent: x.memPct,
          }));
      else {
        const byT = new Map<number, { cpu: number; mem: number }>();
        for (const r of s.pods.get(`${q.namespace}/${q.name}`)?.values() ?? []) {
          for (const x of r.items) {
            if (x.t < since) continue;
            const a = byT.get(x.t) ?? { cpu: 0, mem: 0 };
            a.cpu += x.cpu;
            a.mem += x.mem / MI;
            byT.set(x.t, a);
          }
        }
        points = [...byT.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([t, a]) => ({
            time: new Date(t).toISOString(),
            cpuMillicores: round(a.cpu),
            memoryMiB: round(a.mem),
            cpuPercent: 0,
            memoryPercent: 0,
          }));
      }
      return { context, source: 'memory', resolutionSeconds: Math.round(this.o.intervalMs / 1000), target, points };
    }
    const key =
      kind === 'cluster' ? 'cluster' : kind === 'node' ? `node:${q.name}` : `container:${q.namespace}/${q.name}/`;
    const rows = kind === 'pod' ? [] : this.o.store.metricsBuckets(context, key, new Date(since).toISOString());
    return {
      context,
      source: 'store',
      resolutionSeconds: BUCKET_MS / 1000,
      target,
      points: rows.map((r) => ({
        time: r.bucket,
        cpuMillicores: round(r.cpuAvg),
        memoryMiB: round(r.memAvg),
        cpuPercent: round(r.cpuPct ?? 0),
        memoryPercent: round(r.memPct ?? 0),
      })),
    };
  }

  // ---------------- facts for the incident engine ----------------

  peakMemory(context: string, namespace: string, pods: string[], container: string): number | undefined {
    const s = this.samplers.get(context);
    let peak = 0;
    for (const p of pods) peak = Math.max(peak, s?.peaks.get(`${namespace}/${p}/${container}`) ?? 0);
    if (!peak && this.o.store) {
      for (const p of pods)
        for (const v of this.o.store
          .metricsPeaks(
            context,
            `container:${namespace}/${p}/${container}`,
            new Date(Date.now() - 7 * 86400_000).toISOString(),
          )
          .values())
          peak = Math.max(peak, v * MI);
    }
    return peak || undefined;
  }

  containerSeries(context: string): Array<{
    namespace: string;
    pod: string;
    container: string;
    points: Array<{ t: number; cpu: number; mem: number }>;
  }> {
    const s = this.samplers.get(context);
    if (!s) return [];
    const out = [];
    for (const [k, rings] of s.pods) {
      const slash = k.indexOf('/');
      const namespace = k.slice(0, slash);
      const pod = k.slice(slash + 1);
      for (const [container, r] of rings) out.push({ namespace, pod, container, points: r.items });
    }
    return out;
  }

  /**
   * The sampled pods (`ns/pod`), each with its containers' samples, oldest first: the engine's own maps, read-only
   * and without a copy, for analyses that walk every pod (cost).
   */
  podSeries(context: string): ReadonlyMap<string, ReadonlyMap<string, { readonly items: readonly ContainerPoint[] }>> {
    return this.samplers.get(context)?.pods ?? new Map();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function emptySnapshot(context: string, ts: string, reason: string): MetricsSnapshot {
  return {
    context,
    timestamp: ts,
    available: false,
    reason,
    cluster: {
      cpuMillicores: 0,
      cpuCapacityMillicores: 0,
      cpuPercent: 0,
      memoryMiB: 0,
      memoryCapacityMiB: 0,
      memoryPercent: 0,
      nodes: 0,
      pods: 0,
    },
    nodes: [],
    pods: [],
  };
}
