// Every page of the app, grouped as the seed's sidebar sections. Pure data: the sidebar, the router and the command
// palette all read it, so a page is added in one place. The pages of Kubernetes kinds come from the shared table of
// kinds (src/shared/kinds.ts).
import { KINDS, pageOfKind } from '../../../src/shared/kinds';

export type PageView =
  /** A resource table over `/api/{many}` (the `many` word of the kind in the shared table). */
  | { type: 'resource'; many: string }
  /** A page with its own component. */
  | { type: 'custom'; component: string };

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

/** The pages of the shared table's kinds in one section, in the table's order: a kind's page is never listed here. */
function kindPages(section: Section): PageDef[] {
  return KINDS.map((d) => pageOfKind(d))
    .filter((p) => p.section === section)
    .map((p) =>
      p.component
        ? custom(p.id, p.label, section, p.component, p.keywords)
        : res(p.id, p.label, section, p.many ?? p.id, p.keywords),
    );
}

export const PAGES: readonly PageDef[] = [
  custom('dashboard', 'Dashboard', 'Overview', 'dashboard', ['home', 'overview']),
  custom('cluster-overview', 'Cluster Overview', 'Overview', 'clusterOverview', ['topology']),
  custom('cluster-manager', 'Clusters', 'Overview', 'clusterManager', ['contexts', 'multi-cluster', 'kubeconfig']),
  ...kindPages('Overview'),
  custom('incidents', 'Incidents', 'Insights', 'incidents', ['problems', 'faults', 'alerts']),
  custom('timeline', 'Timeline', 'Insights', 'timeline', ['history', 'events', 'changes']),
  custom('anomalies', 'Anomalies', 'Insights', 'anomalies', ['ai', 'ml', 'predictions', 'z-score']),
  custom('security', 'Security', 'Insights', 'security', [
    'polaris',
    'pod security',
    'pss',
    'rbac',
    'who can',
    'network policy',
    'vulnerabilities',
  ]),
  custom('cost', 'Cost', 'Insights', 'cost', ['opencost', 'kubecost', 'spend', 'right-sizing', 'idle', 'prices']),
  custom('drift', 'Drift', 'Insights', 'drift', ['kubectl diff', 'last-applied', 'managed fields', 'out of sync']),
  custom('continuity', 'Continuity', 'Insights', 'continuity', [
    'backup',
    'velero',
    'pdb',
    'disaster recovery',
    'replicas',
  ]),
  ...kindPages('Workloads'),
  custom('logs', 'Logs', 'Workloads', 'logs'),
  ...kindPages('Networking'),
  custom('port-forwards', 'Port Forwards', 'Networking', 'portForwards', ['pf', 'tunnel']),
  ...kindPages('Config & Storage'),
  ...kindPages('Access Control'),
  ...kindPages('Platform'),
  custom('metrics', 'Metrics', 'Platform', 'metrics', ['cpu', 'memory', 'usage']),
  custom('resource-map', 'Resource Map', 'Platform', 'resourceMap', ['topology', 'graph', 'map', 'relations']),
  custom('helm', 'Helm Releases', 'Platform', 'helm', ['charts', 'rollback', 'uninstall']),
  custom('argocd', 'Argo CD', 'Platform', 'argocd', ['gitops', 'sync', 'applications', 'rollback']),
  custom('apps', 'Apps', 'Platform', 'apps', ['marketplace', 'install', 'charts', 'add-ons']),
  custom('plugins', 'Plugins', 'Platform', 'plugins', ['integrations', 'extensions', 'enable', 'disable']),
  custom('kiali', 'Kiali', 'Platform', 'kiali', ['mesh', 'istio', 'service graph', 'traffic']),
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
  custom('knowledge-bank', 'Knowledge Bank', 'Intelligence', 'knowledgeBank', ['runbooks', 'playbooks']),
  custom('training-jobs', 'Training Jobs', 'Machine Learning', 'trainingJobs', [
    'kubeflow',
    'pytorchjob',
    'trainjob',
    'ml',
  ]),
  custom('inference-services', 'Inference Services', 'Machine Learning', 'inferenceServices', [
    'kserve',
    'isvc',
    'model serving',
    'ml',
  ]),
  custom('mlflow', 'MLflow', 'Machine Learning', 'mlflow', ['experiments', 'runs', 'model registry']),
  custom('feast', 'Feast', 'Machine Learning', 'feast', ['feature store', 'feature views', 'entities']),
  custom('gpu-dashboard', 'GPU Dashboard', 'Machine Learning', 'gpu', ['nvidia', 'dcgm', 'cuda']),
  ...kindPages('Custom Resources'),
  custom('settings', 'Settings', 'Settings', 'settings', ['preferences', 'backup']),
  custom('users', 'Users', 'Settings', 'users', ['accounts', 'roles', 'user management', 'admin']),
  custom('connectors', 'Connectors', 'Settings', 'connectors', [
    'webhook',
    'slack',
    'pagerduty',
    'opsgenie',
    'alerts',
    'notifications',
    'integrations',
  ]),
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
