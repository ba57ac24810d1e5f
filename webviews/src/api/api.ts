// The app's face of the route table: `api.call('pods.list', {namespace})` goes through the shared typed client, so
// params and results are checked against the one table. Pages that list documented paths (`/api/security`) reach
// the same routes by path. Every failure comes back as an ApiError.
import { createClient, type ChannelId, type ChannelParams, type Client } from '../../../src/shared/client';
import type { ParamsOf, ResultOf, Route } from '../../../src/shared/route';
import { ROUTES, type RouteId, type Routes } from '../../../src/shared/routeTable';
import { toApiError } from '../host/apiError';
import type { Channel, ChannelHandlers, Transport } from '../host/transport';

const byPath = new Map<string, string>();
for (const [id, r] of Object.entries(ROUTES) as Array<[string, Route]>) byPath.set(`${r.method} ${r.path}`, id);

export type { RouteId };

export class Api {
  private readonly client: Client;

  constructor(readonly transport: Transport) {
    this.client = createClient(transport);
  }

  get face(): 'browser' | 'vscode' {
    return this.transport.face;
  }

  async call<K extends RouteId>(id: K, params: ParamsOf<Routes[K]>): Promise<ResultOf<Routes[K]>> {
    try {
      return await this.client.call(id, params);
    } catch (e) {
      throw toApiError(e);
    }
  }

  /** A documented route by method and path (the seed pages list their paths). */
  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = byPath.get(`${method} ${path}`);
    const r: Route = id
      ? (ROUTES as Record<string, Route>)[id]
      : ({ method, path, owner: 'server', doc: '', params: undefined as never } as Route);
    try {
      return (await this.transport.request(id ?? `${method} ${path}`, r, params)) as T;
    } catch (e) {
      throw toApiError(e);
    }
  }

  get<T>(path: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.request<T>('GET', path, params);
  }

  post<T>(path: string, body: Record<string, unknown> = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /**
   * Opens a push channel by route id, the same on every face: a `socket` route as a WebSocket, a `stream` route as a
   * long NDJSON response (one message per item); in VS Code both travel over the bridge.
   */
  channel<K extends ChannelId>(id: K, params: ChannelParams<K>, h: ChannelHandlers): Channel {
    return this.transport.channel(id, clean(params as Record<string, string | number | boolean | undefined>), h);
  }

  saveFile(name: string, content: string, mime = 'text/plain'): void {
    this.transport.saveFile(name, content, mime);
  }
}

function clean(p: Record<string, string | number | boolean | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') out[k] = String(v);
  return out;
}
