// Kiali: the service mesh's traffic graph (Istio telemetry) read through Kiali's API and turned into request rates per
// workload and per edge.
import type { TrafficEdge, TrafficMetrics, TrafficNode } from '../../shared/routes/integrations';
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
}
interface KialiEdgeData {
  id: string;
  source: string;
  target: string;
  traffic?: { protocol?: string; rates?: Record<string, string> };
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

/** Request rates of the asked namespaces (all but kube-* by default) over `duration`, from Kiali's workload graph. */
export async function trafficMetrics(deps: ApiDeps, p: Params<'traffic.metrics'>): Promise<TrafficMetrics> {
  const k = await serviceStatus(deps, p.context, 'kiali');
  if (!k.installed)
    throw notInstalled(
      'traffic metrics come from a service mesh (Istio + Kiali), which is not installed in this cluster',
    );
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
  return trafficFromKialiGraph(g as KialiGraph, namespaces, duration);
}
