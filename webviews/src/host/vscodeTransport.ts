// The VS Code face: route calls go over the shared client's postMessage bridge (`api.request`/`api.response`) and
// push channels over the shared stream messages (BridgeToHost / BridgeFromHost). This is the only module that touches acquireVsCodeApi().
import {
  bridgeTransport,
  type BridgeFromHost as FromHost,
  type BridgeRequest,
  type BridgeToHost as ToHost,
  type ChannelId,
} from '../../../src/shared/client';
import type { Route } from '../../../src/shared/route';
import type { Channel, ChannelHandlers, Transport } from './transport';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The window's message events, without DOM types (the module is unit-tested under Node). */
export interface MessageSource {
  addEventListener(type: 'message', fn: (ev: { data: unknown }) => void): void;
}

export const inVsCode = (): boolean =>
  typeof (globalThis as { acquireVsCodeApi?: unknown }).acquireVsCodeApi === 'function';

export class VsCodeTransport implements Transport {
  readonly face = 'vscode' as const;
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private nextId = 1;
  private readonly channels = new Map<number, ChannelHandlers>();
  private readonly requests;
  private navigateListener?: (page: string, params?: Record<string, string>) => void;
  private scopeListener?: (namespaces: string[]) => void;

  constructor(win: MessageSource) {
    const listeners = new Set<(m: unknown) => void>();
    win.addEventListener('message', (ev) => {
      for (const l of listeners) l(ev.data);
      this.receive(ev.data as FromHost);
    });
    this.requests = bridgeTransport(
      (m: BridgeRequest) => this.api.postMessage(m),
      (fn) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
      30_000,
    );
  }

  request(id: string, route: Route, params: Record<string, unknown>): Promise<unknown> {
    return this.requests.request(id, route, params);
  }

  onNavigate(fn: (page: string, params?: Record<string, string>) => void): void {
    this.navigateListener = fn;
  }

  /** The namespaces were chosen in VS Code: the app follows. */
  onScope(fn: (namespaces: string[]) => void): void {
    this.scopeListener = fn;
  }

  /** The user chose namespaces in the app: VS Code's side bar, status bar and commands follow. */
  scope(namespaces: string[]): void {
    this.post({ type: 'app.scope', namespaces });
  }

  ready(page?: string): void {
    this.post({ type: 'app.ready', page });
  }

  private post(m: ToHost): void {
    this.api.postMessage(m);
  }

  private receive(m: FromHost | undefined): void {
    if (!m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') return;
    switch (m.type) {
      case 'stream.opened':
        this.channels.get(m.streamId)?.onState?.('open');
        return;
      case 'stream.message':
        this.channels.get(m.streamId)?.onMessage(m.data);
        return;
      case 'stream.closed': {
        const h = this.channels.get(m.streamId);
        this.channels.delete(m.streamId);
        h?.onState?.('closed', m.reason);
        return;
      }
      case 'app.navigate':
        this.navigateListener?.(m.page, m.params);
        return;
      case 'app.scope':
        if (Array.isArray(m.namespaces)) this.scopeListener?.(m.namespaces);
        return;
    }
  }

  channel(id: ChannelId, params: Record<string, string>, h: ChannelHandlers): Channel {
    // The host dispatches by route id: a `socket` route runs over the channel, a `stream` route sends one message
    // per item.
    const streamId = this.nextId++;
    this.channels.set(streamId, h);
    h.onState?.('connecting');
    this.post({ type: 'stream.open', streamId, id, params });
    return {
      send: (data) => this.post({ type: 'stream.send', streamId, data }),
      close: () => {
        if (this.channels.delete(streamId)) this.post({ type: 'stream.close', streamId });
      },
    };
  }

  saveFile(name: string, content: string, mime: string): void {
    this.post({ type: 'app.saveFile', name, content, mime });
  }
}
