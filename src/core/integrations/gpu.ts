// GPUs: NVIDIA GPU nodes and what runs on them (from node labels and pod requests), and live per-GPU metrics scraped
// from the DCGM exporter on each node.
import type { GpuMetricsReport, GpuNode, GpuPod, GpuSample } from '../../shared/routes/integrations';
import type { Node, Pod } from '../kube/objects';
import { isActivePod, podRequests } from '../analysis/reports';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError, notInstalled } from '../api/errors';
import { callProxy, replyMessage } from '../api/serviceProxy';
import { dcgmGpus, parsePromText } from '../metrics/promText';
import { apiServerRefusal } from './appProxy';
import { Emitter } from '../kube/emitter';
import { round } from './util';

/** Nodes with NVIDIA GPUs (by capacity or the GPU feature discovery labels) and the GPU pods on each. */
export function gpuNodes(nodes: Node[], pods: Pod[]): GpuNode[] {
  return nodes
    .filter(
      (n) =>
        quantityInt(n.status?.capacity?.['nvidia.com/gpu']) > 0 ||
        n.metadata.labels?.['nvidia.com/gpu.present'] === 'true' ||
        n.metadata.labels?.['nvidia.com/gpu.product'],
    )
    .map((n) => {
      const l = n.metadata.labels ?? {};
      const on = pods
        .filter((p) => p.spec?.nodeName === n.metadata.name && isActivePod(p))
        .map((p) => ({ namespace: p.metadata.namespace ?? '', name: p.metadata.name, gpus: podRequests(p).gpu }))
        .filter((p) => p.gpus > 0);
      const g: GpuNode = {
        name: n.metadata.name,
        product: l['nvidia.com/gpu.product'],
        family: l['nvidia.com/gpu.family'],
        memoryMiB: l['nvidia.com/gpu.memory'] ? Number(l['nvidia.com/gpu.memory']) : undefined,
        capacity: quantityInt(n.status?.capacity?.['nvidia.com/gpu']),
        allocatable: quantityInt(n.status?.allocatable?.['nvidia.com/gpu']),
        allocated: on.reduce((s, p) => s + p.gpus, 0),
        sharing: l['nvidia.com/gpu.sharing-strategy'],
        driverVersion:
          l['nvidia.com/cuda.driver-version.full'] ??
          (l['nvidia.com/cuda.driver.major']
            ? `${l['nvidia.com/cuda.driver.major']}.${l['nvidia.com/cuda.driver.minor'] ?? 0}`
            : undefined),
        cudaVersion:
          l['nvidia.com/cuda.runtime-version.full'] ??
          (l['nvidia.com/cuda.runtime.major']
            ? `${l['nvidia.com/cuda.runtime.major']}.${l['nvidia.com/cuda.runtime.minor'] ?? 0}`
            : undefined),
        migCapable: l['nvidia.com/mig.capable'] === 'true',
        pods: on,
      };
      return g;
    });
}

const quantityInt = (v: unknown) => (v === undefined ? 0 : Math.floor(Number(v)) || 0);

/** Whether the cluster has GPUs, how many are allocated, and whether the device plugin and DCGM exporter run. */
export async function gpuStatus(deps: ApiDeps, context: string | undefined) {
  const nodes = gpuNodes((await objects(deps, context, 'nodes')) ?? [], (await objects(deps, context, 'pods')) ?? []);
  const pods = (await objects(deps, context, 'pods')) ?? [];
  const dcgm = pods.some(isDcgm);
  const total = nodes.reduce((s, n) => s + n.allocatable, 0);
  const used = nodes.reduce((s, n) => s + n.allocated, 0);
  return {
    available: nodes.length > 0,
    nodes: nodes.length,
    totalGpus: total,
    allocatedGpus: used,
    devicePlugin: nodes.some((n) => n.capacity > 0),
    dcgmExporter: dcgm,
    message: nodes.length
      ? `${used}/${total} GPUs allocated on ${nodes.length} node(s)`
      : 'no GPU nodes (no node advertises nvidia.com/gpu)',
  };
}

/** A DCGM exporter's pod or DaemonSet, by the names and labels of NVIDIA's chart and the GPU Operator. */
const isDcgm = (x: { metadata: { name: string; labels?: Record<string, string> } }) =>
  /dcgm-exporter/.test(x.metadata.name) ||
  x.metadata.labels?.['app.kubernetes.io/name'] === 'dcgm-exporter' ||
  x.metadata.labels?.app === 'nvidia-dcgm-exporter';

/** Pods that request NVIDIA GPUs (pending ones too, with why they wait), newest first within each namespace. */
export function gpuPods(pods: Pod[], namespace?: string): GpuPod[] {
  return pods
    .filter((p) => (!namespace || p.metadata.namespace === namespace) && isActivePod(p))
    .map((p) => ({ p, gpus: podRequests(p).gpu }))
    .filter((x) => x.gpus > 0)
    .map(({ p, gpus }) => {
      const sched = (p.status?.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
      const waiting = (p.status?.containerStatuses ?? []).find((c) => c.state?.waiting?.reason)?.state?.waiting;
      const owner = p.metadata.ownerReferences?.find((o) => o.controller) ?? p.metadata.ownerReferences?.[0];
      const g: GpuPod = {
        namespace: p.metadata.namespace ?? '',
        name: p.metadata.name,
        node: p.spec?.nodeName || undefined,
        gpus,
        phase: p.status?.phase ?? 'Unknown',
        reason: sched?.reason ?? waiting?.reason ?? undefined,
        message: sched?.message ?? waiting?.message ?? undefined,
        created: p.metadata.creationTimestamp ? new Date(p.metadata.creationTimestamp).toISOString() : undefined,
        owner: owner ? { kind: owner.kind, name: owner.name } : undefined,
      };
      return g;
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** How often a context's exporters are read at most: callers within this window share the last reading. */
export const GPU_SAMPLE_MS = 5000;
/** Readings kept for the charts: 15 minutes at one every 5 s. */
const KEEP_SAMPLES = 180;
const KEEP_MS = 30 * 60_000;

type GpuHistory = { samples: GpuSample[]; last?: { at: number; report: GpuMetricsReport } };
/** Per engine and context: the readings so far and the last report (with its time), shared by every face. */
const gpuHistory = new WeakMap<object, Map<string, GpuHistory>>();

/**
 * Per-GPU readings from every node's DCGM exporter, with the readings kept so far for charts. A page reads every
 * sample interval; `GpuHistoryKeeper` reads in the background; calls closer together than the interval share one
 * scrape.
 */
export async function gpuMetrics(deps: ApiDeps, context: string | undefined): Promise<GpuMetricsReport> {
  const ctx = contextOf(deps, context);
  let perEngine = gpuHistory.get(deps.kube);
  if (!perEngine) gpuHistory.set(deps.kube, (perEngine = new Map()));
  let h = perEngine.get(ctx);
  if (!h) perEngine.set(ctx, (h = { samples: [] }));
  const now = Date.now();
  if (h.last && now - h.last.at < GPU_SAMPLE_MS - 500) return { ...h.last.report, history: [...h.samples] };
  const report = await scrapeGpus(deps, context);
  const sample: GpuSample = {
    time: report.scrapedAt,
    gpus: report.gpus.map((g) => ({
      node: g.node,
      gpu: g.gpu,
      utilizationPercent: g.utilizationPercent,
      memoryUsedMiB: g.memoryUsedMiB,
      memoryTotalMiB: g.memoryTotalMiB,
      temperatureC: g.temperatureC,
      powerW: g.powerW,
    })),
  };
  h.samples = [...h.samples.filter((s) => now - Date.parse(s.time) < KEEP_MS), sample].slice(-KEEP_SAMPLES);
  h.last = { at: now, report };
  return { ...report, history: [...h.samples] };
}

/**
 * Keeps GPU history while the metrics engine samples a context, as it does for CPU and memory: the GPU page then opens
 * on the last minutes, not on one reading. Each tick looks for a ready DCGM exporter DaemonSet (a handful of objects,
 * never the pod list) and reads the exporters only where one runs.
 */
export class GpuHistoryKeeper {
  readonly events = new Emitter<{ sample: { context: string; time: string } }>();
  private readonly timer: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly deps: ApiDeps,
    everyMs = deps.metrics.intervalMs,
  ) {
    this.timer = setInterval(() => void this.tick(), everyMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const context of this.deps.metrics.contexts()) {
        try {
          const { cache } = await this.deps.lists.cache(context, 'daemonsets');
          if (!cache.list().some((d) => isDcgm(d) && Number(d.status?.numberReady ?? 0) > 0)) continue;
          const r = await gpuMetrics(this.deps, context);
          this.events.emit('sample', { context, time: r.scrapedAt });
        } catch {
          // A context without DaemonSet access or with exporters that do not answer: the page says why when opened.
        }
      }
    } finally {
      this.busy = false;
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}

async function scrapeGpus(deps: ApiDeps, context: string | undefined): Promise<GpuMetricsReport> {
  const pods = ((await objects(deps, context, 'pods')) ?? []).filter(isDcgm);
  if (!pods.length)
    throw notInstalled(
      'GPU metrics come from the NVIDIA DCGM exporter, which is not running in this cluster (install the GPU operator or the dcgm-exporter chart)',
    );
  const running = pods.filter((x) => x.status?.phase === 'Running' && x.spec?.nodeName);
  if (!running.length)
    throw new ApiError(
      'unavailable',
      `the DCGM exporter has no running pod (${pods.map((x) => `${x.metadata.namespace}/${x.metadata.name}: ${x.status?.phase ?? 'unknown'}`).join(', ')})`,
      503,
    );
  const ctx = contextOf(deps, context);
  const errors: GpuMetricsReport['errors'] = [];
  const gpus: GpuMetricsReport['gpus'] = [];
  // Each node's exporter is read on its own (the Service would answer from one random node).
  const scrape = async (pod: Pod) => {
    const ports = (
      (pod.spec?.containers ?? []) as Array<{ ports?: Array<{ name?: string; containerPort: number }> }>
    ).flatMap((c) => c.ports ?? []);
    const port = ports.find((x) => x.containerPort === 9400) ??
      ports.find((x) => /metrics/.test(x.name ?? '')) ?? { containerPort: 9400 };
    try {
      const r = await callProxy(
        deps,
        ctx,
        { resource: 'pods', namespace: pod.metadata.namespace!, name: pod.metadata.name, port: port.containerPort },
        { path: '/metrics', accept: 'text/plain;version=0.0.4' },
        { what: `dcgm-exporter ${pod.metadata.name}`, timeoutMs: 15_000, maxBytes: 16 << 20 },
      );
      if (r.fromApiServer) throw apiServerRefusal(r, `dcgm-exporter ${pod.metadata.name}`);
      if (r.status !== 200) throw new ApiError('upstreamError', `answered ${r.status}: ${replyMessage(r)}`, 502);
      const parsed = parsePromText(r.body.toString('utf8'));
      const found = dcgmGpus(parsed.samples, pod.spec?.nodeName);
      if (!found.length && parsed.errors.length)
        throw new ApiError(
          'badUpstream',
          `unreadable metrics (line ${parsed.errors[0].line}: ${parsed.errors[0].message})`,
          502,
        );
      gpus.push(...found);
    } catch (e) {
      errors.push({
        pod: `${pod.metadata.namespace}/${pod.metadata.name}`,
        node: pod.spec?.nodeName,
        message: e instanceof Error ? e.message : String(e),
      });
    }
  };
  for (let i = 0; i < running.length; i += 8) await Promise.all(running.slice(i, i + 8).map(scrape));
  if (!gpus.length && errors.length)
    throw new ApiError(
      'upstreamError',
      `no DCGM exporter could be read: ${errors.map((e) => `${e.pod}: ${e.message}`).join('; ')}`,
      502,
      { errors },
    );
  gpus.sort((a, b) => a.node.localeCompare(b.node) || a.gpu.localeCompare(b.gpu, undefined, { numeric: true }));
  const nodes = [...new Set(gpus.map((g) => g.node))].map((node) => {
    const mine = gpus.filter((g) => g.node === node);
    return {
      node,
      gpus: mine.length,
      busy: mine.filter((g) => (g.utilizationPercent ?? 0) > 0 || g.pod).length,
      avgUtilizationPercent: round(mine.reduce((s, g) => s + (g.utilizationPercent ?? 0), 0) / mine.length, 1),
      memoryUsedMiB: mine.reduce((s, g) => s + (g.memoryUsedMiB ?? 0), 0),
      memoryTotalMiB: mine.reduce((s, g) => s + (g.memoryTotalMiB ?? 0), 0),
      powerW: round(
        mine.reduce((s, g) => s + (g.powerW ?? 0), 0),
        1,
      ),
    };
  });
  return {
    source: 'dcgm-exporter',
    scrapedAt: new Date().toISOString(),
    gpus,
    nodes,
    errors,
    history: [],
    intervalMs: GPU_SAMPLE_MS,
  };
}
