// Secret data never leaves through a side door: a Helm release's rendered manifest and its values are masked the way
// /api/secret/yaml masks a Secret (keys kept, values hidden); and a sweep over every GET route of the route table
// and every AI tool, pointed at a Secret, finds its value nowhere (plain or base64) unless one key is revealed.
import assert from 'node:assert/strict';
import { helmRelease } from '../../src/sim/scenarios/seed';
import { routeEntries } from '../../src/shared/routeTable';
import { shapeOf } from '../../src/shared/route';
import { TOOL_NAMES, runTool } from '../../src/core/ai/tools';
import type { Redactor } from '../../src/core/ai/redact';
import { api, startHarness, type Harness } from './serverHelpers';

const PASSWORD = 'hunter2-super-secret';
const B64 = Buffer.from(PASSWORD).toString('base64');

describe('kubegraf web: Secret data masked on every route that carries it', function () {
  this.timeout(60_000);
  let h: Harness;
  let A: ReturnType<typeof api>;

  before(async () => {
    h = await startHarness();
    A = api(h);
    const manifest = `---\n# Source: vault/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: vault-creds\ntype: Opaque\ndata:\n  password: ${B64}\nstringData:\n  token: ${PASSWORD}\n---\n# Source: vault/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: vault\nspec:\n  ports:\n  - port: 8200\n`;
    const secret = helmRelease('shop', 'vault', 1, {
      chart: 'vault',
      version: '0.1.0',
      appVersion: '1.0',
      status: 'deployed',
      description: 'Install complete',
      deployedAt: '2026-01-01T00:00:00Z',
      firstDeployedAt: '2026-01-01T00:00:00Z',
      values: { auth: { password: PASSWORD, username: 'admin' }, apiKey: PASSWORD, replicas: 2 },
      manifest,
    });
    h.sim.ctx.store.create(h.sim.ctx.types.get('', 'v1', 'secrets')!, secret as never);
  });
  after(async () => h?.close());

  it('masks Secret data in a Helm release manifest and credential-named values, and keeps the rest', async () => {
    const r = await A.get('/api/plugins/helm/release?namespace=shop&name=vault');
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.text.includes(PASSWORD) && !r.text.includes(B64), 'no secret value in the answer');
    assert.match(r.body.manifest, /password: "?\*{8}"?/);
    assert.match(r.body.manifest, /token: "?\*{8}"?/);
    assert.match(r.body.manifest, /kind: Service/);
    assert.match(r.body.manifest, /# Source: vault\/templates\/service.yaml/);
    assert.equal(r.body.config.auth.username, 'admin');
    assert.equal(r.body.config.replicas, 2);
    assert.equal(r.body.config.auth.password, '********');
    assert.equal(r.body.values.apiKey, '********');
  });

  const CANARY = 'canary-7f3a9d-do-not-leak';
  const CANARY_B64 = Buffer.from(CANARY).toString('base64');
  const leaks = (text: string) => text.includes(CANARY) || text.includes(CANARY_B64);

  it('no GET route and no AI tool carries a Secret value', async function () {
    this.timeout(180_000);
    const secrets = h.sim.ctx.types.get('', 'v1', 'secrets')!;
    h.sim.ctx.store.create(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'canary',
        namespace: 'shop',
        // What `kubectl apply` leaves behind: the whole object, values included.
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { password: CANARY_B64 } }),
        },
      },
      type: 'Opaque',
      data: { password: CANARY_B64, username: Buffer.from('admin').toString('base64') },
    } as never);
    // Wait until the engine's cache has it (the list route answers from the cache).
    for (let i = 0; ; i++) {
      const r = await A.get('/api/secrets?namespace=shop');
      if (JSON.stringify(r.body).includes('"canary"')) break;
      assert.ok(i < 200, 'the canary secret reached the cache');
      await new Promise((r) => setImmediate(r));
    }

    const fill: Record<string, string> = { kind: 'secret', namespace: 'shop', name: 'canary', q: 'canary' };
    let answered = 0;
    for (const [id, r] of routeEntries()) {
      if (r.method !== 'GET' || shapeOf(r) !== 'json') continue;
      const params = new URLSearchParams(fill);
      const path = r.path.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(fill[k] ?? 'canary'));
      if (path.includes('*')) continue; // raw proxies to in-cluster apps
      const res = await A.get(`${path}?${params}`);
      assert.ok(!leaks(res.text), `${id} (${path}) leaks the Secret's value: ${res.text.slice(0, 300)}`);
      if (res.status === 200) answered++;
    }
    assert.ok(answered > 40, `the sweep reached real answers (${answered} routes answered 200)`);

    // The obvious doors, checked to be open (so the sweep above did look at the Secret itself).
    for (const path of ['/api/secret/details', '/api/secret/yaml', '/api/secret/describe']) {
      const r = await A.get(`${path}?namespace=shop&name=canary`);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      assert.match(r.text, /password/, `${path} names the key`);
    }
    // Revealing one key on purpose shows that key only.
    const revealed = await A.get('/api/secret/yaml?namespace=shop&name=canary&reveal=password');
    assert.equal(revealed.status, 200, revealed.text);
    assert.equal(revealed.body.revealed?.value, CANARY);

    // AI tools, with a redactor that passes everything through: the tools themselves must not fetch the value.
    const passThrough = { text: (x: string) => x, json: (x: unknown) => JSON.stringify(x) } as unknown as Redactor;
    const args = { kind: 'secret', namespace: 'shop', name: 'canary', limit: 500 };
    for (const tool of TOOL_NAMES) {
      const out = await runTool(tool, args, h.app.deps, { namespace: 'shop' }, passThrough);
      assert.ok(!leaks(out.content), `AI tool ${tool} leaks the Secret's value: ${out.content.slice(0, 300)}`);
    }
  });
});
