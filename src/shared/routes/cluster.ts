// Cluster routes that are not per-kind: contexts and clusters, status, capabilities, cache stats, events,
// namespaces, nodes, pod logs/exec, port-forwards, custom resources, and the kube WebSockets.
import { z } from 'zod';
import type { ContextInfo, DrainResult, KindDto, PortForwardDto, ConnectionState, CacheStatus } from '../kube';
import { route } from '../route';
import {
  base,
  boolish,
  contextName,
  int,
  listParams,
  name,
  namespaceFilter,
  namespaceName,
  objectParams,
  updateParams,
  deleteParams,
  yamlParams,
} from './params';
import type {
  ActionResult,
  DeleteResult,
  DescribeResult,
  EventRow,
  ResourceDetails,
  ResourceList,
  UpdateResult,
  YamlResult,
} from './resources';

// ---------- results ----------

export interface ContextsResult {
  contexts: ContextInfo[];
  current: string;
}

export interface ClusterEntry {
  name: string;
  contextName: string;
  isActive: boolean;
  isReachable: boolean;
  kubeconfigPath: string;
  server: string;
  state: ConnectionState['state'];
  error: string | null;
}

export interface ClustersResult {
  clusters: ClusterEntry[];
  currentCluster: ClusterEntry | null;
}

export interface ClusterHealth {
  contextName: string;
  healthy: boolean;
  state: ConnectionState;
  serverVersion?: string;
  nodeCount?: number;
  namespaceCount?: number;
}

export interface StatusResult {
  connected: boolean;
  clusterName: string;
  context: string;
  connection: ConnectionState;
  version: string;
  kubeVersion?: string;
  nodeCount?: number;
  namespaceCount?: number;
  /** The cluster is the built-in simulator (demo mode). */
  demo: boolean;
  message?: string;
}

export interface CapabilitiesResult {
  context: string;
  kinds: KindDto[];
  /**
   * Which engines and features answer on this server for this context: `incidents`, `metrics` (their engines run
   * here), `helm` (a helm binary is on PATH: installing and upgrading charts), `helmReleases` (reading, rolling back
   * and uninstalling releases, which need no binary), `argocd`, `certManager`, `kserve`, `kubeflow` (the CRDs are
   * served and the plugin is on), `metricsApi` (metrics.k8s.io answers). Internet access is not a feature: see
   * `network`.
   */
  features: Record<string, boolean>;
  /** The engines of this process and what each is doing for this context. */
  engines: {
    incidents: { running: boolean; watching: boolean };
    metrics: { running: boolean; sampling: boolean; metricsApi: boolean };
  };
  /** Programs on the machine running KubeGraf that some actions need. */
  tools: { helm: { available: boolean; version?: string; message: string } };
  /** Internet access is never probed (`unknown`); what needs it says so when it fails. */
  network: { internet: 'unknown'; message: string };
  /** CRD-backed integrations this context serves, by plugin name (argocd, cert-manager, kserve, kubeflow). */
  integrations: Record<string, boolean>;
  /** Every plugin of this workbench: on or off. */
  plugins: Record<string, boolean>;
  /** `kind -> verb -> allowed` for the kinds asked for (`kinds=pods,deployments`), from SelfSubjectAccessReviews. */
  access?: Record<string, Record<string, boolean>>;
}

export interface CacheStatsResult {
  context: string;
  caches: Array<{ kind: string; namespace?: string; refs: number; objects: number; status: CacheStatus }>;
  totalObjects: number;
}

export interface EventsResult {
  events: EventRow[];
  total: number;
}

export interface EventGroup {
  key: string;
  type: string;
  reason: string;
  object: EventRow['object'];
  message: string;
  count: number;
  events: number;
  firstSeen?: string;
  lastSeen?: string;
}

export interface EventStats {
  total: number;
  byType: Record<string, number>;
  byReason: Record<string, number>;
  byNamespace: Record<string, number>;
  byKind: Record<string, number>;
}

export interface LogLineDto {
  pod: string;
  container: string;
  time?: string;
  text: string;
}

export interface PodLogsResult {
  namespace: string;
  name: string;
  container?: string;
  lines: LogLineDto[];
  /** The lines joined, as `kubectl logs` prints them. */
  logs: string;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  truncated: boolean;
}

export interface CrdSummary {
  /** `plural.group`: the `{crd}` path segment. */
  name: string;
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: 'Namespaced' | 'Cluster';
  shortNames: string[];
}

// ---------- params ----------

const eventParams = z.object({
  ...base,
  namespace: namespaceFilter,
  type: z.enum(['Normal', 'Warning']).optional(),
  kind: z.string().max(63).optional(),
  name: name.optional(),
  limit: int(1, 10_000).optional(),
});

const logParams = objectParams.extend({
  namespace: namespaceName,
  container: z.string().max(253).optional(),
  tailLines: int(0, 100_000).optional(),
  sinceSeconds: int(1, 31_536_000).optional(),
  previous: boolish.optional(),
  timestamps: boolish.optional(),
  follow: boolish.optional(),
  limitBytes: int(1, 50_000_000).optional(),
});

const execParams = objectParams.extend({
  namespace: namespaceName,
  container: z.string().max(253).optional(),
  /** argv (no shell); a string is split on whitespace. */
  command: z.union([z.array(z.string().max(4096)).min(1).max(256), z.string().min(1).max(8192)]),
  stdin: z.string().max(1_048_576).optional(),
  timeoutSeconds: int(1, 300).optional(),
});

const crdSeg = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/,
    'must be a CRD name like certificates.cert-manager.io',
  );

export const CLUSTER_ROUTES = {
  // contexts and clusters
  'contexts.list': route<ContextsResult>()('GET', '/api/contexts', 'kube', 'List available contexts', z.object({})),
  'contexts.current': route<{ name: string; context: ContextInfo | null }>()(
    'GET',
    '/api/contexts/current',
    'kube',
    'Get current context',
    z.object({}),
  ),
  'contexts.switch': route<ContextInfo>()(
    'POST',
    '/api/contexts/switch',
    'kube',
    'Switch context',
    z
      .object({ context: contextName, name: contextName })
      .refine((p) => p.context || p.name, 'give the context to switch to (context)'),
    { role: 'admin' },
  ),
  'clusters.list': route<ClustersResult>()(
    'GET',
    '/api/v2/clusters',
    'kube',
    'List all kubeconfig clusters',
    z.object({}),
  ),
  'clusters.health': route<ClusterHealth>()(
    'GET',
    '/api/v2/clusters/health',
    'kube',
    'Check cluster health (probes the context)',
    z.object({ context: contextName, contextName: contextName }),
  ),
  'clusters.refresh': route<ClustersResult>()(
    'GET',
    '/api/v2/clusters/refresh',
    'kube',
    'Re-read kubeconfig files and re-probe every context',
    z.object({}),
  ),
  'clusters.switch': route<{ success: boolean; cluster: ClusterEntry }>()(
    'POST',
    '/api/v2/clusters/switch',
    'kube',
    'Switch to different cluster',
    z
      .object({ contextName: contextName, context: contextName, name: contextName })
      .refine((p) => p.contextName || p.context || p.name, 'give the context to switch to (contextName)'),
    { role: 'admin' },
  ),
  // status
  status: route<StatusResult>()('GET', '/api/status', 'kube', 'Get connection status', z.object({ ...base })),
  capabilities: route<CapabilitiesResult>()(
    'GET',
    '/api/capabilities',
    'kube',
    'Get system capabilities (kinds, features, access for ?kinds=)',
    z.object({ ...base, namespace: namespaceFilter, kinds: z.string().max(1024).optional() }),
  ),
  'cache.stats': route<CacheStatsResult>()(
    'GET',
    '/api/cache/stats',
    'kube',
    'Get cache statistics',
    z.object({ ...base }),
  ),
  // events
  'events.list': route<EventsResult>()('GET', '/api/events', 'kube', 'Get cluster events, newest first', eventParams),
  'events.grouped': route<{ groups: EventGroup[] }>()(
    'GET',
    '/api/event-grouped',
    'kube',
    'Get events grouped by object and reason',
    eventParams,
  ),
  'events.stats': route<EventStats>()('GET', '/api/event-stats', 'kube', 'Get event statistics', eventParams),
  'events.errors': route<EventsResult>()(
    'GET',
    '/api/event-log/errors',
    'kube',
    'Get Warning events (errors), newest first',
    eventParams,
  ),
  'events.monitored': route<EventsResult>()(
    'GET',
    '/api/event-monitored',
    'kube',
    'Get events of monitored reasons (crashes, OOM, scheduling, probes, node problems)',
    eventParams,
  ),
  // namespaces and nodes
  'namespace.create': route<ActionResult>()(
    'POST',
    '/api/namespace/create',
    'kube',
    'Create a namespace',
    z.object({ ...base, name: namespaceName, labels: z.record(z.string().max(317), z.string().max(63)).optional() }),
  ),
  'node.cordon': route<ActionResult>()(
    'POST',
    '/api/node/cordon',
    'kube',
    'Cordon (or with unschedulable=false, uncordon) a node',
    objectParams.extend({ unschedulable: boolish.optional() }),
  ),
  'node.drain': route<DrainResult & { ok: boolean }>()(
    'POST',
    '/api/node/drain',
    'kube',
    'Drain a node (cordon, then evict through the eviction API honouring PDBs)',
    objectParams.extend({
      force: boolish.optional(),
      ignoreDaemonSets: boolish.optional(),
      deleteEmptyDirData: boolish.optional(),
      timeoutSeconds: int(0, 600).optional(),
      gracePeriodSeconds: int(0, 3600).optional(),
    }),
  ),
  // pods
  'pod.logs': route<PodLogsResult>()(
    'GET',
    '/api/pod/logs',
    'kube',
    'Get pod logs (follow=true streams NDJSON lines)',
    logParams,
    { shape: 'stream', streamParam: 'follow' },
  ),
  'pod.exec': route<ExecResult>()(
    'POST',
    '/api/pod/exec',
    'kube',
    'Execute command in pod (argv, no shell)',
    execParams,
    { role: 'admin' },
  ),
  'pod.terminal': route<never>()(
    'WS',
    '/api/pod/terminal',
    'kube',
    'Interactive terminal',
    z
      .object({
        ...base,
        namespace: namespaceName,
        pod: name.optional(),
        name: name.optional(),
        container: z.string().max(253).optional(),
        shell: z
          .string()
          .max(64)
          .regex(/^[A-Za-z0-9/._-]+$/)
          .optional(),
        cols: int(1, 1000).optional(),
        rows: int(1, 1000).optional(),
      })
      .refine((p) => p.pod || p.name, 'give the pod (pod=NAME)'),
    { role: 'admin' },
  ),
  // port-forwards
  'portforward.list': route<{ forwards: PortForwardDto[] }>()(
    'GET',
    '/api/portforward/list',
    'kube',
    'List active forwards',
    z.object({ ...base }),
  ),
  'portforward.start': route<PortForwardDto>()(
    'POST',
    '/api/portforward/start',
    'kube',
    'Start port forward to a pod, service or workload',
    objectParams
      .extend({
        namespace: namespaceName,
        kind: z.enum(['pod', 'service', 'deployment', 'statefulset', 'pods', 'services', 'deployments']).optional(),
        port: int(1, 65535).optional(),
        remotePort: int(1, 65535).optional(),
        localPort: int(0, 65535).optional(),
      })
      .refine((p) => p.port || p.remotePort, 'give the remote port (port)'),
  ),
  'portforward.stop': route<ActionResult>()(
    'POST',
    '/api/portforward/stop',
    'kube',
    'Stop port forward',
    z.object({ ...base, id: z.string().regex(/^pf-\d{1,9}$/, 'must be a port-forward id like pf-1') }),
  ),
  // custom resources
  'crds.list': route<{ crds: CrdSummary[] }>()(
    'GET',
    '/api/custom-resources',
    'kube',
    'List CRDs',
    z.object({ ...base }),
  ),
  'crds.instances': route<ResourceList>()(
    'GET',
    '/api/custom-resources/{crd}/instances',
    'kube',
    'List CRD instances',
    listParams.extend({ crd: crdSeg }),
  ),
  'crds.details': route<ResourceDetails>()(
    'GET',
    '/api/custom-resources/{crd}/{name}',
    'kube',
    'Get instance details',
    yamlParams.extend({ crd: crdSeg }),
  ),
  'crds.yaml': route<YamlResult>()(
    'GET',
    '/api/custom-resources/{crd}/{name}/yaml',
    'kube',
    'Get instance YAML',
    yamlParams.extend({ crd: crdSeg }),
  ),
  'crds.describe': route<DescribeResult>()(
    'GET',
    '/api/custom-resources/{crd}/{name}/describe',
    'kube',
    'Describe instance',
    objectParams.extend({ crd: crdSeg }),
  ),
  'crds.update': route<UpdateResult>()(
    'POST',
    '/api/custom-resources/{crd}/{name}/update',
    'kube',
    'Update instance (server-side dry run first)',
    updateParams.extend({ crd: crdSeg }),
  ),
  'crds.delete': route<DeleteResult>()(
    'DELETE',
    '/api/custom-resources/{crd}/{name}/delete',
    'kube',
    'Delete instance',
    deleteParams.extend({ crd: crdSeg }),
  ),
  // live updates
  ws: route<never>()(
    'WS',
    '/ws',
    'kube',
    'Real-time cluster updates (subscribe per kind/namespace; snapshot then changes; connection state)',
    z.object({ ...base }),
    { role: 'viewer' },
  ),
} as const;
