// The one dispatch of every face: a route declares its shape (json, stream, socket, raw) and each shape has one
// handler table. The HTTP server and the VS Code webview bridge both pick handlers here, so whatever streams in a
// browser tab streams in the VS Code panel too, and no face special-cases a route id.
import type http from 'node:http';
import type { Caller, Route } from '../shared/route';
import { opensChannel, shapeOf } from '../shared/route';
import { ROUTES, type RouteId } from '../shared/routeTable';
import type { ApiDeps } from '../core/api/deps';
import { ApiError } from '../core/api/errors';
import { ALL_HANDLERS, type AnyHandler, type HandlerMap } from '../core/api/handlers';
import { openAppProxy } from '../core/api/integrations';
import { pluginRefusal } from '../core/integrations/plugins';
import { pluginOfRoute } from '../shared/plugins';
import { STREAM_HANDLERS, type StreamHandler, type StreamHandlers } from '../core/api/streams';
import { BROWSER_ONLY, SOCKET_HANDLERS, type SocketHandlers, type UpgradeHandler } from './upgrades';

/** `raw` routes pass an HTTP exchange through as it is; only the HTTP face has one (the bridge answers them as JSON). */
export type RawHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  params: Record<string, unknown>,
  url: URL,
  deps: ApiDeps,
  caller: Caller,
) => Promise<void>;
export type RawHandlers = Partial<Record<RouteId, RawHandler>>;

/** The in-cluster app's answer streams to the response as it comes; the request body streams to the app. */
const appProxy =
  (app: 'kiali' | 'mlflow'): RawHandler =>
  async (req, res, p, u, deps) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const hasBody =
      method !== 'GET' &&
      method !== 'HEAD' &&
      (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined);
    const r = await openAppProxy(
      deps,
      app,
      { method, body: hasBody ? req : undefined, contentType: req.headers['content-type'], accept: req.headers.accept },
      String(p.path ?? ''),
      u.searchParams,
      u.searchParams.get('context') ?? undefined,
    );
    res.writeHead(r.status, r.headers);
    r.body.on('error', () => res.destroy());
    r.body.pipe(res);
    res.on('close', () => r.body.destroy());
  };

export const RAW_HANDLERS: RawHandlers = { 'kiali.proxy': appProxy('kiali'), 'mlflow.proxy': appProxy('mlflow') };

export interface HandlerTables {
  json: HandlerMap;
  stream: StreamHandlers;
  socket: SocketHandlers;
  raw: RawHandlers;
}

/**
 * A plugin's routes refuse while it is off (403 `pluginDisabled`), whatever their shape and on every face: the gate
 * wraps the handlers themselves, so the HTTP server and the webview bridge cannot differ.
 */
function gated<T extends Partial<Record<RouteId, unknown>>>(
  table: T,
  wrap: (id: RouteId, h: NonNullable<T[keyof T]>) => NonNullable<T[keyof T]>,
): T {
  const out = { ...table };
  for (const id of Object.keys(out) as RouteId[])
    if (pluginOfRoute(id) && out[id]) (out as Record<string, unknown>)[id] = wrap(id, out[id] as never);
  return out;
}

const refuse = async (deps: ApiDeps, id: RouteId) => {
  const no = await pluginRefusal(deps, id);
  if (no) throw no;
};

/** Every engine's handlers of every shape: what `kubegraf web`, the extension's server and the panel all serve. */
export const handlerTables = (json: HandlerMap = ALL_HANDLERS): HandlerTables => ({
  json: gated(json, (id, h: AnyHandler) => async (p: never, deps: ApiDeps, caller: Caller) => {
    await refuse(deps, id);
    return h(p, deps, caller);
  }),
  stream: gated({ ...STREAM_HANDLERS }, (id, h: StreamHandler) => async (p, deps, caller, emit) => {
    await refuse(deps, id);
    return h(p, deps, caller, emit);
  }),
  socket: gated({ ...SOCKET_HANDLERS }, (id, h: UpgradeHandler) => async (ws, p, ctx) => {
    const no = await pluginRefusal(ctx.deps, id);
    if (!no) return h(ws, p, ctx);
    ws.send(JSON.stringify({ type: 'error', error: { code: no.code, message: no.message } }));
    ws.close(4403, no.code);
  }),
  raw: gated({ ...RAW_HANDLERS }, (id, h: RawHandler) => async (req, res, p, u, deps, caller) => {
    await refuse(deps, id);
    return h(req, res, p, u, deps, caller);
  }),
});

export type Face = 'http' | 'webview';

export type Dispatched =
  | { shape: 'json'; handler: AnyHandler }
  | { shape: 'stream'; handler: StreamHandler }
  | { shape: 'socket'; handler: UpgradeHandler }
  | { shape: 'raw'; handler: RawHandler };

const missing = (r: Route, what: string) =>
  new ApiError('notImplemented', `${r.doc}: the ${r.owner} engine does not answer this ${what} yet`, 501);

export class Dispatcher {
  constructor(
    readonly face: Face,
    readonly tables: HandlerTables,
  ) {}

  /**
   * The handler for a call with validated params: by the route's shape, and for a `stream` route by whether the
   * params ask for the stream. Throws an ApiError (501) when this process has none.
   */
  pick(id: RouteId, route: Route, params: Record<string, unknown>): Dispatched {
    const unavailable = BROWSER_ONLY[id];
    if (unavailable && this.face !== 'http') throw new ApiError('notAvailable', unavailable, 501);
    const shape = shapeOf(route);
    if (shape === 'socket') {
      const handler = this.tables.socket[id];
      if (!handler) throw missing(route, 'socket');
      return { shape, handler };
    }
    if (shape === 'stream' && opensChannel(route, params)) {
      const handler = this.tables.stream[id];
      if (!handler) throw missing(route, 'stream');
      return { shape, handler };
    }
    if (shape === 'raw' && this.face === 'http') {
      const handler = this.tables.raw[id];
      if (handler) return { shape, handler };
    }
    const handler = this.tables.json[id];
    if (!handler) throw missing(route, 'route');
    return { shape: 'json', handler };
  }

  /** The push channels (socket and stream routes) this face serves, by id. */
  channels(): RouteId[] {
    return (Object.entries(ROUTES) as Array<[RouteId, Route]>)
      .filter(([id, r]) =>
        shapeOf(r) === 'socket' ? !!this.tables.socket[id] : shapeOf(r) === 'stream' && !!this.tables.stream[id],
      )
      .filter(([id]) => this.face === 'http' || !BROWSER_ONLY[id])
      .map(([id]) => id);
  }
}
