// Handlers of the integration and analysis routes. Cluster data answers what it can (Helm records, Argo CD
// Applications, KServe InferenceServices, GPU nodes, analyses); installs run the real helm binary; the rest say why not.
import type { Handlers } from '../../shared/route';
import type { ArgoApp, AppCatalogEntry, GpuNode, InferenceServiceDto, INTEGRATION_ROUTES, IntegrationStatus } from '../../shared/routes/integrations';
import { toYaml } from '../kube/actions';
import type { KObject } from '../kube/descriptors';
import { KubeError } from '../kube/errors';
import { buildGraph, costReport, isActivePod, podRequests, securityReport } from './analysis';
import { contextOf } from './common';
import type { ApiDeps } from './deps';
import { ApiError, notImplemented, notInstalled } from './errors';
import { listReleases, releaseDetails, releaseHistory, runHelm } from './helm';
import { deleteOf, detailsOf } from './resources';
import { toRow } from './rows';

type H = Handlers<typeof INTEGRATION_ROUTES, ApiDeps>;

/** Objects of a kind (cache-backed), or undefined when the cluster does not serve the kind at all. */
async function objects(deps: ApiDeps, context: string | undefined, kind: string, namespace?: string): Promise<KObject[] | undefined> {
  const ctx = contextOf(deps, context);
  try {
    deps.kube.descriptor(ctx, kind);
  } catch (e) {
    if (e instanceof KubeError && e.code === 'notFound') return undefined;
    throw e;
  }
  const { cache } = await deps.lists.cache(ctx, kind, namespace || undefined);
  return namespace ? cache.index.inNamespace(namespace) : cache.list();
}

async function must(deps: ApiDeps, context: string | undefined, kind: string, what: string, namespace?: string): Promise<KObject[]> {
  const o = await objects(deps, context, kind, namespace);
  if (!o) throw notInstalled(`${what} is not installed in this cluster (no ${kind} CRD)`);
  return o;
}

// ---------- Argo CD ----------

const ARGO = 'applications.argoproj.io';

function argoApp(o: KObject): ArgoApp {
  const src = o.spec?.source ?? o.spec?.sources?.[0] ?? {};
  const res = (o.status?.resources ?? []) as Array<{ group?: string; kind: string; namespace?: string; name: string; status?: string; health?: { status?: string } }>;
  return {
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? '',
    project: o.spec?.project ?? 'default',
    repoURL: src.repoURL,
    path: src.path ?? src.chart,
    targetRevision: src.targetRevision,
    destination: o.spec?.destination ?? {},
    syncStatus: o.status?.sync?.status ?? 'Unknown',
    healthStatus: o.status?.health?.status ?? 'Unknown',
    revision: o.status?.sync?.revision,
    autoSync: Boolean(o.spec?.syncPolicy?.automated),
    operationPhase: o.status?.operationState?.phase,
    resources: res.map((r) => ({ group: r.group, kind: r.kind, namespace: r.namespace, name: r.name, status: r.status, health: r.health?.status })),
  };
}

async function findArgo(deps: ApiDeps, context: string | undefined, namespace: string | undefined, name: string): Promise<KObject> {
  const apps = await must(deps, context, ARGO, 'Argo CD');
  const hit = apps.filter((a) => a.metadata.name === name && (!namespace || a.metadata.namespace === namespace));
  if (!hit.length) throw new ApiError('notFound', `no Argo CD application "${name}"${namespace ? ` in ${namespace}` : ''}`, 404);
  if (hit.length > 1) throw new ApiError('ambiguous', `several applications are named "${name}"; give the namespace`, 400);
  // The cache may lag a write; edits start from the server's copy.
  return deps.kube.actions(contextOf(deps, context)).get(ARGO, hit[0].metadata.namespace, name);
}

// ---------- KServe ----------

const ISVC = 'inferenceservices.serving.kserve.io';

function isvc(o: KObject): InferenceServiceDto {
  const conds = (o.status?.conditions ?? []) as Array<{ type: string; status: string; reason?: string; message?: string }>;
  const m = o.spec?.predictor?.model ?? {};
  return {
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? '',
    modelFormat: m.modelFormat?.name,
    runtime: m.runtime ?? o.status?.clusterServingRuntimeName ?? o.status?.servingRuntimeName,
    storageUri: m.storageUri,
    url: o.status?.url,
    ready: conds.some((c) => c.type === 'Ready' && c.status === 'True'),
    conditions: conds.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
    modelState: o.status?.modelStatus?.states?.activeModelState,
    deploymentMode: o.status?.deploymentMode ?? o.metadata.annotations?.['serving.kserve.io/deploymentMode'],
  };
}

// ---------- GPUs ----------

function gpuNodes(nodes: KObject[], pods: KObject[]): GpuNode[] {
  return nodes
    .filter((n) => quantityInt(n.status?.capacity?.['nvidia.com/gpu']) > 0 || n.metadata.labels?.['nvidia.com/gpu.present'] === 'true' || n.metadata.labels?.['nvidia.com/gpu.product'])
    .map((n) => {
      const l = n.metadata.labels ?? {};
      const on = pods.filter((p) => p.spec?.nodeName === n.metadata.name && isActivePod(p)).map((p) => ({ namespace: p.metadata.namespace ?? '', name: p.metadata.name, gpus: podRequests(p).gpu })).filter((p) => p.gpus > 0);
      const g: GpuNode = {
        name: n.metadata.name,
        product: l['nvidia.com/gpu.product'],
        family: l['nvidia.com/gpu.family'],
        memoryMiB: l['nvidia.com/gpu.memory'] ? Number(l['nvidia.com/gpu.memory']) : undefined,
        capacity: quantityInt(n.status?.capacity?.['nvidia.com/gpu']),
        allocatable: quantityInt(n.status?.allocatable?.['nvidia.com/gpu']),
        allocated: on.reduce((s, p) => s + p.gpus, 0),
        sharing: l['nvidia.com/gpu.sharing-strategy'],
        driverVersion: l['nvidia.com/cuda.driver-version.full'] ?? (l['nvidia.com/cuda.driver.major'] ? `${l['nvidia.com/cuda.driver.major']}.${l['nvidia.com/cuda.driver.minor'] ?? 0}` : undefined),
        cudaVersion: l['nvidia.com/cuda.runtime-version.full'] ?? (l['nvidia.com/cuda.runtime.major'] ? `${l['nvidia.com/cuda.runtime.major']}.${l['nvidia.com/cuda.runtime.minor'] ?? 0}` : undefined),
        migCapable: l['nvidia.com/mig.capable'] === 'true',
        pods: on,
      };
      return g;
    });
}

const quantityInt = (v: unknown) => (v === undefined ? 0 : Math.floor(Number(v)) || 0);

// ---------- integrations found by their services ----------

const CATALOG: Array<Omit<AppCatalogEntry, 'installed'> & { repo: string; match: RegExp; defaultNamespace: string }> = [
  { name: 'argo-cd', title: 'Argo CD', category: 'GitOps', description: 'Declarative GitOps continuous delivery', chart: 'argo-cd', repo: 'https://argoproj.github.io/argo-helm', match: /^argo-?cd|argocd-server$/, defaultNamespace: 'argocd' },
  { name: 'cert-manager', title: 'cert-manager', category: 'Security', description: 'X.509 certificates from ACME, Vault and more', chart: 'cert-manager', repo: 'https://charts.jetstack.io', match: /^cert-manager$/, defaultNamespace: 'cert-manager' },
  { name: 'kube-prometheus-stack', title: 'Prometheus + Grafana', category: 'Observability', description: 'Prometheus Operator, Prometheus, Alertmanager and Grafana', chart: 'kube-prometheus-stack', repo: 'https://prometheus-community.github.io/helm-charts', match: /^kube-prometheus-stack$|^prometheus$/, defaultNamespace: 'monitoring' },
  { name: 'ingress-nginx', title: 'Ingress NGINX', category: 'Networking', description: 'Ingress controller using NGINX', chart: 'ingress-nginx', repo: 'https://kubernetes.github.io/ingress-nginx', match: /^ingress-nginx(-controller)?$/, defaultNamespace: 'ingress-nginx' },
  { name: 'kiali', title: 'Kiali', category: 'Service mesh', description: 'Observability console for Istio', chart: 'kiali-server', repo: 'https://kiali.org/helm-charts', match: /^kiali$/, defaultNamespace: 'istio-system' },
  { name: 'mlflow', title: 'MLflow', category: 'Machine learning', description: 'Experiment tracking and model registry', chart: 'mlflow', repo: 'https://community-charts.github.io/helm-charts', match: /^mlflow$/, defaultNamespace: 'mlflow' },
  { name: 'feast', title: 'Feast', category: 'Machine learning', description: 'Feature store feature server', chart: 'feast-feature-server', repo: 'https://feast-helm-charts.storage.googleapis.com', match: /^feast(-feature-server)?$/, defaultNamespace: 'feast' },
  { name: 'nvidia-device-plugin', title: 'NVIDIA device plugin', category: 'GPU', description: 'Advertises nvidia.com/gpu on GPU nodes', chart: 'nvidia-device-plugin', repo: 'https://nvidia.github.io/k8s-device-plugin', match: /^nvidia-device-plugin/, defaultNamespace: 'nvidia-device-plugin' },
  { name: 'kserve', title: 'KServe', category: 'Machine learning', description: 'Model inference on Kubernetes', chart: 'kserve', repo: 'oci://ghcr.io/kserve/charts', match: /^kserve(-controller-manager)?$/, defaultNamespace: 'kserve' },
];

async function serviceStatus(deps: ApiDeps, context: string | undefined, app: string): Promise<IntegrationStatus> {
  const c = CATALOG.find((x) => x.name === app)!;
  const svcs = (await objects(deps, context, 'services')) ?? [];
  const s = svcs.find((x) => c.match.test(x.metadata.name) || c.match.test(x.metadata.labels?.['app.kubernetes.io/name'] ?? ''));
  if (!s) return { installed: false, name: c.title, message: `${c.title} was not found in this cluster (no matching Service); install it with POST /api/${app === 'kiali' ? 'integrations/kiali' : app}/install` };
  return { installed: true, name: c.title, namespace: s.metadata.namespace, service: s.metadata.name, version: s.metadata.labels?.['app.kubernetes.io/version'], message: `${c.title} is running as service ${s.metadata.namespace}/${s.metadata.name}` };
}

async function installApp(deps: ApiDeps, context: string | undefined, name: string | undefined, namespace?: string) {
  const c = CATALOG.find((x) => x.name === name);
  if (!c) throw new ApiError('badRequest', `unknown app "${name ?? ''}"; known apps: ${CATALOG.map((x) => x.name).join(', ')}`, 400);
  const ctx = contextOf(deps, context);
  if (deps.demo) throw new ApiError('unsupported', `the demo cluster is simulated and cannot run ${c.title}'s containers; connect a real cluster to install apps`, 400);
  const ns = namespace ?? c.defaultNamespace;
  const chartArgs = c.repo.startsWith('oci://') ? [`${c.repo}/${c.chart}`] : [c.chart, '--repo', c.repo];
  await runHelm(deps, ctx, ['install', c.name, ...chartArgs, '--namespace', ns, '--create-namespace', '--wait', '--timeout', '5m']);
  return { ok: true as const, message: `installed ${c.title} in namespace ${ns} (helm release ${c.name})` };
}

const proxyAnswer = async (deps: ApiDeps, app: string) => {
  const s = await serviceStatus(deps, undefined, app);
  if (!s.installed) throw notInstalled(s.message);
  throw notImplemented(`${s.name} is installed (${s.namespace}/${s.service}), but proxying its API through KubeGraf is not built yet; port-forward the service instead (POST /api/portforward/start)`);
};

const ML_KINDS = ['trainjobs.trainer.kubeflow.org', 'pytorchjobs.kubeflow.org', 'tfjobs.kubeflow.org', 'mpijobs.kubeflow.org', 'xgboostjobs.kubeflow.org', 'jaxjobs.kubeflow.org'];

async function mlJobs(deps: ApiDeps, context: string | undefined, namespace?: string): Promise<Array<{ kind: string; o: KObject }>> {
  const out: Array<{ kind: string; o: KObject }> = [];
  let any = false;
  for (const k of ML_KINDS) {
    const objs = await objects(deps, context, k, namespace);
    if (!objs) continue;
    any = true;
    out.push(...objs.map((o) => ({ kind: k, o })));
  }
  if (!any) throw notInstalled('no Kubeflow training operator is installed (none of the TrainJob/PyTorchJob/TFJob CRDs exist)');
  return out;
}

async function mlJob(deps: ApiDeps, context: string | undefined, namespace: string, name: string) {
  const hit = (await mlJobs(deps, context, namespace)).find((j) => j.o.metadata.name === name);
  if (!hit) throw new ApiError('notFound', `no ML job "${name}" in namespace ${namespace}`, 404);
  return hit;
}

export const INTEGRATION_HANDLERS: Omit<H, 'ml.jobs.logsWs'> = {
  'helm.releases': async (p, deps) => ({ releases: await listReleases(deps, p.context, p.namespace) }),
  'helm.release': async (p, deps) => releaseDetails(deps, p.context, p.namespace, p.name),
  'helm.history': async (p, deps) => ({ history: await releaseHistory(deps, p.context, p.namespace, p.name) }),
  'helm.rollback': async (p, deps) => {
    const hist = await releaseHistory(deps, p.context, p.namespace, p.name);
    if (p.revision !== undefined && !hist.some((h) => h.revision === p.revision)) throw new ApiError('notFound', `release ${p.name} has no revision ${p.revision}`, 404);
    if (p.revision === undefined && hist.length < 2) throw new ApiError('badRequest', `release ${p.name} has no previous revision`, 400);
    const ctx = contextOf(deps, p.context);
    await runHelm(deps, ctx, ['rollback', p.name, ...(p.revision ? [String(p.revision)] : []), '--namespace', p.namespace, '--wait']);
    return { ok: true, message: `rolled back ${p.namespace}/${p.name}${p.revision ? ` to revision ${p.revision}` : ''}` };
  },
  'argocd.apps': async (p, deps) => ({ apps: (await must(deps, p.context, ARGO, 'Argo CD', p.namespace)).map(argoApp).sort((a, b) => a.name.localeCompare(b.name)) }),
  'argocd.app': async (p, deps) => {
    const o = await findArgo(deps, p.context, p.namespace, p.name);
    delete o.metadata.managedFields;
    return { ...argoApp(o), object: o };
  },
  'argocd.sync': async (p, deps) => {
    const o = await findArgo(deps, p.context, p.namespace, p.name);
    if (o.operation) throw new ApiError('conflict', `another operation is already in progress on ${p.name}`, 409);
    o.operation = { sync: { revision: p.revision ?? o.spec?.source?.targetRevision, prune: p.prune ?? false, dryRun: p.dryRun ?? false, syncStrategy: { hook: {} } }, initiatedBy: { username: 'kubegraf' } };
    if (o.status) delete o.status.operationState;
    await deps.kube.actions(contextOf(deps, p.context)).apply(toYaml(o), o.metadata.namespace);
    return { ok: true, message: `sync of ${o.metadata.namespace}/${p.name} requested; the Argo CD controller runs it` };
  },
  'argocd.refresh': async (p, deps) => {
    const o = await findArgo(deps, p.context, p.namespace, p.name);
    o.metadata.annotations = { ...(o.metadata.annotations ?? {}), 'argocd.argoproj.io/refresh': p.hard ? 'hard' : 'normal' };
    await deps.kube.actions(contextOf(deps, p.context)).apply(toYaml(o), o.metadata.namespace);
    return { ok: true, message: `${p.hard ? 'hard ' : ''}refresh of ${o.metadata.namespace}/${p.name} requested` };
  },
  'plugins.list': async (p, deps) => {
    const s = await deps.settings.get();
    const enabled = (s.plugins ?? {}) as Record<string, boolean>;
    const ctx = contextOf(deps, p.context);
    const kinds = deps.kube.kinds(ctx);
    const has = (g: string) => kinds.some((k) => k.group === g);
    const helm = (await listReleases(deps, p.context)).length;
    const rows = [
      { name: 'helm', detected: helm > 0, message: `${helm} Helm release(s)` },
      { name: 'argocd', detected: has('argoproj.io'), message: has('argoproj.io') ? 'Argo CD CRDs found' : 'Argo CD not installed' },
      { name: 'cert-manager', detected: has('cert-manager.io'), message: has('cert-manager.io') ? 'cert-manager CRDs found' : 'cert-manager not installed' },
      { name: 'kserve', detected: has('serving.kserve.io'), message: has('serving.kserve.io') ? 'KServe CRDs found' : 'KServe not installed' },
    ];
    return { plugins: rows.map((r) => ({ ...r, enabled: enabled[r.name] ?? r.detected })) };
  },
  'plugins.install': async (p, deps) => installApp(deps, p.context, p.name),
  'plugins.enable': async (p, deps) => {
    const s = await deps.settings.get();
    await deps.settings.save({ plugins: { ...((s.plugins ?? {}) as object), [p.name]: p.enabled ?? true } });
    return { ok: true, message: `plugin ${p.name} ${p.enabled === false ? 'disabled' : 'enabled'}` };
  },
  'inference.list': async (p, deps) => ({ services: (await must(deps, p.context, ISVC, 'KServe', p.namespace)).map(isvc) }),
  'inference.get': async (p, deps) => {
    await must(deps, p.context, ISVC, 'KServe');
    const d = await detailsOf(deps, ISVC, p);
    const pods = (await objects(deps, p.context, 'pods', p.namespace)) ?? [];
    const pd = deps.kube.descriptor(contextOf(deps, p.context), 'pods');
    return { ...isvc(d.object as KObject), object: d.object, pods: pods.filter((x) => x.metadata.labels?.['serving.kserve.io/inferenceservice'] === p.name).map((x) => toRow(pd, x)) };
  },
  'inference.create': async (p, deps) => {
    await must(deps, p.context, ISVC, 'KServe');
    const a = deps.kube.actions(contextOf(deps, p.context));
    const model: Record<string, unknown> = { modelFormat: { name: p.modelFormat }, storageUri: p.storageUri };
    if (p.runtime) model.runtime = p.runtime;
    const y = toYaml({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: p.name, namespace: p.namespace }, spec: { predictor: { model } } });
    const preview = await a.previewApply(y, p.namespace);
    if (p.dryRun) return { applied: false, preview };
    return { applied: true, preview, object: await a.apply(y, p.namespace) };
  },
  'inference.delete': async (p, deps) => {
    await must(deps, p.context, ISVC, 'KServe');
    return deleteOf(deps, ISVC, p);
  },
  'inference.test': async (p, deps) => {
    const list = await must(deps, p.context, ISVC, 'KServe', p.namespace);
    const s = list.find((x) => x.metadata.name === p.name);
    if (!s) throw new ApiError('notFound', `no InferenceService ${p.namespace}/${p.name}`, 404);
    throw notImplemented(`sending test requests is not built yet; port-forward service ${p.name}-predictor (POST /api/portforward/start) and POST /v1/models/${p.name}:predict`);
  },
  'ml.jobs.list': async (p, deps) => ({ jobs: (await mlJobs(deps, p.context, p.namespace)).map(({ kind, o }) => ({ kind, name: o.metadata.name, namespace: o.metadata.namespace, createdAt: o.metadata.creationTimestamp, conditions: o.status?.conditions ?? [] })) }),
  'ml.jobs.get': async (p, deps) => {
    const j = await mlJob(deps, p.context, p.namespace, p.name);
    return detailsOf(deps, j.kind, p);
  },
  'ml.jobs.delete': async (p, deps) => {
    const j = await mlJob(deps, p.context, p.namespace, p.name);
    return deleteOf(deps, j.kind, p);
  },
  'ml.jobs.logs': async (p, deps) => {
    await mlJob(deps, p.context, p.namespace, p.name);
    const pods = ((await objects(deps, p.context, 'pods', p.namespace)) ?? []).filter((x) => x.metadata.labels?.['training.kubeflow.org/job-name'] === p.name || x.metadata.labels?.['jobset.sigs.k8s.io/jobset-name'] === p.name);
    const a = deps.kube.actions(contextOf(deps, p.context));
    const out: Array<{ pod: string; logs: string }> = [];
    for (const pod of pods) out.push({ pod: pod.metadata.name, logs: (await a.logs({ kind: 'pods', namespace: p.namespace, name: pod.metadata.name }, { tailLines: 500 })).map((l) => l.text).join('\n') });
    return { pods: out };
  },
  'ml.jobs.create': async () => {
    throw notImplemented('creating training jobs from KubeGraf is not built yet; apply a TrainJob/PyTorchJob YAML with POST /api/custom-resources/{crd}/{name}/update');
  },
  'gpu.status': async (p, deps) => {
    const nodes = gpuNodes((await objects(deps, p.context, 'nodes')) ?? [], (await objects(deps, p.context, 'pods')) ?? []);
    const pods = (await objects(deps, p.context, 'pods')) ?? [];
    const dcgm = pods.some((x) => /dcgm-exporter/.test(x.metadata.name) || x.metadata.labels?.['app.kubernetes.io/name'] === 'dcgm-exporter');
    const total = nodes.reduce((s, n) => s + n.allocatable, 0);
    const used = nodes.reduce((s, n) => s + n.allocated, 0);
    return { available: nodes.length > 0, nodes: nodes.length, totalGpus: total, allocatedGpus: used, devicePlugin: nodes.some((n) => n.capacity > 0), dcgmExporter: dcgm, message: nodes.length ? `${used}/${total} GPUs allocated on ${nodes.length} node(s)` : 'no GPU nodes (no node advertises nvidia.com/gpu)' };
  },
  'gpu.nodes': async (p, deps) => ({ nodes: gpuNodes((await objects(deps, p.context, 'nodes')) ?? [], (await objects(deps, p.context, 'pods')) ?? []) }),
  'gpu.metrics': async (p, deps) => {
    const pods = (await objects(deps, p.context, 'pods')) ?? [];
    if (!pods.some((x) => /dcgm-exporter/.test(x.metadata.name))) throw notInstalled('GPU metrics come from the NVIDIA DCGM exporter, which is not running in this cluster');
    throw notImplemented('reading DCGM exporter metrics is not built yet');
  },
  'gpu.install': async (p, deps) => installApp(deps, p.context, 'nvidia-device-plugin'),
  'kiali.status': async (p, deps) => serviceStatus(deps, p.context, 'kiali'),
  'kiali.install': async (p, deps) => installApp(deps, p.context, 'kiali'),
  'kiali.proxy': async (_p, deps) => proxyAnswer(deps, 'kiali'),
  'mlflow.status': async (p, deps) => serviceStatus(deps, p.context, 'mlflow'),
  'mlflow.install': async (p, deps) => installApp(deps, p.context, 'mlflow'),
  'mlflow.proxy': async (_p, deps) => proxyAnswer(deps, 'mlflow'),
  'feast.status': async (p, deps) => serviceStatus(deps, p.context, 'feast'),
  'feast.install': async (p, deps) => installApp(deps, p.context, 'feast'),
  'apps.list': async (p, deps) => {
    const rel = await listReleases(deps, p.context);
    return {
      apps: CATALOG.map(({ repo: _r, match, defaultNamespace: _d, ...c }) => {
        const r = rel.find((x) => match.test(x.name) || x.chart === c.chart);
        return r ? { ...c, installed: true, namespace: r.namespace, version: r.chartVersion } : { ...c, installed: false };
      }),
    };
  },
  'apps.installed': async (p, deps) => ({ apps: (await listReleases(deps, p.context, p.namespace)).filter((r) => r.status === 'deployed') }),
  'apps.install': async (p, deps) => installApp(deps, p.context, p.name, p.namespace),
  'apps.uninstall': async (p, deps) => {
    if (!p.name) throw new ApiError('badRequest', 'give the release to uninstall (name)', 400);
    const rel = (await listReleases(deps, p.context)).find((r) => r.name === p.name && (!p.namespace || r.namespace === p.namespace));
    if (!rel) throw new ApiError('notFound', `no Helm release "${p.name}"`, 404);
    await runHelm(deps, contextOf(deps, p.context), ['uninstall', rel.name, '--namespace', rel.namespace, '--wait']);
    return { ok: true, message: `uninstalled ${rel.namespace}/${rel.name}` };
  },
  'customApps.preview': async (p) => customAppPreview(p),
  'customApps.deploy': async (p, deps) => {
    const a = deps.kube.actions(contextOf(deps, p.context));
    const docs = customAppObjects(p);
    for (const d of docs) await a.previewApply(toYaml(d), p.namespace);
    if (p.dryRun) return { applied: false, objects: docs.map((d) => `${d.kind}/${d.metadata.name}`) };
    for (const d of docs) await a.apply(toYaml(d), p.namespace);
    return { applied: true, objects: docs.map((d) => `${d.kind}/${d.metadata.name}`) };
  },
  'customApps.list': async (p, deps) => {
    const deps_ = ((await objects(deps, p.context, 'deployments.apps', p.namespace)) ?? []).filter((d) => d.metadata.labels?.[CUSTOM_LABEL] === CUSTOM_VALUE);
    return { apps: deps_.map((d) => ({ name: d.metadata.name, namespace: d.metadata.namespace ?? '', image: d.spec?.template?.spec?.containers?.[0]?.image ?? '', replicas: d.spec?.replicas ?? 1, ready: d.status?.readyReplicas ?? 0 })) };
  },
  'customApps.delete': async (p, deps) => {
    const a = deps.kube.actions(contextOf(deps, p.context));
    const dep = await a.get('deployments.apps', p.namespace, p.name);
    if (dep.metadata.labels?.[CUSTOM_LABEL] !== CUSTOM_VALUE) throw new ApiError('badRequest', `${p.namespace}/${p.name} is not a custom app (it lacks ${CUSTOM_LABEL}=${CUSTOM_VALUE})`, 400);
    const out = await deleteOf(deps, 'deployments.apps', p);
    const svc = await a.get('services', p.namespace, p.name).catch(() => undefined);
    if (svc?.metadata.labels?.[CUSTOM_LABEL] === CUSTOM_VALUE) {
      if (!p.dryRun) await a.delete('services', p.namespace, p.name);
      out.deleted.push({ namespace: p.namespace, name: p.name });
    }
    return out;
  },
  security: async (p, deps) => {
    const pods = ((await objects(deps, p.context, 'pods', p.namespace)) ?? []).filter(isActivePod);
    const netpols = (await objects(deps, p.context, 'networkpolicies.networking.k8s.io', p.namespace)) ?? [];
    const nss = p.namespace ? [p.namespace] : ((await objects(deps, p.context, 'namespaces')) ?? []).map((n) => n.metadata.name);
    const crbs = p.namespace ? [] : ((await objects(deps, p.context, 'clusterrolebindings.rbac.authorization.k8s.io')) ?? []);
    return securityReport(pods, netpols, nss, crbs);
  },
  'cost.analysis': async (p, deps) => costReport((await objects(deps, p.context, 'pods', p.namespace)) ?? []),
  'drift.analysis': async (p, deps) => {
    const apps = (await must(deps, p.context, ARGO, 'Argo CD (drift is measured against Git through it)', p.namespace)).map(argoApp);
    const drifted = apps.filter((a) => a.syncStatus !== 'Synced');
    return { drifted, total: apps.length, message: `${drifted.length} of ${apps.length} application(s) differ from Git` };
  },
  topology: async (p, deps) => graph(deps, p.context, p.namespace, false),
  resourcemap: async (p, deps) => graph(deps, p.context, p.namespace, true),
  'continuity.summary': async (p, deps) => {
    const workloads = [...((await objects(deps, p.context, 'deployments.apps', p.namespace)) ?? []), ...((await objects(deps, p.context, 'statefulsets.apps', p.namespace)) ?? [])];
    const pdbs = (await objects(deps, p.context, 'poddisruptionbudgets.policy', p.namespace)) ?? [];
    const pods = (await objects(deps, p.context, 'pods', p.namespace)) ?? [];
    const rows = workloads.map((w) => {
      const sel = w.spec?.selector ?? {};
      const mine = pods.filter((x) => x.metadata.namespace === w.metadata.namespace && Object.entries((sel.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => x.metadata.labels?.[k] === v));
      const nodes = new Set(mine.map((x) => x.spec?.nodeName).filter(Boolean));
      const pdb = pdbs.some((b) => b.metadata.namespace === w.metadata.namespace && Object.entries((b.spec?.selector?.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => w.spec?.template?.metadata?.labels?.[k] === v));
      return { kind: w.kind ?? '', namespace: w.metadata.namespace ?? '', name: w.metadata.name, replicas: w.spec?.replicas ?? 1, nodes: nodes.size, pdb };
    });
    const singleReplica = rows.filter((r) => r.replicas < 2);
    const singleNode = rows.filter((r) => r.replicas >= 2 && r.nodes < 2);
    const withoutPdb = rows.filter((r) => !r.pdb && r.replicas >= 2);
    const risky = new Set([...singleReplica, ...singleNode, ...withoutPdb].map((r) => `${r.namespace}/${r.name}`)).size;
    return { workloads: rows.length, score: rows.length ? Math.round(100 * (1 - risky / rows.length)) : 100, singleReplica, singleNode, withoutPdb };
  },
  'traffic.metrics': async (p, deps) => {
    const k = await serviceStatus(deps, p.context, 'kiali');
    if (!k.installed) throw notInstalled('traffic metrics come from a service mesh (Istio + Kiali), which is not installed in this cluster');
    throw notImplemented('reading traffic metrics from Kiali is not built yet');
  },
  'ai.chat': async () => {
    throw notImplemented('the AI assistant is not built yet');
  },
  'ai.providers': async () => {
    throw notImplemented('the AI assistant is not built yet');
  },
  'ai.configure': async () => {
    throw notImplemented('the AI assistant is not built yet');
  },
};

const CUSTOM_LABEL = 'app.kubernetes.io/managed-by';
const CUSTOM_VALUE = 'kubegraf-custom-app';

type CustomApp = { name: string; namespace: string; image: string; port?: number; replicas?: number; env?: Record<string, string> };

function customAppObjects(p: CustomApp): KObject[] {
  const labels = { app: p.name, [CUSTOM_LABEL]: CUSTOM_VALUE };
  const container: Record<string, unknown> = { name: p.name, image: p.image };
  if (p.port) container.ports = [{ containerPort: p.port }];
  if (p.env) container.env = Object.entries(p.env).map(([name, value]) => ({ name, value }));
  const out: KObject[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: p.name, namespace: p.namespace, labels }, spec: { replicas: p.replicas ?? 1, selector: { matchLabels: { app: p.name } }, template: { metadata: { labels: { app: p.name } }, spec: { containers: [container] } } } },
  ];
  if (p.port) out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: p.name, namespace: p.namespace, labels }, spec: { selector: { app: p.name }, ports: [{ port: p.port, targetPort: p.port }] } });
  return out;
}

function customAppPreview(p: CustomApp) {
  const docs = customAppObjects(p);
  return { yaml: docs.map((d) => toYaml(d)).join('---\n'), objects: docs.length };
}

async function graph(deps: ApiDeps, context: string | undefined, namespace: string | undefined, withConfig: boolean) {
  const get = async (k: string, ns?: string) => (await objects(deps, context, k, ns)) ?? [];
  const pods = await get('pods', namespace);
  const input = {
    nodes: namespace ? (await get('nodes')).filter((n) => pods.some((p) => p.spec?.nodeName === n.metadata.name)) : await get('nodes'),
    pods,
    services: await get('services', namespace),
    ingresses: await get('ingresses.networking.k8s.io', namespace),
    owners: [
      { kind: 'Deployment', objects: await get('deployments.apps', namespace) },
      { kind: 'ReplicaSet', objects: await get('replicasets.apps', namespace) },
      { kind: 'StatefulSet', objects: await get('statefulsets.apps', namespace) },
      { kind: 'DaemonSet', objects: await get('daemonsets.apps', namespace) },
      { kind: 'CronJob', objects: await get('cronjobs.batch', namespace) },
      { kind: 'Job', objects: await get('jobs.batch', namespace) },
    ],
    config: withConfig ? { configmaps: [], secrets: [], pvcs: [] } : undefined,
  };
  return buildGraph(input);
}
