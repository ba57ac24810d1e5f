// Handlers of `socket` routes (WebSockets), keyed by route id: one table that the HTTP server and the VS Code
// webview bridge both dispatch (the bridge runs them over a socket-shaped channel of postMessage frames).
import type { SocketPeer } from '../shared/socket';
import type { Caller } from '../shared/route';
import type { RouteId } from '../shared/routeTable';
import type { ApiDeps } from '../core/api/deps';
import { executionStream } from '../core/api/incidents';
import { metricsStream } from '../core/api/metrics';
import { mlJobLogsStream } from '../core/api/integrations';
import { kubeSocket, podTerminal } from './wsKube';
import { localTerminal } from './localTerminal';

export interface UpgradeContext {
  deps: ApiDeps;
  caller: Caller;
}

/**
 * Called after the token, Host, Origin and params were checked and the channel was accepted: a WebSocket on the HTTP
 * face, a postMessage channel in the VS Code panel; the handler sees only its SocketPeer.
 */
export type UpgradeHandler = (ws: SocketPeer, params: never, ctx: UpgradeContext) => void | Promise<void>;
export type SocketHandlers = Partial<Record<RouteId, UpgradeHandler>>;

export const SOCKET_HANDLERS: SocketHandlers = {
  ws: kubeSocket as UpgradeHandler,
  'pod.terminal': podTerminal as unknown as UpgradeHandler,
  'local.terminal': localTerminal as unknown as UpgradeHandler,
  'execution.stream': ((ws, p: { id?: string }, u) => executionStream(ws, p, u.deps)) as UpgradeHandler,
  'ws.metrics': ((ws, p: { context?: string; namespace?: string }, u) =>
    metricsStream(ws, p, u.deps)) as UpgradeHandler,
  'ml.jobs.logsWs': ((ws, p: { context?: string; namespace: string; name: string; tailLines?: number }, u) =>
    mlJobLogsStream(ws, p, u.deps)) as UpgradeHandler,
};

/**
 * Routes only a browser tab of `kubegraf web` answers, with the reason another face gives: a shell on the machine
 * the server runs on (inside VS Code, terminals are VS Code's own).
 */
export const BROWSER_ONLY: Partial<Record<RouteId, string>> = {
  'local.terminal': 'the local shell is part of the browser dashboard; in VS Code use its integrated terminal',
};
