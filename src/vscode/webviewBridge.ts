// The host end of the webview bridge for the Solid app: `api.request` → the route's handler → `api.response`;
// `stream.open` opens a push channel by route id: a `socket` route runs its WebSocket handler over a socket-shaped
// channel whose frames travel as `stream.*` messages, a `stream` route (followed logs) sends one message per item.
// Handlers come from the same Dispatcher and tables as the HTTP server (src/server/dispatch.ts), so every channel the
// browser has, the panel has. No `vscode` import: unit-tested directly.
import { EventEmitter } from 'node:events';
import type { ApiDeps } from '../core/api/deps';
import { toApiError } from '../core/api/errors';
import type { BridgeFromHost, BridgeResponse } from '../shared/client';
import { shapeOf, type Caller, type Route } from '../shared/route';
import { ROUTES, type RouteId } from '../shared/routeTable';
import { describeIssue, describeIssues } from '../shared/paramErrors';
import type { SocketPeer, SocketFrame } from '../shared/socket';
import { Dispatcher, type HandlerTables } from '../server/dispatch';

const CALLER: Caller = { face: 'webview' };

type Post = (m: BridgeFromHost | BridgeResponse) => void;

/** A socket route's end over the bridge: its frames travel as `stream.*` messages. */
class ChannelSocket extends EventEmitter implements SocketPeer {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 1;
  constructor(
    private readonly streamId: number,
    private readonly post: Post,
    private readonly onGone: () => void,
  ) {
    super();
  }
  send(data: string): void {
    if (this.readyState !== this.OPEN) return;
    this.post({ type: 'stream.message', streamId: this.streamId, data: String(data) });
  }
  /** Closed from the host side (the handler ended): tell the webview. */
  close(code = 1000, reason = ''): void {
    if (this.readyState === this.CLOSED) return;
    this.readyState = this.CLOSED;
    this.post({ type: 'stream.closed', streamId: this.streamId, code, reason });
    this.onGone();
    this.emit('close', code, reason);
  }
  terminate(): void {
    this.close(1006, 'terminated');
  }
  /** A frame from the webview. */
  deliver(data: string): void {
    if (this.readyState === this.OPEN) this.emit('message', data satisfies SocketFrame);
  }
  /** Closed from the webview side. */
  closedByPeer(): void {
    if (this.readyState === this.CLOSED) return;
    this.readyState = this.CLOSED;
    this.onGone();
    this.emit('close', 1000, '');
  }
}

export interface BridgeOptions {
  post: Post;
  /** May start engines on first use, hence async. */
  deps: () => ApiDeps | Promise<ApiDeps>;
  /** The handler tables per shape: `handlerTables()` in the extension, the same the server dispatches. */
  tables: HandlerTables;
  /** The app asked to save an export (CSV, logs). */
  saveFile?: (name: string, content: string, mime: string) => void;
  onReady?: (page?: string) => void;
  /** The user chose namespaces in the panel (empty: all). */
  onScope?: (namespaces: string[]) => void;
}

export class WebviewBridge {
  private readonly streams = new Map<number, ChannelSocket>();
  private readonly dispatch: Dispatcher;

  constructor(private readonly o: BridgeOptions) {
    this.dispatch = new Dispatcher('webview', o.tables);
  }

  /** The push channels the panel can open (every socket and stream route the server serves, less browser-only ones). */
  channels(): RouteId[] {
    return this.dispatch.channels();
  }

  /** Handles one message from the webview; returns true when it was a bridge message. */
  async receive(m: unknown): Promise<boolean> {
    if (!m || typeof m !== 'object') return false;
    const msg = m as Record<string, unknown>;
    switch (msg.type) {
      case 'api.request':
        await this.request(msg);
        return true;
      case 'stream.open':
        await this.open(msg);
        return true;
      case 'stream.send':
        if (typeof msg.streamId === 'number' && typeof msg.data === 'string')
          this.streams.get(msg.streamId)?.deliver(msg.data);
        return true;
      case 'stream.close':
        if (typeof msg.streamId === 'number') this.streams.get(msg.streamId)?.closedByPeer();
        return true;
      case 'app.ready':
        this.o.onReady?.(typeof msg.page === 'string' ? msg.page : undefined);
        return true;
      case 'app.saveFile':
        if (typeof msg.name === 'string' && typeof msg.content === 'string')
          this.o.saveFile?.(msg.name, msg.content, String(msg.mime ?? 'text/plain'));
        return true;
      case 'app.scope':
        if (Array.isArray(msg.namespaces) && msg.namespaces.every((n) => typeof n === 'string'))
          this.o.onScope?.(msg.namespaces as string[]);
        return true;
      default:
        return false;
    }
  }

  private async request(msg: Record<string, unknown>): Promise<void> {
    const reqId = typeof msg.reqId === 'number' ? msg.reqId : -1;
    const reply = (r: BridgeResponse) => this.o.post(r);
    const fail = (code: string, message: string, status: number, details?: unknown) =>
      reply({
        type: 'api.response',
        reqId,
        ok: false,
        error: details === undefined ? { code, message, status } : { code, message, status, details },
      });
    const id = String(msg.id ?? '') as RouteId;
    const route = (ROUTES as Record<string, Route>)[id];
    if (!route) return fail('notFound', `no route "${id}"`, 404);
    const parsed = route.params.safeParse(msg.params ?? {});
    if (!parsed.success)
      return fail(
        'badRequest',
        describeIssues(parsed.error.issues),
        400,
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: describeIssue(i) })),
      );
    try {
      const d = this.dispatch.pick(id, route, parsed.data as Record<string, unknown>);
      if (d.shape !== 'json')
        return fail('badRequest', `${route.path} is a push channel: open it with stream.open`, 400);
      reply({
        type: 'api.response',
        reqId,
        ok: true,
        result: await d.handler(parsed.data as never, await this.o.deps(), CALLER),
      });
    } catch (e) {
      const a = toApiError(e);
      fail(a.code, a.message, a.status, a.details);
    }
  }

  /** Resolves once the channel is open (or refused); the channel itself lives on. */
  private async open(msg: Record<string, unknown>): Promise<void> {
    const streamId = typeof msg.streamId === 'number' ? msg.streamId : -1;
    const closed = (reason: string) => this.o.post({ type: 'stream.closed', streamId, code: 1008, reason });
    const id = String(msg.id ?? '') as RouteId;
    const route = (ROUTES as Record<string, Route>)[id];
    const shape = route && shapeOf(route);
    if (shape !== 'socket' && shape !== 'stream') return closed(`no push channel "${id}"`);
    const parsed = route.params.safeParse(msg.params ?? {});
    if (!parsed.success) return closed(describeIssues(parsed.error.issues));
    const params = parsed.data as Record<string, unknown>;
    let d;
    try {
      d = this.dispatch.pick(id, route, params);
    } catch (e) {
      return closed(toApiError(e).message);
    }
    const sock = new ChannelSocket(streamId, this.o.post, () => this.streams.delete(streamId));
    this.streams.set(streamId, sock);
    const fail = (e: unknown) => sock.close(1011, toApiError(e).message.slice(0, 200));
    const picked = d;
    await (async () => {
      const deps = await this.o.deps();
      switch (picked.shape) {
        case 'socket':
          this.o.post({ type: 'stream.opened', streamId });
          return picked.handler(sock, params as never, { deps, caller: CALLER });
        case 'stream': {
          // Like the HTTP face: the channel opens once the source is (a bad target fails before anything is sent).
          const early: string[] = [];
          let ready = false;
          const s = await picked.handler(params as never, deps, CALLER, (item) =>
            ready ? sock.send(JSON.stringify(item)) : early.push(JSON.stringify(item)),
          );
          if (sock.readyState !== sock.OPEN) return s.stop();
          this.o.post({ type: 'stream.opened', streamId });
          ready = true;
          early.splice(0).forEach((m) => sock.send(m));
          sock.once('close', () => s.stop());
          // Not awaited: the channel lives on after it opened.
          void s.done.then(
            () => sock.close(1000, 'ended'),
            (e) => {
              sock.send(JSON.stringify({ error: toApiError(e).body().error }));
              sock.close(1000, 'ended');
            },
          );
          return;
        }
        case 'json':
          // A stream route asked for one answer: the channel carries it, then ends.
          this.o.post({ type: 'stream.opened', streamId });
          sock.send(JSON.stringify(await picked.handler(params as never, deps, CALLER)));
          return sock.close(1000, 'ended');
        default:
          return sock.close(1008, `${route.path} has no push channel`);
      }
    })().catch(fail);
  }

  /** The panel went away: end every channel as if the webview closed it. */
  dispose(): void {
    for (const s of [...this.streams.values()]) s.closedByPeer();
  }
}
