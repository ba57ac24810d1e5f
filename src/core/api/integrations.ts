// Handlers of the integration and analysis routes: thin calls into the engines of core/integrations (Helm, Argo CD,
// KServe, GPUs, Kiali, MLflow, Kubeflow, the app catalog, custom apps) and core/analysis. The two transport-shaped
// handlers live here too: the raw HTTP face of the app proxies and the socket that follows a training job's logs.
import type { Readable } from 'node:stream';
import type { SocketPeer } from '../../shared/socket';
import type { Handlers } from '../../shared/route';
import type { INTEGRATION_ROUTES, MlJobSummary } from '../../shared/routes/integrations';
import type { KObject } from '../kube/descriptors';
import { KubeError, toKubeError } from '../kube/errors';
import { clusterGraph } from '../analysis/cluster';
import { costAnalysis, savePriceOverride } from '../insights/cost';
import { continuityAnalysis } from '../insights/continuity';
import { securityReport, whoCan } from '../insights/security';
import { appTarget, kialiRoot, proxyRoute, type ProxiedApp } from '../integrations/appProxy';
import {
  argoAppDetails,
  argoDiff,
  listArgoApps,
  refreshArgoApp,
  rollbackArgoApp,
  syncArgoApp,
  terminateArgoOp,
} from '../integrations/argocd';
import { driftDiff, driftReport } from '../insights/drift';
import { catalogApps, installApp, serviceStatus, uninstallApp } from '../integrations/catalog';
import {
  assertCustomApp,
  customAppPreview,
  deleteCustomAppService,
  deployCustomApp,
  listCustomApps,
} from '../integrations/customApps';
import { feastRegistry, feastStatus } from '../integrations/feast';
import { gpuMetrics, gpuNodes, gpuPods, gpuStatus } from '../integrations/gpu';
import { listReleases, releaseDetails, releaseHistory } from '../integrations/helm';
import { nativeRollback, nativeUninstall, revisionDiff } from '../integrations/helmNative';
import { meshGraph, trafficMetrics } from '../integrations/kiali';
import { certificatesOverview, renewCertificate } from '../integrations/certificates';
import {
  createInferenceService,
  inferenceDetails,
  inferenceServices,
  inferenceTest,
  isvc,
  ISVC,
} from '../integrations/kserve';
import { createMlJob, jobPodsOf, listMlJobs, mlJob, mlJobLogs, mlJobSummary } from '../integrations/kubeflow';
import { mlflowExperiments, mlflowModels, mlflowRun, mlflowRuns } from '../integrations/mlflow';
import { enablePlugin, listPlugins } from '../integrations/plugins';
import { pluginByName } from '../../shared/plugins';
import { contextOf, objects } from './common';
import type { ApiDeps } from './deps';
import { ApiError, toApiError } from './errors';
import { openProxy } from './serviceProxy';
import { deleteOf, detailsOf } from './resources';

type H = Handlers<typeof INTEGRATION_ROUTES, ApiDeps>;

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
  p: { context?: string; namespace: string; name: string; kind?: MlJobSummary['kind']; tailLines?: number },
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
  let kind: MlJobSummary['kind'];
  try {
    kind = (await mlJob(deps, p.context, p.namespace, p.name, p.kind)).kind;
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
        // The time travels on its own; the text is the line as the container wrote it.
        (l) =>
          send({
            type: 'log',
            pod: l.pod,
            container: l.container,
            ...(l.time ? { time: l.time } : {}),
            text: l.time && l.text.startsWith(`${l.time} `) ? l.text.slice(l.time.length + 1) : l.text,
          }),
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
    const pods = jobPodsOf((await objects(deps, p.context, 'pods', p.namespace)) ?? [], p.name, kind)
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

export const INTEGRATION_HANDLERS: Omit<H, 'ml.jobs.logsWs' | 'ai.chat' | 'ai.providers' | 'ai.configure' | 'ai.test'> =
  {
    'helm.releases': async (p, deps) => ({ releases: await listReleases(deps, p.context, p.namespace) }),
    'helm.release': async (p, deps) => releaseDetails(deps, p.context, p.namespace, p.name, p.revision),
    'helm.history': async (p, deps) => ({ history: await releaseHistory(deps, p.context, p.namespace, p.name) }),
    'helm.rollback': async (p, deps) =>
      nativeRollback(deps.kube, contextOf(deps, p.context), {
        namespace: p.namespace,
        name: p.name,
        revision: p.revision,
        dryRun: p.dryRun,
      }),
    'helm.uninstall': async (p, deps) =>
      nativeUninstall(deps.kube, contextOf(deps, p.context), {
        namespace: p.namespace,
        name: p.name,
        keepHistory: p.keepHistory,
        dryRun: p.dryRun,
      }),
    'helm.diff': async (p, deps) =>
      revisionDiff(deps.kube, contextOf(deps, p.context), {
        namespace: p.namespace,
        name: p.name,
        from: p.from,
        to: p.to,
      }),
    'argocd.apps': async (p, deps) => ({ apps: await listArgoApps(deps, p.context, p.namespace) }),
    'argocd.app': async (p, deps) => argoAppDetails(deps, p.context, p.namespace, p.name),
    'argocd.diff': async (p, deps) => argoDiff(deps, p),
    'argocd.sync': async (p, deps) => syncArgoApp(deps, p),
    'argocd.rollback': async (p, deps) => rollbackArgoApp(deps, p),
    'argocd.terminate': async (p, deps) => terminateArgoOp(deps, p),
    'argocd.refresh': async (p, deps) => refreshArgoApp(deps, p),
    'plugins.list': async (p, deps) => ({ plugins: await listPlugins(deps, p.context) }),
    'plugins.install': async (p, deps) => installApp(deps, p.context, (p.name && pluginByName(p.name)?.app) || p.name),
    'plugins.enable': async (p, deps) => enablePlugin(deps, p),
    'inference.list': async (p, deps) => ({
      services: (await inferenceServices(deps, p.context, p.namespace)).map(isvc),
    }),
    'inference.get': async (p, deps) => {
      await inferenceServices(deps, p.context);
      const d = await detailsOf(deps, ISVC, p);
      return inferenceDetails(deps, p, d.object as KObject);
    },
    'inference.create': async (p, deps) => createInferenceService(deps, p),
    'inference.delete': async (p, deps) => {
      await inferenceServices(deps, p.context);
      return deleteOf(deps, ISVC, p);
    },
    'inference.test': async (p, deps) => inferenceTest(deps, p),
    'ml.jobs.list': async (p, deps) => listMlJobs(deps, p.context, p.namespace),
    'ml.jobs.get': async (p, deps) => {
      const j = await mlJob(deps, p.context, p.namespace, p.name, p.kind);
      return { ...(await detailsOf(deps, j.resource, p)), summary: mlJobSummary(j.kind, j.o) };
    },
    'ml.jobs.delete': async (p, deps) => {
      const j = await mlJob(deps, p.context, p.namespace, p.name, p.kind);
      return deleteOf(deps, j.resource, p);
    },
    'ml.jobs.logs': async (p, deps) => ({ pods: await mlJobLogs(deps, p.context, p.namespace, p.name, p.kind) }),
    'ml.jobs.create': async (p, deps) => createMlJob(deps, p),
    'gpu.status': async (p, deps) => gpuStatus(deps, p.context),
    'gpu.nodes': async (p, deps) => ({
      nodes: gpuNodes((await objects(deps, p.context, 'nodes')) ?? [], (await objects(deps, p.context, 'pods')) ?? []),
    }),
    'gpu.metrics': async (p, deps) => gpuMetrics(deps, p.context),
    'gpu.pods': async (p, deps) => ({
      pods: gpuPods((await objects(deps, p.context, 'pods', p.namespace)) ?? [], p.namespace),
    }),
    'gpu.install': async (p, deps) => installApp(deps, p.context, 'nvidia-device-plugin'),
    'kiali.status': async (p, deps) => serviceStatus(deps, p.context, 'kiali'),
    'kiali.install': async (p, deps) => installApp(deps, p.context, 'kiali'),
    'kiali.proxy': async (p, deps) => proxyRoute(deps, 'kiali', p),
    'kiali.graph': async (p, deps) => meshGraph(deps, p),
    'certificates.overview': async (p, deps) => certificatesOverview(deps, p),
    'certificate.renew': async (p, deps) => renewCertificate(deps, p),
    'mlflow.status': async (p, deps) => serviceStatus(deps, p.context, 'mlflow'),
    'mlflow.install': async (p, deps) => installApp(deps, p.context, 'mlflow'),
    'mlflow.proxy': async (p, deps) => proxyRoute(deps, 'mlflow', p),
    'mlflow.experiments': async (p, deps) => mlflowExperiments(deps, p.context, p.view),
    'mlflow.runs': async (p, deps) => mlflowRuns(deps, p.context, p.experimentId),
    'mlflow.run': async (p, deps) => mlflowRun(deps, p.context, p.runId),
    'mlflow.models': async (p, deps) => mlflowModels(deps, p.context),
    'feast.status': async (p, deps) => feastStatus(deps, p.context),
    'feast.registry': async (p, deps) => feastRegistry(deps, p.context),
    'feast.install': async (p, deps) => installApp(deps, p.context, 'feast'),
    'apps.list': async (p, deps) => ({ apps: await catalogApps(deps, p.context) }),
    'apps.installed': async (p, deps) => ({
      apps: (await listReleases(deps, p.context, p.namespace)).filter((r) => r.status === 'deployed'),
    }),
    'apps.install': async (p, deps) => installApp(deps, p.context, p.name, p.namespace),
    'apps.uninstall': async (p, deps) => uninstallApp(deps, p),
    'customApps.preview': async (p) => customAppPreview(p),
    'customApps.deploy': async (p, deps) => deployCustomApp(deps, p),
    'customApps.list': async (p, deps) => ({ apps: await listCustomApps(deps, p.context, p.namespace) }),
    'customApps.delete': async (p, deps) => {
      await assertCustomApp(deps, p);
      return deleteCustomAppService(deps, p, await deleteOf(deps, 'deployments.apps', p));
    },
    security: async (p, deps) =>
      securityReport(deps, contextOf(deps, p.context), p.namespace, p.legacyFindings !== false),
    'security.whoCan': async (p, deps) => whoCan(deps, contextOf(deps, p.context), p.verb, p.resource, p.namespace),
    'cost.analysis': async (p, deps) => costAnalysis(deps, p.context, p.namespace, p.label),
    'cost.prices': async (p, deps) => {
      const { nodeType, context: _c, ...prices } = p;
      void _c;
      return { overrides: await savePriceOverride(deps, nodeType, prices) };
    },
    'drift.analysis': async (p, deps) => driftReport(deps, p.context, p.namespace),
    'drift.diff': async (p, deps) => driftDiff(deps, p),
    topology: async (p, deps) => clusterGraph(deps, p.context, p.namespace, false),
    resourcemap: async (p, deps) =>
      clusterGraph(deps, p.context, p.namespace, true, {
        focus: p.focus,
        depth: p.depth,
        group: p.group,
        expand: p.expand ? p.expand.split(',').filter(Boolean) : undefined,
        limit: p.limit,
      }),
    'continuity.summary': async (p, deps) => continuityAnalysis(deps, p.context, p.namespace),
    'traffic.metrics': async (p, deps) => trafficMetrics(deps, p),
  };
