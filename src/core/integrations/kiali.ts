// Kiali: the service mesh's traffic graph (Istio telemetry) read through Kiali's API and turned into request rates per
// workload and per edge.
import type { IntegrationStatus, TrafficEdge, TrafficMetrics, TrafficNode } from '../../shared/routes/integrations';
import { MESH_FAILURE_ERROR_PERCENT } from '../../shared/meshGraph';
import type { MeshEdge, MeshGraph, MeshHealth, MeshNode } from '../../shared/meshGraph';
import { objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError, notInstalled } from '../api/errors';
import { callProxy } from '../api/serviceProxy';
import { appReply, appTarget, kialiRoot } from './appProxy';
import { serviceStatus } from './catalog';
import { num, round, type Params } from './util';

interface KialiNodeData {
  id: string;
  nodeType?: string;
  namespace?: string;
  workload?: string;
  app?: string;
  service?: string;
  version?: string;
  isOutside?: boolean;
  isRoot?: boolean;
  isIdle?: boolean;
  healthData?: {
    workloadStatus?: { desiredReplicas?: number; currentReplicas?: number; availableReplicas?: number };
  };
}
interface KialiEdgeData {
  id: string;
  source: string;
  target: string;
  traffic?: {
    protocol?: string;
    rates?: Record<string, string>;
    responses?: Record<string, { flags?: Record<string, string>; hosts?: Record<string, string> }>;
  };
  responseTime?: string;
  isMTLS?: string;
  healthStatus?: string;
}
export interface KialiGraph {
  timestamp?: number;
  duration?: number;
  graphType?: string;
  elements?: { nodes?: Array<{ data: KialiNodeData }>; edges?: Array<{ data: KialiEdgeData }> };
}

/** Kiali's Cytoscape graph as request rates per workload and per edge (rates are strings in req/s there). */
export function trafficFromKialiGraph(g: KialiGraph, namespaces: string[], duration: string): TrafficMetrics {
  const rawNodes = g.elements?.nodes ?? [];
  const rawEdges = g.elements?.edges ?? [];
  const edges: TrafficEdge[] = rawEdges.map(({ data: e }) => {
    const rates = e.traffic?.rates ?? {};
    const protocol = e.traffic?.protocol ?? 'http';
    const total = protocol === 'grpc' ? num(rates.grpc) : protocol === 'tcp' ? num(rates.tcp) : num(rates.http);
    const errors = protocol === 'grpc' ? num(rates.grpcErr) : protocol === 'tcp' ? 0 : num(rates.http5xx);
    const rt = e.responseTime !== undefined ? num(e.responseTime) : undefined;
    return {
      source: e.source,
      target: e.target,
      protocol,
      requestsPerSecond: round(total),
      errorsPerSecond: round(errors),
      errorRate: total > 0 ? round(errors / total, 4) : 0,
      ...(rt !== undefined ? { responseTimeMs: rt } : {}),
      mtls: num(e.isMTLS) > 0,
      ...(e.healthStatus ? { health: e.healthStatus } : {}),
    };
  });
  const nodes: TrafficNode[] = rawNodes.map(({ data: n }) => ({
    id: n.id,
    namespace: n.namespace ?? '',
    ...(n.workload ? { workload: n.workload } : {}),
    ...(n.app ? { app: n.app } : {}),
    ...(n.service ? { service: n.service } : {}),
    ...(n.version ? { version: n.version } : {}),
    requestsIn: round(edges.filter((e) => e.target === n.id).reduce((s, e) => s + e.requestsPerSecond, 0)),
    requestsOut: round(edges.filter((e) => e.source === n.id).reduce((s, e) => s + e.requestsPerSecond, 0)),
    outside: Boolean(n.isOutside) || (n.namespace !== undefined && !namespaces.includes(n.namespace)),
  }));
  // Requests entering the asked namespaces once each: edges into them (calls inside count once, at the callee).
  const inbound = edges.filter((e) => nodes.find((n) => n.id === e.target && !n.outside));
  const rps = inbound.reduce((s, e) => s + e.requestsPerSecond, 0);
  const eps = inbound.reduce((s, e) => s + e.errorsPerSecond, 0);
  return {
    source: 'kiali',
    namespaces,
    duration,
    timestamp: new Date((g.timestamp ?? Math.floor(Date.now() / 1000)) * 1000).toISOString(),
    nodes,
    edges,
    totals: {
      requestsPerSecond: round(rps),
      errorsPerSecond: round(eps),
      errorRate: rps > 0 ? round(eps / rps, 4) : 0,
    },
  };
}

/** Kiali's workload graph of the asked namespaces (all but kube-* by default) over `duration`. */
async function fetchGraph(
  deps: ApiDeps,
  p: { context?: string; namespace?: string; duration?: string },
  what: string,
): Promise<{ g: KialiGraph; namespaces: string[]; duration: string; status: IntegrationStatus }> {
  const k = await serviceStatus(deps, p.context, 'kiali');
  if (!k.installed)
    throw notInstalled(`${what} come from a service mesh (Istio + Kiali), which is not installed in this cluster`);
  const { ctx, target } = await appTarget(deps, p.context, 'kiali');
  const namespaces = p.namespace
    ? [p.namespace]
    : ((await objects(deps, p.context, 'namespaces')) ?? [])
        .map((n) => n.metadata.name)
        .filter((n) => !/^kube-/.test(n))
        .sort();
  const duration = p.duration ?? '10m';
  const root = await kialiRoot(deps, ctx, target);
  const r = await callProxy(
    deps,
    ctx,
    target,
    {
      path: `${root}/api/namespaces/graph`,
      query: {
        namespaces: [namespaces.join(',')],
        graphType: ['workload'],
        duration: [duration],
        injectServiceNodes: ['false'],
      },
      accept: 'application/json',
    },
    { what: 'Kiali', timeoutMs: 60_000 },
  );
  const g = appReply(r, 'Kiali');
  if (!g || typeof g !== 'object')
    throw new ApiError('badUpstream', 'Kiali answered the graph request without a graph', 502);
  return { g: g as KialiGraph, namespaces, duration, status: k };
}

/** Request rates of the asked namespaces (all but kube-* by default) over `duration`, from Kiali's workload graph. */
export async function trafficMetrics(deps: ApiDeps, p: Params<'traffic.metrics'>): Promise<TrafficMetrics> {
  const { g, namespaces, duration } = await fetchGraph(deps, p, 'traffic metrics');
  return trafficFromKialiGraph(g, namespaces, duration);
}

const pct = (n: number) => `${n >= 10 ? Math.round(n) : Math.round(n * 10) / 10}%`;

/** Kiali's default rule for request health: any error is degraded, more than 10% is failure. */
const rateHealth = (errorRate: number): MeshHealth =>
  errorRate * 100 > MESH_FAILURE_ERROR_PERCENT ? 'failure' : errorRate > 0 ? 'degraded' : 'healthy';

const WORSE: MeshHealth[] = ['failure', 'degraded', 'healthy', 'idle', 'unknown'];
const worst = (a: MeshHealth, b: MeshHealth): MeshHealth => (WORSE.indexOf(a) <= WORSE.indexOf(b) ? a : b);

/**
 * Kiali's graph with a health per node and edge: a workload's own state (available vs desired pods, from the
 * graph's healthData) and the errors of the requests it receives, the worse of the two, as Kiali colours its nodes.
 * `kinds` names each workload's Kubernetes kind (`ns/name` → Deployment…) where the cluster has it.
 */
export function meshFromKialiGraph(
  g: KialiGraph,
  namespaces: string[],
  duration: string,
  kinds: Map<string, string>,
): Omit<MeshGraph, 'kiali'> {
  const t = trafficFromKialiGraph(g, namespaces, duration);
  const raw = new Map((g.elements?.nodes ?? []).map(({ data }) => [data.id, data]));
  const rawEdges = new Map((g.elements?.edges ?? []).map(({ data }) => [`${data.source}>${data.target}`, data]));
  const edges: MeshEdge[] = t.edges.map((e) => {
    const d = rawEdges.get(`${e.source}>${e.target}`);
    const responses: Record<string, number> = {};
    for (const [code, v] of Object.entries(d?.traffic?.responses ?? {}))
      responses[code] = Object.values(v.flags ?? {}).reduce((s, x) => s + num(x), 0);
    return {
      id: d?.id ?? `${e.source}>${e.target}`,
      source: e.source,
      target: e.target,
      protocol: e.protocol,
      requestsPerSecond: e.requestsPerSecond,
      errorsPerSecond: e.errorsPerSecond,
      errorRate: e.errorRate,
      ...(e.responseTimeMs !== undefined ? { responseTimeMs: e.responseTimeMs } : {}),
      mtls: e.mtls,
      health: e.requestsPerSecond > 0 ? rateHealth(e.errorRate) : 'idle',
      responses,
    };
  });
  const nodes: MeshNode[] = t.nodes.map((n) => {
    const d = raw.get(n.id);
    const name = n.workload ?? n.app ?? n.service ?? n.id;
    const inbound = edges.filter((e) => e.target === n.id);
    const rin = inbound.reduce((s, e) => s + e.requestsPerSecond, 0);
    const ein = inbound.reduce((s, e) => s + e.errorsPerSecond, 0);
    const errorRateIn = rin > 0 ? round(ein / rin, 4) : 0;
    const ws = d?.healthData?.workloadStatus;
    const reasons: string[] = [];
    let health: MeshHealth = 'unknown';
    let replicas: MeshNode['replicas'];
    if (ws && typeof ws.desiredReplicas === 'number') {
      replicas = { desired: ws.desiredReplicas, available: num(ws.availableReplicas) };
      if (replicas.desired === 0) {
        health = 'idle';
        reasons.push('scaled to zero');
      } else if (replicas.available === 0) {
        health = 'failure';
        reasons.push(`no pod available of ${replicas.desired} desired`);
      } else if (replicas.available < replicas.desired) {
        health = 'degraded';
        reasons.push(`${replicas.available} of ${replicas.desired} pods available`);
      } else health = 'healthy';
    }
    if (rin > 0) {
      const h = rateHealth(errorRateIn);
      if (h !== 'healthy') reasons.push(`${pct(errorRateIn * 100)} of inbound requests fail`);
      health = health === 'unknown' || health === 'idle' ? h : worst(health, h);
    } else if (health === 'unknown' && n.requestsOut > 0) health = 'healthy';
    const idle = Boolean(d?.isIdle) || (rin === 0 && n.requestsOut === 0);
    const kind = kinds.get(`${n.namespace}/${name}`);
    return {
      id: n.id,
      namespace: n.namespace,
      name,
      nodeType: d?.nodeType ?? 'workload',
      ...(kind ? { kind } : {}),
      ...(n.app ? { app: n.app } : {}),
      ...(n.version ? { version: n.version } : {}),
      ...(n.service ? { service: n.service } : {}),
      outside: n.outside,
      root: Boolean(d?.isRoot),
      idle,
      health,
      healthReasons: reasons,
      ...(replicas ? { replicas } : {}),
      requestsIn: n.requestsIn,
      requestsOut: n.requestsOut,
      errorRateIn,
    };
  });
  return { namespaces, duration, timestamp: t.timestamp, nodes, edges };
}

/** The Kiali page's graph: Kiali's workload graph with health, each workload's kind resolved from the cluster. */
export async function meshGraph(deps: ApiDeps, p: Params<'kiali.graph'>): Promise<MeshGraph> {
  const { g, namespaces, duration, status } = await fetchGraph(deps, p, 'service graphs');
  const kinds = new Map<string, string>();
  for (const [id, kind] of [
    ['deployments', 'Deployment'],
    ['statefulsets', 'StatefulSet'],
    ['daemonsets', 'DaemonSet'],
  ] as const)
    for (const o of (await objects(deps, p.context, id, p.namespace || undefined)) ?? [])
      kinds.set(`${o.metadata.namespace}/${o.metadata.name}`, kind);
  return {
    ...meshFromKialiGraph(g, namespaces, duration, kinds),
    kiali: {
      ...(status.namespace ? { namespace: status.namespace } : {}),
      ...(status.service ? { service: status.service } : {}),
      ...(status.version ? { version: status.version } : {}),
    },
  };
}
