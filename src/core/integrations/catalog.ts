// The app catalog: charts KubeGraf knows how to install with helm, how each is recognised in a cluster (its Service
// or its Helm release), and uninstalling a release.
import type { ActionResult } from '../../shared/routes/resources';
import type { AppCatalogEntry, IntegrationStatus } from '../../shared/routes/integrations';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError } from '../api/errors';
import { listReleases, runHelm } from './helm';
import { checkRelease, nativeUninstall } from './helmNative';
import type { Params } from './util';

const CATALOG: Array<Omit<AppCatalogEntry, 'installed'> & { repo: string; match: RegExp; defaultNamespace: string }> = [
  {
    name: 'argo-cd',
    title: 'Argo CD',
    category: 'GitOps',
    description: 'Declarative GitOps continuous delivery',
    chart: 'argo-cd',
    repo: 'https://argoproj.github.io/argo-helm',
    match: /^argo-?cd|argocd-server$/,
    defaultNamespace: 'argocd',
  },
  {
    name: 'cert-manager',
    title: 'cert-manager',
    category: 'Security',
    description: 'X.509 certificates from ACME, Vault and more',
    chart: 'cert-manager',
    repo: 'https://charts.jetstack.io',
    match: /^cert-manager$/,
    defaultNamespace: 'cert-manager',
  },
  {
    name: 'kube-prometheus-stack',
    title: 'Prometheus + Grafana',
    category: 'Observability',
    description: 'Prometheus Operator, Prometheus, Alertmanager and Grafana',
    chart: 'kube-prometheus-stack',
    repo: 'https://prometheus-community.github.io/helm-charts',
    match: /^kube-prometheus-stack$|^prometheus$/,
    defaultNamespace: 'monitoring',
  },
  {
    name: 'ingress-nginx',
    title: 'Ingress NGINX',
    category: 'Networking',
    description: 'Ingress controller using NGINX',
    chart: 'ingress-nginx',
    repo: 'https://kubernetes.github.io/ingress-nginx',
    match: /^ingress-nginx(-controller)?$/,
    defaultNamespace: 'ingress-nginx',
  },
  {
    name: 'kiali',
    title: 'Kiali',
    category: 'Service mesh',
    description: 'Observability console for Istio',
    chart: 'kiali-server',
    repo: 'https://kiali.org/helm-charts',
    match: /^kiali$/,
    defaultNamespace: 'istio-system',
  },
  {
    name: 'mlflow',
    title: 'MLflow',
    category: 'Machine learning',
    description: 'Experiment tracking and model registry',
    chart: 'mlflow',
    repo: 'https://community-charts.github.io/helm-charts',
    match: /^mlflow$/,
    defaultNamespace: 'mlflow',
  },
  {
    name: 'feast',
    title: 'Feast',
    category: 'Machine learning',
    description: 'Feature store feature server',
    chart: 'feast-feature-server',
    repo: 'https://feast-helm-charts.storage.googleapis.com',
    match: /^feast(-feature-server)?$/,
    defaultNamespace: 'feast',
  },
  {
    name: 'nvidia-device-plugin',
    title: 'NVIDIA device plugin',
    category: 'GPU',
    description: 'Advertises nvidia.com/gpu on GPU nodes',
    chart: 'nvidia-device-plugin',
    repo: 'https://nvidia.github.io/k8s-device-plugin',
    match: /^nvidia-device-plugin/,
    defaultNamespace: 'nvidia-device-plugin',
  },
  {
    name: 'kserve',
    title: 'KServe',
    category: 'Machine learning',
    description: 'Model inference on Kubernetes',
    chart: 'kserve',
    repo: 'oci://ghcr.io/kserve/charts',
    match: /^kserve(-controller-manager)?$/,
    defaultNamespace: 'kserve',
  },
];

/** Whether an app runs in the cluster, found by its Service's name or `app.kubernetes.io/name` label. */
export async function serviceStatus(
  deps: ApiDeps,
  context: string | undefined,
  app: string,
): Promise<IntegrationStatus> {
  const c = CATALOG.find((x) => x.name === app)!;
  const svcs = (await objects(deps, context, 'services')) ?? [];
  const s = svcs.find(
    (x) => c.match.test(x.metadata.name) || c.match.test(x.metadata.labels?.['app.kubernetes.io/name'] ?? ''),
  );
  if (!s)
    return {
      installed: false,
      name: c.title,
      message: `${c.title} was not found in this cluster (no matching Service). Install it from the Apps page.`,
    };
  return {
    installed: true,
    name: c.title,
    namespace: s.metadata.namespace,
    service: s.metadata.name,
    version: s.metadata.labels?.['app.kubernetes.io/version'],
    message: `${c.title} is running as service ${s.metadata.namespace}/${s.metadata.name}`,
  };
}

/** Installs a catalog app with the helm binary (`--wait`, five minutes at most); refused on the demo cluster. */
export async function installApp(
  deps: ApiDeps,
  context: string | undefined,
  name: string | undefined,
  namespace?: string,
) {
  const c = CATALOG.find((x) => x.name === name);
  if (!c)
    throw new ApiError(
      'badRequest',
      `unknown app "${name ?? ''}"; known apps: ${CATALOG.map((x) => x.name).join(', ')}`,
      400,
    );
  const ctx = contextOf(deps, context);
  if (deps.demo)
    throw new ApiError(
      'unsupported',
      `the demo cluster is simulated and cannot run ${c.title}'s containers; connect a real cluster to install apps`,
      400,
    );
  const ns = namespace ?? c.defaultNamespace;
  const oci = c.repo.startsWith('oci://');
  await runHelm(deps, ctx, {
    command: 'install',
    release: c.name,
    namespace: ns,
    rest: [oci ? `${c.repo}/${c.chart}` : c.chart],
    flags: [...(oci ? [] : [`--repo=${c.repo}`]), '--create-namespace', '--wait', '--timeout=5m'],
  });
  return { ok: true as const, message: `installed ${c.title} in namespace ${ns} (helm release ${c.name})` };
}

/** The catalog, each entry marked installed when a Helm release matches it by name or chart. */
export async function catalogApps(deps: ApiDeps, context: string | undefined): Promise<AppCatalogEntry[]> {
  const rel = await listReleases(deps, context);
  return CATALOG.map(({ repo: _r, match, defaultNamespace: _d, ...c }) => {
    const r = rel.find((x) => match.test(x.name) || x.chart === c.chart);
    return r ? { ...c, installed: true, namespace: r.namespace, version: r.chartVersion } : { ...c, installed: false };
  });
}

/** `helm uninstall` of a release found by name (and namespace, when given), natively (no helm binary needed). */
export async function uninstallApp(deps: ApiDeps, p: Params<'apps.uninstall'>): Promise<ActionResult> {
  if (!p.name) throw new ApiError('badRequest', 'give the release to uninstall (name)', 400);
  checkRelease(p.name, p.namespace ?? 'default');
  const rel = (await listReleases(deps, p.context)).find(
    (r) => r.name === p.name && (!p.namespace || r.namespace === p.namespace),
  );
  if (!rel) throw new ApiError('notFound', `no Helm release "${p.name}"`, 404);
  const res = await nativeUninstall(deps.kube, contextOf(deps, p.context), {
    namespace: rel.namespace,
    name: rel.name,
  });
  return { ...res, ok: true, message: res.message };
}
