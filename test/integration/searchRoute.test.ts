// `GET /api/search` (the palette's quick open) over the real server and the simulator: objects of every kind by name
// across namespaces, a kind word narrowing the search, open incidents, plain errors, and at scale an answer from the
// watch caches alone (no request reaches the cluster once they are open).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../src/server/app';
import type { SearchResult } from '../../src/shared/routes/search';
import { simAdmin, startTestSim, type Sim } from '../helpers/sim';
import { handlerTables } from '../../src/server/dispatch';
import { WebviewBridge } from '../../src/vscode/webviewBridge';
import { api, startHarness, type Harness } from './serverHelpers';

describe('search route (GET /api/search)', function () {
  this.timeout(90_000);
  let h: Harness;

  before(async function () {
    this.timeout(120_000);
    h = await startHarness();
  });
  after(async () => h?.close());

  /** Asks until no kind is still loading into memory (the first search opens every cache). */
  const search = async (q: string, extra = ''): Promise<SearchResult> => {
    for (;;) {
      const r = await api(h).get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
      assert.equal(r.status, 200, r.text);
      const body = r.body as SearchResult;
      if (!body.loading.length) return body;
    }
  };

  it('finds objects of every kind by name across namespaces, best match first', async () => {
    const r = await search('checkout');
    const kinds = new Set(r.hits.map((x) => x.one));
    for (const k of ['pod', 'deployment', 'service', 'replicaset'])
      assert.ok(kinds.has(k), `no ${k} named checkout in ${JSON.stringify(r.hits.map((x) => `${x.one}/${x.name}`))}`);
    assert.ok(r.hits.every((x) => x.name.includes('checkout')));
    // The exact name (the Deployment and Service "checkout") ranks above pods that only start with it.
    assert.equal(r.hits[0].name, 'checkout');
    const pod = r.hits.find((x) => x.one === 'pod')!;
    assert.equal(pod.namespace, 'shop');
    assert.equal(pod.kind, 'Pod');
    assert.ok(pod.status, 'pods carry their status');
    assert.equal(r.total, r.hits.length);
    assert.ok(r.kinds >= 20, `searched ${r.kinds} kinds`);
  });

  it('narrows to a kind when the first word names one, and to a namespace when asked', async () => {
    const deploys = await search('deploy checkout');
    assert.deepEqual([...new Set(deploys.hits.map((x) => x.one))], ['deployment']);
    const pods = await search('po checkout');
    assert.ok(pods.hits.length > 0 && pods.hits.every((x) => x.one === 'pod'));
    const other = await search('checkout', '&namespace=kube-system');
    assert.deepEqual(
      other.hits.filter((x) => x.namespace),
      [],
    );
    const none = await search('no-object-is-called-this');
    assert.deepEqual(none.hits, []);
    assert.equal(none.total, 0);
  });

  it('finds open incidents by the object they are about', async () => {
    await api(h).post('/api/incidents/refresh', {});
    const open = (await api(h).get('/api/incidents/v2?status=open')).body as {
      incidents: Array<{ id: string; resource: { name: string } }>;
    };
    assert.ok(open.incidents.length, 'the demo cluster has open incidents');
    const target = open.incidents[0].resource.name;
    const r = await search(target);
    assert.ok(
      r.incidents.some((i) => i.id === open.incidents[0].id),
      `${target}: ${JSON.stringify(r.incidents)}`,
    );
  });

  it('answers the VS Code panel through the webview bridge with the same handler', async () => {
    const posted: unknown[] = [];
    const bridge = new WebviewBridge({ post: (m) => posted.push(m), deps: () => h.app.deps, tables: handlerTables() });
    assert.equal(
      await bridge.receive({ type: 'api.request', reqId: 7, id: 'search', params: { q: 'checkout' } }),
      true,
    );
    const reply = posted[0] as { reqId: number; ok: boolean; result: SearchResult };
    assert.equal(reply.reqId, 7);
    assert.equal(reply.ok, true);
    assert.ok(reply.result.hits.some((x) => x.one === 'deployment' && x.name === 'checkout'));
    assert.ok(reply.result.hits.some((x) => x.one === 'pod' && x.name.startsWith('checkout-')));
  });

  it('says what is wrong with a bad query in plain words (JSON error body)', async () => {
    const r = await api(h).get('/api/search?q=');
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /type something to search for/i);
    assert.equal(r.body.error.code, 'invalidParams');
  });
});

describe('search route at scale', function () {
  this.timeout(240_000);
  let sim: Sim;
  let app: App;
  const PODS = 20_000;

  before(async function () {
    this.timeout(240_000);
    sim = await startTestSim({ scenario: 'scale', pods: PODS });
    app = await startApp({
      kubeconfigFiles: [sim.kubeconfig],
      dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-search-scale-')),
    });
  });
  after(async () => {
    await app?.close();
    await sim?.close();
  });

  const search = async (q: string): Promise<SearchResult> => {
    for (;;) {
      const r = await fetch(`${app.server.url}/api/search?q=${encodeURIComponent(q)}&limit=20`, {
        headers: { Authorization: `Bearer ${app.token}` },
      });
      assert.equal(r.status, 200);
      const body = (await r.json()) as SearchResult;
      if (!body.loading.length) return body;
    }
  };

  it('searches every pod from the watch caches: many matches, a short answer, no cluster request', async () => {
    const first = await search('svc-001');
    assert.ok(first.total > 1000, `${first.total} matches`);
    assert.equal(first.hits.length, 20, 'only the shown hits are sent');
    // Once the caches are open, the cluster is not asked again: every request to it would now fail.
    await simAdmin(sim, 'POST', '/_sim/fail?count=1000&code=500');
    const failedBefore = sim.faults.injected.failed;
    const pods = await search('po svc-001');
    assert.ok(pods.total >= 1000 && pods.hits.every((x) => x.one === 'pod'), `${pods.total} pods`);
    const exact = await search(pods.hits[5].name);
    assert.equal(exact.hits[0].name, pods.hits[5].name, 'an exact pod name ranks first');
    assert.equal(sim.faults.injected.failed, failedBefore, 'the search sent requests to the cluster');
    await simAdmin(sim, 'POST', '/_sim/fail?count=0');
  });
});
