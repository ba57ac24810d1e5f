// THE route table: every documented route, declared once. The HTTP server, the webview bridge and the typed client
// all dispatch through it.
import type { Route } from './route';
import { RESOURCE_ROUTES } from './routes/resources';
import { CLUSTER_ROUTES } from './routes/cluster';
import { SYSTEM_ROUTES } from './routes/system';
import { INTEGRATION_ROUTES } from './routes/integrations';
import { INCIDENT_ROUTES } from './routes/incidents';
import { METRIC_ROUTES } from './routes/metrics';
import { SEARCH_ROUTES } from './routes/search';
import { CONNECTOR_ROUTES } from './routes/connectors';
import { INSIGHT_ROUTES } from './routes/insights';

export const ROUTES = {
  ...RESOURCE_ROUTES,
  ...CLUSTER_ROUTES,
  ...SYSTEM_ROUTES,
  ...INTEGRATION_ROUTES,
  ...INCIDENT_ROUTES,
  ...METRIC_ROUTES,
  ...SEARCH_ROUTES,
  ...CONNECTOR_ROUTES,
  ...INSIGHT_ROUTES,
};

export type Routes = typeof ROUTES;
export type RouteId = keyof Routes & string;

/** Every route as `[id, route]`, for faces that walk the table. */
export const routeEntries = (): Array<[RouteId, Route]> => Object.entries(ROUTES) as Array<[RouteId, Route]>;
