// WebSocket routes are dispatched by route id: the server owns the kube sockets and terminals; other engines
// (incidents' `/api/execution/stream`, metrics' `/ws/metrics`) register theirs on the same table.
import type { WebSocket } from 'ws';
import type { Caller } from '../shared/route';
import type { ApiDeps } from '../core/api/deps';
import { executionStream } from '../core/api/incidents';
import { metricsStream } from '../core/api/metrics';
import { mlJobLogsStream } from '../core/api/integrations';

export interface UpgradeContext {
  deps: ApiDeps;
  caller: Caller;
}

/** Called after the token, Host, Origin and params were checked and the socket was accepted. */
export type UpgradeHandler = (ws: WebSocket, params: never, ctx: UpgradeContext) => void | Promise<void>;

/** The incident and metrics engines' push channels, registered by every face that serves them. */
export const ENGINE_UPGRADES = {
  'execution.stream': ((ws, p: { id?: string }, u) => executionStream(ws, p, u.deps)) as UpgradeHandler,
  'ws.metrics': ((ws, p: { context?: string; namespace?: string }, u) => metricsStream(ws, p, u.deps)) as UpgradeHandler,
  'ml.jobs.logsWs': ((ws, p: { context?: string; namespace: string; name: string; tailLines?: number }, u) => mlJobLogsStream(ws, p, u.deps)) as UpgradeHandler,
} as const;
