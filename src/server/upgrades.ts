// WebSocket routes are dispatched by route id: the server owns the kube sockets and terminals; other engines
// (incidents' `/api/execution/stream`, metrics' `/ws/metrics`) register theirs on the same table.
import type { WebSocket } from 'ws';
import type { Caller } from '../shared/route';
import type { ApiDeps } from '../core/api/deps';

export interface UpgradeContext {
  deps: ApiDeps;
  caller: Caller;
}

/** Called after the token, Host, Origin and params were checked and the socket was accepted. */
export type UpgradeHandler = (ws: WebSocket, params: never, ctx: UpgradeContext) => void | Promise<void>;
