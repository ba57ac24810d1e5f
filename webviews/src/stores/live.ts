// The one `/ws` socket: resource subscriptions multiplexed per kind/namespace (snapshot, then changes) and the
// cluster's connection state. Reconnects with backoff and re-subscribes; pages only see callbacks and signals.
import { createSignal } from 'solid-js';
import type { ConnectionState } from '../../../src/shared/kube';
import type { WsServerMessage } from '../../../src/shared/routes/push';
import { subscriptionId } from '../../../src/shared/routes/push';
import type { Channel } from '../host/transport';
import { api, context, setContext } from './app';

export type SocketState = 'connecting' | 'open' | 'closed';

export const [socketState, setSocketState] = createSignal<SocketState>('connecting');
export const [clusterState, setClusterState] = createSignal<ConnectionState | undefined>(undefined);
export const [demoCluster, setDemoCluster] = createSignal(false);

type Msg = Extract<WsServerMessage, { id: string }> | Extract<WsServerMessage, { type: 'error' }>;
type Listener = (m: Msg) => void;

const subs = new Map<string, { kind: string; namespace?: string; listeners: Set<Listener> }>();
let channel: Channel | undefined;
let retry = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

function send(m: unknown): void {
  channel?.send(JSON.stringify(m));
}

function connect(): void {
  clearTimeout(retryTimer);
  channel = api().channel(
    'ws',
    { context: context() || undefined },
    {
      onState: (s, reason) => {
        setSocketState(s);
        if (s === 'open') {
          retry = 0;
          for (const s of subs.values()) send({ type: 'subscribe', kind: s.kind, namespace: s.namespace });
        }
        if (s === 'closed') {
          channel = undefined;
          for (const sub of subs.values())
            for (const l of sub.listeners)
              l({
                type: 'error',
                error: {
                  code: 'unreachable',
                  message: `Live updates disconnected${reason ? `: ${reason}` : ''}; reconnecting…`,
                },
              });
          retryTimer = setTimeout(connect, Math.min(10_000, 500 * 2 ** retry++));
        }
      },
      onMessage: (data) => {
        let m: WsServerMessage;
        try {
          m = JSON.parse(data) as WsServerMessage;
        } catch {
          return;
        }
        switch (m.type) {
          case 'hello':
            setClusterState(m.connection);
            setDemoCluster(m.demo);
            if (!context()) setContext(m.context);
            return;
          case 'connection':
            setClusterState(m.connection);
            return;
          case 'pong':
            return;
          case 'error':
            if (m.id) for (const l of subs.get(m.id)?.listeners ?? []) l(m);
            return;
          default:
            for (const l of subs.get(m.id)?.listeners ?? []) l(m);
        }
      },
    },
  );
}

/** Live rows of one kind in one namespace (undefined: all). Returns the unsubscribe function. */
export function subscribeKind(kind: string, namespace: string | undefined, listener: Listener): () => void {
  const id = subscriptionId(kind, namespace);
  let s = subs.get(id);
  if (!s) {
    s = { kind, namespace, listeners: new Set() };
    subs.set(id, s);
    if (!channel) connect();
    else send({ type: 'subscribe', kind, namespace });
  }
  s.listeners.add(listener);
  return () => {
    const cur = subs.get(id);
    if (!cur) return;
    cur.listeners.delete(listener);
    if (!cur.listeners.size) {
      subs.delete(id);
      send({ type: 'unsubscribe', kind, namespace });
    }
  };
}

/** Opens the socket for connection state even before any table subscribes; called again after a cluster switch. */
export function startLive(): void {
  if (channel) {
    channel.close();
    channel = undefined;
  }
  connect();
}
