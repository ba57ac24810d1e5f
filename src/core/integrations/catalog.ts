// The app catalog: charts KubeGraf knows how to install with helm, how each is recognised in a cluster (a Helm release
// of its chart, or running workloads with its names or `app.kubernetes.io/*` labels), installing one with the helm
// binary and uninstalling its release natively (no helm binary).
import type {
  AppCatalogEntry,
  AppState,
  AppWorkload,
  HelmChangeResult,
  HelmReleaseSummary,
  IntegrationStatus,
} from '../../shared/routes/integrations';
import type { DaemonSet, Deployment, StatefulSet } from '../kube/objects';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError } from '../api/errors';
import { helmBinary, listReleases, runHelm } from './helm';
import { checkRelease, nativeUninstall } from './helmNative';
import type { Params } from './util';

interface CatalogApp {
  name: string;
  title: string;
  category: string;
  description: string;
  chart: string;
  repo: string;
  home: string;
  defaultNamespace: string;
  plugin?: string;
  /** Workload names that are this app (Deployments, StatefulSets, DaemonSets). */
  names?: RegExp;
  /** Values of `app.kubernetes.io/name` or `app.kubernetes.io/part-of` its chart sets. */
  labels: readonly string[];
  /** Service names that are this app (the integrations that talk to its API: Kiali, MLflow, Feast). */
  service?: RegExp;
}

const CATALOG: readonly CatalogApp[] = [
  {
    name: 'metrics-server',
    title: 'Metrics Server',
    category: 'Kubernetes essentials',
    description: 'Resource metrics API (CPU and memory) for kubectl top, autoscalers and KubeGraf charts',
    chart: 'metrics-server',
    repo: 'https://kubernetes-sigs.github.io/metrics-server/',
    home: 'https://github.com/kubernetes-sigs/metrics-server',
    defaultNamespace: 'kube-system',
    names: /^metrics-server$/,
    labels: ['metrics-server'],
  },
  {
    name: 'cert-manager',
    title: 'cert-manager',
    category: 'Kubernetes essentials',
    description: 'X.509 certificates from ACME, Vault and more, renewed before they expire',
    chart: 'cert-manager',
    repo: 'https://charts.jetstack.io',
    home: 'https://cert-manager.io',
    defaultNamespace: 'cert-manager',
    plugin: 'cert-manager',
    names: /^cert-manager(-webhook|-cainjector)?$/,
    labels: ['cert-manager'],
  },
  {
    name: 'ingress-nginx',
    title: 'Ingress NGINX',
    category: 'Networking',
    description: 'Ingress controller using NGINX as a reverse proxy and load balancer',
    chart: 'ingress-nginx',
    repo: 'https://kubernetes.github.io/ingress-nginx',
    home: 'https://kubernetes.github.io/ingress-nginx',
    defaultNamespace: 'ingress-nginx',
    names: /^ingress-nginx(-controller)?$/,
    labels: ['ingress-nginx'],
  },
  {
    name: 'argo-cd',
    title: 'Argo CD',
    category: 'GitOps',
    description: 'Declarative GitOps continuous delivery',
    chart: 'argo-cd',
    repo: 'https://argoproj.github.io/argo-helm',
    home: 'https://argo-cd.readthedocs.io',
    defaultNamespace: 'argocd',
    plugin: 'argocd',
    names: /^argo-?cd-(server|repo-server|application-controller)$/,
    labels: ['argocd', 'argocd-server', 'argo-cd'],
  },
  {
    name: 'kube-prometheus-stack',
    title: 'Prometheus + Grafana',
    category: 'Observability',
    description: 'Prometheus Operator, Prometheus, Alertmanager, node exporter and Grafana dashboards',
    chart: 'kube-prometheus-stack',
    repo: 'https://prometheus-community.github.io/helm-charts',
    home: 'https://github.com/prometheus-community/helm-charts',
    defaultNamespace: 'monitoring',
    names: /^(kube-prometheus-stack.*|prometheus)$/,
    labels: ['kube-prometheus-stack'],
  },
  {
    name: 'loki',
    title: 'Loki',
    category: 'Observability',
    description: 'Log aggregation indexed by labels, queried from Grafana',
    chart: 'loki',
    repo: 'https://grafana.github.io/helm-charts',
    home: 'https://grafana.com/oss/loki/',
    defaultNamespace: 'loki',
    names: /^loki(-.*)?$/,
    labels: ['loki'],
  },
  {
    name: 'falco',
    title: 'Falco',
    category: 'Security',
    description: 'Runtime threat detection from kernel events',
    chart: 'falco',
    repo: 'https://falcosecurity.github.io/charts',
    home: 'https://falco.org',
    defaultNamespace: 'falco',
    names: /^falco$/,
    labels: ['falco'],
  },
  {
    name: 'trivy-operator',
    title: 'Trivy Operator',
    category: 'Security',
    description: 'Vulnerability, misconfiguration and secret scans of what runs in the cluster',
    chart: 'trivy-operator',
    repo: 'https://aquasecurity.github.io/helm-charts/',
    home: 'https://aquasecurity.github.io/trivy-operator/',
    defaultNamespace: 'trivy-system',
    names: /^trivy-operator$/,
    labels: ['trivy-operator'],
  },
  {
    name: 'postgresql',
    title: 'PostgreSQL',
    category: 'Databases',
    description: 'PostgreSQL database (Bitnami chart), one primary with persistent storage',
    chart: 'postgresql',
    repo: 'oci://registry-1.docker.io/bitnamicharts',
    home: 'https://github.com/bitnami/charts/tree/main/bitnami/postgresql',
    defaultNamespace: 'postgresql',
    labels: ['postgresql'],
  },
  {
    name: 'redis',
    title: 'Redis',
    category: 'Databases',
    description: 'Redis key-value store (Bitnami chart), primary and replicas',
    chart: 'redis',
    repo: 'oci://registry-1.docker.io/bitnamicharts',
    home: 'https://github.com/bitnami/charts/tree/main/bitnami/redis',
    defaultNamespace: 'redis',
    labels: ['redis'],
  },
  {
    name: 'kiali',
    title: 'Kiali',
    category: 'Service mesh',
    description: 'Observability console for Istio: traffic graph, health, configuration validation',
    chart: 'kiali-server',
    repo: 'https://kiali.org/helm-charts',
    home: 'https://kiali.io',
    defaultNamespace: 'istio-system',
    plugin: 'kiali',
    names: /^kiali$/,
    labels: ['kiali'],
    service: /^kiali$/,
  },
  {
    name: 'mlflow',
    title: 'MLflow',
    category: 'Machine learning',
    description: 'Experiment tracking and model registry',
    chart: 'mlflow',
    repo: 'https://community-charts.github.io/helm-charts',
    home: 'https://mlflow.org',
    defaultNamespace: 'mlflow',
    plugin: 'mlflow',
    names: /^mlflow$/,
    labels: ['mlflow'],
    service: /^mlflow$/,
  },
  {
    name: 'feast',
    title: 'Feast',
    category: 'Machine learning',
    description: 'Feature store feature server',
    chart: 'feast-feature-server',
    repo: 'https://feast-helm-charts.storage.googleapis.com',
    home: 'https://feast.dev',
    defaultNamespace: 'feast',
    plugin: 'feast',
    names: /^feast(-feature-server)?$/,
    labels: ['feast', 'feast-feature-server'],
    service: /^feast(-feature-server)?$/,
  },
  {
    name: 'kserve',
    title: 'KServe',
    category: 'Machine learning',
    description: 'Model inference on Kubernetes (needs cert-manager)',
    chart: 'kserve',
    repo: 'oci://ghcr.io/kserve/charts',
    home: 'https://kserve.github.io/website/',
    defaultNamespace: 'kserve',
    plugin: 'kserve',
    names: /^kserve-controller-manager$/,
    labels: ['kserve'],
  },
  {
    name: 'nvidia-device-plugin',
    title: 'NVIDIA device plugin',
    category: 'GPU',
    description: 'Advertises nvidia.com/gpu on GPU nodes so pods can request GPUs',
    chart: 'nvidia-device-plugin',
    repo: 'https://nvidia.github.io/k8s-device-plugin',
    home: 'https://github.com/NVIDIA/k8s-device-plugin',
    defaultNamespace: 'nvidia-device-plugin',
    plugin: 'gpu',
    names: /^nvidia-device-plugin.*/,
    labels: ['nvidia-device-plugin'],
  },
];

const catalogApp = (name: string | undefined) => CATALOG.find((x) => x.name === name);

const unknownApp = (name: string | undefined) =>
  new ApiError('badRequest', `unknown app "${name ?? ''}"; known apps: ${CATALOG.map((x) => x.name).join(', ')}`, 400);

/** Whether an app runs in the cluster, found by its Service's name or `app.kubernetes.io/name` label. */
export async function serviceStatus(
  deps: ApiDeps,
  context: string | undefined,
  app: string,
): Promise<IntegrationStatus> {
  const c = catalogApp(app)!;
  const match = c.service ?? c.names ?? /^$/;
  const svcs = (await objects(deps, context, 'services')) ?? [];
  const s = svcs.find(
    (x) => match.test(x.metadata.name) || match.test(x.metadata.labels?.['app.kubernetes.io/name'] ?? ''),
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

type Workload = Deployment | StatefulSet | DaemonSet;

function workloadOf(kind: AppWorkload['kind'], w: Workload): AppWorkload {
  const st = (w.status ?? {}) as Record<string, number | undefined>;
  const spec = (w.spec ?? {}) as { replicas?: number };
  return kind === 'DaemonSet'
    ? {
        kind,
        namespace: w.metadata.namespace ?? '',
        name: w.metadata.name,
        ready: st.numberReady ?? 0,
        desired: st.desiredNumberScheduled ?? 0,
      }
    : {
        kind,
        namespace: w.metadata.namespace ?? '',
        name: w.metadata.name,
        ready: st.readyReplicas ?? 0,
        desired: spec.replicas ?? 1,
      };
}

async function allWorkloads(deps: ApiDeps, ctx: string): Promise<Array<{ kind: AppWorkload['kind']; w: Workload }>> {
  const [d, s, ds] = await Promise.all([
    objects(deps, ctx, 'deployments.apps'),
    objects(deps, ctx, 'statefulsets.apps'),
    objects(deps, ctx, 'daemonsets.apps'),
  ]);
  return [
    ...(d ?? []).map((w) => ({ kind: 'Deployment' as const, w })),
    ...(s ?? []).map((w) => ({ kind: 'StatefulSet' as const, w })),
    ...(ds ?? []).map((w) => ({ kind: 'DaemonSet' as const, w })),
  ];
}

/** The app's own names and labels on a workload. */
function looksLike(c: CatalogApp, w: Workload): boolean {
  const l = w.metadata.labels ?? {};
  return (
    Boolean(c.names?.test(w.metadata.name)) ||
    c.labels.includes(l['app.kubernetes.io/part-of'] ?? '') ||
    (c.labels.includes(l['app.kubernetes.io/name'] ?? '') && !l['app.kubernetes.io/part-of'])
  );
}

/** Put there by this release (Helm's ownership annotations, or the chart's instance label in its namespace). */
function ownedBy(r: HelmReleaseSummary, w: Workload): boolean {
  const a = w.metadata.annotations ?? {};
  if (a['meta.helm.sh/release-name'] === r.name && a['meta.helm.sh/release-namespace'] === r.namespace) return true;
  return w.metadata.namespace === r.namespace && w.metadata.labels?.['app.kubernetes.io/instance'] === r.name;
}

const kindOrder = { Deployment: 0, StatefulSet: 1, DaemonSet: 2 } as const;

function assess(
  c: CatalogApp,
  rel: HelmReleaseSummary | undefined,
  workloads: AppWorkload[],
): { state: AppState; message: string } {
  const notReady = workloads.filter((w) => w.ready < w.desired);
  const readiness = workloads.length
    ? notReady.length
      ? `${notReady.length} of ${workloads.length} workloads not ready (${notReady
          .slice(0, 2)
          .map((w) => `${w.kind} ${w.name} ${w.ready}/${w.desired}`)
          .join(', ')})`
      : `${workloads.length} workload${workloads.length === 1 ? '' : 's'} ready`
    : '';
  if (rel) {
    const where = `Helm release ${rel.namespace}/${rel.name}, chart ${rel.chart}-${rel.chartVersion}`;
    if (rel.status === 'failed')
      return { state: 'failed', message: `${where}: ${rel.description || 'the last change failed'}` };
    if (rel.status.startsWith('pending') || rel.status === 'uninstalling')
      return { state: 'progressing', message: `${where}: ${rel.status}` };
    return {
      state: notReady.length ? 'degraded' : 'installed',
      message: `${where}${readiness ? `; ${readiness}` : ''}`,
    };
  }
  const first = workloads[0];
  return {
    state: notReady.length ? 'degraded' : 'installed',
    message: `Running without a Helm release: ${first.kind} ${first.namespace}/${first.name}${
      workloads.length > 1 ? ` and ${workloads.length - 1} more` : ''
    }; ${readiness}`,
  };
}

/** The catalog, each app with its state in this cluster: from a Helm release of its chart, else its workloads. */
export async function catalogApps(deps: ApiDeps, context: string | undefined): Promise<AppCatalogEntry[]> {
  const ctx = contextOf(deps, context);
  const [releases, workloads] = await Promise.all([listReleases(deps, ctx), allWorkloads(deps, ctx)]);
  return CATALOG.map((c) => {
    const { names: _n, labels: _l, service: _s, ...pub } = c;
    const rel = releaseOf(c, releases);
    const ws = workloads
      .filter(({ w }) =>
        rel ? ownedBy(rel, w) || (w.metadata.namespace === rel.namespace && looksLike(c, w)) : looksLike(c, w),
      )
      .map(({ kind, w }) => workloadOf(kind, w))
      .sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.name.localeCompare(b.name));
    if (!rel && !ws.length)
      return {
        ...pub,
        installed: false,
        state: 'notInstalled' as const,
        message: `Not found in this cluster: no Helm release of chart ${c.chart} and no workload named or labelled as ${c.title}`,
        workloads: [],
      };
    const { state, message } = assess(c, rel, ws);
    const version = rel?.appVersion || rel?.chartVersion || undefined;
    return {
      ...pub,
      installed: true,
      state,
      detectedBy: rel ? ('helm' as const) : ('workloads' as const),
      message,
      namespace: rel?.namespace ?? ws[0]?.namespace,
      ...(version ? { version } : {}),
      ...(rel ? { release: rel } : {}),
      workloads: ws,
    };
  });
}

/** The app's release: one of its chart (or named as the app), never one uninstalled with its history kept. */
function releaseOf(c: CatalogApp, releases: HelmReleaseSummary[]): HelmReleaseSummary | undefined {
  const live = releases.filter((r) => r.status !== 'uninstalled');
  return live.find((r) => r.chart === c.chart) ?? live.find((r) => r.name === c.name);
}

/** Network failures of helm fetching a chart: the install needs internet access to the chart repository. */
const OFFLINE =
  /no such host|dial tcp|i\/o timeout|network is unreachable|connection refused|temporary failure in name resolution|TLS handshake timeout|could not resolve host/i;

/**
 * Installs a catalog app with the helm binary (`helm install --wait`, five minutes at most). Refused with a reason
 * first: an unknown app (400), one already in the cluster (409), no helm binary on PATH (424); a chart that cannot be
 * downloaded says the install needs internet access to its repository (502).
 */
export async function installApp(
  deps: ApiDeps,
  context: string | undefined,
  name: string | undefined,
  namespace?: string,
): Promise<{ ok: true; message: string; release: string; namespace: string }> {
  const c = catalogApp(name);
  if (!c) throw unknownApp(name);
  const ctx = contextOf(deps, context);
  const now = (await catalogApps(deps, ctx)).find((x) => x.name === c.name)!;
  if (now.installed)
    throw new ApiError('alreadyInstalled', `${c.title} is already in this cluster: ${now.message}`, 409);
  const helm = await helmBinary();
  if (!helm.available)
    throw new ApiError(
      'helmNotFound',
      `Installing ${c.title} renders its Helm chart, which needs the helm binary on the machine running KubeGraf. ${helm.message}`,
      424,
    );
  const ns = namespace ?? c.defaultNamespace;
  const oci = c.repo.startsWith('oci://');
  try {
    await runHelm(deps, ctx, {
      command: 'install',
      release: c.name,
      namespace: ns,
      rest: [oci ? `${c.repo}/${c.chart}` : c.chart],
      flags: [...(oci ? [] : [`--repo=${c.repo}`]), '--create-namespace', '--wait', '--timeout=5m'],
    });
  } catch (e) {
    if (e instanceof ApiError && e.code === 'helmFailed' && OFFLINE.test(e.message))
      throw new ApiError(
        'chartUnreachable',
        `Could not download the ${c.title} chart from ${c.repo}: installing needs internet access to the chart repository (${e.message.replace(/^helm install failed: /, '').slice(0, 300)})`,
        502,
      );
    throw e;
  }
  return {
    ok: true,
    message: `installed ${c.title} in namespace ${ns} (Helm release ${c.name})`,
    release: c.name,
    namespace: ns,
  };
}

/**
 * Uninstalls an app's Helm release natively (no helm binary): `name` is a release name, or a catalog app's name whose
 * release is found by its chart. An app that runs without a release is refused (409): KubeGraf removes only what Helm
 * recorded, never guesses at workloads.
 */
export async function uninstallApp(deps: ApiDeps, p: Params<'apps.uninstall'>): Promise<HelmChangeResult> {
  if (!p.name) throw new ApiError('badRequest', 'give the app or release to uninstall (name)', 400);
  checkRelease(p.name, p.namespace ?? 'default');
  const ctx = contextOf(deps, p.context);
  const releases = (await listReleases(deps, ctx)).filter((r) => r.status !== 'uninstalled');
  let rel = releases.find((r) => r.name === p.name && (!p.namespace || r.namespace === p.namespace));
  const c = catalogApp(p.name);
  if (!rel && c) {
    const app = (await catalogApps(deps, ctx)).find((x) => x.name === c.name)!;
    if (app.release && (!p.namespace || app.release.namespace === p.namespace)) rel = app.release;
    else if (app.installed)
      throw new ApiError(
        'notHelmManaged',
        `${c.title} runs here without a Helm release (${app.message.replace(/^Running without a Helm release: /, '')}); KubeGraf uninstalls Helm releases only, so remove it with the tool that installed it`,
        409,
      );
    else throw new ApiError('notFound', `${c.title} is not installed in this cluster`, 404);
  }
  if (!rel)
    throw new ApiError('notFound', `no Helm release "${p.name}"${p.namespace ? ` in ${p.namespace}` : ''}`, 404);
  return nativeUninstall(deps.kube, ctx, {
    namespace: rel.namespace,
    name: rel.name,
    keepHistory: p.keepHistory,
    dryRun: p.dryRun,
  });
}
