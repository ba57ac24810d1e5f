// Routes over cluster integrations (Helm, Argo CD, KServe, GPUs, Kiali, MLflow, Feast), analyses (security, cost,
// drift, topology) and the AI assistant. Those the cluster data can answer are answered from it; the rest say why not.
import { z } from 'zod';
import { route } from '../route';
import { base, boolish, int, name, namespaceFilter, namespaceName, objectParams } from './params';
import type { ActionResult, DeleteResult, ResourceRow, UpdateResult } from './resources';

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

export interface HelmRelease extends HelmReleaseSummary {
  firstDeployed: string;
  notes: string;
  values: unknown;
  config: unknown;
  manifest: string;
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
  resources: Array<{ group?: string; kind: string; namespace?: string; name: string; status?: string; health?: string }>;
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
  image: z.string().min(1).max(512).regex(/^[^\s]+$/, 'must be an image reference without spaces'),
  port: int(1, 65535).optional(),
  replicas: int(0, 100).optional(),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(32_768)).optional(),
  dryRun: boolish.optional(),
});
const none = z.object({});
const proxy = z.object({ path: z.string().max(2048).optional() }).catchall(z.unknown());

export const INTEGRATION_ROUTES = {
  // Helm (release records in helm.sh/release.v1 secrets)
  'helm.releases': route<{ releases: HelmReleaseSummary[] }>()('GET', '/api/plugins/helm/releases', 'integrations', 'List Helm releases', z.object(ns)),
  'helm.release': route<HelmRelease>()('GET', '/api/plugins/helm/release', 'integrations', 'Get release details', relParams),
  'helm.history': route<{ history: HelmHistoryEntry[] }>()('GET', '/api/plugins/helm/history', 'integrations', 'Get release history', relParams),
  'helm.rollback': route<ActionResult>()('POST', '/api/plugins/helm/rollback', 'integrations', 'Rollback release (runs the helm binary, no shell)', relParams.extend({ revision: int(1, 1_000_000).optional() })),
  // Argo CD (Application objects)
  'argocd.apps': route<{ apps: ArgoApp[] }>()('GET', '/api/plugins/argocd/apps', 'integrations', 'List ArgoCD apps', z.object(ns)),
  'argocd.app': route<ArgoApp & { object: unknown }>()('GET', '/api/plugins/argocd/app', 'integrations', 'Get app details', appParams),
  'argocd.sync': route<ActionResult>()('POST', '/api/plugins/argocd/sync', 'integrations', 'Sync app (sets the operation field like the Argo CD API does)', appParams.extend({ revision: z.string().max(256).optional(), prune: boolish.optional(), dryRun: boolish.optional() })),
  'argocd.refresh': route<ActionResult>()('POST', '/api/plugins/argocd/refresh', 'integrations', 'Refresh app', appParams.extend({ hard: boolish.optional() })),
  'plugins.list': route<{ plugins: Array<{ name: string; enabled: boolean; detected: boolean; message: string }> }>()('GET', '/api/plugins/list', 'integrations', 'List plugins and whether the cluster has them', z.object({ ...base })),
  'plugins.install': route<ActionResult>()('POST', '/api/plugins/install', 'integrations', 'Install a plugin into the cluster', z.object({ ...base, name: z.string().max(63).optional() })),
  'plugins.enable': route<ActionResult>()('POST', '/api/plugins/enable', 'integrations', 'Enable or disable a plugin in this workbench', z.object({ name: z.string().regex(/^[a-z0-9-]{1,63}$/), enabled: boolish.optional() })),
  // KServe
  'inference.list': route<{ services: InferenceServiceDto[] }>()('GET', '/api/inference/list', 'integrations', 'List inference services', z.object(ns)),
  'inference.get': route<InferenceServiceDto & { object: unknown; pods: ResourceRow[] }>()('GET', '/api/inference/get', 'integrations', 'Get inference details', relParams),
  'inference.create': route<UpdateResult>()('POST', '/api/inference/create', 'integrations', 'Create inference service', relParams.extend({ modelFormat: z.string().regex(/^[a-z0-9-]{1,63}$/), storageUri: z.string().min(1).max(2048), runtime: z.string().max(253).optional(), dryRun: boolish.optional() })),
  'inference.delete': route<DeleteResult>()('DELETE', '/api/inference/delete', 'integrations', 'Delete inference service', relParams.extend({ dryRun: boolish.optional() })),
  'inference.test': route<{ status: number; body: unknown }>()('POST', '/api/inference/test', 'integrations', 'Test inference endpoint', relParams.extend({ input: z.unknown().optional() })),
  // ML jobs
  'ml.jobs.list': route<{ jobs: unknown[] }>()('GET', '/api/ml/jobs/list', 'integrations', 'List ML jobs', z.object(ns)),
  'ml.jobs.get': route<unknown>()('GET', '/api/ml/jobs/get', 'integrations', 'Get ML job details', relParams),
  'ml.jobs.create': route<unknown>()('POST', '/api/ml/jobs/create', 'integrations', 'Create ML job', z.object({ ...base }).catchall(z.unknown())),
  'ml.jobs.delete': route<unknown>()('DELETE', '/api/ml/jobs/delete', 'integrations', 'Delete ML job', relParams),
  'ml.jobs.logs': route<unknown>()('GET', '/api/ml/jobs/logs', 'integrations', 'Get job logs', relParams),
  'ml.jobs.logsWs': route<never>()('WS', '/api/ml/jobs/logs/ws', 'integrations', 'Stream job logs', relParams),
  // GPUs
  'gpu.status': route<{ available: boolean; nodes: number; totalGpus: number; allocatedGpus: number; devicePlugin: boolean; dcgmExporter: boolean; message: string }>()('GET', '/api/gpu/status', 'integrations', 'Get GPU status', z.object({ ...base })),
  'gpu.nodes': route<{ nodes: GpuNode[] }>()('GET', '/api/gpu/nodes', 'integrations', 'List GPU nodes', z.object({ ...base })),
  'gpu.metrics': route<unknown>()('GET', '/api/gpu/metrics', 'integrations', 'Get GPU metrics (DCGM exporter)', z.object({ ...base })),
  'gpu.install': route<ActionResult>()('POST', '/api/gpu/install', 'integrations', 'Install GPU support', z.object({ ...base })),
  // Kiali, MLflow, Feast
  'kiali.status': route<IntegrationStatus>()('GET', '/api/integrations/kiali/status', 'integrations', 'Check Kiali status', z.object({ ...base })),
  'kiali.install': route<ActionResult>()('POST', '/api/integrations/kiali/install', 'integrations', 'Install Kiali', z.object({ ...base })),
  'kiali.proxy': route<unknown>()('ANY', '/api/kiali/proxy/*', 'integrations', 'Proxy Kiali API', proxy),
  'mlflow.status': route<IntegrationStatus>()('GET', '/api/mlflow/status', 'integrations', 'Check MLflow status', z.object({ ...base })),
  'mlflow.install': route<ActionResult>()('POST', '/api/mlflow/install', 'integrations', 'Install MLflow', z.object({ ...base })),
  'mlflow.proxy': route<unknown>()('ANY', '/api/mlflow/proxy/*', 'integrations', 'Proxy MLflow API', proxy),
  'feast.status': route<IntegrationStatus>()('GET', '/api/feast/status', 'integrations', 'Check Feast status', z.object({ ...base })),
  'feast.install': route<ActionResult>()('POST', '/api/feast/install', 'integrations', 'Install Feast', z.object({ ...base })),
  // Apps
  'apps.list': route<{ apps: AppCatalogEntry[] }>()('GET', '/api/apps', 'integrations', 'List available apps (with whether each is installed)', z.object({ ...base })),
  'apps.installed': route<{ apps: HelmReleaseSummary[] }>()('GET', '/api/apps/installed', 'integrations', 'List installed apps (deployed Helm releases)', z.object(ns)),
  'apps.install': route<ActionResult>()('POST', '/api/apps/install', 'integrations', 'Install app', z.object({ ...base, name: z.string().max(63).optional(), namespace: namespaceName.optional() })),
  'apps.uninstall': route<ActionResult>()('POST', '/api/apps/uninstall', 'integrations', 'Uninstall app', z.object({ ...base, name: z.string().max(63).optional(), namespace: namespaceName.optional() })),
  'customApps.preview': route<{ yaml: string; objects: number }>()('POST', '/api/custom-apps/preview', 'kube', 'Preview custom app (Deployment + Service YAML)', customApp),
  'customApps.deploy': route<{ applied: boolean; objects: string[] }>()('POST', '/api/custom-apps/deploy', 'kube', 'Deploy custom app (server-side dry run first)', customApp),
  'customApps.list': route<{ apps: Array<{ name: string; namespace: string; image: string; replicas: number; ready: number }> }>()('GET', '/api/custom-apps/list', 'kube', 'List custom apps', z.object(ns)),
  'customApps.delete': route<DeleteResult>()('DELETE', '/api/custom-apps/delete', 'kube', 'Delete custom app (its Deployment and Service)', objectParams.extend({ namespace: namespaceName, dryRun: boolish.optional() })),
  // Analyses
  security: route<SecurityReport>()('GET', '/api/security', 'kube', 'Perform security analysis of pod specs, RBAC and network policies', z.object(ns)),
  'cost.analysis': route<CostReport>()('GET', '/api/cost/analysis', 'kube', 'Cost breakdown from resource requests at OpenCost default prices', z.object(ns)),
  'drift.analysis': route<{ drifted: ArgoApp[]; total: number; message: string }>()('GET', '/api/drift/analysis', 'integrations', 'Drift analysis (Argo CD applications out of sync with Git)', z.object(ns)),
  topology: route<Graph>()('GET', '/api/topology', 'kube', 'Cluster topology (nodes, workloads, pods, services, ingresses)', z.object(ns)),
  resourcemap: route<Graph>()('GET', '/api/resourcemap', 'kube', 'Resource relationship map of a namespace', z.object(ns)),
  'continuity.summary': route<unknown>()('GET', '/api/continuity/summary', 'integrations', 'Business continuity summary (backups, PDB coverage, replica spread)', z.object(ns)),
  'traffic.metrics': route<unknown>()('GET', '/api/traffic/metrics', 'integrations', 'Get traffic metrics (service mesh)', z.object(ns)),
  // AI assistant
  'ai.chat': route<unknown>()('POST', '/api/ai/chat', 'ai', 'Send message to AI', z.object({ message: z.string().min(1).max(32_768) }).catchall(z.unknown())),
  'ai.providers': route<unknown>()('GET', '/api/ai/providers', 'ai', 'List available providers', none),
  'ai.configure': route<unknown>()('POST', '/api/ai/providers/configure', 'ai', 'Configure provider', z.object({ provider: z.string().max(64) }).catchall(z.unknown())),
} as const;

