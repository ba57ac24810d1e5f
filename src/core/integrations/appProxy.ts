// In-cluster HTTP apps (Kiali, MLflow) reached through the API server's service proxy: which Service and port an app
// runs as, Kiali's web root, and the app's replies turned into values or errors that say who refused.
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError, notInstalled } from '../api/errors';
import { callProxy, replyJson, replyMessage, type BufferedReply, type ProxyTarget } from '../api/serviceProxy';
import { serviceStatus } from './catalog';

export type ProxiedApp = 'kiali' | 'mlflow' | 'argo-cd';

const APP_PORTS: Record<ProxiedApp, { port: number; title: string }> = {
  kiali: { port: 20001, title: 'Kiali' },
  mlflow: { port: 5000, title: 'MLflow' },
  'argo-cd': { port: 443, title: 'Argo CD' },
};

/** The Service an integration runs as, and which of its ports speaks HTTP (the app's well-known one first). */
export async function appTarget(
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
export async function kialiRoot(deps: ApiDeps, ctx: string, t: ProxyTarget): Promise<string> {
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
export function apiServerRefusal(r: BufferedReply, what: string): ApiError {
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
export function appReply(r: BufferedReply, what: string): unknown {
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

/** A JSON-face call to an app: `path`, `method` and `body` are ours, every other parameter is the app's query. */
export async function proxyRoute(
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
