// metrics.k8s.io/v1beta1 as metrics-server serves it: per-container usage that drifts smoothly over
// simulated time around each pod's requests, with a leaking container for the OOM fault.
import type { ServerResponse } from 'node:http';
import type { SimContext } from './context';
import {
  containerFault,
  CPU_BURST_ANNOTATION,
  CPU_BURST_LENGTH_S,
  CPU_BURST_PERIOD_S,
  FAULT_CONTAINER_ANNOTATION,
  LOAD_ANNOTATION,
  memoryNeed,
  stressMemory,
} from './controllers/faults';
import { formatMemory, parseQuantity } from './controllers/quantity';
import { fieldAllowed, parseFieldSelector, parseLabelSelector } from './selectors';
import type { KObj } from './store';
import { nowIso } from './store';
import { StatusError, methodNotAllowed } from './status';

const API_VERSION = 'metrics.k8s.io/v1beta1';
const MI = 1024 * 1024;

/** FNV-1a: cheap, stable per-pod randomness (a hundred thousand pods per request). */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 0xffffffff;
}

export interface Usage {
  cpu: number;
  memory: number;
}

/** A container's usage (cores, bytes) at simulated time `tSec`. */
export function containerUsage(
  pod: KObj,
  c: { name: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } },
  tSec: number,
): Usage {
  const seed = `${pod.metadata.uid}/${c.name}`;
  const h1 = fnv(seed);
  const h2 = fnv(seed + '#');
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuReq = parseQuantity(req.cpu ?? lim.cpu) || 0.05;
  const memReq = parseQuantity(req.memory ?? lim.memory) || 64 * MI;
  const load = Number(pod.metadata.annotations?.[LOAD_ANNOTATION]) || 0.2 + 0.5 * h1;
  const wave = 1 + 0.25 * Math.sin(tSec / 60 + h1 * 6.28) + 0.1 * Math.sin(tSec / 7 + h2 * 6.28);
  let cpu = cpuReq * load * wave;
  const burst = Number(pod.metadata.annotations?.[CPU_BURST_ANNOTATION]);
  if (burst > 0 && (tSec + h1 * CPU_BURST_PERIOD_S) % CPU_BURST_PERIOD_S < CPU_BURST_LENGTH_S) cpu *= burst;
  if (lim.cpu) cpu = Math.min(cpu, parseQuantity(lim.cpu));
  let memory = memReq * (0.45 + 0.3 * h2) * (1 + 0.04 * Math.sin(tSec / 300 + h1 * 6.28));
  const memLimit = parseQuantity(lim.memory);
  const fault = containerFault(pod.metadata.annotations, pod.spec?.containers ?? [], c.name);
  const target = pod.metadata.annotations?.[FAULT_CONTAINER_ANNOTATION] ?? pod.spec?.containers?.[0]?.name;
  const need = (target === c.name ? memoryNeed(pod.metadata.annotations, c) : 0) || stressMemory(c);
  if (fault === 'oomkill' && memLimit) {
    // Leaks from 60% to the limit over each crash cycle.
    memory = memLimit * (0.6 + 0.39 * ((tSec / 13 + h1) % 1));
  } else if (need) {
    // Enough memory: it settles just under what it needs.
    memory = need * (0.9 + 0.04 * Math.sin(tSec / 40 + h1 * 6.28));
  } else if (memLimit) memory = Math.min(memory, memLimit * 0.92);
  if (fault === 'crashloop') cpu *= 0.2;
  return { cpu: Math.max(cpu, 0.0005), memory: Math.max(memory, 2 * MI) };
}

/** Containers that are running now (metrics-server reports nothing for waiting or terminated ones). */
function runningContainers(pod: KObj): Array<{ name: string; resources?: KObj['resources'] }> {
  if (pod.status?.phase !== 'Running') return [];
  const running = new Set(
    (pod.status.containerStatuses ?? []).filter((s: KObj) => s.state?.running).map((s: KObj) => s.name),
  );
  return (pod.spec?.containers ?? []).filter((c: { name: string }) => running.has(c.name));
}

export function podUsage(pod: KObj, tSec: number): Array<{ name: string; usage: Usage }> {
  return runningContainers(pod).map((c) => ({ name: c.name, usage: containerUsage(pod, c, tSec) }));
}

const nodeReady = (n: KObj) =>
  (n.status?.conditions ?? []).some((c: KObj) => c.type === 'Ready' && c.status === 'True');

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, err: StatusError): void {
  send(res, err.code, err.toStatus());
}

/** Writes a list without building one giant string: the scale scenario has 100k pods. */
function sendList(res: ServerResponse, kind: string, items: Iterable<unknown>): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.write(`{"kind":"${kind}","apiVersion":"${API_VERSION}","metadata":{},"items":[`);
  let batch: string[] = [];
  let first = true;
  for (const it of items) {
    batch.push(JSON.stringify(it));
    if (batch.length === 1000) {
      res.write((first ? '' : ',') + batch.join(','));
      first = false;
      batch = [];
    }
  }
  if (batch.length) res.write((first ? '' : ',') + batch.join(','));
  res.end(']}');
}

export function installMetrics(ctx: SimContext): void {
  const t = () => ctx.clock.now() / 1000;
  const window = '30s';

  const podMetrics = (pod: KObj, tSec: number, stamp: string) => ({
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: stamp,
      labels: pod.metadata.labels ?? {},
    },
    timestamp: stamp,
    window,
    containers: podUsage(pod, tSec).map((c) => ({
      name: c.name,
      usage: { cpu: `${Math.round(c.usage.cpu * 1e9)}n`, memory: formatMemory(c.usage.memory) },
    })),
  });

  ctx.virtual.set('metrics.k8s.io/pods', (r, res) => {
    if (r.verb !== 'get' && r.verb !== 'list') return fail(res, methodNotAllowed(r.verb, 'pods'));
    const stamp = nowIso();
    const tSec = t();
    if (r.name) {
      const pod = ctx.store.get('pods', r.namespace, r.name);
      if (!pod || runningContainers(pod).length === 0)
        return fail(
          res,
          new StatusError(404, 'NotFound', `podmetrics.metrics.k8s.io "${r.namespace}/${r.name}" not found`, {
            name: r.name,
            group: 'metrics.k8s.io',
            kind: 'pods',
          }),
        );
      return send(res, 200, { kind: 'PodMetrics', apiVersion: API_VERSION, ...podMetrics(pod, tSec, stamp) });
    }
    let labels: ReturnType<typeof parseLabelSelector>;
    let fields: ReturnType<typeof parseFieldSelector>;
    try {
      labels = parseLabelSelector(r.url.searchParams.get('labelSelector'));
      fields = parseFieldSelector(r.url.searchParams.get('fieldSelector'), fieldAllowed('pods'));
    } catch (err) {
      return fail(res, err as StatusError);
    }
    function* items() {
      for (const pod of ctx.store.iterate('pods', r.namespace)) {
        if (labels && !labels(pod.metadata.labels)) continue;
        if (fields && !fields(pod)) continue;
        if (runningContainers(pod).length === 0) continue;
        yield podMetrics(pod, tSec, stamp);
      }
    }
    sendList(res, 'PodMetricsList', items());
  });

  ctx.virtual.set('metrics.k8s.io/nodes', (r, res) => {
    if (r.verb !== 'get' && r.verb !== 'list') return fail(res, methodNotAllowed(r.verb, 'nodes'));
    const stamp = nowIso();
    const tSec = t();
    const usage = nodeUsage(ctx, tSec, r.name);
    const nodeMetrics = (n: KObj) => {
      const u = usage.get(n.metadata.name) ?? { cpu: 0, memory: 0 };
      return {
        metadata: { name: n.metadata.name, creationTimestamp: stamp, labels: n.metadata.labels ?? {} },
        timestamp: stamp,
        window,
        usage: { cpu: `${Math.round(u.cpu * 1e9)}n`, memory: formatMemory(u.memory) },
      };
    };
    if (r.name) {
      const n = ctx.store.get('nodes', undefined, r.name);
      if (!n || !nodeReady(n))
        return fail(
          res,
          new StatusError(404, 'NotFound', `nodemetrics.metrics.k8s.io "${r.name}" not found`, {
            name: r.name,
            group: 'metrics.k8s.io',
            kind: 'nodes',
          }),
        );
      return send(res, 200, { kind: 'NodeMetrics', apiVersion: API_VERSION, ...nodeMetrics(n) });
    }
    let labels;
    try {
      labels = parseLabelSelector(r.url.searchParams.get('labelSelector'));
    } catch (err) {
      return fail(res, err as StatusError);
    }
    const items = [...ctx.store.iterate('nodes')]
      .filter((n) => nodeReady(n) && (!labels || labels(n.metadata.labels)))
      .map(nodeMetrics);
    sendList(res, 'NodeMetricsList', items);
  });
}

/** Node usage: what its pods use plus the system's own share (kubelet, runtime, OS). */
function nodeUsage(ctx: SimContext, tSec: number, only?: string): Map<string, Usage> {
  const out = new Map<string, Usage>();
  for (const n of ctx.store.iterate('nodes')) {
    if (only && n.metadata.name !== only) continue;
    const h = fnv(n.metadata.name);
    const cap = parseQuantity(n.status?.allocatable?.cpu ?? '1');
    out.set(n.metadata.name, {
      cpu: Math.min(0.1 + 0.04 * cap * (0.5 + h) * (1 + 0.2 * Math.sin(tSec / 45 + h * 6.28)), cap),
      memory: (600 + 500 * h) * MI,
    });
  }
  for (const pod of ctx.store.iterate('pods')) {
    const u = out.get(pod.spec?.nodeName);
    if (!u) continue;
    for (const c of podUsage(pod, tSec)) {
      u.cpu += c.usage.cpu;
      u.memory += c.usage.memory;
    }
  }
  return out;
}
