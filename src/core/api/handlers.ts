// Every handler this process has, keyed by route id. Routes without one (engines not wired yet) answer 501.
import type { Caller } from '../../shared/route';
import type { RouteId } from '../../shared/routeTable';
import { AI_HANDLERS } from './ai';
import { CLUSTER_HANDLERS } from './cluster';
import { INCIDENT_HANDLERS } from './incidents';
import { METRIC_HANDLERS } from './metrics';
import type { ApiDeps } from './deps';
import { INTEGRATION_HANDLERS } from './integrations';
import { RESOURCE_HANDLERS } from './resources';
import { SYSTEM_HANDLERS } from './system';
import { SEARCH_HANDLERS } from './search';
import { CONNECTOR_HANDLERS } from './connectors';
import { INSIGHT_HANDLERS } from './insights';

export type AnyHandler = (params: never, deps: ApiDeps, caller: Caller) => Promise<unknown>;
export type HandlerMap = Partial<Record<RouteId, AnyHandler>>;

export const KUBE_SERVER_HANDLERS: HandlerMap = {
  ...(RESOURCE_HANDLERS as unknown as HandlerMap),
  ...(CLUSTER_HANDLERS as unknown as HandlerMap),
  ...(SYSTEM_HANDLERS as unknown as HandlerMap),
  ...(INTEGRATION_HANDLERS as unknown as HandlerMap),
  ...(SEARCH_HANDLERS as unknown as HandlerMap),
};

/** Every engine's handlers: what the local server and the VS Code webview bridge both dispatch to. */
export const ALL_HANDLERS: HandlerMap = {
  ...KUBE_SERVER_HANDLERS,
  ...(INCIDENT_HANDLERS as unknown as HandlerMap),
  ...(METRIC_HANDLERS as unknown as HandlerMap),
  ...(AI_HANDLERS as unknown as HandlerMap),
  ...(CONNECTOR_HANDLERS as unknown as HandlerMap),
  ...(INSIGHT_HANDLERS as unknown as HandlerMap),
};
