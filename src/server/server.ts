// The local server: documented /api/* routes from the route table, WebSockets, the dashboard shell. Secure by
// default: launch token on every route and upgrade, Host and Origin checks, no CORS, bounded bodies, validated params.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { shapeOf, type Caller, type Route } from '../shared/route';
import { MAX_DEPTH, nestedDeeperThan } from '../shared/limits';
import { requiredRole, roleAllows } from '../shared/permissions';
import type { UserDto } from '../shared/routes/system';
import type { ApiDeps } from '../core/api/deps';
import { ApiError, toApiError } from '../core/api/errors';
import type { HandlerMap } from '../core/api/handlers';
import type { StreamHandler } from '../core/api/streams';
import {
  allowedHosts,
  authenticate,
  bearer,
  cookieToken,
  COOKIE,
  externalAddress,
  hostOk,
  isLoopback,
  originOk,
} from './auth';
import { Dispatcher, handlerTables } from './dispatch';
import { matchPath, methodMatches, type Match } from './match';
import { FALLBACK_STATUS_JS, findWebviewDir, serveStatic } from './static';
import type { UpgradeContext, UpgradeHandler } from './upgrades';
import { guardConnections, type ConnectionLimits } from './connectionGuard';
import { describeIssue, describeIssues } from '../shared/paramErrors';

export interface ServerOptions {
  host?: string;
  port?: number;
  token: string;
  deps: ApiDeps;
  /** JSON handlers; the stream, socket and raw tables are the shared ones (src/server/dispatch.ts). */
  handlers: HandlerMap;
  /** Required (with accounts) when the host is not loopback. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  webviewDir?: string;
  /** Request body limit in bytes (default 2 MiB: a 1 MiB YAML plus JSON escaping). */
  bodyLimit?: number;
  log?: (line: string) => void;
  /** Caps on open and silent connections (default DEFAULT_LIMITS). */
  connectionLimits?: ConnectionLimits;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  /**
   * Trusts the address a browser reaches this server at through a proxy or forwarded port (VS Code's `asExternalUri`):
   * that URL's host joins the Host allow-list and its origin the Origin allow-list, nothing broader. Throws on a URL
   * that is not plain http(s).
   */
  allowExternal(url: string): void;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function sendJson(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': JSON_TYPE,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    ...extra,
  });
  res.end(text);
}

const sendError = (res: http.ServerResponse, e: ApiError) => sendJson(res, e.status, e.body());

/** Refuses an upgrade with a JSON body on the raw socket (the handshake never completes). */
function refuseUpgrade(socket: Duplex, e: ApiError): void {
  const body = JSON.stringify(e.body());
  socket.end(
    `HTTP/1.1 ${e.status} ${http.STATUS_CODES[e.status] ?? 'Error'}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit)
      return reject(new ApiError('payloadTooLarge', `request body is larger than ${limit} bytes`, 413));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new ApiError('payloadTooLarge', `request body is larger than ${limit} bytes`, 413));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Query values are strings; `items` (bulk routes) may come as JSON in the query. `token` is a credential, not a
 * parameter, except where the route's subject is a token (validate-token).
 */
function queryParams(u: URL, keepToken = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of u.searchParams) {
    if (k === 'token' && !keepToken) continue;
    if ((k === 'items' || k === 'labels' || k === 'command') && /^[[{]/.test(v)) {
      try {
        const parsed: unknown = JSON.parse(v);
        // Nested too deeply: left as a string, which the schema refuses.
        if (!nestedDeeperThan(parsed)) {
          out[k] = parsed;
          continue;
        }
      } catch {
        // Left as a string: the schema reports it.
      }
    }
    out[k] = v;
  }
  return out;
}

/** In accounts mode, a signed-in user whose role is below the route's gets a 403 that names what they lack. */
function roleDenies(
  auth: { user?: UserDto },
  m: Match,
  method: string,
  params: Record<string, unknown>,
): ApiError | undefined {
  const who = auth.user;
  if (!who) return undefined;
  const need = requiredRole(m.route, method, params);
  if (roleAllows(who.role, need)) return undefined;
  return new ApiError(
    'forbidden',
    `your role (${who.role}) may not do this: "${m.route.doc}" needs ${need}; ask an admin`,
    403,
    { role: who.role, required: need },
  );
}

function validate(route: Route, id: string, raw: Record<string, unknown>): unknown {
  const r = route.params.safeParse(raw);
  if (r.success) return r.data;
  // Plain words naming the field ("replicas must be a whole number"): this text reaches users as is.
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: describeIssue(i) }));
  throw new ApiError('invalidParams', describeIssues(r.error.issues), 400, issues);
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  if (!loopback && (!o.tls || !o.deps.accounts))
    throw new Error(`listening on ${host} (not loopback) requires TLS and user accounts`);
  const scheme: 'http' | 'https' = o.tls ? 'https' : 'http';
  const limit = o.bodyLimit ?? 2 * 1024 * 1024;
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const webview = findWebviewDir(o.webviewDir);
  const dispatch = new Dispatcher('http', handlerTables(o.handlers));
  let allowed = new Set<string>();
  // Addresses the host registered with allowExternal: kept apart from `allowed` so an external host is not also
  // accepted as an Origin under this server's own scheme.
  const externalHosts = new Set<string>();
  const externalOrigins = new Set<string>();
  const hostAllowed = (req: http.IncomingMessage) => hostOk(req, allowed) || hostOk(req, externalHosts);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  const callerFor = (auth: {
    user?: { username: string; role: string };
    token?: string;
  }): Caller & { session?: string; role?: string } => ({
    face: 'http',
    user: auth.user?.username,
    role: auth.user?.role,
    session: auth.token,
  });

  /**
   * Accounts mode leaves sign-in open (the user has no session yet); everything else needs a token. Registration is
   * not open: the first admin needs the launch token, later accounts an admin session.
   */
  const openRoute = (id: string) => Boolean(o.deps.accounts) && id === 'auth.login';

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!hostAllowed(req))
      return sendError(res, new ApiError('badHost', `Host "${req.headers.host ?? ''}" is not this server`, 403));
    let u: URL;
    try {
      u = new URL(req.url ?? '/', `${scheme}://${req.headers.host}`);
    } catch {
      return sendError(res, new ApiError('badRequest', 'malformed URL', 400));
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (u.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    const isApi =
      u.pathname === '/api' || u.pathname.startsWith('/api/') || u.pathname === '/ws' || u.pathname.startsWith('/ws/');
    if (!isApi) {
      if (method !== 'GET' && method !== 'HEAD')
        return sendError(res, new ApiError('methodNotAllowed', `${method} is not allowed here`, 405));
      const qt = u.searchParams.get('token');
      const headers: Record<string, string> = { ...BASE_HEADERS };
      // The visit from the printed URL sets an HttpOnly, same-site cookie so the page never handles the token.
      if (qt && (await authenticate(o.token, o.deps.accounts, [qt])).ok)
        headers['Set-Cookie'] =
          `${COOKIE}=${encodeURIComponent(qt)}; HttpOnly; SameSite=Strict; Path=/${scheme === 'https' ? '; Secure' : ''}`;
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      if (u.pathname === '/__kubegraf/status.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
        return void res.end(method === 'HEAD' ? undefined : FALLBACK_STATUS_JS);
      }
      return serveStatic(webview, u.pathname, res, method === 'HEAD');
    }
    const matches = matchPath(u.pathname);
    if (!matches.length) return sendError(res, new ApiError('notFound', `no route ${u.pathname}`, 404));
    const m: Match | undefined = matches.find((x) => methodMatches(x.route, method, false));
    if (!m) {
      const ws = matches.some((x) => x.route.method === 'WS');
      return sendError(
        res,
        new ApiError(
          'methodNotAllowed',
          ws
            ? `${u.pathname} is a WebSocket; connect with an Upgrade request`
            : `${method} is not allowed on ${u.pathname}; use ${matches.map((x) => x.route.method).join(' or ')}`,
          405,
        ),
      );
    }
    const auth = openRoute(m.id)
      ? { ok: true }
      : await authenticate(o.token, o.deps.accounts, [bearer(req), cookieToken(req)]);
    if (!auth.ok)
      return sendError(
        res,
        new ApiError(
          'unauthorized',
          'missing or wrong token: open the URL `kubegraf web` printed, or send Authorization: Bearer <token>',
          401,
        ),
      );
    if (method !== 'GET' && method !== 'HEAD') {
      // A cookie rides along with any cross-site form post; browsers send Origin with every state change they make, so
      // a cookie-only state change without one did not come from our page (CSRF).
      if (!bearer(req) && cookieToken(req) && req.headers.origin === undefined)
        return sendError(
          res,
          new ApiError(
            'badOrigin',
            'a change signed in by cookie needs the Origin header browsers send; scripts should use Authorization: Bearer <token>',
            403,
          ),
        );
      if (!originOk(req, allowed, scheme, externalOrigins))
        return sendError(
          res,
          new ApiError('badOrigin', `Origin ${req.headers.origin} may not change state on this server`, 403),
        );
    }
    const denied = roleDenies(auth, m, method, queryParams(u));
    if (denied) return sendError(res, denied);
    const caller = callerFor(auth as { user?: { username: string; role: string }; token?: string });
    try {
      // `raw` routes (the in-cluster UIs: Kiali, MLflow) stream through as they are: method, body, status and content
      // type. (The webview bridge, which has no HTTP, reaches the same apps through the routes' JSON handlers.)
      if (shapeOf(m.route) === 'raw') {
        const d = dispatch.pick(m.id, m.route, m.pathParams);
        if (d.shape === 'raw') return await d.handler(req, res, m.pathParams, u, o.deps, caller);
      }
      let raw: Record<string, unknown> = { ...queryParams(u, m.id === 'auth.validate') };
      if (method === 'POST' || method === 'PUT' || method === 'DELETE' || method === 'PATCH') {
        const text = await readBody(req, limit);
        if (text.trim()) {
          const ct = String(req.headers['content-type'] ?? '');
          if (!/^application\/json\b/i.test(ct))
            throw new ApiError('unsupportedMediaType', 'request bodies are JSON (Content-Type: application/json)', 415);
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            throw new ApiError('badJson', 'the request body is not valid JSON', 400);
          }
          if (!body || typeof body !== 'object' || Array.isArray(body))
            throw new ApiError('badJson', 'the request body must be a JSON object', 400);
          if (nestedDeeperThan(body))
            throw new ApiError('badJson', `the request body nests deeper than ${MAX_DEPTH} levels`, 400);
          raw = { ...raw, ...(body as Record<string, unknown>) };
        }
      }
      raw = { ...raw, ...m.pathParams };
      const params = validate(m.route, m.id, raw) as Record<string, unknown>;
      const d = dispatch.pick(m.id, m.route, params);
      if (d.shape === 'stream') return await ndjson(d.handler, params, caller, res);
      if (d.shape !== 'json') throw new ApiError('badRequest', `${m.route.path} does not answer this request`, 400);
      sendJson(res, 200, await d.handler(params as never, o.deps, caller));
    } catch (e) {
      const err = toApiError(e);
      // 501-504 are answers about something else (not built here, an upstream that failed, is down or slow), not our bugs.
      if (err.status >= 500 && (err.status < 501 || err.status > 504))
        log(`kubegraf web: ${method} ${u.pathname}: ${(e as Error)?.stack ?? String(e)}`);
      sendError(res, err);
    }
  }

  /** A `stream` route over HTTP (`GET /api/pod/logs?follow=true`): NDJSON, one item per line, until the client leaves or the source ends. */
  async function ndjson(
    h: StreamHandler,
    params: Record<string, unknown>,
    caller: Caller,
    res: http.ServerResponse,
  ): Promise<void> {
    let open = false;
    const stream = await h(params as never, o.deps, caller, (item) => {
      if (!open) {
        open = true;
        res.writeHead(200, {
          ...BASE_HEADERS,
          'Content-Type': 'application/x-ndjson; charset=utf-8',
          'Cache-Control': 'no-store',
        });
      }
      res.write(JSON.stringify(item) + '\n');
    });
    // Opened without an item yet (an empty log): the headers go now, so the client sees the stream is live.
    if (!open) {
      open = true;
      res.writeHead(200, {
        ...BASE_HEADERS,
        'Content-Type': 'application/x-ndjson; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.flushHeaders();
    }
    res.on('close', () => stream.stop());
    stream.done.then(
      () => res.end(),
      (e) => res.end(JSON.stringify({ error: toApiError(e).body().error }) + '\n'),
    );
  }

  async function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    if (!hostAllowed(req))
      return refuseUpgrade(socket, new ApiError('badHost', `Host "${req.headers.host ?? ''}" is not this server`, 403));
    let u: URL;
    try {
      u = new URL(req.url ?? '/', `${scheme}://${req.headers.host}`);
    } catch {
      return refuseUpgrade(socket, new ApiError('badRequest', 'malformed URL', 400));
    }
    const m = matchPath(u.pathname).find((x) => x.route.method === 'WS');
    if (!m) return refuseUpgrade(socket, new ApiError('notFound', `no WebSocket route ${u.pathname}`, 404));
    const auth = await authenticate(o.token, o.deps.accounts, [
      u.searchParams.get('token') ?? undefined,
      bearer(req),
      cookieToken(req),
    ]);
    if (!auth.ok)
      return refuseUpgrade(socket, new ApiError('unauthorized', 'missing or wrong token (pass ?token=)', 401));
    if (!originOk(req, allowed, scheme, externalOrigins))
      return refuseUpgrade(
        socket,
        new ApiError('badOrigin', `Origin ${req.headers.origin} may not open sockets on this server`, 403),
      );
    // The role first, as for HTTP routes: a user who may not open this socket learns nothing about its parameters.
    const denied = roleDenies(auth, m, 'WS', queryParams(u));
    if (denied) return refuseUpgrade(socket, denied);
    let params: unknown;
    try {
      params = validate(m.route, m.id, { ...queryParams(u), ...m.pathParams });
    } catch (e) {
      return refuseUpgrade(socket, toApiError(e));
    }
    let h: UpgradeHandler;
    try {
      const d = dispatch.pick(m.id, m.route, params as Record<string, unknown>);
      if (d.shape !== 'socket') throw new ApiError('badRequest', `${m.route.path} is not a WebSocket`, 400);
      h = d.handler;
    } catch (e) {
      return refuseUpgrade(socket, toApiError(e));
    }
    const ctx: UpgradeContext = {
      deps: o.deps,
      caller: callerFor(auth as { user?: { username: string; role: string }; token?: string }),
    };
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      ws.on('error', () => ws.terminate());
      Promise.resolve(h(ws, params as never, ctx)).catch((e) => {
        log(`kubegraf web: socket ${m.id}: ${(e as Error)?.message ?? e}`);
        ws.close(1011, 'internal error');
      });
    });
  }

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e) => {
      log(`kubegraf web: ${(e as Error)?.stack ?? e}`);
      sendError(res, toApiError(e));
    });
  };
  const server = o.tls
    ? https.createServer({ key: o.tls.key, cert: o.tls.cert }, onRequest)
    : http.createServer(onRequest);
  guardConnections(server as http.Server, o.connectionLimits);
  server.headersTimeout = 30_000;
  server.requestTimeout = 10 * 60_000;
  server.on('upgrade', (req, socket, head) => {
    upgrade(req, socket, head).catch((e) => {
      log(`kubegraf web: upgrade: ${(e as Error)?.message ?? e}`);
      refuseUpgrade(socket, toApiError(e));
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(host, port);
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `${scheme}://${urlHost}:${port}`,
    port,
    host,
    allowExternal: (url) => {
      const a = externalAddress(url);
      externalHosts.add(a.host);
      externalOrigins.add(a.origin);
    },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
