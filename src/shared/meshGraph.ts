// The service mesh graph of the Kiali page: Kiali's namespace graph (workload nodes, traffic edges) with a health
// per node and edge, judged the way Kiali's defaults judge it (any HTTP 5xx or gRPC error: degraded; more than 10%:
// failure; a workload with fewer available pods than desired: degraded, none available: failure).

export type MeshHealth = 'healthy' | 'degraded' | 'failure' | 'idle' | 'unknown';

/** Kiali's default tolerance for application errors (health_config.rate, code ^5\d\d$ / grpc 1-16), in percent. */
export const MESH_FAILURE_ERROR_PERCENT = 10;

export interface MeshNode {
  id: string;
  namespace: string;
  /** Workload (or app, or service) name as the graph type names nodes. */
  name: string;
  /** Kiali's nodeType: workload, app, service, unknown. */
  nodeType: string;
  /** The Kubernetes kind of the workload when the cluster has it: Deployment, StatefulSet, DaemonSet… */
  kind?: string;
  app?: string;
  version?: string;
  /** The Service that selects this workload, when one does. */
  service?: string;
  /** Outside the asked namespaces (an ingress gateway, a caller or callee elsewhere). */
  outside: boolean;
  /** Where traffic enters the graph (an ingress gateway). */
  root: boolean;
  /** No traffic in or out during the window. */
  idle: boolean;
  health: MeshHealth;
  /** Why the health is what it is, in words ("2 of 3 pods available", "25% of inbound requests fail"). */
  healthReasons: string[];
  replicas?: { desired: number; available: number };
  /** Requests per second in and out. */
  requestsIn: number;
  requestsOut: number;
  /** 0..1 of inbound requests that failed. */
  errorRateIn: number;
}

export interface MeshEdge {
  id: string;
  source: string;
  target: string;
  protocol: string;
  requestsPerSecond: number;
  errorsPerSecond: number;
  /** 0..1 */
  errorRate: number;
  responseTimeMs?: number;
  mtls: boolean;
  health: MeshHealth;
  /** Response codes and their share in percent: `{ "200": 96, "500": 4 }`. */
  responses: Record<string, number>;
}

export interface MeshGraph {
  namespaces: string[];
  duration: string;
  /** When Kiali computed the graph (ISO). */
  timestamp: string;
  /** Where Kiali runs and its version. */
  kiali: { namespace?: string; service?: string; version?: string };
  nodes: MeshNode[];
  edges: MeshEdge[];
}
