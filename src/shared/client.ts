// The typed client: `call('pods.list', {namespace})` is checked against the route table at compile time and sent
// over whichever transport the host picked (HTTP + token in a browser tab, postMessage bridge in a VS Code webview).
import type { ApiErrorBody, ParamsOf, ResultOf, Route } from './route';
import { ROUTES, type RouteId, type Routes } from './routeTable';

export interface Transport {
  request(id: string, route: Route, params: Record<string, unknown>): Promise<unknown>;
}

/** A failed call: the server's `{error:{code,message}}` plus the HTTP status when there was one. */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export interface Client {
  call<K extends RouteId>(id: K, params: ParamsOf<Routes[K]>): Promise<ResultOf<Routes[K]>>;
}

export function createClient(transport: Transport): Client {
  return {
    call: async (id, params) => {
      const r = (ROUTES as Record<string, Route>)[id];
      if (!r) throw new ApiCallError('unknownRoute', `no route "${id}"`);
      if (r.method === 'WS') throw new ApiCallError('badRequest', `${id} is a WebSocket; open it as a channel`);
      return transport.request(id, r, (params ?? {}) as Record<string, unknown>) as Promise<never>;
    },
  };
}

/** Fills `{x}` segments from params; returns the path and the params left over. */
export function fillPath(
  path: string,
  params: Record<string, unknown>,
): { path: string; rest: Record<string, unknown> } {
  const rest = { ...params };
  const out = path.replace(/\{(\w+)\}/g, (_m, k: string) => {
    const v = rest[k];
    delete rest[k];
    if (v === undefined || v === null || v === '')
      throw new ApiCallError('badRequest', `missing path parameter "${k}"`);
    return encodeURIComponent(String(v));
  });
  return { path: out.replace(/\/\*$/, `/${String(rest.path ?? '').replace(/^\/+/, '')}`), rest };
}

/**
 * The one query-string builder of every client: scalars as they are, lists of scalars as repeated keys, objects as
 * JSON text (the server's schemas parse both); undefined and null are left out. `?a=1&b=2`, or '' when empty.
 */
export function toQuery(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) for (const x of v) q.append(k, String(x));
    else q.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface HttpTransportOptions {
  /** `http://127.0.0.1:PORT` in a tab; '' for same-origin. */
  baseUrl?: string;
  /** The launch token (or a session token); omitted when the cookie carries it. */
  token?: string;
  fetch?: typeof fetch;
}

/** HTTP + token: GET/DELETE put params in the query (DELETE bulk routes send a body), POST/PUT send JSON. */
export function httpTransport(o: HttpTransportOptions = {}): Transport {
  const f = o.fetch ?? fetch;
  return {
    async request(_id, r, params) {
      const { path, rest } = fillPath(r.path, params);
      const method = r.method === 'ANY' ? 'GET' : r.method;
      const hasBody =
        method === 'POST' ||
        method === 'PUT' ||
        (method === 'DELETE' && Object.values(rest).some((v) => typeof v === 'object' && v !== null));
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (o.token) headers.Authorization = `Bearer ${o.token}`;
      if (hasBody) headers['Content-Type'] = 'application/json';
      const res = await f(`${o.baseUrl ?? ''}${path}${hasBody ? '' : toQuery(rest)}`, {
        method,
        headers,
        body: hasBody ? JSON.stringify(rest) : undefined,
        credentials: 'same-origin',
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      if (!res.ok) {
        const e = (body as ApiErrorBody | undefined)?.error;
        throw new ApiCallError(e?.code ?? 'http', e?.message ?? `HTTP ${res.status}`, res.status, e?.details);
      }
      return body;
    },
  };
}

/** The URL of a WebSocket route for a browser tab (the token goes in the query: browsers cannot set headers). */
export function wsUrl(id: RouteId, params: Record<string, unknown>, o: { baseUrl: string; token?: string }): string {
  const r = (ROUTES as Record<string, Route>)[id];
  const { path, rest } = fillPath(r.path, params);
  const base = o.baseUrl.replace(/^http/, 'ws');
  return `${base}${path}${toQuery(o.token ? { ...rest, token: o.token } : rest)}`;
}

/**
 * The push channels a page can open, by route id: `socket` routes (WebSockets) and `stream` routes (long NDJSON
 * answers). Every face serves each one (a unit test walks the route table against this list).
 */
export const CHANNEL_IDS = [
  'ws',
  'ws.metrics',
  'execution.stream',
  'pod.terminal',
  'local.terminal',
  'pod.logs',
  'ml.jobs.logsWs',
  'connectors.deliveries',
] as const satisfies readonly RouteId[];
export type ChannelId = (typeof CHANNEL_IDS)[number];
/** A channel's query parameters (strings on the wire; the route's schema parses them). */
export type ChannelParams<K extends ChannelId> = { [P in keyof ParamsOf<Routes[K]>]?: string | number | boolean };

/** Messages of the webview bridge (request/response over postMessage). */
export type BridgeRequest = { type: 'api.request'; reqId: number; id: string; params: Record<string, unknown> };
export type BridgeResponse =
  | { type: 'api.response'; reqId: number; ok: true; result: unknown }
  | { type: 'api.response'; reqId: number; ok: false; error: ApiErrorBody['error'] & { status?: number } };

/** postMessage bridge: the host (VS Code panel) answers each request through the same handlers as the server. */
export function bridgeTransport(
  post: (m: BridgeRequest) => void,
  subscribe: (onMessage: (m: unknown) => void) => () => void,
  timeoutMs = 120_000,
): Transport {
  let seq = 0;
  const pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void; timer: ReturnType<typeof setTimeout> }
  >();
  subscribe((m) => {
    const r = m as BridgeResponse;
    if (!r || r.type !== 'api.response') return;
    const p = pending.get(r.reqId);
    if (!p) return;
    pending.delete(r.reqId);
    clearTimeout(p.timer);
    if (r.ok) p.resolve(r.result);
    else p.reject(new ApiCallError(r.error.code, r.error.message, r.error.status, r.error.details));
  });
  return {
    request(id, r, params) {
      const reqId = ++seq;
      const wait = r.timeoutMs ?? timeoutMs;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(reqId);
          reject(new ApiCallError('timeout', `${id} got no answer in ${wait / 1000}s`));
        }, wait);
        pending.set(reqId, { resolve, reject, timer });
        post({ type: 'api.request', reqId, id, params });
      });
    },
  };
}

// Beyond route calls, the webview and the panel host exchange push-channel and app messages; both ends import these.
/** Webview → extension host. */
export type BridgeToHost =
  /** Open a push channel by route id: a `socket` route (`ws`, `ws.metrics`, `pod.terminal`, `execution.stream`...;
   *  `local.terminal` is browser-only) runs over the channel's frames, a `stream` route (`pod.logs` with follow=true)
   *  sends one message per item. Params are the route's query parameters, as strings. */
  | { type: 'stream.open'; streamId: number; id: ChannelId; params: Record<string, string> }
  /** One text frame to the channel (terminal stdin, `/ws` subscribe). */
  | { type: 'stream.send'; streamId: number; data: string }
  | { type: 'stream.close'; streamId: number }
  /** The app has loaded and listens; the host may answer with `app.navigate`. */
  | { type: 'app.ready'; page?: string }
  /** Save a file the user exported (CSV, logs) through the editor's save dialog. */
  | { type: 'app.saveFile'; name: string; content: string; mime: string }
  /** The user chose namespaces in the panel (empty: all): the side bar, status bar and commands follow. */
  | { type: 'app.scope'; namespaces: string[] };

/** Extension host → webview. */
export type BridgeFromHost =
  | { type: 'stream.opened'; streamId: number }
  /** One text frame from the channel, exactly what the WebSocket would carry. */
  | { type: 'stream.message'; streamId: number; data: string }
  | { type: 'stream.closed'; streamId: number; code?: number; reason?: string }
  /** Show a page (the extension's commands open the panel on a page: incidents, a pod's logs...). */
  | { type: 'app.navigate'; page: string; params?: Record<string, string> }
  /** The namespaces were chosen in VS Code (Switch Namespace, the tree): the panel follows. */
  | { type: 'app.scope'; namespaces: string[] };
