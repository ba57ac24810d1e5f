// The API server's proxy subresources: /api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy/PATH and the pod
// form. Like the real one, it checks `services/proxy` (get for GET/HEAD, create for POST, ...), finds the service
// port and a ready endpoint, and relays the request to the pod. The "pod" here is one of the simulated in-cluster
// apps (src/sim/apps), chosen by what the pod runs; any other pod answers like a bare web server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext, User } from './context';
import type { KObj } from './store';
import { can } from './authz';
import { StatusError, badRequest, forbidden, notFound } from './status';
import { isReady } from './controllers/runtime';
import { kialiApp } from './apps/kiali';
import { mlflowApp } from './apps/mlflow';
import { dcgmApp } from './apps/dcgm';
import { feastApp } from './apps/feast';
import { kserveApp } from './apps/kserve';
import { argocdApp } from './apps/argocd';
import type { AppRequest, AppResponse, SimApp } from './apps/app';

const PROXY_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/(services|pods)\/([^/]+)\/proxy(\/.*)?$/;
const MAX_PROXY_BODY = 3 * 1024 * 1024;

const VERB: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
  OPTIONS: 'get',
};

const unavailable = (message: string) => new StatusError(503, 'ServiceUnavailable', message);

/** Picks the app a pod runs by its images and labels (what the real cluster would have listening). */
function appFor(pod: KObj): SimApp {
  const images = (pod.spec?.containers ?? []).map((c: KObj) => String(c.image ?? ''));
  const has = (re: RegExp) => images.some((i: string) => re.test(i));
  if (has(/(^|\/)kiali(:|@|$)/)) return kialiApp;
  if (has(/mlflow/)) return mlflowApp;
  if (has(/dcgm-exporter/)) return dcgmApp;
  const appName = pod.metadata.labels?.['app.kubernetes.io/name'] ?? pod.metadata.labels?.app;
  if (has(/argoproj\/argocd(:|@|$)/) && appName === 'argocd-server') return argocdApp;
  if (has(/feastdev\/feature-server/)) return feastApp;
  if (pod.metadata.labels?.['serving.kserve.io/inferenceservice']) return kserveApp;
  return plainApp;
}

/** A pod with nothing special listening: health endpoints answer, the rest is a 404 page. */
const plainApp: SimApp = (r) => {
  if (r.method === 'GET' || r.method === 'HEAD') {
    if (['/', '/healthz', '/livez', '/readyz', '/health'].includes(r.path))
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' };
  }
  return { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };
};

/** Handles the request when it addresses a proxy subresource; false otherwise. Errors are Status objects. */
export async function serveProxy(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  user: User,
): Promise<boolean> {
  const m = PROXY_PATH.exec(url.pathname);
  if (!m) return false;
  let namespace: string, ref: string, rest: string;
  try {
    [namespace, ref, rest] = [decodeURIComponent(m[1]), decodeURIComponent(m[3]), m[4] ?? '/'];
  } catch {
    throw badRequest('malformed path');
  }
  const resource = m[2];
  const method = (req.method ?? 'GET').toUpperCase();
  const verb = VERB[method];
  if (!verb)
    throw new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  // "[scheme:]name[:port]" as the API server parses it.
  const parts = ref.split(':');
  const [scheme, name, port] =
    parts.length === 3 ? parts : parts.length === 2 ? ['', parts[0], parts[1]] : ['', parts[0], ''];
  if (parts.length > 3 || !name) throw badRequest(`invalid ${resource} proxy target "${ref}"`);
  if (scheme && scheme !== 'http' && scheme !== 'https') throw badRequest(`unsupported scheme "${scheme}"`);
  if (!can(user, { verb, group: '', resource, subresource: 'proxy', namespace, name }))
    throw forbidden(user.name, verb, `${resource}/proxy`, '', namespace, name);

  const pod = resource === 'services' ? podBehindService(ctx, namespace, name, port) : podByName(ctx, namespace, name);
  const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readLimited(req);
  const q = new URLSearchParams(url.search);
  const areq: AppRequest = {
    ctx,
    method,
    path: rest,
    query: q,
    body,
    contentType: String(req.headers['content-type'] ?? ''),
    pod,
    namespace,
  };
  let out: AppResponse;
  try {
    out = await appFor(pod)(areq);
  } catch (e) {
    // What the API server relays when the upstream connection breaks.
    throw unavailable(`error trying to reach service: ${(e as Error).message}`);
  }
  const payload =
    typeof out.body === 'string' || Buffer.isBuffer(out.body)
      ? Buffer.from(out.body)
      : Buffer.from(JSON.stringify(out.body));
  res.writeHead(out.status, {
    'Content-Type': out.contentType ?? 'application/json',
    'Content-Length': payload.length,
    ...(out.headers ?? {}),
  });
  res.end(method === 'HEAD' ? undefined : payload);
  return true;
}

function podBehindService(ctx: SimContext, namespace: string, name: string, port: string): KObj {
  const svc = ctx.store.get('services', namespace, name);
  if (!svc) throw notFound('services', '', name);
  const ports = (svc.spec?.ports ?? []) as KObj[];
  // An empty port string matches the unnamed (single) port; otherwise the port's name or number.
  const sp = ports.find((p) =>
    port === '' ? !p.name || ports.length === 1 : p.name === port || String(p.port) === port,
  );
  if (!sp) throw unavailable(`no service port "${port}" found for service "${name}"`);
  const ep = ctx.store.get('endpoints', namespace, name);
  for (const subset of (ep?.subsets ?? []) as KObj[]) {
    if (!(subset.ports ?? []).some((p: KObj) => (sp.name ? p.name === sp.name : true))) continue;
    for (const a of (subset.addresses ?? []) as KObj[]) {
      const pod = a.targetRef?.kind === 'Pod' ? ctx.store.get('pods', namespace, a.targetRef.name) : undefined;
      if (pod && isReady(pod)) return pod;
    }
  }
  throw unavailable(`no endpoints available for service "${name}"`);
}

function podByName(ctx: SimContext, namespace: string, name: string): KObj {
  const pod = ctx.store.get('pods', namespace, name);
  if (!pod) throw notFound('pods', '', name);
  if (!pod.status?.podIP) throw badRequest(`address not allowed`);
  if (pod.status?.phase !== 'Running') throw unavailable(`error trying to reach service: pod ${name} is not running`);
  return pod;
}

function readLimited(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_PROXY_BODY) {
        reject(new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_PROXY_BODY}`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
