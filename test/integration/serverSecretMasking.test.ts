// Secret data never leaves through a side door: a Helm release's rendered manifest and its values are masked the way
// /api/secret/yaml masks a Secret (keys kept, values hidden).
import assert from 'node:assert/strict';
import { helmRelease } from '../../src/sim/scenarios/seed';
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
});
