// Every page of the app, grouped as the seed's sidebar sections. Pure data: the sidebar, the router and the command
// palette all read it, so a page is added in one place.

export type PageView =
  /** A resource table over `/api/{many}` (the `many` word of the shared RESOURCE_KINDS row). */
  | { type: 'resource'; many: string }
  /** A page with its own component. */
  | { type: 'custom'; component: string }
  /** A seed page that renders what its routes answer (501 shows "not available yet"). */
  | { type: 'routes'; paths: string[] };

export interface PageDef {
  id: string;
  label: string;
  section: string;
  view: PageView;
  /** Extra words the palette matches: kubectl short names, synonyms. */
  keywords?: string[];
}

export const SECTIONS = [
  'Overview',
  'Insights',
  'Workloads',
  'Networking',
  'Config & Storage',
  'Access Control',
  'Platform',
  'Intelligence',
  'Machine Learning',
  'Custom Resources',
  'Settings',
] as const;

export type Section = (typeof SECTIONS)[number];

const res = (id: string, label: string, section: Section, many: string, keywords: string[] = []): PageDef => ({
  id,
  label,
  section,
  view: { type: 'resource', many },
  keywords,
});
const custom = (id: string, label: string, section: Section, component: string, keywords: string[] = []): PageDef => ({
  id,
  label,
  section,
  view: { type: 'custom', component },
  keywords,
});
const routes = (id: string, label: string, section: Section, paths: string[], keywords: string[] = []): PageDef => ({
  id,
  label,
  section,
  view: { type: 'routes', paths },
  keywords,
});

export const PAGES: readonly PageDef[] = [
  custom('dashboard', 'Dashboard', 'Overview', 'dashboard', ['home', 'overview']),
  custom('cluster-overview', 'Cluster Overview', 'Overview', 'clusterOverview', ['topology']),
  custom('cluster-manager', 'Clusters', 'Overview', 'clusterManager', ['contexts', 'multi-cluster', 'kubeconfig']),
  custom('events', 'Events', 'Overview', 'events', ['ev']),
  custom('incidents', 'Incidents', 'Insights', 'incidents', ['problems', 'faults', 'alerts']),
  routes('timeline', 'Timeline', 'Insights', ['/api/brain/timeline']),
  routes('anomalies', 'Anomalies', 'Insights', ['/api/brain/ml/predictions', '/api/brain/ml/summary'], ['ai', 'ml']),
  routes('security', 'Security', 'Insights', ['/api/security']),
  routes('cost', 'Cost', 'Insights', ['/api/cost/analysis']),
  routes('drift', 'Drift', 'Insights', ['/api/drift/analysis']),
  routes('continuity', 'Continuity', 'Insights', ['/api/continuity/summary']),
  res('pods', 'Pods', 'Workloads', 'pods', ['po']),
  res('deployments', 'Deployments', 'Workloads', 'deployments', ['deploy']),
  res('statefulsets', 'StatefulSets', 'Workloads', 'statefulsets', ['sts']),
  res('daemonsets', 'DaemonSets', 'Workloads', 'daemonsets', ['ds']),
  res('replicasets', 'ReplicaSets', 'Workloads', 'replicasets', ['rs']),
  res('jobs', 'Jobs', 'Workloads', 'jobs'),
  res('cronjobs', 'CronJobs', 'Workloads', 'cronjobs', ['cj']),
  res('pdb', 'Pod Disruption Budgets', 'Workloads', 'pdbs', ['pdb']),
  res('hpa', 'Horizontal Pod Autoscalers', 'Workloads', 'hpas', ['hpa']),
  custom('logs', 'Logs', 'Workloads', 'logs'),
  res('services', 'Services', 'Networking', 'services', ['svc']),
  res('endpoints', 'Endpoints', 'Networking', 'endpoints', ['ep']),
  res('ingresses', 'Ingresses', 'Networking', 'ingresses', ['ing']),
  res('network-policies', 'Network Policies', 'Networking', 'networkpolicies', ['netpol']),
  custom('port-forwards', 'Port Forwards', 'Networking', 'portForwards', ['pf', 'tunnel']),
  res('configmaps', 'ConfigMaps', 'Config & Storage', 'configmaps', ['cm']),
  res('secrets', 'Secrets', 'Config & Storage', 'secrets'),
  res('pvcs', 'Persistent Volume Claims', 'Config & Storage', 'pvcs', ['pvc', 'storage']),
  res('pvs', 'Persistent Volumes', 'Config & Storage', 'pvs', ['pv', 'storage']),
  res('storageclasses', 'Storage Classes', 'Config & Storage', 'storageclasses', ['sc']),
  res('certificates', 'Certificates', 'Config & Storage', 'certificates', ['cert', 'tls']),
  res('service-accounts', 'Service Accounts', 'Access Control', 'service-accounts', ['sa']),
  res('roles', 'Roles', 'Access Control', 'roles', ['rbac']),
  res('rolebindings', 'Role Bindings', 'Access Control', 'rolebindings', ['rbac']),
  res('clusterroles', 'Cluster Roles', 'Access Control', 'clusterroles', ['rbac']),
  res('clusterrolebindings', 'Cluster Role Bindings', 'Access Control', 'clusterrolebindings', ['rbac']),
  res('namespaces', 'Namespaces', 'Platform', 'namespaces', ['ns']),
  custom('nodes', 'Nodes', 'Platform', 'nodes', ['no', 'cordon', 'drain']),
  custom('metrics', 'Metrics', 'Platform', 'metrics', ['cpu', 'memory', 'usage']),
  routes('resource-map', 'Resource Map', 'Platform', ['/api/resourcemap', '/api/topology']),
  routes('helm', 'Helm Releases', 'Platform', ['/api/plugins/helm/releases'], ['charts']),
  routes('argocd', 'Argo CD', 'Platform', ['/api/plugins/argocd/apps'], ['gitops']),
  routes('apps', 'Apps', 'Platform', ['/api/apps', '/api/apps/installed'], ['marketplace']),
  routes('plugins', 'Plugins', 'Platform', ['/api/plugins/list']),
  routes('kiali', 'Kiali', 'Platform', ['/api/integrations/kiali/status'], ['mesh', 'istio']),
  custom('terminal', 'Terminal', 'Platform', 'terminal', ['shell', 'console']),
  custom('ai-assistant', 'AI Assistant', 'Intelligence', 'assistant', ['chat', 'ai', 'llm']),
  custom('autofix', 'AutoFix', 'Intelligence', 'autofix', ['remediation']),
  custom('sre-agent', 'SRE Agent', 'Intelligence', 'sreAgent', ['brain', 'health']),
  custom('ai-agents', 'AI Agents', 'Intelligence', 'aiAgents', [
    'agents',
    'llm',
    'provider',
    'model',
    'remediation',
    'limits',
  ]),
  routes('knowledge-bank', 'Knowledge Bank', 'Intelligence', ['/api/incidents/runbooks'], ['runbooks']),
  routes('training-jobs', 'Training Jobs', 'Machine Learning', ['/api/ml/jobs/list']),
  routes('inference-services', 'Inference Services', 'Machine Learning', ['/api/inference/list']),
  routes('mlflow', 'MLflow', 'Machine Learning', ['/api/mlflow/status']),
  routes('feast', 'Feast', 'Machine Learning', ['/api/feast/status']),
  routes('gpu-dashboard', 'GPU Dashboard', 'Machine Learning', ['/api/gpu/status', '/api/gpu/nodes']),
  custom('custom-resources', 'Custom Resources', 'Custom Resources', 'customResources', ['crd', 'crds']),
  custom('settings', 'Settings', 'Settings', 'settings', ['preferences', 'backup']),
  custom('users', 'Users', 'Settings', 'users', ['accounts', 'roles', 'user management', 'admin']),
];

export const pageById = (id: string): PageDef | undefined => PAGES.find((p) => p.id === id);

/** The page shown for a `#/` route no page has (its `path` param is what was asked for). */
export const NOT_FOUND = 'not-found';

/** `#/pods?ns=default&name=web` → page id and params; no route is the dashboard, an unknown one is "not found". */
export function parseHash(hash: string): { page: string; params: Record<string, string> } {
  const h = hash.replace(/^#\/?/, '');
  const [path, query = ''] = h.split('?');
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) params[k] = v;
  if (!path) return { page: 'dashboard', params };
  if (pageById(path)) return { page: path, params };
  return { page: NOT_FOUND, params: { path } };
}

export function toHash(page: string, params: Record<string, string> = {}): string {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
  return `#/${page}${q ? `?${q}` : ''}`;
}
