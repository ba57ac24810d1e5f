// Reaching in-cluster HTTP apps (Kiali, MLflow, dcgm-exporter, KServe predictors) the way kubectl proxy, Lens and
// Headlamp do: through the API server's proxy subresource,
//   /api/v1/namespaces/NS/services/[SCHEME:]NAME:PORT/proxy/PATH   (or pods/NAME:PORT/proxy/PATH),
// so nothing is exposed and the cluster's RBAC (`services/proxy`) decides. Requests carry the context's own
// credentials; replies stream back with their status, bounded in size and time.
import http from 'node:http';
import https from 'node:https';
import { Transform, type Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { configForContext, loadKubeconfigs } from '../kube/kubeconfig';
import type { ApiDeps } from './deps';
import { ApiError } from './errors';

export interface ProxyTarget {
  namespace: string;
  /** A Service (default) or a Pod. */
  resource?: 'services' | 'pods';
  name: string;
  /** Port name or number; empty for a single unnamed port. */
  port?: string | number;
  scheme?: 'http' | 'https';
}

export interface ProxyCall {
  method?: string;
  /** The app's path, "/"-relative ("api/status" or "/api/status"). Dot segments are refused. */
  path: string;
  query?: Record<string, string | string[]>;
  body?: Buffer | string | Readable;
  contentType?: string;
  accept?: string;
}

export interface ProxyOptions {
  /** Whole request, first byte to last (default 30 s). */
  timeoutMs?: number;
  /** Largest reply body accepted (default 8 MiB). */
  maxBytes?: number;
  /** Names the app in errors ("Kiali did not answer within 30s"). */
  what?: string;
}

export interface ProxyReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The reply body as it arrives; fails with `upstreamTooLarge` past maxBytes. */
  body: Readable;
}

export interface BufferedReply {
  status: number;
  contentType: string;
  /** Where a redirect points. */
  location?: string;
  body: Buffer;
  fromApiServer: boolean;
}

const DEFAULT_TIMEOUT = 30_000;
const DEFAULT_MAX = 8 * 1024 * 1024;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** The app path as encoded segments; refuses anything that could leave the proxy subresource once normalised. */
export function safeProxyPath(path: string): string {
  if (path.length > 4096) throw new ApiError('badRequest', 'the proxied path is longer than 4096 characters', 400);
  const segs = path.split('/').filter((s, i, all) => s !== '' || i === all.length - 1);
  for (const s of segs) {
    if (s === '.' || s === '..' || s.includes('\\') || [...s].some((c) => c.charCodeAt(0) < 0x20))
      throw new ApiError('badRequest', `the proxied path may not contain "${s}" segments`, 400);
  }
  return '/' + segs.map((s) => encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%40/g, '@')).join('/');
}

/** The proxy subresource path for a target. */
export function proxyBase(t: ProxyTarget): string {
  const resource = t.resource ?? 'services';
  if (!DNS_LABEL.test(t.namespace)) throw new ApiError('badRequest', `invalid namespace "${t.namespace}"`, 400);
  if (!DNS_SUBDOMAIN.test(t.name))
    throw new ApiError('badRequest', `invalid ${resource === 'pods' ? 'pod' : 'service'} name "${t.name}"`, 400);
  const port = t.port === undefined || t.port === '' ? '' : String(t.port);
  if (port && !/^([0-9]{1,5}|[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?)$/.test(port))
    throw new ApiError('badRequest', `invalid port "${port}"`, 400);
  const ref = [t.scheme && t.scheme !== 'http' ? t.scheme : '', t.name, port].filter((x, i) => x || i === 1).join(':');
  return `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/${resource}/${encodeURIComponent(ref).replace(/%3A/gi, ':')}/proxy`;
}

const configs = new Map<string, { kc: KubeConfig; at: number }>();

/** The context's client config, as the engine builds it (cached briefly; kubeconfig edits are picked up). */
function kubeConfigFor(deps: ApiDeps, context: string): KubeConfig {
  const key = `${deps.kubeconfigFiles.join('\0')}\0${context}`;
  const hit = configs.get(key);
  if (hit && Date.now() - hit.at < 30_000) return hit.kc;
  const all = loadKubeconfigs(deps.kubeconfigFiles).config;
  if (!all.getContextObject(context)) throw new ApiError('notFound', `no context named "${context}"`, 404);
  const kc = configForContext(all, context);
  configs.set(key, { kc, at: Date.now() });
  return kc;
}

/** Exec credential plugins run only once the user approved them, which connecting the context asks for. */
async function ensureUsable(deps: ApiDeps, context: string): Promise<void> {
  const info = deps.kube.context(context);
  if (!info.execCommand) return;
  const state =
    info.connection.state === 'connected' || info.connection.state === 'reconnecting'
      ? info.connection
      : (await deps.kube.connect(context)).connection;
  if (state.state !== 'connected' && state.state !== 'reconnecting') {
    throw new ApiError(
      state.state === 'unreachable' ? state.code : 'unreachable',
      `context ${context} is not connected${state.state === 'unreachable' ? `: ${state.reason}` : ''}`,
      state.state === 'unreachable' && state.code === 'notApproved' ? 403 : 503,
    );
  }
}

/** Opens a proxied request and resolves once the reply headers arrived; the body streams from `body`. */
export async function openProxy(
  deps: ApiDeps,
  context: string,
  target: ProxyTarget,
  call: ProxyCall,
  o: ProxyOptions = {},
): Promise<ProxyReply> {
  const method = (call.method ?? 'GET').toUpperCase();
  if (!METHODS.has(method))
    throw new ApiError('badRequest', `method ${method} cannot be proxied (use ${[...METHODS].join(', ')})`, 400);
  const what = o.what ?? `${target.namespace}/${target.name}`;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT;
  const maxBytes = o.maxBytes ?? DEFAULT_MAX;
  const path = proxyBase(target) + safeProxyPath(call.path);
  await ensureUsable(deps, context);
  const kc = kubeConfigFor(deps, context);
  const server = kc.getCurrentCluster()?.server ?? '';
  if (!server) throw new ApiError('noCluster', `context ${context} has no cluster server`, 503);
  const url = new URL(server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(call.query ?? {}))
    for (const x of Array.isArray(v) ? v : [v]) url.searchParams.append(k, x);
  const opts: https.RequestOptions = { method, headers: {} };
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (e) {
    throw new ApiError('unreachable', `credentials for ${context}: ${(e as Error).message}`, 503);
  }
  const headers = (opts.headers ?? {}) as Record<string, string>;
  headers.Accept = call.accept ?? '*/*';
  const fixed = typeof call.body === 'string' || Buffer.isBuffer(call.body) ? Buffer.from(call.body) : undefined;
  if (call.body !== undefined) headers['Content-Type'] = call.contentType ?? 'application/json';
  if (fixed) headers['Content-Length'] = String(fixed.length);
  opts.headers = headers;
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise<ProxyReply>((resolve, reject) => {
    let settled = false;
    let streaming: Transform | undefined;
    const fail = (e: ApiError) => {
      if (!settled) {
        settled = true;
        reject(e);
      }
    };
    const req = mod.request(url, opts, (res) => {
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        res.destroy();
        return fail(
          new ApiError(
            'upstreamTooLarge',
            `${what} answered with ${declared} bytes, more than the ${maxBytes} allowed`,
            502,
          ),
        );
      }
      // Counted on the way through, and paused until the caller reads: nothing is lost between here and there.
      let size = 0;
      const body = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (size > maxBytes)
            cb(new ApiError('upstreamTooLarge', `${what} answered with more than ${maxBytes} bytes`, 502));
          else cb(null, chunk);
        },
      });
      res.on('error', (e) => body.destroy(e));
      res.on('aborted', () => body.destroy(new ApiError('unreachable', `${what}: the reply broke off`, 502)));
      body.on('close', () => {
        clearTimeout(timer);
        if (!res.readableEnded) res.destroy();
      });
      body.on('end', () => clearTimeout(timer));
      res.pipe(body);
      streaming = body;
      settled = true;
      resolve({ status: res.statusCode ?? 502, headers: res.headers, body });
    });
    const timer = setTimeout(() => {
      const e = new ApiError('timeout', `${what} did not answer within ${Math.round(timeoutMs / 100) / 10}s`, 504);
      streaming?.destroy(e);
      req.destroy(e);
      fail(e);
    }, timeoutMs);
    timer.unref?.();
    req.on('error', (e) => {
      clearTimeout(timer);
      fail(
        e instanceof ApiError
          ? e
          : new ApiError('unreachable', `cannot reach the cluster to proxy to ${what}: ${e.message}`, 503),
      );
    });
    if (call.body !== undefined && !fixed) (call.body as Readable).pipe(req);
    else req.end(fixed);
  });
}

/** A whole reply, read into memory (bounded by maxBytes). */
export async function callProxy(
  deps: ApiDeps,
  context: string,
  target: ProxyTarget,
  call: ProxyCall,
  o: ProxyOptions = {},
): Promise<BufferedReply> {
  const r = await openProxy(deps, context, target, call, o);
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    r.body.on('data', (c: Buffer) => chunks.push(c));
    r.body.on('end', resolve);
    r.body.on('error', (e) =>
      reject(
        e instanceof ApiError
          ? e
          : new ApiError('unreachable', `${o.what ?? target.name}: the reply broke off: ${e.message}`, 502),
      ),
    );
    r.body.on('close', () =>
      r.body.readableEnded
        ? resolve()
        : reject(new ApiError('unreachable', `${o.what ?? target.name}: the reply broke off`, 502)),
    );
  });
  const body = Buffer.concat(chunks);
  const contentType = String(r.headers['content-type'] ?? '');
  const location = r.headers.location;
  return {
    status: r.status,
    contentType,
    body,
    fromApiServer: r.status >= 400 && isStatus(contentType, body),
    ...(location ? { location: String(location) } : {}),
  };
}

/** The API server's own refusals (service missing, no endpoints, forbidden) are v1 Status objects. */
function isStatus(contentType: string, body: Buffer): boolean {
  if (!/json/.test(contentType) || body.length > 64 * 1024) return false;
  try {
    const j = JSON.parse(body.toString('utf8')) as { kind?: unknown; apiVersion?: unknown };
    return j.kind === 'Status' && j.apiVersion === 'v1';
  } catch {
    return false;
  }
}

/** Parses a JSON reply body, or fails saying what came instead. */
export function replyJson<T = unknown>(r: BufferedReply, what: string): T {
  try {
    return JSON.parse(r.body.toString('utf8')) as T;
  } catch {
    throw new ApiError(
      'badUpstream',
      `${what} answered ${r.status} with a body that is not JSON (${r.contentType || 'no content type'})`,
      502,
    );
  }
}

/** The message inside an API server Status or an app's {error}/{message}, for error texts. */
export function replyMessage(r: BufferedReply): string {
  const text = r.body.toString('utf8').slice(0, 2000);
  try {
    const j = JSON.parse(text) as { message?: unknown; error?: unknown; detail?: unknown };
    const m = j.message ?? j.error ?? j.detail;
    if (typeof m === 'string') return m;
  } catch {
    // Not JSON: the text itself.
  }
  return text.trim().split('\n')[0] || `HTTP ${r.status}`;
}
