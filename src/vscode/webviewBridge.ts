// The host end of the webview bridge for the Solid app: `api.request` → the route's handler (same handlers and param
// schemas as the HTTP server, no HTTP round trip) → `api.response`; `stream.open` runs the route's WebSocket handler
// over a socket-shaped channel whose frames travel as `stream.*` messages. No `vscode` import: unit-tested directly.
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { ApiDeps } from '../core/api/deps';
import { toApiError } from '../core/api/errors';
import type { HandlerMap } from '../core/api/handlers';
import type { BridgeFromHost, BridgeResponse } from '../shared/client';
import type { Caller, Route } from '../shared/route';
import { ROUTES, type RouteId } from '../shared/routeTable';
import { describeIssue, describeIssues } from '../shared/paramErrors';
import type { UpgradeHandler } from '../server/upgrades';

const CALLER: Caller = { face: 'webview' };

type Post = (m: BridgeFromHost | BridgeResponse) => void;

/** Just enough of a `ws` WebSocket for the server's socket handlers: send, close, readyState and message/close events. */
class ChannelSocket extends EventEmitter {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 1;
  constructor(private readonly streamId: number, private readonly post: Post, private readonly onGone: () => void) {
    super();
  }
  send(data: string | Buffer): void {
    if (this.readyState !== this.OPEN) return;
    this.post({ type: 'stream.message', streamId: this.streamId, data: String(data) });
  }
  /** Closed from the host side (the handler ended): tell the webview. */
  close(code = 1000, reason = ''): void {
    if (this.readyState === this.CLOSED) return;
    this.readyState = this.CLOSED;
    this.post({ type: 'stream.closed', streamId: this.streamId, code, reason });
    this.onGone();
    this.emit('close', code, Buffer.from(reason));
  }
  terminate(): void {
    this.close(1006, 'terminated');
  }
  /** A frame from the webview. */
  deliver(data: string): void {
    if (this.readyState === this.OPEN) this.emit('message', Buffer.from(data, 'utf8'), false);
  }
  /** Closed from the webview side. */
  closedByPeer(): void {
    if (this.readyState === this.CLOSED) return;
    this.readyState = this.CLOSED;
    this.onGone();
    this.emit('close', 1000, Buffer.from(''));
  }
}

export interface BridgeOptions {
  post: Post;
  /** May start engines on first use, hence async. */
  deps: () => ApiDeps | Promise<ApiDeps>;
  handlers: HandlerMap;
  upgrades: Map<string, UpgradeHandler>;
  /** The app asked to save an export (CSV, logs). */
  saveFile?: (name: string, content: string, mime: string) => void;
  onReady?: (page?: string) => void;
}

const wsRoutes = (): Array<[RouteId, Route]> => (Object.entries(ROUTES) as Array<[RouteId, Route]>).filter(([, r]) => r.method === 'WS');

export class WebviewBridge {
  private readonly streams = new Map<number, ChannelSocket>();

  constructor(private readonly o: BridgeOptions) {}

  /** Handles one message from the webview; returns true when it was a bridge message. */
  async receive(m: unknown): Promise<boolean> {
    if (!m || typeof m !== 'object') return false;
    const msg = m as Record<string, unknown>;
    switch (msg.type) {
      case 'api.request':
        await this.request(msg);
        return true;
      case 'stream.open':
        this.open(msg);
        return true;
      case 'stream.send':
        if (typeof msg.streamId === 'number' && typeof msg.data === 'string') this.streams.get(msg.streamId)?.deliver(msg.data);
        return true;
      case 'stream.close':
        if (typeof msg.streamId === 'number') this.streams.get(msg.streamId)?.closedByPeer();
        return true;
      case 'app.ready':
        this.o.onReady?.(typeof msg.page === 'string' ? msg.page : undefined);
        return true;
      case 'app.saveFile':
        if (typeof msg.name === 'string' && typeof msg.content === 'string') this.o.saveFile?.(msg.name, msg.content, String(msg.mime ?? 'text/plain'));
        return true;
      default:
        return false;
    }
  }

  private async request(msg: Record<string, unknown>): Promise<void> {
    const reqId = typeof msg.reqId === 'number' ? msg.reqId : -1;
    const reply = (r: BridgeResponse) => this.o.post(r);
    const fail = (code: string, message: string, status: number, details?: unknown) =>
      reply({ type: 'api.response', reqId, ok: false, error: details === undefined ? { code, message, status } : { code, message, status, details } });
    const id = String(msg.id ?? '') as RouteId;
    const route = (ROUTES as Record<string, Route>)[id];
    if (!route) return fail('notFound', `no route "${id}"`, 404);
    const parsed = route.params.safeParse(msg.params ?? {});
    if (!parsed.success) return fail('badRequest', describeIssues(parsed.error.issues), 400, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: describeIssue(i) })));
    const h = this.o.handlers[id];
    if (!h) return fail('notImplemented', `${route.method} ${route.path} is answered by the ${route.owner} engine, which is not available in this build`, 501);
    try {
      reply({ type: 'api.response', reqId, ok: true, result: await h(parsed.data as never, await this.o.deps(), CALLER) });
    } catch (e) {
      const a = toApiError(e);
      fail(a.code, a.message, a.status, a.details);
    }
  }

  private open(msg: Record<string, unknown>): void {
    const streamId = typeof msg.streamId === 'number' ? msg.streamId : -1;
    const path = String(msg.path ?? '');
    const closed = (reason: string) => this.o.post({ type: 'stream.closed', streamId, code: 1008, reason });
    const hit = wsRoutes().find(([, r]) => r.path === path);
    if (!hit) return closed(`no push channel at ${path}`);
    const [id, route] = hit;
    const handler = this.o.upgrades.get(id);
    if (!handler) return closed(`${path} is answered by the ${route.owner} engine, which is not available in this build`);
    const parsed = route.params.safeParse(msg.params ?? {});
    if (!parsed.success) return closed(describeIssues(parsed.error.issues));
    const sock = new ChannelSocket(streamId, this.o.post, () => this.streams.delete(streamId));
    this.streams.set(streamId, sock);
    this.o.post({ type: 'stream.opened', streamId });
    Promise.resolve(this.o.deps())
      .then((deps) => handler(sock as unknown as WebSocket, parsed.data as never, { deps, caller: CALLER }))
      .catch((e: unknown) => sock.close(1011, toApiError(e).message.slice(0, 120)));
  }

  /** The panel went away: end every channel as if the webview closed it. */
  dispose(): void {
    for (const s of [...this.streams.values()]) s.closedByPeer();
  }
}
