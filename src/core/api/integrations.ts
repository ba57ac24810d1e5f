// Handlers of the integration and analysis routes. Cluster data answers what it can (Helm records, Argo CD
// Applications, KServe InferenceServices, GPU nodes, analyses); installs run the real helm binary; the rest say why not.
import type { Readable } from 'node:stream';
import type { SocketPeer } from '../../shared/socket';
import type { Handlers } from '../../shared/route';
import type {
  ArgoApp,
  AppCatalogEntry,
  GpuMetricsReport,
  GpuNode,
  InferenceServiceDto,
  INTEGRATION_ROUTES,
  IntegrationStatus,
  TrafficEdge,
  TrafficMetrics,
  TrafficNode,
} from '../../shared/routes/integrations';
import { toYaml } from '../kube/actions';
import type { KObject } from '../kube/descriptors';
import { KubeError, toKubeError } from '../kube/errors';
import { buildGraph, costReport, isActivePod, podRequests, securityReport } from './analysis';
import { contextOf } from './common';
import type { ApiDeps } from './deps';
import { ApiError, notInstalled, toApiError } from './errors';
import { listReleases, releaseDetails, releaseHistory, runHelm } from './helm';
import { dcgmGpus, parsePromText } from './promText';
import { callProxy, openProxy, replyJson, replyMessage, type BufferedReply, type ProxyTarget } from './serviceProxy';
import { deleteOf, detailsOf } from './resources';
import { toRow } from './rows';

type H = Handlers<typeof INTEGRATION_ROUTES, ApiDeps>;

/** Objects of a kind (cache-backed), or undefined when the cluster does not serve the kind at all. */
async function objects(
  deps: ApiDeps,
  context: string | undefined,
  kind: string,
  namespace?: string,
): Promise<KObject[] | undefined> {
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

async function must(
  deps: ApiDeps,
  context: string | undefined,
  kind: string,
  what: string,
  namespace?: string,
): Promise<KObject[]> {
  const o = await objects(deps, context, kind, namespace);
  if (!o) throw notInstalled(`${what} is not installed in this cluster (no ${kind} CRD)`);
  return o;
}

// ---------- Argo CD ----------

const ARGO = 'applications.argoproj.io';

function argoApp(o: KObject): ArgoApp {
  const src = o.spec?.source ?? o.spec?.sources?.[0] ?? {};
  const res = (o.status?.resources ?? []) as Array<{
    group?: string;
    kind: string;
    namespace?: string;
    name: string;
    status?: string;
    health?: { status?: string };
  }>;
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
    resources: res.map((r) => ({
      group: r.group,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      status: r.status,
      health: r.health?.status,
    })),
  };
}

async function findArgo(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string | undefined,
  name: string,
): Promise<KObject> {
  const apps = await must(deps, context, ARGO, 'Argo CD');
  const hit = apps.filter((a) => a.metadata.name === name && (!namespace || a.metadata.namespace === namespace));
  if (!hit.length)
    throw new ApiError('notFound', `no Argo CD application "${name}"${namespace ? ` in ${namespace}` : ''}`, 404);
  if (hit.length > 1)
    throw new ApiError('ambiguous', `several applications are named "${name}"; give the namespace`, 400);
  // The cache may lag a write; edits start from the server's copy.
  return deps.kube.actions(contextOf(deps, context)).get(ARGO, hit[0].metadata.namespace, name);
}

// ---------- KServe ----------

const ISVC = 'inferenceservices.serving.kserve.io';

function isvc(o: KObject): InferenceServiceDto {
  const conds = (o.status?.conditions ?? []) as Array<{
    type: string;
    status: string;
    reason?: string;
    message?: string;
  }>;
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
    .filter(
      (n) =>
        quantityInt(n.status?.capacity?.['nvidia.com/gpu']) > 0 ||
        n.metadata.labels?.['nvidia.com/gpu.present'] === 'true' ||
        n.metadata.labels?.['nvidia.com/gpu.product'],
    )
    .map((n) => {
      const l = n.metadata.labels ?? {};
      const on = pods
        .filter((p) => p.spec?.nodeName === n.metadata.name && isActivePod(p))
        .map((p) => ({ namespace: p.metadata.namespace ?? '', name: p.metadata.name, gpus: podRequests(p).gpu }))
        .filter((p) => p.gpus > 0);
      const g: GpuNode = {
        name: n.metadata.name,
        product: l['nvidia.com/gpu.product'],
        family: l['nvidia.com/gpu.family'],
        memoryMiB: l['nvidia.com/gpu.memory'] ? Number(l['nvidia.com/gpu.memory']) : undefined,
        capacity: quantityInt(n.status?.capacity?.['nvidia.com/gpu']),
        allocatable: quantityInt(n.status?.allocatable?.['nvidia.com/gpu']),
        allocated: on.reduce((s, p) => s + p.gpus, 0),
        sharing: l['nvidia.com/gpu.sharing-strategy'],
        driverVersion:
          l['nvidia.com/cuda.driver-version.full'] ??
          (l['nvidia.com/cuda.driver.major']
            ? `${l['nvidia.com/cuda.driver.major']}.${l['nvidia.com/cuda.driver.minor'] ?? 0}`
            : undefined),
        cudaVersion:
          l['nvidia.com/cuda.runtime-version.full'] ??
          (l['nvidia.com/cuda.runtime.major']
            ? `${l['nvidia.com/cuda.runtime.major']}.${l['nvidia.com/cuda.runtime.minor'] ?? 0}`
            : undefined),
        migCapable: l['nvidia.com/mig.capable'] === 'true',
        pods: on,
      };
      return g;
    });
}

const quantityInt = (v: unknown) => (v === undefined ? 0 : Math.floor(Number(v)) || 0);

// ---------- integrations found by their services ----------

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

async function serviceStatus(deps: ApiDeps, context: string | undefined, app: string): Promise<IntegrationStatus> {
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

async function installApp(deps: ApiDeps, context: string | undefined, name: string | undefined, namespace?: string) {
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

// ---------- in-cluster apps through the API server's service proxy ----------

type ProxiedApp = 'kiali' | 'mlflow';

const APP_PORTS: Record<ProxiedApp, { port: number; title: string }> = {
  kiali: { port: 20001, title: 'Kiali' },
  mlflow: { port: 5000, title: 'MLflow' },
};

/** The Service an integration runs as, and which of its ports speaks HTTP (the app's well-known one first). */
async function appTarget(
  deps: ApiDeps,
  context: string | undefined,
  app: ProxiedApp,
): Promise<{ ctx: string; target: ProxyTarget; title: string }> {
  const s = await serviceStatus(deps, context, app);
  if (!s.installed) throw notInstalled(s.message);
  const svc = ((await objects(deps, context, 'services', s.namespace)) ?? []).find(
    (x) => x.metadata.name === s.service,
  );
  const ports = (svc?.spec?.ports ?? []) as Array<{ name?: string; port: number; appProtocol?: string }>;
  const want = APP_PORTS[app];
  const port =
    ports.find((p) => p.port === want.port) ??
    ports.find((p) => p.name === 'http' || p.appProtocol === 'http') ??
    ports.find((p) => !/metrics|grpc/.test(p.name ?? '')) ??
    ports[0];
  if (!port)
    throw new ApiError('unavailable', `${want.title} service ${s.namespace}/${s.service} exposes no port`, 503);
  const tls = port.name === 'https' || port.appProtocol === 'https' || port.port === 443;
  return {
    ctx: contextOf(deps, context),
    target: {
      namespace: s.namespace!,
      name: s.service!,
      port: port.name || port.port,
      scheme: tls ? 'https' : undefined,
    },
    title: want.title,
  };
}

/** Kiali serves under its web root: `/kiali` as the Istio addon and the operator set it, `/` by the code default. */
const kialiRoots = new Map<string, { root: string; at: number }>();
async function kialiRoot(deps: ApiDeps, ctx: string, t: ProxyTarget): Promise<string> {
  const key = `${ctx}/${t.namespace}/${t.name}`;
  const hit = kialiRoots.get(key);
  if (hit && Date.now() - hit.at < 300_000) return hit.root;
  const r = await callProxy(
    deps,
    ctx,
    t,
    { path: '/kiali/api/status', accept: 'application/json' },
    { what: 'Kiali', timeoutMs: 15_000, maxBytes: 1 << 20 },
  );
  if (r.fromApiServer) throw apiServerRefusal(r, 'Kiali');
  const root = r.status === 200 && /json/.test(r.contentType) ? '/kiali' : '';
  kialiRoots.set(key, { root, at: Date.now() });
  return root;
}

/** The API server's own answer (service gone, no ready endpoints, proxy forbidden) as our error. */
function apiServerRefusal(r: BufferedReply, what: string): ApiError {
  const code =
    r.status === 404
      ? 'notFound'
      : r.status === 403
        ? 'forbidden'
        : r.status === 503
          ? 'unavailable'
          : r.status === 401
            ? 'unauthorized'
            : 'upstreamError';
  return new ApiError(
    code,
    `cannot reach ${what} through the Kubernetes API server: ${replyMessage(r)}`,
    r.status === 401 ? 502 : r.status,
  );
}

/** A 2xx reply as a value (JSON parsed, text as a string); anything else as an error carrying the app's status. */
function appReply(r: BufferedReply, what: string): unknown {
  if (r.fromApiServer) throw apiServerRefusal(r, what);
  const text = r.body.toString('utf8');
  const json = /json/.test(r.contentType);
  if (r.status >= 200 && r.status < 300) return json && text ? replyJson(r, what) : text;
  let body: unknown = text;
  if (json) {
    try {
      body = JSON.parse(text);
    } catch {
      // Kept as text.
    }
  }
  if (r.status >= 300 && r.status < 400)
    throw new ApiError(
      'upstreamRedirect',
      `${what} answered ${r.status}, a redirect to ${r.location ?? 'an unnamed place'}; ask for that path instead`,
      502,
      { status: r.status, location: r.location, body },
    );
  throw new ApiError(
    'upstreamError',
    `${what} answered ${r.status}: ${replyMessage(r)}`,
    r.status >= 400 && r.status <= 599 ? r.status : 502,
    { status: r.status, body },
  );
}

const PROXY_RESERVED = new Set(['context', 'path', 'method', 'body']);

function proxyQuery(p: Record<string, unknown>): Record<string, string[]> {
  const q: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(p)) {
    if (PROXY_RESERVED.has(k) || v === undefined) continue;
    q[k] = (Array.isArray(v) ? v : [v]).map((x) => String(x));
  }
  return q;
}

async function proxyRoute(
  deps: ApiDeps,
  app: ProxiedApp,
  p: { context?: string; path?: string; method?: string; body?: unknown } & Record<string, unknown>,
): Promise<unknown> {
  const { ctx, target, title } = await appTarget(deps, p.context, app);
  let path = '/' + (p.path ?? '').replace(/^\/+/, '');
  if (app === 'kiali') {
    const root = await kialiRoot(deps, ctx, target);
    if (root && path !== root && !path.startsWith(root + '/')) path = root + path;
  }
  const method = p.method ?? (p.body !== undefined ? 'POST' : 'GET');
  const body = p.body === undefined ? undefined : typeof p.body === 'string' ? p.body : JSON.stringify(p.body);
  const r = await callProxy(
    deps,
    ctx,
    target,
    { method, path, query: proxyQuery(p), body, accept: 'application/json, text/plain;q=0.9, */*;q=0.5' },
    { what: title },
  );
  return appReply(r, title);
}

/** Reply headers worth passing to the browser; hop-by-hop and cookie headers stay behind. */
const PASS_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'cache-control',
  'etag',
  'last-modified',
  'content-disposition',
];

/** What the transparent proxy needs of an incoming request: its method, content headers and body, no transport. */
export interface AppProxyRequest {
  method: string;
  contentType?: string;
  accept?: string;
  /** The request body as it arrives, when there is one. */
  body?: Readable;
}

/** The app's own answer: its status, the headers worth passing on (marked as the app's), its body as it arrives. */
export interface AppProxyReply {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/**
 * The transparent form of `/api/{kiali,mlflow}/proxy/*`: the request's method, query and body go to the app as they
 * came, the reply comes back with the app's status and content headers (the HTTP face streams it to the response).
 * `appPath` is the part after `/proxy/`. API-server refusals and transport failures throw ApiErrors.
 */
export async function openAppProxy(
  deps: ApiDeps,
  app: ProxiedApp,
  req: AppProxyRequest,
  appPath: string,
  query: URLSearchParams,
  context?: string,
): Promise<AppProxyReply> {
  const { ctx, target, title } = await appTarget(deps, context, app);
  let path = '/' + appPath.replace(/^\/+/, '');
  if (app === 'kiali') {
    const root = await kialiRoot(deps, ctx, target);
    if (root && path !== root && !path.startsWith(root + '/')) path = root + path;
  }
  const q: Record<string, string[]> = {};
  for (const k of new Set(query.keys())) if (k !== 'token' && k !== 'context') q[k] = query.getAll(k);
  const method = req.method.toUpperCase();
  const r = await openProxy(
    deps,
    ctx,
    target,
    { method, path, query: q, body: req.body, contentType: req.contentType, accept: req.accept },
    { what: title },
  );
  // Marked as the app's own answer (its status, body and errors), so clients do not read it as KubeGraf's.
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-KubeGraf-Proxied-From': app,
  };
  for (const h of PASS_HEADERS) if (r.headers[h] !== undefined) headers[h] = String(r.headers[h]);
  return { status: r.status, headers, body: r.body };
}

// ---------- Kiali graph → traffic metrics ----------

interface KialiNodeData {
  id: string;
  nodeType?: string;
  namespace?: string;
  workload?: string;
  app?: string;
  service?: string;
  version?: string;
  isOutside?: boolean;
  isRoot?: boolean;
}
interface KialiEdgeData {
  id: string;
  source: string;
  target: string;
  traffic?: { protocol?: string; rates?: Record<string, string> };
  responseTime?: string;
  isMTLS?: string;
  healthStatus?: string;
}
interface KialiGraph {
  timestamp?: number;
  duration?: number;
  graphType?: string;
  elements?: { nodes?: Array<{ data: KialiNodeData }>; edges?: Array<{ data: KialiEdgeData }> };
}

const num = (v: unknown) => {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};
const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

/** Kiali's Cytoscape graph as request rates per workload and per edge (rates are strings in req/s there). */
export function trafficFromKialiGraph(g: KialiGraph, namespaces: string[], duration: string): TrafficMetrics {
  const rawNodes = g.elements?.nodes ?? [];
  const rawEdges = g.elements?.edges ?? [];
  const edges: TrafficEdge[] = rawEdges.map(({ data: e }) => {
    const rates = e.traffic?.rates ?? {};
    const protocol = e.traffic?.protocol ?? 'http';
    const total = protocol === 'grpc' ? num(rates.grpc) : protocol === 'tcp' ? num(rates.tcp) : num(rates.http);
    const errors = protocol === 'grpc' ? num(rates.grpcErr) : protocol === 'tcp' ? 0 : num(rates.http5xx);
    const rt = e.responseTime !== undefined ? num(e.responseTime) : undefined;
    return {
      source: e.source,
      target: e.target,
      protocol,
      requestsPerSecond: round(total),
      errorsPerSecond: round(errors),
      errorRate: total > 0 ? round(errors / total, 4) : 0,
      ...(rt !== undefined ? { responseTimeMs: rt } : {}),
      mtls: num(e.isMTLS) > 0,
      ...(e.healthStatus ? { health: e.healthStatus } : {}),
    };
  });
  const nodes: TrafficNode[] = rawNodes.map(({ data: n }) => ({
    id: n.id,
    namespace: n.namespace ?? '',
    ...(n.workload ? { workload: n.workload } : {}),
    ...(n.app ? { app: n.app } : {}),
    ...(n.service ? { service: n.service } : {}),
    ...(n.version ? { version: n.version } : {}),
    requestsIn: round(edges.filter((e) => e.target === n.id).reduce((s, e) => s + e.requestsPerSecond, 0)),
    requestsOut: round(edges.filter((e) => e.source === n.id).reduce((s, e) => s + e.requestsPerSecond, 0)),
    outside: Boolean(n.isOutside) || (n.namespace !== undefined && !namespaces.includes(n.namespace)),
  }));
  // Requests entering the asked namespaces once each: edges into them (calls inside count once, at the callee).
  const inbound = edges.filter((e) => nodes.find((n) => n.id === e.target && !n.outside));
  const rps = inbound.reduce((s, e) => s + e.requestsPerSecond, 0);
  const eps = inbound.reduce((s, e) => s + e.errorsPerSecond, 0);
  return {
    source: 'kiali',
    namespaces,
    duration,
    timestamp: new Date((g.timestamp ?? Math.floor(Date.now() / 1000)) * 1000).toISOString(),
    nodes,
    edges,
    totals: {
      requestsPerSecond: round(rps),
      errorsPerSecond: round(eps),
      errorRate: rps > 0 ? round(eps / rps, 4) : 0,
    },
  };
}

// ---------- DCGM exporter ----------

const isDcgmPod = (x: KObject) =>
  /dcgm-exporter/.test(x.metadata.name) ||
  x.metadata.labels?.['app.kubernetes.io/name'] === 'dcgm-exporter' ||
  x.metadata.labels?.app === 'nvidia-dcgm-exporter';

async function gpuMetrics(deps: ApiDeps, context: string | undefined): Promise<GpuMetricsReport> {
  const pods = ((await objects(deps, context, 'pods')) ?? []).filter(isDcgmPod);
  if (!pods.length)
    throw notInstalled(
      'GPU metrics come from the NVIDIA DCGM exporter, which is not running in this cluster (install the GPU operator or the dcgm-exporter chart)',
    );
  const running = pods.filter((x) => x.status?.phase === 'Running' && x.spec?.nodeName);
  if (!running.length)
    throw new ApiError(
      'unavailable',
      `the DCGM exporter has no running pod (${pods.map((x) => `${x.metadata.namespace}/${x.metadata.name}: ${x.status?.phase ?? 'unknown'}`).join(', ')})`,
      503,
    );
  const ctx = contextOf(deps, context);
  const errors: GpuMetricsReport['errors'] = [];
  const gpus: GpuMetricsReport['gpus'] = [];
  // Each node's exporter is read on its own (the Service would answer from one random node).
  const scrape = async (pod: KObject) => {
    const ports = (
      (pod.spec?.containers ?? []) as Array<{ ports?: Array<{ name?: string; containerPort: number }> }>
    ).flatMap((c) => c.ports ?? []);
    const port = ports.find((x) => x.containerPort === 9400) ??
      ports.find((x) => /metrics/.test(x.name ?? '')) ?? { containerPort: 9400 };
    try {
      const r = await callProxy(
        deps,
        ctx,
        { resource: 'pods', namespace: pod.metadata.namespace!, name: pod.metadata.name, port: port.containerPort },
        { path: '/metrics', accept: 'text/plain;version=0.0.4' },
        { what: `dcgm-exporter ${pod.metadata.name}`, timeoutMs: 15_000, maxBytes: 16 << 20 },
      );
      if (r.fromApiServer) throw apiServerRefusal(r, `dcgm-exporter ${pod.metadata.name}`);
      if (r.status !== 200) throw new ApiError('upstreamError', `answered ${r.status}: ${replyMessage(r)}`, 502);
      const parsed = parsePromText(r.body.toString('utf8'));
      const found = dcgmGpus(parsed.samples, pod.spec?.nodeName);
      if (!found.length && parsed.errors.length)
        throw new ApiError(
          'badUpstream',
          `unreadable metrics (line ${parsed.errors[0].line}: ${parsed.errors[0].message})`,
          502,
        );
      gpus.push(...found);
    } catch (e) {
      errors.push({
        pod: `${pod.metadata.namespace}/${pod.metadata.name}`,
        node: pod.spec?.nodeName,
        message: e instanceof Error ? e.message : String(e),
      });
    }
  };
  for (let i = 0; i < running.length; i += 8) await Promise.all(running.slice(i, i + 8).map(scrape));
  if (!gpus.length && errors.length)
    throw new ApiError(
      'upstreamError',
      `no DCGM exporter could be read: ${errors.map((e) => `${e.pod}: ${e.message}`).join('; ')}`,
      502,
      { errors },
    );
  gpus.sort((a, b) => a.node.localeCompare(b.node) || a.gpu.localeCompare(b.gpu, undefined, { numeric: true }));
  const nodes = [...new Set(gpus.map((g) => g.node))].map((node) => {
    const mine = gpus.filter((g) => g.node === node);
    return {
      node,
      gpus: mine.length,
      busy: mine.filter((g) => (g.utilizationPercent ?? 0) > 0 || g.pod).length,
      avgUtilizationPercent: round(mine.reduce((s, g) => s + (g.utilizationPercent ?? 0), 0) / mine.length, 1),
      memoryUsedMiB: mine.reduce((s, g) => s + (g.memoryUsedMiB ?? 0), 0),
      memoryTotalMiB: mine.reduce((s, g) => s + (g.memoryTotalMiB ?? 0), 0),
      powerW: round(
        mine.reduce((s, g) => s + (g.powerW ?? 0), 0),
        1,
      ),
    };
  });
  return { source: 'dcgm-exporter', scrapedAt: new Date().toISOString(), gpus, nodes, errors };
}

// ---------- KServe test requests ----------

const IRIS = [
  [6.8, 2.8, 4.8, 1.4],
  [6.0, 3.4, 4.5, 1.6],
];

/** The request body a predictor expects, from what the caller gave (rows, a full V1/V2 body, or nothing). */
export function inferenceBody(protocol: 'v1' | 'v2', input: unknown): Record<string, unknown> {
  const rows = input === undefined ? IRIS : input;
  if (protocol === 'v1') {
    if (rows && typeof rows === 'object' && !Array.isArray(rows)) {
      if (!('instances' in rows) && !('inputs' in rows))
        throw new ApiError('badRequest', 'a V1 request needs "instances" (or give the rows as an array)', 400);
      return rows as Record<string, unknown>;
    }
    if (!Array.isArray(rows))
      throw new ApiError('badRequest', 'input must be an array of instances or a {instances:[...]} object', 400);
    return { instances: rows };
  }
  if (rows && typeof rows === 'object' && !Array.isArray(rows)) {
    if (!Array.isArray((rows as { inputs?: unknown }).inputs))
      throw new ApiError('badRequest', 'a V2 request needs "inputs" (or give the rows as an array)', 400);
    return rows as Record<string, unknown>;
  }
  if (!Array.isArray(rows) || !rows.length)
    throw new ApiError('badRequest', 'input must be a non-empty array of rows or a {inputs:[...]} object', 400);
  const matrix = rows.every((r) => Array.isArray(r));
  const width = matrix ? (rows[0] as unknown[]).length : rows.length;
  if (matrix && !rows.every((r) => (r as unknown[]).length === width))
    throw new ApiError('badRequest', 'every input row must have the same length', 400);
  const flat = (matrix ? (rows as unknown[][]).flat() : rows) as unknown[];
  const datatype = flat.every((x) => typeof x === 'number')
    ? flat.every((x) => Number.isInteger(x))
      ? 'INT64'
      : 'FP32'
    : flat.every((x) => typeof x === 'boolean')
      ? 'BOOL'
      : 'BYTES';
  return {
    id: `kubegraf-${Date.now().toString(36)}`,
    inputs: [{ name: 'input-0', shape: matrix ? [rows.length, width] : [rows.length], datatype, data: rows }],
  };
}

async function inferenceTest(
  deps: ApiDeps,
  p: { context?: string; namespace: string; name: string; input?: unknown; protocol?: 'v1' | 'v2' },
) {
  const list = await must(deps, p.context, ISVC, 'KServe', p.namespace);
  const s = list.find((x) => x.metadata.name === p.name);
  if (!s) throw new ApiError('notFound', `no InferenceService ${p.namespace}/${p.name}`, 404);
  const declared = String(s.spec?.predictor?.model?.protocolVersion ?? s.spec?.predictor?.protocolVersion ?? '');
  if (/^grpc/.test(declared) && !p.protocol)
    throw new ApiError(
      'unsupported',
      `${p.name} serves the ${declared} protocol; only REST (v1, v2) test requests can be sent`,
      400,
    );
  const protocol = p.protocol ?? (declared === 'v2' ? 'v2' : 'v1');
  const svcName = `${p.name}-predictor`;
  const svc = ((await objects(deps, p.context, 'services', p.namespace)) ?? []).find(
    (x) => x.metadata.name === svcName,
  );
  if (!svc)
    throw new ApiError(
      'unavailable',
      `the predictor Service ${p.namespace}/${svcName} does not exist yet (is the InferenceService ready? ${isvc(s).ready ? 'it says Ready' : 'it is not Ready'})`,
      503,
    );
  const ports = (svc.spec?.ports ?? []) as Array<{ name?: string; port: number }>;
  const port =
    ports.find((x) => x.name === 'http' || x.name === 'http1') ?? ports.find((x) => x.port === 80) ?? ports[0];
  const path = protocol === 'v1' ? `/v1/models/${p.name}:predict` : `/v2/models/${p.name}/infer`;
  const body = JSON.stringify(inferenceBody(protocol, p.input));
  const started = Date.now();
  const r = await callProxy(
    deps,
    contextOf(deps, p.context),
    { namespace: p.namespace, name: svcName, port: port ? port.name || port.port : undefined },
    { method: 'POST', path, body, contentType: 'application/json', accept: 'application/json' },
    { what: `predictor ${p.namespace}/${svcName}`, timeoutMs: 60_000, maxBytes: 4 << 20 },
  );
  const latencyMs = Date.now() - started;
  if (r.fromApiServer) throw apiServerRefusal(r, `predictor ${p.namespace}/${svcName}`);
  const text = r.body.toString('utf8');
  let out: unknown = text;
  try {
    out = JSON.parse(text);
  } catch {
    // The model's text answer, as it came.
  }
  return { protocol, path, status: r.status, body: out, latencyMs };
}

// ---------- Kubeflow training jobs ----------

const TRAINJOB = 'trainjobs.trainer.kubeflow.org';
const PYTORCHJOB = 'pytorchjobs.kubeflow.org';

export interface MlJobSpec {
  kind: 'TrainJob' | 'PyTorchJob';
  name: string;
  namespace: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  nodes?: number;
  gpusPerNode?: number;
  cpu?: string;
  memory?: string;
  runtime?: string;
  restartPolicy?: 'OnFailure' | 'Never' | 'Always' | 'ExitCode';
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  queue?: string;
}

/** The Kubeflow object for a job, as the training operator (v1) or Trainer (v2) documents it. */
export function mlJobObject(j: MlJobSpec): KObject {
  const labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'kubegraf' };
  if (j.queue) labels['kueue.x-k8s.io/queue-name'] = j.queue;
  const env = j.env ? Object.entries(j.env).map(([name, value]) => ({ name, value })) : undefined;
  const resources: { requests?: Record<string, string>; limits?: Record<string, string> } = {};
  const req: Record<string, string> = {};
  if (j.cpu) req.cpu = j.cpu;
  if (j.memory) req.memory = j.memory;
  if (j.gpusPerNode) req['nvidia.com/gpu'] = String(j.gpusPerNode);
  if (Object.keys(req).length) resources.requests = req;
  // GPUs go in limits (requests alone are invalid for extended resources); memory gets a limit equal to the request.
  const lim: Record<string, string> = {};
  if (j.gpusPerNode) lim['nvidia.com/gpu'] = String(j.gpusPerNode);
  if (j.memory) lim.memory = j.memory;
  if (Object.keys(lim).length) resources.limits = lim;
  const nodes = j.nodes ?? 1;
  if (j.kind === 'TrainJob') {
    const trainer: Record<string, unknown> = { image: j.image, numNodes: nodes };
    if (j.command) trainer.command = j.command;
    if (j.args) trainer.args = j.args;
    if (env) trainer.env = env;
    if (Object.keys(resources).length) trainer.resourcesPerNode = resources;
    const spec: Record<string, unknown> = {
      runtimeRef: {
        name: j.runtime ?? 'torch-distributed',
        apiGroup: 'trainer.kubeflow.org',
        kind: 'ClusterTrainingRuntime',
      },
      trainer,
    };
    if (j.activeDeadlineSeconds) spec.activeDeadlineSeconds = j.activeDeadlineSeconds;
    return {
      apiVersion: 'trainer.kubeflow.org/v1alpha1',
      kind: 'TrainJob',
      metadata: { name: j.name, namespace: j.namespace, labels },
      spec,
    };
  }
  const container: Record<string, unknown> = {
    name: 'pytorch',
    image: j.image,
    ports: [{ name: 'pytorchjob-port', containerPort: 23456 }],
  };
  if (j.command) container.command = j.command;
  if (j.args) container.args = j.args;
  if (env) container.env = env;
  if (Object.keys(resources).length) container.resources = resources;
  const tolerations = j.gpusPerNode ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] : undefined;
  const replica = (replicas: number) => ({
    replicas,
    restartPolicy: j.restartPolicy ?? 'OnFailure',
    template: { metadata: { labels }, spec: { containers: [container], ...(tolerations ? { tolerations } : {}) } },
  });
  const runPolicy: Record<string, unknown> = { cleanPodPolicy: 'None' };
  if (j.backoffLimit !== undefined) runPolicy.backoffLimit = j.backoffLimit;
  if (j.activeDeadlineSeconds) runPolicy.activeDeadlineSeconds = j.activeDeadlineSeconds;
  if (j.ttlSecondsAfterFinished !== undefined) runPolicy.ttlSecondsAfterFinished = j.ttlSecondsAfterFinished;
  const specs: Record<string, unknown> = { Master: replica(1) };
  if (nodes > 1) specs.Worker = replica(nodes - 1);
  return {
    apiVersion: 'kubeflow.org/v1',
    kind: 'PyTorchJob',
    metadata: { name: j.name, namespace: j.namespace, labels },
    spec: { runPolicy, pytorchReplicaSpecs: specs },
  };
}

async function createMlJob(
  deps: ApiDeps,
  p: Omit<MlJobSpec, 'kind'> & { kind?: MlJobSpec['kind']; context?: string; dryRun?: boolean },
) {
  const served = {
    TrainJob: await objects(deps, p.context, TRAINJOB, p.namespace),
    PyTorchJob: await objects(deps, p.context, PYTORCHJOB, p.namespace),
  };
  const kind = p.kind ?? (served.TrainJob ? 'TrainJob' : served.PyTorchJob ? 'PyTorchJob' : undefined);
  if (!kind)
    throw notInstalled(
      'no Kubeflow training operator is installed (neither the TrainJob nor the PyTorchJob CRD exists)',
    );
  const existing = served[kind];
  if (!existing)
    throw notInstalled(
      `${kind} is not served by this cluster (no ${kind === 'TrainJob' ? TRAINJOB : PYTORCHJOB} CRD); ${served.TrainJob || served.PyTorchJob ? `use kind ${served.TrainJob ? 'TrainJob' : 'PyTorchJob'}` : 'install the Kubeflow training operator'}`,
    );
  if (
    kind === 'TrainJob' &&
    (p.restartPolicy || p.backoffLimit !== undefined || p.ttlSecondsAfterFinished !== undefined)
  )
    throw new ApiError(
      'badRequest',
      'restartPolicy, backoffLimit and ttlSecondsAfterFinished belong to the training runtime for a TrainJob; set them there or use kind PyTorchJob',
      400,
    );
  const a = deps.kube.actions(contextOf(deps, p.context));
  if (
    existing.some((o) => o.metadata.name === p.name) ||
    (await a.get(kind === 'TrainJob' ? TRAINJOB : PYTORCHJOB, p.namespace, p.name).then(
      () => true,
      () => false,
    ))
  ) {
    throw new ApiError(
      'alreadyExists',
      `${kind} ${p.namespace}/${p.name} already exists; pick another name or delete it first`,
      409,
    );
  }
  const y = toYaml(mlJobObject({ ...p, kind }));
  const preview = await a.previewApply(y, p.namespace);
  if (p.dryRun) return { kind, applied: false, preview };
  return { kind, applied: true, preview, object: await a.apply(y, p.namespace) };
}

const jobPodsOf = (pods: KObject[], name: string) =>
  pods.filter(
    (x) =>
      x.metadata.labels?.['training.kubeflow.org/job-name'] === name ||
      x.metadata.labels?.['jobset.sigs.k8s.io/jobset-name'] === name,
  );

type JobLogMessage =
  | { type: 'pods'; pods: string[] }
  | { type: 'log'; pod: string; container: string; time?: string; text: string }
  | { type: 'podEnded'; pod: string; error?: { code: string; message: string } }
  | { type: 'error'; error: { code: string; message: string } };

/**
 * `/api/ml/jobs/logs/ws`: follows the logs of every pod of a training job, pods that start later included (checked
 * every 2 s). Messages: {type:"pods"} when the set changes, {type:"log", pod, container, time, text} per line,
 * {type:"podEnded", pod} when a pod's stream ends, {type:"error"} (then the socket closes if nothing is followed).
 */
export async function mlJobLogsStream(
  ws: SocketPeer,
  p: { context?: string; namespace: string; name: string; tailLines?: number },
  deps: ApiDeps,
): Promise<void> {
  const send = (m: JobLogMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const fail = (e: unknown) => {
    const err = e instanceof ApiError ? e : toApiError(e);
    send({ type: 'error', error: { code: err.code, message: err.message } });
    ws.close(err.status === 424 ? 4424 : err.status === 404 ? 4404 : 1011, err.code.slice(0, 100));
  };
  let closed = false;
  const streams = new Map<string, { stop(): void }>();
  let timer: NodeJS.Timeout | undefined;
  ws.on('close', () => {
    closed = true;
    if (timer) clearInterval(timer);
    for (const s of streams.values()) s.stop();
    streams.clear();
  });
  try {
    await mlJob(deps, p.context, p.namespace, p.name);
  } catch (e) {
    return fail(e);
  }
  const a = deps.kube.actions(contextOf(deps, p.context));
  const follow = async (pod: string) => {
    streams.set(pod, { stop: () => undefined });
    try {
      const s = await a.followLogs(
        { kind: 'pods', namespace: p.namespace, name: pod },
        { tailLines: p.tailLines ?? 200, timestamps: true },
        (l) =>
          send({ type: 'log', pod: l.pod, container: l.container, ...(l.time ? { time: l.time } : {}), text: l.text }),
      );
      if (closed) return s.stop();
      streams.set(pod, s);
      s.done.then(
        () => send({ type: 'podEnded', pod }),
        (e) => {
          // "container is waiting to start": not an end; the next check follows it again.
          if (toKubeError(e).code === 'badRequest') return void streams.delete(pod);
          send({ type: 'podEnded', pod, error: { code: toApiError(e).code, message: toApiError(e).message } });
        },
      );
    } catch (e) {
      // A pod still being scheduled has no logs yet: the next check tries again.
      streams.delete(pod);
      if (!(e instanceof KubeError && (e.code === 'badRequest' || e.code === 'notFound')))
        send({ type: 'podEnded', pod, error: { code: toApiError(e).code, message: toApiError(e).message } });
    }
  };
  let last = '';
  const check = async () => {
    if (closed) return;
    const pods = jobPodsOf((await objects(deps, p.context, 'pods', p.namespace)) ?? [], p.name)
      .map((x) => x.metadata.name)
      .sort();
    const key = pods.join(',');
    if (key !== last) {
      last = key;
      send({ type: 'pods', pods });
    }
    for (const pod of pods) if (!streams.has(pod)) void follow(pod);
  };
  try {
    await check();
  } catch (e) {
    return fail(e);
  }
  timer = setInterval(() => void check().catch(() => undefined), 2000);
  timer.unref?.();
}

const ML_KINDS = [
  'trainjobs.trainer.kubeflow.org',
  'pytorchjobs.kubeflow.org',
  'tfjobs.kubeflow.org',
  'mpijobs.kubeflow.org',
  'xgboostjobs.kubeflow.org',
  'jaxjobs.kubeflow.org',
];

async function mlJobs(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
): Promise<Array<{ kind: string; o: KObject }>> {
  const out: Array<{ kind: string; o: KObject }> = [];
  let any = false;
  for (const k of ML_KINDS) {
    const objs = await objects(deps, context, k, namespace);
    if (!objs) continue;
    any = true;
    out.push(...objs.map((o) => ({ kind: k, o })));
  }
  if (!any)
    throw notInstalled('no Kubeflow training operator is installed (none of the TrainJob/PyTorchJob/TFJob CRDs exist)');
  return out;
}

async function mlJob(deps: ApiDeps, context: string | undefined, namespace: string, name: string) {
  const hit = (await mlJobs(deps, context, namespace)).find((j) => j.o.metadata.name === name);
  if (!hit) throw new ApiError('notFound', `no ML job "${name}" in namespace ${namespace}`, 404);
  return hit;
}

export const INTEGRATION_HANDLERS: Omit<H, 'ml.jobs.logsWs' | 'ai.chat' | 'ai.providers' | 'ai.configure' | 'ai.test'> =
  {
    'helm.releases': async (p, deps) => ({ releases: await listReleases(deps, p.context, p.namespace) }),
    'helm.release': async (p, deps) => releaseDetails(deps, p.context, p.namespace, p.name),
    'helm.history': async (p, deps) => ({ history: await releaseHistory(deps, p.context, p.namespace, p.name) }),
    'helm.rollback': async (p, deps) => {
      const hist = await releaseHistory(deps, p.context, p.namespace, p.name);
      if (p.revision !== undefined && !hist.some((h) => h.revision === p.revision))
        throw new ApiError('notFound', `release ${p.name} has no revision ${p.revision}`, 404);
      if (p.revision === undefined && hist.length < 2)
        throw new ApiError('badRequest', `release ${p.name} has no previous revision`, 400);
      const ctx = contextOf(deps, p.context);
      await runHelm(deps, ctx, {
        command: 'rollback',
        release: p.name,
        namespace: p.namespace,
        rest: p.revision ? [String(p.revision)] : [],
        flags: ['--wait'],
      });
      return {
        ok: true,
        message: `rolled back ${p.namespace}/${p.name}${p.revision ? ` to revision ${p.revision}` : ''}`,
      };
    },
    'argocd.apps': async (p, deps) => ({
      apps: (await must(deps, p.context, ARGO, 'Argo CD', p.namespace))
        .map(argoApp)
        .sort((a, b) => a.name.localeCompare(b.name)),
    }),
    'argocd.app': async (p, deps) => {
      const o = await findArgo(deps, p.context, p.namespace, p.name);
      delete o.metadata.managedFields;
      return { ...argoApp(o), object: o };
    },
    'argocd.sync': async (p, deps) => {
      const o = await findArgo(deps, p.context, p.namespace, p.name);
      if (o.operation) throw new ApiError('conflict', `another operation is already in progress on ${p.name}`, 409);
      o.operation = {
        sync: {
          revision: p.revision ?? o.spec?.source?.targetRevision,
          prune: p.prune ?? false,
          dryRun: p.dryRun ?? false,
          syncStrategy: { hook: {} },
        },
        initiatedBy: { username: 'kubegraf' },
      };
      if (o.status) delete o.status.operationState;
      await deps.kube.actions(contextOf(deps, p.context)).apply(toYaml(o), o.metadata.namespace);
      return {
        ok: true,
        message: `sync of ${o.metadata.namespace}/${p.name} requested; the Argo CD controller runs it`,
      };
    },
    'argocd.refresh': async (p, deps) => {
      const o = await findArgo(deps, p.context, p.namespace, p.name);
      o.metadata.annotations = {
        ...(o.metadata.annotations ?? {}),
        'argocd.argoproj.io/refresh': p.hard ? 'hard' : 'normal',
      };
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
        {
          name: 'argocd',
          detected: has('argoproj.io'),
          message: has('argoproj.io') ? 'Argo CD CRDs found' : 'Argo CD not installed',
        },
        {
          name: 'cert-manager',
          detected: has('cert-manager.io'),
          message: has('cert-manager.io') ? 'cert-manager CRDs found' : 'cert-manager not installed',
        },
        {
          name: 'kserve',
          detected: has('serving.kserve.io'),
          message: has('serving.kserve.io') ? 'KServe CRDs found' : 'KServe not installed',
        },
      ];
      return { plugins: rows.map((r) => ({ ...r, enabled: enabled[r.name] ?? r.detected })) };
    },
    'plugins.install': async (p, deps) => installApp(deps, p.context, p.name),
    'plugins.enable': async (p, deps) => {
      const s = await deps.settings.get();
      await deps.settings.save({ plugins: { ...((s.plugins ?? {}) as object), [p.name]: p.enabled ?? true } });
      return { ok: true, message: `plugin ${p.name} ${p.enabled === false ? 'disabled' : 'enabled'}` };
    },
    'inference.list': async (p, deps) => ({
      services: (await must(deps, p.context, ISVC, 'KServe', p.namespace)).map(isvc),
    }),
    'inference.get': async (p, deps) => {
      await must(deps, p.context, ISVC, 'KServe');
      const d = await detailsOf(deps, ISVC, p);
      const pods = (await objects(deps, p.context, 'pods', p.namespace)) ?? [];
      const pd = deps.kube.descriptor(contextOf(deps, p.context), 'pods');
      return {
        ...isvc(d.object as KObject),
        object: d.object,
        pods: pods
          .filter((x) => x.metadata.labels?.['serving.kserve.io/inferenceservice'] === p.name)
          .map((x) => toRow(pd, x)),
      };
    },
    'inference.create': async (p, deps) => {
      await must(deps, p.context, ISVC, 'KServe');
      const a = deps.kube.actions(contextOf(deps, p.context));
      const model: Record<string, unknown> = { modelFormat: { name: p.modelFormat }, storageUri: p.storageUri };
      if (p.runtime) model.runtime = p.runtime;
      const y = toYaml({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: p.name, namespace: p.namespace },
        spec: { predictor: { model } },
      });
      const preview = await a.previewApply(y, p.namespace);
      if (p.dryRun) return { applied: false, preview };
      return { applied: true, preview, object: await a.apply(y, p.namespace) };
    },
    'inference.delete': async (p, deps) => {
      await must(deps, p.context, ISVC, 'KServe');
      return deleteOf(deps, ISVC, p);
    },
    'inference.test': async (p, deps) => inferenceTest(deps, p),
    'ml.jobs.list': async (p, deps) => ({
      jobs: (await mlJobs(deps, p.context, p.namespace)).map(({ kind, o }) => ({
        kind,
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        createdAt: o.metadata.creationTimestamp,
        conditions: o.status?.conditions ?? [],
      })),
    }),
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
      const pods = jobPodsOf((await objects(deps, p.context, 'pods', p.namespace)) ?? [], p.name);
      const a = deps.kube.actions(contextOf(deps, p.context));
      const out: Array<{ pod: string; logs: string }> = [];
      for (const pod of pods)
        out.push({
          pod: pod.metadata.name,
          logs: (await a.logs({ kind: 'pods', namespace: p.namespace, name: pod.metadata.name }, { tailLines: 500 }))
            .map((l) => l.text)
            .join('\n'),
        });
      return { pods: out };
    },
    'ml.jobs.create': async (p, deps) => createMlJob(deps, p),
    'gpu.status': async (p, deps) => {
      const nodes = gpuNodes(
        (await objects(deps, p.context, 'nodes')) ?? [],
        (await objects(deps, p.context, 'pods')) ?? [],
      );
      const pods = (await objects(deps, p.context, 'pods')) ?? [];
      const dcgm = pods.some(
        (x) =>
          /dcgm-exporter/.test(x.metadata.name) || x.metadata.labels?.['app.kubernetes.io/name'] === 'dcgm-exporter',
      );
      const total = nodes.reduce((s, n) => s + n.allocatable, 0);
      const used = nodes.reduce((s, n) => s + n.allocated, 0);
      return {
        available: nodes.length > 0,
        nodes: nodes.length,
        totalGpus: total,
        allocatedGpus: used,
        devicePlugin: nodes.some((n) => n.capacity > 0),
        dcgmExporter: dcgm,
        message: nodes.length
          ? `${used}/${total} GPUs allocated on ${nodes.length} node(s)`
          : 'no GPU nodes (no node advertises nvidia.com/gpu)',
      };
    },
    'gpu.nodes': async (p, deps) => ({
      nodes: gpuNodes((await objects(deps, p.context, 'nodes')) ?? [], (await objects(deps, p.context, 'pods')) ?? []),
    }),
    'gpu.metrics': async (p, deps) => gpuMetrics(deps, p.context),
    'gpu.install': async (p, deps) => installApp(deps, p.context, 'nvidia-device-plugin'),
    'kiali.status': async (p, deps) => serviceStatus(deps, p.context, 'kiali'),
    'kiali.install': async (p, deps) => installApp(deps, p.context, 'kiali'),
    'kiali.proxy': async (p, deps) => proxyRoute(deps, 'kiali', p),
    'mlflow.status': async (p, deps) => serviceStatus(deps, p.context, 'mlflow'),
    'mlflow.install': async (p, deps) => installApp(deps, p.context, 'mlflow'),
    'mlflow.proxy': async (p, deps) => proxyRoute(deps, 'mlflow', p),
    'feast.status': async (p, deps) => serviceStatus(deps, p.context, 'feast'),
    'feast.install': async (p, deps) => installApp(deps, p.context, 'feast'),
    'apps.list': async (p, deps) => {
      const rel = await listReleases(deps, p.context);
      return {
        apps: CATALOG.map(({ repo: _r, match, defaultNamespace: _d, ...c }) => {
          const r = rel.find((x) => match.test(x.name) || x.chart === c.chart);
          return r
            ? { ...c, installed: true, namespace: r.namespace, version: r.chartVersion }
            : { ...c, installed: false };
        }),
      };
    },
    'apps.installed': async (p, deps) => ({
      apps: (await listReleases(deps, p.context, p.namespace)).filter((r) => r.status === 'deployed'),
    }),
    'apps.install': async (p, deps) => installApp(deps, p.context, p.name, p.namespace),
    'apps.uninstall': async (p, deps) => {
      if (!p.name) throw new ApiError('badRequest', 'give the release to uninstall (name)', 400);
      const rel = (await listReleases(deps, p.context)).find(
        (r) => r.name === p.name && (!p.namespace || r.namespace === p.namespace),
      );
      if (!rel) throw new ApiError('notFound', `no Helm release "${p.name}"`, 404);
      await runHelm(deps, contextOf(deps, p.context), {
        command: 'uninstall',
        release: rel.name,
        namespace: rel.namespace,
        flags: ['--wait'],
      });
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
      const deps_ = ((await objects(deps, p.context, 'deployments.apps', p.namespace)) ?? []).filter(
        (d) => d.metadata.labels?.[CUSTOM_LABEL] === CUSTOM_VALUE,
      );
      return {
        apps: deps_.map((d) => ({
          name: d.metadata.name,
          namespace: d.metadata.namespace ?? '',
          image: d.spec?.template?.spec?.containers?.[0]?.image ?? '',
          replicas: d.spec?.replicas ?? 1,
          ready: d.status?.readyReplicas ?? 0,
        })),
      };
    },
    'customApps.delete': async (p, deps) => {
      const a = deps.kube.actions(contextOf(deps, p.context));
      const dep = await a.get('deployments.apps', p.namespace, p.name);
      if (dep.metadata.labels?.[CUSTOM_LABEL] !== CUSTOM_VALUE)
        throw new ApiError(
          'badRequest',
          `${p.namespace}/${p.name} is not a custom app (it lacks ${CUSTOM_LABEL}=${CUSTOM_VALUE})`,
          400,
        );
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
      const nss = p.namespace
        ? [p.namespace]
        : ((await objects(deps, p.context, 'namespaces')) ?? []).map((n) => n.metadata.name);
      const crbs = p.namespace
        ? []
        : ((await objects(deps, p.context, 'clusterrolebindings.rbac.authorization.k8s.io')) ?? []);
      return securityReport(pods, netpols, nss, crbs);
    },
    'cost.analysis': async (p, deps) => costReport((await objects(deps, p.context, 'pods', p.namespace)) ?? []),
    'drift.analysis': async (p, deps) => {
      const apps = (
        await must(deps, p.context, ARGO, 'Argo CD (drift is measured against Git through it)', p.namespace)
      ).map(argoApp);
      const drifted = apps.filter((a) => a.syncStatus !== 'Synced');
      return {
        drifted,
        total: apps.length,
        message: `${drifted.length} of ${apps.length} application(s) differ from Git`,
      };
    },
    topology: async (p, deps) => graph(deps, p.context, p.namespace, false),
    resourcemap: async (p, deps) => graph(deps, p.context, p.namespace, true),
    'continuity.summary': async (p, deps) => {
      const workloads = [
        ...((await objects(deps, p.context, 'deployments.apps', p.namespace)) ?? []),
        ...((await objects(deps, p.context, 'statefulsets.apps', p.namespace)) ?? []),
      ];
      const pdbs = (await objects(deps, p.context, 'poddisruptionbudgets.policy', p.namespace)) ?? [];
      const pods = (await objects(deps, p.context, 'pods', p.namespace)) ?? [];
      const rows = workloads.map((w) => {
        const sel = w.spec?.selector ?? {};
        const mine = pods.filter(
          (x) =>
            x.metadata.namespace === w.metadata.namespace &&
            Object.entries((sel.matchLabels ?? {}) as Record<string, string>).every(
              ([k, v]) => x.metadata.labels?.[k] === v,
            ),
        );
        const nodes = new Set(mine.map((x) => x.spec?.nodeName).filter(Boolean));
        const pdb = pdbs.some(
          (b) =>
            b.metadata.namespace === w.metadata.namespace &&
            Object.entries((b.spec?.selector?.matchLabels ?? {}) as Record<string, string>).every(
              ([k, v]) => w.spec?.template?.metadata?.labels?.[k] === v,
            ),
        );
        return {
          kind: w.kind ?? '',
          namespace: w.metadata.namespace ?? '',
          name: w.metadata.name,
          replicas: w.spec?.replicas ?? 1,
          nodes: nodes.size,
          pdb,
        };
      });
      const singleReplica = rows.filter((r) => r.replicas < 2);
      const singleNode = rows.filter((r) => r.replicas >= 2 && r.nodes < 2);
      const withoutPdb = rows.filter((r) => !r.pdb && r.replicas >= 2);
      const risky = new Set([...singleReplica, ...singleNode, ...withoutPdb].map((r) => `${r.namespace}/${r.name}`))
        .size;
      return {
        workloads: rows.length,
        score: rows.length ? Math.round(100 * (1 - risky / rows.length)) : 100,
        singleReplica,
        singleNode,
        withoutPdb,
      };
    },
    'traffic.metrics': async (p, deps) => {
      const k = await serviceStatus(deps, p.context, 'kiali');
      if (!k.installed)
        throw notInstalled(
          'traffic metrics come from a service mesh (Istio + Kiali), which is not installed in this cluster',
        );
      const { ctx, target } = await appTarget(deps, p.context, 'kiali');
      const namespaces = p.namespace
        ? [p.namespace]
        : ((await objects(deps, p.context, 'namespaces')) ?? [])
            .map((n) => n.metadata.name)
            .filter((n) => !/^kube-/.test(n))
            .sort();
      const duration = p.duration ?? '10m';
      const root = await kialiRoot(deps, ctx, target);
      const r = await callProxy(
        deps,
        ctx,
        target,
        {
          path: `${root}/api/namespaces/graph`,
          query: {
            namespaces: [namespaces.join(',')],
            graphType: ['workload'],
            duration: [duration],
            injectServiceNodes: ['false'],
          },
          accept: 'application/json',
        },
        { what: 'Kiali', timeoutMs: 60_000 },
      );
      const g = appReply(r, 'Kiali');
      if (!g || typeof g !== 'object')
        throw new ApiError('badUpstream', 'Kiali answered the graph request without a graph', 502);
      return trafficFromKialiGraph(g as KialiGraph, namespaces, duration);
    },
  };

const CUSTOM_LABEL = 'app.kubernetes.io/managed-by';
const CUSTOM_VALUE = 'kubegraf-custom-app';

type CustomApp = {
  name: string;
  namespace: string;
  image: string;
  port?: number;
  replicas?: number;
  env?: Record<string, string>;
};

function customAppObjects(p: CustomApp): KObject[] {
  const labels = { app: p.name, [CUSTOM_LABEL]: CUSTOM_VALUE };
  const container: Record<string, unknown> = { name: p.name, image: p.image };
  if (p.port) container.ports = [{ containerPort: p.port }];
  if (p.env) container.env = Object.entries(p.env).map(([name, value]) => ({ name, value }));
  const out: KObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: p.name, namespace: p.namespace, labels },
      spec: {
        replicas: p.replicas ?? 1,
        selector: { matchLabels: { app: p.name } },
        template: { metadata: { labels: { app: p.name } }, spec: { containers: [container] } },
      },
    },
  ];
  if (p.port)
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: p.name, namespace: p.namespace, labels },
      spec: { selector: { app: p.name }, ports: [{ port: p.port, targetPort: p.port }] },
    });
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
    nodes: namespace
      ? (await get('nodes')).filter((n) => pods.some((p) => p.spec?.nodeName === n.metadata.name))
      : await get('nodes'),
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
