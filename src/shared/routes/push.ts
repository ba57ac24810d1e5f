// Messages of the server's WebSockets. `/ws` is one multiplexed socket: subscribe per kind/namespace, get a full
// snapshot, then changes; connection state is pushed to every socket. Terminals speak the xterm.js JSON frames.
import type { ConnectionState, KubeErrorDto, ObjectKey } from '../kube';
import type { ResourceRow } from './resources';

/** Client → server on `/ws`. `kind` is a route word (`pods`) or an engine kind id (`deployments.apps`). */
export type WsClientMessage =
  | { type: 'subscribe'; kind: string; namespace?: string; id?: string }
  | { type: 'unsubscribe'; kind: string; namespace?: string; id?: string }
  | { type: 'ping' };

/** Server → client on `/ws`. Rows have the same shape as `GET /api/{kind}s` items. */
export type WsServerMessage =
  | { type: 'hello'; context: string; connection: ConnectionState; demo: boolean }
  | { type: 'connection'; context: string; connection: ConnectionState }
  | {
      type: 'snapshot';
      id: string;
      kind: string;
      namespace?: string;
      items: ResourceRow[];
      live: boolean;
      stale: boolean;
    }
  | {
      type: 'changes';
      id: string;
      kind: string;
      namespace?: string;
      reset: boolean;
      added: ResourceRow[];
      modified: ResourceRow[];
      deleted: ObjectKey[];
    }
  | { type: 'status'; id: string; live: boolean; stale: boolean; error?: KubeErrorDto }
  | { type: 'unsubscribed'; id: string }
  | { type: 'error'; id?: string; error: KubeErrorDto }
  | { type: 'pong' };

/** `/api/pod/terminal` and `/api/local/terminal`, both directions. */
export type TerminalClientMessage = { type: 'stdin'; data: string } | { type: 'resize'; cols: number; rows: number };
export type TerminalServerMessage =
  | { type: 'stdout'; data: string }
  | { type: 'stderr'; data: string }
  | { type: 'exit'; code: number; message?: string }
  | { type: 'error'; error: { code: string; message: string } };

/** The id a subscription gets when the client gives none. */
export const subscriptionId = (kind: string, namespace?: string): string => `${kind}|${namespace || '*'}`;
