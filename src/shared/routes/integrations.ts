// Routes over cluster integrations (Helm, Argo CD, KServe, GPUs, Kiali, MLflow, Feast), analyses (security, cost,
// drift, topology) and the AI assistant. Those the cluster data can answer are answered from it; the rest say why not.
import { z } from 'zod';
import { route } from '../route';
import { base, boolish, int, name, namespaceFilter, namespaceName, objectParams } from './params';
import type { ActionResult, DeleteResult, ResourceRow, UpdateResult } from './resources';
import type { CertificatesOverview } from '../certificates';
import type { MeshGraph } from '../meshGraph';

export interface HelmReleaseSummary {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart: string;
  chartVersion: string;
  appVersion: string;
  updated: string;
  description: string;
}

export interface HelmHook {
  name: string;
  kind: string;
  /** `pre-install`, `post-upgrade`, `pre-rollback`, `pre-delete`, `test`… */
  events: string[];
  weight: number;
  deletePolicies: string[];
  lastRun?: { phase: string; startedAt: string; completedAt: string };
}

export interface HelmRelease extends HelmReleaseSummary {
  firstDeployed: string;
  notes: string;
  /** The chart's default values (`helm show values`), credentials masked. */
  values: unknown;
  /** User-supplied values (`helm get values`), credentials masked. */
  config: unknown;
  /** The chart's values with the user's over them (`helm get values --all`), credentials masked. */
  computed: unknown;
  /** The rendered manifest, Secret values masked. */
  manifest: string;
  hooks: HelmHook[];
  /** The chart's Chart.yaml fields as stored (name, version, appVersion, description, home, sources, …). */
  chartMetadata: Record<string, unknown>;
  /** The newest revision of the release (this one may be older when a revision was asked for). */
  latestRevision: number;
}

/** One object a Helm rollback or uninstall touches, and what happens (or would happen) to it. */
export interface HelmObjectChange {
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  /**
   * `created`/`configured`/`unchanged`: applied from the target revision's manifest; `deleted`: removed (only in the
   * current manifest, or uninstalled); `kept`: annotated `helm.sh/resource-policy: keep`; `absent`: already gone;
   * `failed`: see error.
   */
  action: 'created' | 'configured' | 'unchanged' | 'deleted' | 'kept' | 'absent' | 'failed';
  /** Unified diff, live object vs. what the server stores (applied objects). */
  diff?: string;
  note?: string;
  error?: string;
}

/** What a native (no helm binary) rollback or uninstall did, or would do with dryRun. */
export interface HelmChangeResult {
  ok: true;
  message: string;
  dryRun: boolean;
  release: string;
  namespace: string;
  /** The release's revision before the change. */
  fromRevision: number;
  /** Rollback: the revision rolled back to. */
  targetRevision?: number;
  /** Rollback: the new revision written (or that would be). */
  newRevision?: number;
  objects: HelmObjectChange[];
  /** Hooks that apply to this action and were not run (`db-migrate (Job, pre-rollback)`). */
  hooksSkipped: string[];
  /** `[Kind] name` of objects left in place by `helm.sh/resource-policy: keep`. */
  kept: string[];
  /** Uninstall: whether the release records were kept (status uninstalled) or all deleted. */
  keptHistory?: boolean;
}

export interface HelmRevisionDiff {
  from: number;
  to: number;
  /** Unified diff of the user-supplied values (YAML, credentials masked). */
  values: string;
  /** Unified diff of the computed values. */
  computed: string;
  /** Unified diff of the rendered manifests (Secret values masked). */
  manifest: string;
  /** Other differences worth saying (chart version, app version), one line each. */
  summary: string[];
}

export interface HelmHistoryEntry {
  revision: number;
  updated: string;
  status: string;
  chart: string;
  app_version: string;
  description: string;
}

export interface ArgoApp {
  name: string;
  namespace: string;
  project: string;
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  destination: { server?: string; name?: string; namespace?: string };
  syncStatus: string;
  healthStatus: string;
  revision?: string;
  autoSync: boolean;
  operationPhase?: string;
  resources: Array<{
    group?: string;
    kind: string;
    namespace?: string;
    name: string;
    status?: string;
    health?: string;
  }>;
}

export interface InferenceServiceDto {
  name: string;
  namespace: string;
  modelFormat?: string;
  runtime?: string;
  storageUri?: string;
  url?: string;
  ready: boolean;
  conditions: Array<{ type: string; status: string; reason?: string; message?: string }>;
  modelState?: string;
  deploymentMode?: string;
}

export interface GpuNode {
  name: string;
  product?: string;
  family?: string;
  memoryMiB?: number;
  capacity: number;
  allocatable: number;
  allocated: number;
  sharing?: string;
  driverVersion?: string;
  cudaVersion?: string;
  migCapable: boolean;
  pods: Array<{ namespace: string; name: string; gpus: number }>;
}

export interface SecurityFinding {
  severity: 'critical' | 'high' | 'medium' | 'low';
  rule: string;
  title: string;
  namespace?: string;
  kind: string;
  name: string;
  container?: string;
  remediation: string;
}

export interface SecurityReport {
  score: number;
  summary: Record<'critical' | 'high' | 'medium' | 'low', number>;
  findings: SecurityFinding[];
  namespacesWithoutNetworkPolicy: string[];
  scanned: { pods: number; namespaces: number };
}

export interface GraphNode {
  id: string;
  kind: string;
  name: string;
  namespace?: string;
  status?: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: Array<{ source: string; target: string; type: 'owns' | 'selects' | 'routes' | 'runsOn' | 'mounts' }>;
}

export interface CostRow {
  namespace: string;
  cpuCores: number;
  memoryGiB: number;
  gpus: number;
  hourlyCost: number;
  monthlyCost: number;
  pods: number;
}

export interface CostReport {
  currency: 'USD';
  pricing: { cpuPerCoreHour: number; ramPerGiBHour: number; gpuPerHour: number; source: string };
  namespaces: CostRow[];
  total: { hourlyCost: number; monthlyCost: number };
}

export interface IntegrationStatus {
  installed: boolean;
  name: string;
  namespace?: string;
  service?: string;
  version?: string;
  message: string;
}

export interface AppCatalogEntry {
  name: string;
  title: string;
  category: string;
  description: string;
  chart: string;
  installed: boolean;
  namespace?: string;
  version?: string;
}

const ns = { ...base, namespace: namespaceFilter };
const relParams = z.object({ ...base, namespace: namespaceName, name });
const appParams = z.object({ ...base, namespace: namespaceName.optional(), name });
const customApp = z.object({
  ...base,
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/, 'must be a DNS label'),
  namespace: namespaceName,
  image: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[^\s]+$/, 'must be an image reference without spaces'),
  port: int(1, 65535).optional(),
  replicas: int(0, 100).optional(),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(32_768)).optional(),
  dryRun: boolish.optional(),
});
const none = z.object({});
/** The app path, an explicit upstream method and JSON body (for faces that only send params), the rest is the query. */
const proxy = z
  .object({
    ...base,
    path: z.string().max(2048).optional(),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
    body: z.unknown().optional(),
  })
  .catchall(
    z.union([
      z.string().max(8192),
      z.number(),
      z.boolean(),
      z.array(z.union([z.string().max(8192), z.number(), z.boolean()])).max(100),
    ]),
  );
const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, 'must be a Kubernetes quantity (e.g. 500m, 4, 16Gi)');
const mlJobCreate = z.object({
  ...base,
  namespace: namespaceName,
  name: z
    .string()
    .regex(/^[a-z]([-a-z0-9]{0,48}[a-z0-9])?$/, 'must be a DNS label starting with a letter (at most 50 characters)'),
  /** TrainJob (Kubeflow Trainer v2) or PyTorchJob (training-operator v1); default: whichever the cluster serves, TrainJob first. */
  kind: z.enum(['TrainJob', 'PyTorchJob']).optional(),
  image: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[^\s]+$/, 'must be an image reference without spaces'),
  command: z.array(z.string().max(4096)).max(64).optional(),
  args: z.array(z.string().max(4096)).max(256).optional(),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(32_768)).optional(),
  /** Nodes (pods) in total: PyTorchJob = 1 Master + (nodes-1) Workers; TrainJob numNodes. */
  nodes: int(1, 128).optional(),
  gpusPerNode: int(0, 16).optional(),
  cpu: quantity.optional(),
  memory: quantity.optional(),
  /** TrainJob: the (Cluster)TrainingRuntime to use (default torch-distributed). */
  runtime: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/)
    .optional(),
  restartPolicy: z.enum(['OnFailure', 'Never', 'Always', 'ExitCode']).optional(),
  backoffLimit: int(0, 100).optional(),
  activeDeadlineSeconds: int(1, 31_536_000).optional(),
  ttlSecondsAfterFinished: int(0, 31_536_000).optional(),
  /** Kueue LocalQueue (label kueue.x-k8s.io/queue-name). */
  queue: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)
    .optional(),
  dryRun: boolish.optional(),
});

export interface TrafficNode {
  id: string;
  namespace: string;
  workload?: string;
  app?: string;
  service?: string;
  version?: string;
  /** Requests per second in and out. */
  requestsIn: number;
  requestsOut: number;
  /** Outside the asked namespaces (an ingress gateway, a caller elsewhere). */
  outside: boolean;
}

export interface TrafficEdge {
  source: string;
  target: string;
  protocol: string;
  requestsPerSecond: number;
  errorsPerSecond: number;
  /** 0..1: 5xx (HTTP) or non-OK (gRPC) share. */
  errorRate: number;
  responseTimeMs?: number;
  mtls: boolean;
  health?: string;
}

export interface TrafficMetrics {
  source: 'kiali';
  namespaces: string[];
  duration: string;
  /** When Kiali computed the graph (ISO). */
  timestamp: string;
  nodes: TrafficNode[];
  edges: TrafficEdge[];
  totals: { requestsPerSecond: number; errorsPerSecond: number; errorRate: number };
}

export interface GpuMetricsReport {
  source: 'dcgm-exporter';
  scrapedAt: string;
  gpus: Array<{
    node: string;
    gpu: string;
    uuid?: string;
    device?: string;
    modelName?: string;
    pod?: { namespace: string; name: string; container?: string };
    utilizationPercent?: number;
    memoryUsedMiB?: number;
    memoryFreeMiB?: number;
    memoryTotalMiB?: number;
    temperatureC?: number;
    powerW?: number;
    smClockMHz?: number;
    xidErrors?: number;
  }>;
  nodes: Array<{
    node: string;
    gpus: number;
    busy: number;
    avgUtilizationPercent: number;
    memoryUsedMiB: number;
    memoryTotalMiB: number;
    powerW: number;
  }>;
  /** Exporter pods that could not be read, with why. */
  errors: Array<{ pod: string; node?: string; message: string }>;
}

export const INTEGRATION_ROUTES = {
  // Helm (release records in helm.sh/release.v1 secrets)
  'helm.releases': route<{ releases: HelmReleaseSummary[] }>()(
    'GET',
    '/api/plugins/helm/releases',
    'integrations',
    'List Helm releases',
    z.object(ns),
  ),
  'helm.release': route<HelmRelease>()(
    'GET',
    '/api/plugins/helm/release',
    'integrations',
    'Get release details (the newest revision, or the one asked for)',
    relParams.extend({ revision: int(1, 1_000_000).optional() }),
  ),
  'helm.history': route<{ history: HelmHistoryEntry[] }>()(
    'GET',
    '/api/plugins/helm/history',
    'integrations',
    'Get release history',
    relParams,
  ),
  'helm.rollback': route<HelmChangeResult>()(
    'POST',
    '/api/plugins/helm/rollback',
    'integrations',
    'Rollback release to a revision (default: the previous one) without the helm binary, recorded as Helm 3 does; dryRun previews each object',
    relParams.extend({ revision: int(1, 1_000_000).optional(), dryRun: boolish.optional() }),
    { role: 'operator' },
  ),
  'helm.uninstall': route<HelmChangeResult>()(
    'POST',
    '/api/plugins/helm/uninstall',
    'integrations',
    "Uninstall a release without the helm binary (Helm's delete order, resource-policy keep honoured); keepHistory keeps its records; dryRun lists what would go",
    relParams.extend({ keepHistory: boolish.optional(), dryRun: boolish.optional() }),
    { role: 'operator' },
  ),
  'helm.diff': route<HelmRevisionDiff>()(
    'GET',
    '/api/plugins/helm/diff',
    'integrations',
    'Diff two revisions of a release: values and rendered manifest',
    relParams.extend({ from: int(1, 1_000_000), to: int(1, 1_000_000) }),
  ),
  // Argo CD (Application objects)
  'argocd.apps': route<{ apps: ArgoApp[] }>()(
    'GET',
    '/api/plugins/argocd/apps',
    'integrations',
    'List ArgoCD apps',
    z.object(ns),
  ),
  'argocd.app': route<ArgoApp & { object: unknown }>()(
    'GET',
    '/api/plugins/argocd/app',
    'integrations',
    'Get app details',
    appParams,
  ),
  'argocd.sync': route<ActionResult>()(
    'POST',
    '/api/plugins/argocd/sync',
    'integrations',
    'Sync app (sets the operation field like the Argo CD API does)',
    appParams.extend({
      revision: z.string().max(256).optional(),
      prune: boolish.optional(),
      dryRun: boolish.optional(),
    }),
  ),
  'argocd.refresh': route<ActionResult>()(
    'POST',
    '/api/plugins/argocd/refresh',
    'integrations',
    'Refresh app',
    appParams.extend({ hard: boolish.optional() }),
  ),
  'plugins.list': route<{ plugins: Array<{ name: string; enabled: boolean; detected: boolean; message: string }> }>()(
    'GET',
    '/api/plugins/list',
    'integrations',
    'List plugins and whether the cluster has them',
    z.object({ ...base }),
  ),
  'plugins.install': route<ActionResult>()(
    'POST',
    '/api/plugins/install',
    'integrations',
    'Install a plugin into the cluster',
    z.object({ ...base, name: z.string().max(63).optional() }),
    { role: 'admin' },
  ),
  'plugins.enable': route<ActionResult>()(
    'POST',
    '/api/plugins/enable',
    'integrations',
    'Enable or disable a plugin in this workbench',
    z.object({ name: z.string().regex(/^[a-z0-9-]{1,63}$/), enabled: boolish.optional() }),
    { role: 'admin' },
  ),
  // KServe
  'inference.list': route<{ services: InferenceServiceDto[] }>()(
    'GET',
    '/api/inference/list',
    'integrations',
    'List inference services',
    z.object(ns),
  ),
  'inference.get': route<InferenceServiceDto & { object: unknown; pods: ResourceRow[] }>()(
    'GET',
    '/api/inference/get',
    'integrations',
    'Get inference details',
    relParams,
  ),
  'inference.create': route<UpdateResult>()(
    'POST',
    '/api/inference/create',
    'integrations',
    'Create inference service',
    relParams.extend({
      modelFormat: z.string().regex(/^[a-z0-9-]{1,63}$/),
      storageUri: z.string().min(1).max(2048),
      runtime: z.string().max(253).optional(),
      dryRun: boolish.optional(),
    }),
  ),
  'inference.delete': route<DeleteResult>()(
    'DELETE',
    '/api/inference/delete',
    'integrations',
    'Delete inference service',
    relParams.extend({ dryRun: boolish.optional() }),
  ),
  'inference.test': route<{ protocol: 'v1' | 'v2'; path: string; status: number; body: unknown; latencyMs: number }>()(
    'POST',
    '/api/inference/test',
    'integrations',
    'Test inference endpoint (V1 :predict or V2 /infer through the API server service proxy)',
    relParams.extend({ input: z.unknown().optional(), protocol: z.enum(['v1', 'v2']).optional() }),
  ),
  // ML jobs
  'ml.jobs.list': route<{ jobs: unknown[] }>()(
    'GET',
    '/api/ml/jobs/list',
    'integrations',
    'List ML jobs',
    z.object(ns),
  ),
  'ml.jobs.get': route<unknown>()('GET', '/api/ml/jobs/get', 'integrations', 'Get ML job details', relParams),
  'ml.jobs.create': route<UpdateResult & { kind: string }>()(
    'POST',
    '/api/ml/jobs/create',
    'integrations',
    'Create ML job (Kubeflow TrainJob or PyTorchJob; server-side dry run first)',
    mlJobCreate,
  ),
  'ml.jobs.delete': route<unknown>()('DELETE', '/api/ml/jobs/delete', 'integrations', 'Delete ML job', relParams),
  'ml.jobs.logs': route<unknown>()('GET', '/api/ml/jobs/logs', 'integrations', 'Get job logs', relParams),
  'ml.jobs.logsWs': route<never>()(
    'WS',
    '/api/ml/jobs/logs/ws',
    'integrations',
    'Stream job logs',
    relParams.extend({ tailLines: int(0, 10_000).optional() }),
    { role: 'viewer' },
  ),
  // GPUs
  'gpu.status': route<{
    available: boolean;
    nodes: number;
    totalGpus: number;
    allocatedGpus: number;
    devicePlugin: boolean;
    dcgmExporter: boolean;
    message: string;
  }>()('GET', '/api/gpu/status', 'integrations', 'Get GPU status', z.object({ ...base })),
  'gpu.nodes': route<{ nodes: GpuNode[] }>()(
    'GET',
    '/api/gpu/nodes',
    'integrations',
    'List GPU nodes',
    z.object({ ...base }),
  ),
  'gpu.metrics': route<GpuMetricsReport>()(
    'GET',
    '/api/gpu/metrics',
    'integrations',
    'Get GPU metrics (DCGM exporter, read through the API server pod proxy)',
    z.object({ ...base }),
  ),
  'gpu.install': route<ActionResult>()(
    'POST',
    '/api/gpu/install',
    'integrations',
    'Install GPU support',
    z.object({ ...base }),
    { role: 'admin' },
  ),
  // Kiali, MLflow, Feast
  'kiali.status': route<IntegrationStatus>()(
    'GET',
    '/api/integrations/kiali/status',
    'integrations',
    'Check Kiali status',
    z.object({ ...base }),
  ),
  'kiali.install': route<ActionResult>()(
    'POST',
    '/api/integrations/kiali/install',
    'integrations',
    'Install Kiali',
    z.object({ ...base }),
    { role: 'admin' },
  ),
  'kiali.proxy': route<unknown>()('ANY', '/api/kiali/proxy/*', 'integrations', 'Proxy Kiali API', proxy, {
    shape: 'raw',
  }),
  'kiali.graph': route<MeshGraph>()(
    'GET',
    '/api/kiali/graph',
    'integrations',
    "The service mesh graph of the namespaces (Kiali's workload graph) with health per workload and edge",
    z.object({
      ...ns,
      duration: z
        .string()
        .regex(/^[1-9][0-9]{0,4}[smhd]$/, 'must be a duration like 10m, 1h')
        .optional(),
    }),
  ),
  // Certificates: cert-manager and kubernetes.io/tls Secrets
  'certificates.overview': route<CertificatesOverview>()(
    'GET',
    '/api/certificates/overview',
    'integrations',
    "cert-manager Certificates with expiry and renewal, and every kubernetes.io/tls Secret's certificate",
    z.object(ns),
  ),
  'certificate.renew': route<ActionResult>()(
    'POST',
    '/api/certificate/renew',
    'integrations',
    'Renew a cert-manager Certificate now (as `cmctl renew`: sets its Issuing condition)',
    z.object({ ...base, namespace: namespaceName, name }),
  ),
  'mlflow.status': route<IntegrationStatus>()(
    'GET',
    '/api/mlflow/status',
    'integrations',
    'Check MLflow status',
    z.object({ ...base }),
  ),
  'mlflow.install': route<ActionResult>()(
    'POST',
    '/api/mlflow/install',
    'integrations',
    'Install MLflow',
    z.object({ ...base }),
    { role: 'admin' },
  ),
  'mlflow.proxy': route<unknown>()('ANY', '/api/mlflow/proxy/*', 'integrations', 'Proxy MLflow API', proxy, {
    shape: 'raw',
  }),
  'feast.status': route<IntegrationStatus>()(
    'GET',
    '/api/feast/status',
    'integrations',
    'Check Feast status',
    z.object({ ...base }),
  ),
  'feast.install': route<ActionResult>()(
    'POST',
    '/api/feast/install',
    'integrations',
    'Install Feast',
    z.object({ ...base }),
    { role: 'admin' },
  ),
  // Apps
  'apps.list': route<{ apps: AppCatalogEntry[] }>()(
    'GET',
    '/api/apps',
    'integrations',
    'List available apps (with whether each is installed)',
    z.object({ ...base }),
  ),
  'apps.installed': route<{ apps: HelmReleaseSummary[] }>()(
    'GET',
    '/api/apps/installed',
    'integrations',
    'List installed apps (deployed Helm releases)',
    z.object(ns),
  ),
  'apps.install': route<ActionResult>()(
    'POST',
    '/api/apps/install',
    'integrations',
    'Install app',
    z.object({ ...base, name: z.string().max(63).optional(), namespace: namespaceName.optional() }),
    { role: 'admin' },
  ),
  'apps.uninstall': route<ActionResult>()(
    'POST',
    '/api/apps/uninstall',
    'integrations',
    'Uninstall app',
    z.object({ ...base, name: z.string().max(63).optional(), namespace: namespaceName.optional() }),
    { role: 'admin' },
  ),
  'customApps.preview': route<{ yaml: string; objects: number }>()(
    'POST',
    '/api/custom-apps/preview',
    'kube',
    'Preview custom app (Deployment + Service YAML)',
    customApp,
    { role: 'viewer' },
  ),
  'customApps.deploy': route<{ applied: boolean; objects: string[] }>()(
    'POST',
    '/api/custom-apps/deploy',
    'kube',
    'Deploy custom app (server-side dry run first)',
    customApp,
  ),
  'customApps.list': route<{
    apps: Array<{ name: string; namespace: string; image: string; replicas: number; ready: number }>;
  }>()('GET', '/api/custom-apps/list', 'kube', 'List custom apps', z.object(ns)),
  'customApps.delete': route<DeleteResult>()(
    'DELETE',
    '/api/custom-apps/delete',
    'kube',
    'Delete custom app (its Deployment and Service)',
    objectParams.extend({ namespace: namespaceName, dryRun: boolish.optional() }),
  ),
  // Analyses
  security: route<SecurityReport>()(
    'GET',
    '/api/security',
    'kube',
    'Perform security analysis of pod specs, RBAC and network policies',
    z.object(ns),
  ),
  'cost.analysis': route<CostReport>()(
    'GET',
    '/api/cost/analysis',
    'kube',
    'Cost breakdown from resource requests at OpenCost default prices',
    z.object(ns),
  ),
  'drift.analysis': route<{ drifted: ArgoApp[]; total: number; message: string }>()(
    'GET',
    '/api/drift/analysis',
    'integrations',
    'Drift analysis (Argo CD applications out of sync with Git)',
    z.object(ns),
  ),
  topology: route<Graph>()(
    'GET',
    '/api/topology',
    'kube',
    'Cluster topology (nodes, workloads, pods, services, ingresses)',
    z.object(ns),
  ),
  resourcemap: route<Graph>()(
    'GET',
    '/api/resourcemap',
    'kube',
    'Resource relationship map of a namespace',
    z.object(ns),
  ),
  'continuity.summary': route<unknown>()(
    'GET',
    '/api/continuity/summary',
    'integrations',
    'Business continuity summary (backups, PDB coverage, replica spread)',
    z.object(ns),
  ),
  'traffic.metrics': route<TrafficMetrics>()(
    'GET',
    '/api/traffic/metrics',
    'integrations',
    'Get traffic metrics (service mesh, from the Kiali graph API)',
    z.object({
      ...ns,
      duration: z
        .string()
        .regex(/^[1-9][0-9]{0,4}[smhd]$/, 'must be a duration like 10m, 1h')
        .optional(),
    }),
  ),
  // AI assistant
  'ai.chat': route<import('../ai').AiChatResult>()(
    'POST',
    '/api/ai/chat',
    'ai',
    'Send message to AI (read-only cluster tools; conversationId continues a conversation)',
    z.object({
      ...base,
      message: z.string().trim().min(1, 'message is empty').max(32_768),
      conversationId: z
        .string()
        .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a conversation id from an earlier answer')
        .optional(),
      namespace: namespaceFilter,
      provider: z.string().max(64).optional(),
    }),
    { role: 'viewer', timeoutMs: 180_000 },
  ),
  'ai.providers': route<import('../ai').AiProvidersResult>()(
    'GET',
    '/api/ai/providers',
    'ai',
    'List available providers (API keys never returned: hasKey and a hint)',
    none,
  ),
  'ai.test': route<import('../ai').AiTestResult>()(
    'POST',
    '/api/ai/providers/test',
    'ai',
    'Test a provider connection with the given settings (the saved key when apiKey is absent); saves nothing',
    z.object({
      provider: z.string().max(64),
      model: z.string().trim().max(256).optional(),
      baseUrl: z.string().trim().max(2048).optional(),
      apiKey: z.string().max(4096).optional(),
    }),
    { timeoutMs: 45_000 },
  ),
  'ai.configure': route<import('../ai').AiProvidersResult>()(
    'POST',
    '/api/ai/providers/configure',
    'ai',
    'Configure provider (provider, model, baseUrl, apiKey; clearKey drops the key; activate defaults to true)',
    z.object({
      provider: z.string().max(64),
      model: z.string().trim().max(256).optional(),
      baseUrl: z.string().trim().max(2048).optional(),
      apiKey: z.string().max(4096).optional(),
      clearKey: boolish.optional(),
      activate: boolish.optional(),
    }),
    { role: 'admin' },
  ),
} as const;
