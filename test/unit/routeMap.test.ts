// The map of the code in ARCHITECTURE.md, checked: a route declared in src/shared/routes/<file>.ts has its JSON
// handler in src/core/api/<file>.ts (the AI routes in src/core/api/ai.ts), its stream in src/core/api/streams.ts,
// its socket in src/server/upgrades.ts, its raw exchange in src/server/dispatch.ts. One hop from an id to its code.
import assert from 'node:assert/strict';
import { shapeOf, type Route } from '../../src/shared/route';
import { RESOURCE_ROUTES } from '../../src/shared/routes/resources';
import { CLUSTER_ROUTES } from '../../src/shared/routes/cluster';
import { SYSTEM_ROUTES } from '../../src/shared/routes/system';
import { INTEGRATION_ROUTES } from '../../src/shared/routes/integrations';
import { INCIDENT_ROUTES } from '../../src/shared/routes/incidents';
import { METRIC_ROUTES } from '../../src/shared/routes/metrics';
import { SEARCH_ROUTES } from '../../src/shared/routes/search';
import { AI_HANDLERS } from '../../src/core/api/ai';
import { CLUSTER_HANDLERS } from '../../src/core/api/cluster';
import { INCIDENT_HANDLERS } from '../../src/core/api/incidents';
import { METRIC_HANDLERS } from '../../src/core/api/metrics';
import { INTEGRATION_HANDLERS } from '../../src/core/api/integrations';
import { RESOURCE_HANDLERS } from '../../src/core/api/resources';
import { SYSTEM_HANDLERS } from '../../src/core/api/system';
import { SEARCH_HANDLERS } from '../../src/core/api/search';
import { STREAM_HANDLERS } from '../../src/core/api/streams';
import { SOCKET_HANDLERS } from '../../src/server/upgrades';
import { RAW_HANDLERS } from '../../src/server/dispatch';

const ROUTE_FILES: Record<string, Record<string, Route>> = {
  resources: RESOURCE_ROUTES,
  cluster: CLUSTER_ROUTES,
  system: SYSTEM_ROUTES,
  integrations: INTEGRATION_ROUTES,
  incidents: INCIDENT_ROUTES,
  metrics: METRIC_ROUTES,
  search: SEARCH_ROUTES,
};
const JSON_FILES: Record<string, object> = {
  resources: RESOURCE_HANDLERS,
  cluster: CLUSTER_HANDLERS,
  system: SYSTEM_HANDLERS,
  integrations: INTEGRATION_HANDLERS,
  incidents: INCIDENT_HANDLERS,
  metrics: METRIC_HANDLERS,
  search: SEARCH_HANDLERS,
  ai: AI_HANDLERS,
};

describe('the map of the code: from a route id to its implementation', () => {
  it('finds every route in the file its shape and its route file name', () => {
    let n = 0;
    for (const [file, routes] of Object.entries(ROUTE_FILES))
      for (const [id, r] of Object.entries(routes)) {
        n++;
        const shape = shapeOf(r);
        const jsonFile = id.startsWith('ai.') ? 'ai' : file;
        const where =
          shape === 'socket'
            ? { name: 'src/server/upgrades.ts', table: SOCKET_HANDLERS }
            : { name: `src/core/api/${jsonFile}.ts`, table: JSON_FILES[jsonFile] };
        assert.ok(id in where.table, `${id} (${shape}, declared in src/shared/routes/${file}.ts) is in ${where.name}`);
        if (shape === 'stream') assert.ok(id in STREAM_HANDLERS, `${id} streams from src/core/api/streams.ts`);
        if (shape === 'raw') assert.ok(id in RAW_HANDLERS, `${id} passes through src/server/dispatch.ts`);
        // And nowhere else: one id, one implementation per shape.
        const others = Object.entries(JSON_FILES).filter(([f, t]) => f !== jsonFile && id in t);
        assert.deepEqual(others, [], `${id} has a handler only in ${where.name}`);
      }
    assert.ok(n > 300, `${n} routes mapped`);
  });
});
