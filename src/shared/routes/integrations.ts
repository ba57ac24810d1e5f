// Routes over cluster integrations (Helm, Argo CD, KServe, GPUs, Kiali, MLflow, Feast), analyses (security, cost,
// drift, topology) and the AI assistant. Those the cluster data can answer are answered from it; the rest say why not.
import { z } from 'zod';
import { route } from '../route';
import { base, boolish, int, name, namespaceFilter, namespaceName, objectParams } from './params';
import type { ActionResult, DeleteResult, ResourceRow, UpdateResult } from './resources';
import type { CertificatesOverview } from '../certificates';
import type { MeshGraph } from '../meshGraph';
import { DRIFT_SOURCES, type DriftDiff, type DriftReport } from '../drift';
import type { CostAnalysis, PriceOverride } from '../cost';
import type { ContinuitySummary } from '../continuity';
import type { Finding } from '../insights';
import type { PssNamespace, RbacSummary, SecurityCheckInfo, WhoCanResult } from '../security';

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
  /** Why the app is not Healthy (the worst resource's message), when Argo CD says. */
  healthMessage?: string;
  /** The commit the live state was compared with (status.sync.revision). */
  revision?: string;
  autoSync: boolean;
  /** automated.prune / automated.selfHeal of the sync policy. */
  autoPrune?: boolean;
  selfHeal?: boolean;
  operationPhase?: string;
  /** An operation was requested and the controller has not finished it (the `operation` field is set). */
  operationPending?: boolean;
  /** The last (or running) operation, without its per-resource results. */
  lastOperation?: ArgoOperationSummary;
  /** A refresh asked for with the annotation and not yet done by the controller. */
  refreshing?: 'normal' | 'hard';
  reconciledAt?: string;
  createdAt?: string;
  conditions: Array<{ type: string; message: string }>;
  resources: Array<{
    group?: string;
    kind: string;
    namespace?: string;
    name: string;
    status?: string;
    health?: string;
    requiresPruning?: boolean;
  }>;
}

export interface ArgoOperationSummary {
  phase: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The revision synced to. */
  revision?: string;
  dryRun: boolean;
  prune: boolean;
  /** Rollback to a history entry (sync strategy `apply`, as `argocd app rollback` requests it). */
  rollback: boolean;
  /** `admin`, or `automated` for auto-sync. */
  initiatedBy?: string;
}

export interface ArgoSyncResultResource {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Synced | SyncFailed | Pruned | PruneSkipped */
  status?: string;
  message?: string;
  syncPhase?: string;
  hookPhase?: string;
}

export interface ArgoOperation extends ArgoOperationSummary {
  resources: ArgoSyncResultResource[];
}

/** One node of an application's resource tree: a managed resource, or an object it owns (ReplicaSet, Pod…). */
export interface ArgoTreeNode {
  /** `group/Kind/namespace/name`, unique in the tree. */
  id: string;
  parentId?: string;
  depth: number;
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Managed resources only: Synced / OutOfSync. */
  syncStatus?: string;
  requiresPruning?: boolean;
  health?: { status: string; message?: string };
  /** Short facts the Argo CD UI prints on a node: "rev:2", "Running", "3/3", an image. */
  info: string[];
  createdAt?: string;
  /** In Git but not in the cluster. */
  missing?: boolean;
  managed: boolean;
}

export interface ArgoHistoryEntry {
  id: number;
  revision: string;
  deployedAt?: string;
  deployStartedAt?: string;
  initiatedBy?: string;
  source?: { repoURL?: string; path?: string; targetRevision?: string };
  /** The entry the cluster runs now (the newest). */
  current: boolean;
  /** The commit, as argocd-server's revision metadata tells (absent when its API is out of reach). */
  commit?: { author?: string; date?: string; message?: string; tags?: string[] };
}

export interface ArgoAppDetails extends ArgoApp {
  object: unknown;
  tree: ArgoTreeNode[];
  history: ArgoHistoryEntry[];
  operation?: ArgoOperation;
  /** Why history entries carry no commit details, when argocd-server could not be asked. */
  commitNote?: string;
}

/** Desired (Git) vs live for one resource, as the Argo CD UI's DIFF tab shows it. */
export interface ArgoResourceDiff {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Synced / OutOfSync. */
  status: string;
  requiresPruning: boolean;
  /** Unified diff, live (---) to desired (+++); empty when they agree. */
  diff: string;
  inGit: boolean;
  inCluster: boolean;
}

export interface ArgoDiffResult {
  app: string;
  revision?: string;
  resources: ArgoResourceDiff[];
}

export interface InferenceServiceDto {
  name: string;
  namespace: string;
  modelFormat?: string;
  runtime?: string;
  storageUri?: string;
  url?: string;
  ready: boolean;
  conditions: Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }>;
  modelState?: string;
  deploymentMode?: string;
  createdAt?: string;
  /** The cluster-local address of the predictor (`status.address.url`). */
  address?: string;
  /** The protocol the model declares (`v1`, `v2`, `grpc-v2`); undefined means the runtime's default (V1). */
  protocolVersion?: string;
  /** Why it is not ready, in KServe's words (a failed model load or the first false condition). */
  problem?: string;
}

/** Training job kinds KubeGraf creates: batch/v1 Jobs always, the Kubeflow kinds when their CRDs are served. */
export const ML_JOB_KINDS = ['TrainJob', 'PyTorchJob', 'Job'] as const;
export type MlJobKind = (typeof ML_JOB_KINDS)[number];
/** Every kind the Training Jobs page lists (the Kubeflow training operator's other kinds are listed, not created). */
export const ML_LISTED_KINDS = ['TrainJob', 'PyTorchJob', 'Job', 'TFJob', 'MPIJob', 'XGBoostJob', 'JAXJob'] as const;

export interface MlJobSummary {
  kind: (typeof ML_LISTED_KINDS)[number];
  name: string;
  namespace: string;
  createdAt?: string;
  /** One word for the whole job, from its conditions and pod counts. */
  status: 'Pending' | 'Running' | 'Restarting' | 'Succeeded' | 'Failed' | 'Suspended';
  /** The newest condition's message, when there is one. */
  message?: string;
  /** When it started running (`status.startTime`, else its creation) and when it ended. */
  startTime?: string;
  completionTime?: string;
  image?: string;
  /** Pods it runs at once (replicas, numNodes or parallelism) and the GPUs they ask for in total. */
  nodes: number;
  gpus: number;
  pods: { active: number; succeeded: number; failed: number };
  conditions: Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }>;
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
  /** The cluster's (or the namespace's) score, 0–100: the passed share of the weighted checks. */
  score: number;
  summary: Record<'critical' | 'high' | 'medium' | 'low', number>;
  /** The findings in the reference design's shape; empty when asked with `legacyFindings=false`. */
  findings: SecurityFinding[];
  namespacesWithoutNetworkPolicy: string[];
  scanned: { pods: number; namespaces: number; workloads: number };
  /** The same findings in the shape every insight shares (ids for the fix path, families, `why`). */
  insights: Finding[];
  scores: { cluster: number; namespaces: Record<string, number> };
  /** Pod Security Standards per namespace: enforced level, what passes, what would fail restricted. */
  pss: PssNamespace[];
  rbac: RbacSummary;
  checks: SecurityCheckInfo[];
}

export type GraphHealth = 'ok' | 'warn' | 'danger' | 'muted';

export interface GraphNode {
  id: string;
  /** The Kubernetes kind, or `Group` for a node standing for several objects (see `group`). */
  kind: string;
  name: string;
  namespace?: string;
  status?: string;
  /** The colour the status gets: ok (running, ready, bound), warn (progressing, partly ready), danger (failing,
   * missing), muted (scaled to zero, finished). */
  health?: GraphHealth;
  /** The status in words: "2 of 3 ready", "CrashLoopBackOff", "selects no pods", "not found". */
  detail?: string;
  /** A group node: what it stands for, how many objects, their kinds and health. Expand it with `expand=<id>`. */
  group?: GraphGroup;
}

export interface GraphGroup {
  /** pods: the pods of one owner; namespace: a whole namespace; kind: the objects of one kind in a namespace;
   * nodes: the cluster's nodes; namespaces: the namespaces past the limit (the healthiest and smallest). */
  type: 'pods' | 'namespace' | 'kind' | 'nodes' | 'namespaces';
  members: number;
  /** Members per kind ("Pod": 12, "Service": 3). */
  kinds: Record<string, number>;
  /** Members per health. */
  health: Record<GraphHealth, number>;
  /** The owner of a pod group (its node id). */
  owner?: string;
  /** How many namespaces a `namespaces` group holds. */
  namespaces?: number;
}

export type GraphEdgeType = 'owns' | 'selects' | 'routes' | 'runsOn' | 'mounts';

export interface GraphEdge {
  source: string;
  target: string;
  type: GraphEdgeType;
  /** How many object-to-object edges this edge stands for (between group nodes). */
  count?: number;
  /** Of a mount: how the pod uses the object (volume, env). */
  via?: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** How many objects the graph holds before grouping and focus (0 when neither applied). */
  total?: number;
  /** The object whose neighbourhood this is (its node id), and how many hops out. */
  focus?: { id: string; depth: number; found: boolean };
  /** Group ids expanded on request. */
  expanded?: string[];
}

export interface IntegrationStatus {
  installed: boolean;
  name: string;
  namespace?: string;
  service?: string;
  version?: string;
  message: string;
}

/** A workload that is (part of) an app, with its readiness. */
export interface AppWorkload {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
  ready: number;
  desired: number;
}

/**
 * How an app stands in the cluster: `notInstalled`; `installed` (its release is deployed, or its workloads run, all
 * ready); `degraded` (installed, some workloads not ready); `progressing` (its release is pending an install, upgrade
 * or rollback); `failed` (its Helm release's last change failed).
 */
export type AppState = 'notInstalled' | 'installed' | 'degraded' | 'progressing' | 'failed';

export interface AppCatalogEntry {
  name: string;
  title: string;
  category: string;
  description: string;
  chart: string;
  /** Where helm downloads the chart from (an https chart repository or an oci:// reference). */
  repo: string;
  /** The project's home page. */
  home: string;
  /** Where an install goes unless another namespace is given. */
  defaultNamespace: string;
  /** The plugin whose pages work with this app, when there is one. */
  plugin?: string;
  installed: boolean;
  state: AppState;
  /** How it was found: a Helm release of its chart, or running workloads with its labels or names. */
  detectedBy?: 'helm' | 'workloads';
  /** One line for people: where it runs and how it is doing. */
  message: string;
  namespace?: string;
  version?: string;
  /** The Helm release that installed it (the newest revision), when it was installed with Helm. */
  release?: HelmReleaseSummary;
  workloads: AppWorkload[];
}

export interface PluginRow {
  name: string;
  title: string;
  description: string;
  /** On unless turned off in this workbench. */
  enabled: boolean;
  /** The cluster has what the plugin works with (its CRDs, its service, Helm releases, GPU nodes). */
  detected: boolean;
  message: string;
  /** Navigation pages it owns (hidden while off). */
  pages: string[];
  /** `METHOD /api/...` of the routes it owns (refused while off). */
  routes: string[];
  /** The catalog app that installs what it works with. */
  app?: string;
}

/** `helm install --wait --timeout=5m`, and a little more for the chart download. */
const INSTALL_TIMEOUT_MS = 330_000;

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
/** MLflow experiment and run ids: digits or hex UUIDs. */
const mlflowId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an MLflow id (letters, digits, "-" and "_")');
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
/** Where KServe's storage initializer can fetch a model from. */
export const STORAGE_URI = /^(gs|s3|pvc|hf|oci|https?|hdfs|webhdfs):\/\/[^\s]+$/;
const mlJobParams = relParams.extend({ kind: z.enum(ML_LISTED_KINDS).optional() });
const mlJobCreate = z.object({
  ...base,
  namespace: namespaceName,
  name: z
    .string()
    .regex(/^[a-z]([-a-z0-9]{0,48}[a-z0-9])?$/, 'must be a DNS label starting with a letter (at most 50 characters)'),
  /**
   * TrainJob (Kubeflow Trainer v2), PyTorchJob (training-operator v1) or a plain batch/v1 Job; default: whichever
   * Kubeflow kind the cluster serves, TrainJob first.
   */
  kind: z.enum(ML_JOB_KINDS).optional(),
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
  /** The readings kept for charts (newest last), one per scrape at most every `intervalMs`. */
  history: GpuSample[];
  intervalMs: number;
}

/** One reading of every GPU, as the GPU engine keeps them for the charts (newest last). */
export interface GpuSample {
  time: string;
  gpus: Array<{
    node: string;
    gpu: string;
    utilizationPercent?: number;
    memoryUsedMiB?: number;
    memoryTotalMiB?: number;
    temperatureC?: number;
    powerW?: number;
  }>;
}

/** A pod that asks for NVIDIA GPUs, where it runs (or why it does not yet) and how many it holds. */
export interface GpuPod {
  namespace: string;
  name: string;
  node?: string;
  gpus: number;
  phase: string;
  /** Why a pod waits: the scheduler's reason (Unschedulable) or a container's waiting reason. */
  reason?: string;
  message?: string;
  created?: string;
  owner?: { kind: string; name: string };
}

/** The MLflow tracking server KubeGraf reads (its Service, reached through the API server). */
export interface MlflowServer {
  namespace: string;
  service: string;
  version?: string;
}

export interface MlflowExperiment {
  id: string;
  name: string;
  lifecycleStage: string;
  artifactLocation?: string;
  created?: string;
  lastUpdated?: string;
  tags: Record<string, string>;
}

export interface MlflowRun {
  id: string;
  name: string;
  experimentId: string;
  /** RUNNING, SCHEDULED, FINISHED, FAILED or KILLED. */
  status: string;
  user?: string;
  started?: string;
  ended?: string;
  artifactUri?: string;
  lifecycleStage?: string;
  /** The latest value of each metric. */
  metrics: Record<string, { value: number; step: number; timestamp?: string }>;
  params: Record<string, string>;
  /** The user's tags (MLflow's own `mlflow.*` tags are folded into the fields above). */
  tags: Record<string, string>;
  source?: string;
  gitCommit?: string;
}

export interface MlflowMetricPoint {
  step: number;
  value: number;
  timestamp?: string;
}

export interface MlflowModelVersion {
  name: string;
  version: string;
  /** None, Staging, Production or Archived. */
  stage: string;
  status?: string;
  runId?: string;
  source?: string;
  description?: string;
  created?: string;
  lastUpdated?: string;
  aliases: string[];
}

export interface MlflowModel {
  name: string;
  description?: string;
  created?: string;
  lastUpdated?: string;
  latestVersions: MlflowModelVersion[];
  /** Every version, newest first. */
  versions: MlflowModelVersion[];
  aliases: Array<{ alias: string; version: string }>;
  tags: Record<string, string>;
}

/** One Feast server KubeGraf found, by what it serves. */
export interface FeastService {
  role: 'registry-rest' | 'registry-grpc' | 'online' | 'offline' | 'ui';
  namespace: string;
  name: string;
  port: number | string;
}

export interface FeastStatus extends IntegrationStatus {
  services: FeastService[];
  /** Whether feature views and entities can be read (the registry server's REST API runs). */
  registryReadable: boolean;
  /** What is missing for KubeGraf to show the feature store, and how to add it. */
  missing?: string;
}

export interface FeastEntity {
  project: string;
  name: string;
  joinKey: string;
  valueType?: string;
  description?: string;
  owner?: string;
  tags: Record<string, string>;
  created?: string;
  updated?: string;
}

export interface FeastFeatureView {
  project: string;
  name: string;
  /** batch: a FeatureView; onDemand: computed at request time; stream: fed by a stream source. */
  type: 'batch' | 'onDemand' | 'stream';
  entities: string[];
  features: Array<{ name: string; valueType?: string; description?: string }>;
  /** Time to live as Feast stores it ("86400s"), when set. */
  ttl?: string;
  online?: boolean;
  /** The data source (batch source name, or the views and request sources an on-demand view reads). */
  sources: string[];
  description?: string;
  owner?: string;
  tags: Record<string, string>;
  created?: string;
  updated?: string;
  /** End of the newest materialization interval. */
  materializedUntil?: string;
}

export interface FeastFeatureService {
  project: string;
  name: string;
  featureViews: Array<{ name: string; features: string[] }>;
  description?: string;
  owner?: string;
  tags: Record<string, string>;
  created?: string;
}

export interface FeastRegistry {
  source: { namespace: string; service: string };
  projects: Array<{ name: string; description?: string; created?: string }>;
  entities: FeastEntity[];
  featureViews: FeastFeatureView[];
  featureServices: FeastFeatureService[];
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
  'argocd.app': route<ArgoAppDetails>()(
    'GET',
    '/api/plugins/argocd/app',
    'integrations',
    'Get app details: summary, resource tree (down to pods), history, the running or last operation',
    appParams,
  ),
  'argocd.diff': route<ArgoDiffResult>()(
    'GET',
    '/api/plugins/argocd/diff',
    'integrations',
    "Desired (Git) vs live state of an app's resources, from argocd-server's managed-resources API",
    appParams.extend({
      group: z.string().max(253).optional(),
      kind: z.string().max(63).optional(),
      resourceNamespace: namespaceName.optional(),
      resourceName: name.optional(),
    }),
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
  'argocd.rollback': route<ActionResult>()(
    'POST',
    '/api/plugins/argocd/rollback',
    'integrations',
    "Roll an app back to a history entry (argocd app rollback: a sync to that entry's revision and source)",
    appParams.extend({ id: int(0, 1_000_000_000), prune: boolish.optional(), dryRun: boolish.optional() }),
  ),
  'argocd.terminate': route<ActionResult>()(
    'POST',
    '/api/plugins/argocd/terminate',
    'integrations',
    'Terminate the running operation of an app (argocd app terminate-op)',
    appParams,
  ),
  'argocd.refresh': route<ActionResult>()(
    'POST',
    '/api/plugins/argocd/refresh',
    'integrations',
    'Refresh app',
    appParams.extend({ hard: boolish.optional() }),
  ),
  'plugins.list': route<{ plugins: PluginRow[] }>()(
    'GET',
    '/api/plugins/list',
    'integrations',
    'List plugins: on or off, whether the cluster has them, the pages and routes each owns',
    z.object({ ...base }),
  ),
  'plugins.install': route<ActionResult>()(
    'POST',
    '/api/plugins/install',
    'integrations',
    'Install the app a plugin works with (helm install of its catalog chart; needs the helm binary)',
    z.object({ ...base, name: z.string().max(63).optional() }),
    { role: 'admin', timeoutMs: INSTALL_TIMEOUT_MS },
  ),
  'plugins.enable': route<ActionResult>()(
    'POST',
    '/api/plugins/enable',
    'integrations',
    'Turn a plugin on or off in this workbench (off: its pages are hidden and its routes answer 403 pluginDisabled)',
    z.object({
      name: z.string().regex(/^[a-z0-9-]{1,63}$/, 'must be a plugin name like argocd'),
      enabled: boolish.optional(),
    }),
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
      modelFormat: z.string().regex(/^[a-z0-9-]{1,63}$/, 'must be a model format name such as sklearn'),
      storageUri: z
        .string()
        .max(2048)
        .regex(
          STORAGE_URI,
          'must be a model location KServe can load: gs://, s3://, pvc://, hf://, oci://, http(s):// or hdfs://',
        ),
      runtime: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be the name of a (Cluster)ServingRuntime')
        .optional(),
      /** `spec.predictor.model.protocolVersion`: which inference protocol the model server speaks. */
      protocolVersion: z.enum(['v1', 'v2']).optional(),
      minReplicas: int(0, 100).optional(),
      cpu: quantity.optional(),
      memory: quantity.optional(),
      gpus: int(0, 16).optional(),
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
  'ml.jobs.list': route<{ jobs: MlJobSummary[]; kinds: MlJobKind[] }>()(
    'GET',
    '/api/ml/jobs/list',
    'integrations',
    'List ML jobs (Kubeflow jobs, and batch Jobs labelled for training or asking for GPUs) and the kinds one can create',
    z.object(ns),
  ),
  'ml.jobs.get': route<unknown>()('GET', '/api/ml/jobs/get', 'integrations', 'Get ML job details', mlJobParams),
  'ml.jobs.create': route<UpdateResult & { kind: string }>()(
    'POST',
    '/api/ml/jobs/create',
    'integrations',
    'Create ML job (Kubeflow TrainJob or PyTorchJob; server-side dry run first)',
    mlJobCreate,
  ),
  'ml.jobs.delete': route<DeleteResult>()(
    'DELETE',
    '/api/ml/jobs/delete',
    'integrations',
    'Delete ML job (its pods go with it)',
    mlJobParams,
  ),
  'ml.jobs.logs': route<{ pods: Array<{ pod: string; logs: string }> }>()(
    'GET',
    '/api/ml/jobs/logs',
    'integrations',
    'Get job logs',
    mlJobParams,
  ),
  'ml.jobs.logsWs': route<never>()(
    'WS',
    '/api/ml/jobs/logs/ws',
    'integrations',
    'Stream job logs',
    mlJobParams.extend({ tailLines: int(0, 10_000).optional() }),
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
  'gpu.pods': route<{ pods: GpuPod[] }>()(
    'GET',
    '/api/gpu/pods',
    'integrations',
    'List pods that request NVIDIA GPUs, with their node and count',
    z.object(ns),
  ),
  'gpu.install': route<ActionResult>()(
    'POST',
    '/api/gpu/install',
    'integrations',
    'Install GPU support',
    z.object({ ...base }),
    { role: 'admin', timeoutMs: INSTALL_TIMEOUT_MS },
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
    { role: 'admin', timeoutMs: INSTALL_TIMEOUT_MS },
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
    { role: 'admin', timeoutMs: INSTALL_TIMEOUT_MS },
  ),
  'mlflow.proxy': route<unknown>()('ANY', '/api/mlflow/proxy/*', 'integrations', 'Proxy MLflow API', proxy, {
    shape: 'raw',
  }),
  'mlflow.experiments': route<{ server: MlflowServer; experiments: MlflowExperiment[] }>()(
    'GET',
    '/api/mlflow/experiments',
    'integrations',
    'List MLflow experiments',
    z.object({ ...base, view: z.enum(['active', 'deleted', 'all']).optional() }),
  ),
  'mlflow.runs': route<{
    experiment: MlflowExperiment;
    runs: MlflowRun[];
    metricKeys: string[];
    paramKeys: string[];
    /** More runs exist than were read. */
    truncated: boolean;
  }>()(
    'GET',
    '/api/mlflow/runs',
    'integrations',
    "List an MLflow experiment's runs with their metrics and parameters",
    z.object({ ...base, experimentId: mlflowId }),
  ),
  'mlflow.run': route<{
    run: MlflowRun;
    experiment?: MlflowExperiment;
    /** Every logged value of each metric, by step. */
    history: Record<string, MlflowMetricPoint[]>;
    /** Registered model versions made from this run. */
    models: MlflowModelVersion[];
  }>()('GET', '/api/mlflow/run', 'integrations', 'Get an MLflow run', z.object({ ...base, runId: mlflowId })),
  'mlflow.models': route<{ models: MlflowModel[] }>()(
    'GET',
    '/api/mlflow/models',
    'integrations',
    'List registered models and their versions',
    z.object({ ...base }),
  ),
  'feast.status': route<FeastStatus>()(
    'GET',
    '/api/feast/status',
    'integrations',
    'Check Feast status',
    z.object({ ...base }),
  ),
  'feast.registry': route<FeastRegistry>()(
    'GET',
    '/api/feast/registry',
    'integrations',
    "Read Feast's projects, entities, feature views and feature services from the registry server",
    z.object({ ...base }),
  ),
  'feast.install': route<ActionResult>()(
    'POST',
    '/api/feast/install',
    'integrations',
    'Install Feast',
    z.object({ ...base }),
    { role: 'admin', timeoutMs: INSTALL_TIMEOUT_MS },
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
  'apps.install': route<ActionResult & { release: string; namespace: string }>()(
    'POST',
    '/api/apps/install',
    'integrations',
    'Install a catalog app (helm install --wait of its chart; 424 helmNotFound without the helm binary, 502 when the chart cannot be downloaded)',
    z.object({ ...base, name: z.string().max(63).optional(), namespace: namespaceName.optional() }),
    { role: 'admin', timeoutMs: INSTALL_TIMEOUT_MS },
  ),
  'apps.uninstall': route<HelmChangeResult>()(
    'POST',
    '/api/apps/uninstall',
    'integrations',
    "Uninstall an app's Helm release (a catalog app's name or a release name) without the helm binary; dryRun lists what would go",
    z.object({
      ...base,
      name: z.string().max(63).optional(),
      namespace: namespaceName.optional(),
      keepHistory: boolish.optional(),
      dryRun: boolish.optional(),
    }),
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
    'Perform security analysis of pod specs, RBAC and network policies (legacyFindings=false: only `insights`, not the same list again in the old `findings` shape)',
    z.object({ ...ns, legacyFindings: boolish.optional() }),
  ),
  'security.whoCan': route<WhoCanResult>()(
    'GET',
    '/api/security/who-can',
    'kube',
    'Subjects allowed a verb on a resource (in a namespace, or cluster-wide), from the cached RBAC objects',
    z.object({
      ...ns,
      verb: z.string().regex(/^([a-z]+|\*)$/i, 'a verb such as get, list, delete or *'),
      resource: z
        .string()
        .regex(
          /^([a-z0-9-]+|\*)(\.[a-z0-9.-]+)?(\/[a-z*]+)?$/i,
          'a resource such as secrets, pods/exec or deployments.apps',
        ),
    }),
  ),
  'cost.analysis': route<CostAnalysis>()(
    'GET',
    '/api/cost/analysis',
    'kube',
    'Cost allocation (max of request and usage at node prices) by namespace, workload and label, idle cost, efficiency and right-sizing',
    z.object({ ...ns, label: z.string().max(317).optional() }),
  ),
  'cost.prices': route<{ overrides: Record<string, PriceOverride> }>()(
    'POST',
    '/api/cost/prices',
    'store',
    'Set (or with no price, remove) the prices of one node type (`*`: every node without a price of its own)',
    z.object({
      ...base,
      nodeType: z.string().min(1).max(253),
      cpuPerCoreHour: z.number().nonnegative().max(1000).optional(),
      ramPerGiBHour: z.number().nonnegative().max(1000).optional(),
      gpuPerHour: z.number().nonnegative().max(10000).optional(),
      nodeHourly: z.number().nonnegative().max(100000).optional(),
    }),
    { role: 'operator' },
  ),
  'drift.analysis': route<DriftReport>()(
    'GET',
    '/api/drift/analysis',
    'integrations',
    "Drift: live objects vs their last `kubectl apply`, their Helm release manifest and Argo CD's Git state, per field with who changed it",
    z.object(ns),
  ),
  'drift.diff': route<DriftDiff>()(
    'GET',
    '/api/drift/diff',
    'integrations',
    "One object's declared state (applied, Helm or Git) vs live, as YAML and a unified diff",
    z.object({
      ...base,
      kind: z
        .string()
        .min(1)
        .max(63)
        .regex(/^[A-Za-z][A-Za-z0-9]*$/, 'must be a kind such as Deployment'),
      namespace: namespaceName.optional(),
      name,
      source: z.enum(DRIFT_SOURCES),
    }),
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
    'Resource relationship map of a namespace (mounts, placement; grouped, or the neighbourhood of one object)',
    z.object({
      ...ns,
      /** `Kind/namespace/name` (or `Kind/name` for cluster-scoped kinds): only this object's neighbourhood. */
      focus: z
        .string()
        .max(600)
        .regex(/^[A-Za-z]+\/[A-Za-z0-9._:@/-]+$/, 'must be Kind/namespace/name')
        .optional(),
      /** Hops out from the focus (owner chains count as one object). */
      depth: int(1, 6).optional(),
      /** Collapse pods per owner, and namespaces and kinds when the graph is large. */
      group: boolish.optional(),
      /** Group ids to show opened, comma-separated. */
      expand: z.string().max(8000).optional(),
      /** How many nodes grouping aims to stay under. */
      limit: int(20, 5000).optional(),
    }),
  ),
  'continuity.summary': route<ContinuitySummary>()(
    'GET',
    '/api/continuity/summary',
    'integrations',
    'Business continuity: replicas, disruption budgets, spread over nodes and zones, volumes, snapshots and Velero backups',
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
