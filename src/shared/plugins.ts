// The plugins of this workbench: each owns API routes and navigation pages. A plugin turned off in the settings hides
// its pages (sidebar, command palette) and its routes answer 403 `pluginDisabled` on every face; nothing changes in
// the cluster. One table, read by the server's dispatch (src/server/dispatch.ts) and by the app's navigation.
import type { RouteId } from './routeTable';

export interface PluginDef {
  /** The settings key (`plugins.<name>`) and the `name` of `/api/plugins/enable`. */
  name: string;
  title: string;
  description: string;
  /** Route ids this plugin answers; refused while it is off. */
  routes: readonly RouteId[];
  /** Page ids (webviews/src/model/nav.ts) hidden while it is off. */
  pages: readonly string[];
  /** The catalog app (`/api/apps`) that installs what the plugin works with, when there is one. */
  app?: string;
}

export const PLUGINS: readonly PluginDef[] = [
  {
    name: 'helm',
    title: 'Helm',
    description: 'Helm 3 releases: values, manifests, history, diffs, rollback and uninstall',
    routes: ['helm.releases', 'helm.release', 'helm.history', 'helm.rollback', 'helm.uninstall', 'helm.diff'],
    pages: ['helm'],
  },
  {
    name: 'argocd',
    title: 'Argo CD',
    description: 'GitOps applications: sync and health, sync and refresh, diffs against Git',
    routes: [
      'argocd.apps',
      'argocd.app',
      'argocd.sync',
      'argocd.refresh',
      'argocd.diff',
      'argocd.rollback',
      'argocd.terminate',
    ],
    pages: ['argocd'],
    app: 'argo-cd',
  },
  {
    name: 'cert-manager',
    title: 'cert-manager',
    description: 'Certificates and their issuers, renewal and expiry',
    routes: [
      'certificates.list',
      'certificate.details',
      'certificate.yaml',
      'certificate.describe',
      'certificate.update',
      'certificate.delete',
      'certificates.bulkDelete',
      'certificates.overview',
      'certificate.renew',
    ],
    pages: ['certificates'],
    app: 'cert-manager',
  },
  {
    name: 'kserve',
    title: 'KServe',
    description: 'Inference services: create, test and delete model servers',
    routes: ['inference.list', 'inference.get', 'inference.create', 'inference.delete', 'inference.test'],
    pages: ['inference-services'],
    app: 'kserve',
  },
  {
    name: 'kubeflow',
    title: 'Kubeflow Training',
    description: 'Training jobs (TrainJob, PyTorchJob): create, follow logs, delete',
    routes: ['ml.jobs.list', 'ml.jobs.get', 'ml.jobs.create', 'ml.jobs.delete', 'ml.jobs.logs', 'ml.jobs.logsWs'],
    pages: ['training-jobs'],
  },
  {
    name: 'kiali',
    title: 'Kiali',
    description: 'Service mesh traffic graph and the Kiali console',
    routes: ['kiali.status', 'kiali.install', 'kiali.proxy', 'kiali.graph', 'traffic.metrics'],
    pages: ['kiali'],
    app: 'kiali',
  },
  {
    name: 'mlflow',
    title: 'MLflow',
    description: 'Experiments, runs and registered models',
    routes: [
      'mlflow.status',
      'mlflow.install',
      'mlflow.proxy',
      'mlflow.experiments',
      'mlflow.runs',
      'mlflow.run',
      'mlflow.models',
    ],
    pages: ['mlflow'],
    app: 'mlflow',
  },
  {
    name: 'feast',
    title: 'Feast',
    description: 'Feature store status',
    routes: ['feast.status', 'feast.install', 'feast.registry'],
    pages: ['feast'],
    app: 'feast',
  },
  {
    name: 'gpu',
    title: 'GPUs',
    description: 'GPU nodes, allocation and DCGM metrics',
    routes: ['gpu.status', 'gpu.nodes', 'gpu.metrics', 'gpu.pods', 'gpu.install'],
    pages: ['gpu-dashboard'],
    app: 'nvidia-device-plugin',
  },
];

export const pluginByName = (name: string): PluginDef | undefined => PLUGINS.find((p) => p.name === name);

const byRoute = new Map<string, PluginDef>(PLUGINS.flatMap((p) => p.routes.map((r) => [r, p] as const)));
const byPage = new Map<string, PluginDef>(PLUGINS.flatMap((p) => p.pages.map((pg) => [pg, p] as const)));

/** The plugin that owns a route, if any. */
export const pluginOfRoute = (id: string): PluginDef | undefined => byRoute.get(id);

/** The plugin that owns a navigation page, if any. */
export const pluginOfPage = (id: string): PluginDef | undefined => byPage.get(id);

/** A plugin is on unless the settings turned it off (`plugins: {argocd: false}`). */
export const pluginEnabled = (settings: Record<string, unknown> | undefined, name: string): boolean =>
  (settings as Record<string, boolean> | undefined)?.[name] !== false;
