// The route table against the documented API (spec/api-routes.tsv of the shared folder): every documented route is
// declared once, and every declared route has a handler of its shape in this process.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTES } from '../../src/shared/routeTable';
import { handlerTables } from '../../src/server/dispatch';
import { RESOURCE_KINDS } from '../../src/shared/routes/resources';
import { matchPath } from '../../src/server/match';
import { shapeOf, type Route } from '../../src/shared/route';
import { ROOT } from '../helpers/cli';

// The shared folder is the repository's sibling `../shared` (as CI and every developer have it); nothing else outside.
const TSV = join(ROOT, '..', 'shared', 'spec', 'api-routes.tsv');
assert.ok(existsSync(TSV), `${TSV} is missing: ../shared must sit beside the repository`);
const documented = readFileSync(TSV, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'))
  .map(([method, path]) => ({ method: method === 'WebSocket' ? 'WS' : method === 'Any' ? 'ANY' : method, path }));

const table = Object.entries(ROUTES as Record<string, Route>);

describe('route table vs api-routes.tsv', () => {
  it('declares every documented route (method and path)', () => {
    const missing = documented.filter((d) => !table.some(([, r]) => r.method === d.method && r.path === d.path));
    assert.deepEqual(
      missing.map((d) => `${d.method} ${d.path}`),
      [],
    );
  });

  it('declares each method+path once', () => {
    const seen = new Map<string, string>();
    for (const [id, r] of table) {
      const k = `${r.method} ${r.path}`;
      assert.ok(!seen.has(k), `${k} is declared by both ${seen.get(k)} and ${id}`);
      seen.set(k, id);
    }
  });

  it('generates the per-kind pattern for every kind of the data list', () => {
    for (const e of RESOURCE_KINDS) {
      const caps = e.caps as readonly string[];
      for (const [m, p] of [
        ['GET', `/api/${e.many}`],
        ['GET', `/api/${e.one}/details`],
        ['GET', `/api/${e.one}/yaml`],
        ['GET', `/api/${e.one}/describe`],
        // Read-only kinds (VolumeAttachment) have no update route; every kind that can be deleted has both deletes.
        ...(caps.includes('edit') ? [['POST', `/api/${e.one}/update`]] : []),
        ...(caps.includes('delete')
          ? [
              ['DELETE', `/api/${e.one}/delete`],
              ['DELETE', `/api/${e.many}/bulk/delete`],
            ]
          : []),
      ]) {
        assert.ok(
          table.some(([, r]) => r.method === m && r.path === p),
          `${m} ${p}`,
        );
      }
    }
  });

  it('matches literal segments before parameters', () => {
    assert.equal(matchPath('/api/custom-resources/certificates.cert-manager.io/instances')[0].id, 'crds.instances');
    assert.equal(matchPath('/api/custom-resources/certificates.cert-manager.io/web')[0].id, 'crds.details');
    assert.deepEqual(matchPath('/api/kiali/proxy/api/status')[0].pathParams, { path: 'api/status' });
  });

  it('answers every declared route: a handler of its shape in the tables the server and the panel dispatch', () => {
    const t = handlerTables();
    const unanswered = table
      .filter(([id, r]) => {
        const shape = shapeOf(r);
        if (shape === 'socket') return !(id in t.socket);
        // Stream and raw routes also answer plainly: one JSON answer without `follow`, through the panel's bridge.
        if (shape === 'stream') return !(id in t.stream && id in t.json);
        if (shape === 'raw') return !(id in t.raw && id in t.json);
        return !(id in t.json);
      })
      .map(([id, r]) => `${id}: ${r.method} ${r.path}`);
    assert.deepEqual(unanswered, []);
  });
});
