// Helm rollback and uninstall without the helm binary, against the demo cluster: the release records left behind are
// read back the way Helm reads them (base64, base64, gunzip, JSON) and must say what `helm history` would, and the
// cluster's objects (read with kubectl) must be the target revision's.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { helmRelease } from '../../src/sim/scenarios/seed';
import { eventually, kubectl, kubectlOk } from '../helpers/sim';
import { api, startHarness, type Harness } from './serverHelpers';

interface Record {
  labels: { [k: string]: string };
  rel: any;
}

describe('Helm without the helm binary: rollback, uninstall, previews and revision diffs', function () {
  this.timeout(120_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const savedPath = process.env.PATH;

  /** Every record of a release as stored, decoded as Helm's secrets driver does, by revision. */
  const records = async (ns: string, name: string): Promise<Map<number, Record>> => {
    const out = JSON.parse(
      await kubectlOk(h.sim, ['get', 'secrets', '-n', ns, '-l', `owner=helm,name=${name}`, '-o', 'json']),
    ) as { items: Array<{ type: string; metadata: { name: string; labels: { [k: string]: string } }; data: any }> };
    const m = new Map<number, Record>();
    for (const s of out.items) {
      assert.equal(s.type, 'helm.sh/release.v1');
      const gz = Buffer.from(Buffer.from(s.data.release, 'base64').toString('utf8'), 'base64');
      assert.deepEqual([...gz.subarray(0, 3)], [0x1f, 0x8b, 0x08], 'gzip magic');
      const rel = JSON.parse(gunzipSync(gz).toString('utf8'));
      assert.equal(s.metadata.name, `sh.helm.release.v1.${name}.v${rel.version}`);
      m.set(rel.version, { labels: s.metadata.labels, rel });
    }
    return m;
  };
  const configMap = async (name: string) => {
    const r = await kubectl(h.sim, ['get', 'configmap', name, '-n', 'shop', '-o', 'json']);
    return r.code === 0 ? (JSON.parse(r.stdout) as { data: { [k: string]: string }; metadata: any }) : undefined;
  };

  before(async () => {
    // No helm anywhere on PATH (kubectl is called by its full path).
    process.env.PATH = (savedPath ?? '')
      .split(delimiter)
      .filter((d) => d && !existsSync(join(d, 'helm')))
      .join(delimiter);
    assert.notEqual(spawnSync('which', ['helm'], { env: process.env }).status, 0, 'helm must not be on PATH');
    h = await startHarness();
    A = api(h);
  });

  after(async () => {
    process.env.PATH = savedPath;
    await h?.close();
  });

  it('shows the demo shop release with three revisions whose manifests differ', async () => {
    const hist = await A.get('/api/plugins/helm/history?namespace=shop&name=shop');
    assert.equal(hist.status, 200, hist.text);
    assert.deepEqual(
      hist.body.history.map((x: any) => `${x.revision} ${x.status} ${x.chart}`),
      ['1 superseded shop-1.4.0', '2 superseded shop-1.4.1', '3 deployed shop-1.4.2'],
    );
    const d = await A.get('/api/plugins/helm/diff?namespace=shop&name=shop&from=2&to=3');
    assert.equal(d.status, 200, d.text);
    assert.match(d.body.manifest, /\+\s+theme: autumn/);
    assert.match(d.body.manifest, /\+\s+name: shop-feature-flags/);
    assert.match(d.body.values, /\+theme: autumn/);
    assert.ok(!JSON.stringify(d.body).includes('sk_live'), 'credentials are masked in diffs');
    assert.ok(d.body.summary.includes('chart: shop-1.4.1 → shop-1.4.2'), d.body.summary.join('\n'));
    const rel = await A.get('/api/plugins/helm/release?namespace=shop&name=shop');
    assert.equal(rel.body.revision, 3);
    assert.equal(rel.body.computed.theme, 'autumn');
    assert.equal(
      rel.body.computed.image.repository,
      'registry.example.com/shop/web',
      'chart defaults under the user values',
    );
    assert.notEqual(rel.body.computed.payments.apiKey, 'sk_live_demo_51HqK2');
    assert.deepEqual(
      rel.body.hooks.map((x: any) => x.name),
      ['shop-db-migrate'],
    );
  });

  it('previews a rollback per object with server dry runs, and changes nothing', async () => {
    const r = await A.post('/api/plugins/helm/rollback', {
      namespace: 'shop',
      name: 'shop',
      revision: 2,
      dryRun: true,
    });
    assert.equal(r.status, 200, r.text);
    const by = Object.fromEntries(r.body.objects.map((o: any) => [o.name, o]));
    assert.equal(by['shop-settings'].action, 'configured');
    assert.match(by['shop-settings'].diff, /-\s+theme: autumn/);
    assert.match(by['shop-settings'].diff, /-\s+recommendations: "?on"?/, 'what only revision 3 set is removed');
    assert.equal(by['shop-promotions'].action, 'created');
    assert.equal(by['shop-feature-flags'].action, 'deleted');
    assert.equal(by['shop-orders-archive'].action, 'kept');
    assert.deepEqual(r.body.hooksSkipped, ['shop-db-migrate (Job, pre-rollback)']);
    assert.match(r.body.message, /hooks were not run/);
    assert.equal(r.body.newRevision, 4);
    assert.equal((await records('shop', 'shop')).size, 3, 'no record written');
    assert.ok(await configMap('shop-feature-flags'), 'nothing deleted');
    assert.equal((await configMap('shop-settings'))!.data.theme, 'autumn');
  });

  it('rolls back as Helm 3 does: a new revision, records superseded, objects of the target revision', async () => {
    const before = await records('shop', 'shop');
    const r = await A.post('/api/plugins/helm/rollback', { namespace: 'shop', name: 'shop', revision: 2 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.dryRun, false);
    assert.match(r.body.message, /rolled back shop\/shop to revision 2 \(now revision 4\)/);
    assert.deepEqual(r.body.kept, ['[ConfigMap] shop-orders-archive']);

    const recs = await records('shop', 'shop');
    assert.deepEqual([...recs.keys()].sort(), [1, 2, 3, 4]);
    const v4 = recs.get(4)!;
    assert.equal(v4.rel.info.status, 'deployed');
    assert.equal(v4.rel.info.description, 'Rollback to 2');
    assert.equal(v4.rel.info.first_deployed, before.get(3)!.rel.info.first_deployed);
    assert.ok(Date.now() - Date.parse(v4.rel.info.last_deployed) < 60_000, v4.rel.info.last_deployed);
    assert.equal(v4.rel.info.deleted, '');
    assert.equal(v4.rel.chart.metadata.version, '1.4.1');
    assert.deepEqual(v4.rel.config, before.get(2)!.rel.config);
    assert.equal(v4.rel.manifest, before.get(2)!.rel.manifest);
    assert.deepEqual(v4.rel.hooks, before.get(2)!.rel.hooks);
    assert.equal(v4.rel.info.notes, before.get(2)!.rel.info.notes);
    assert.deepEqual(Object.keys(v4.rel), [
      'name',
      'info',
      'chart',
      'config',
      'manifest',
      'hooks',
      'version',
      'namespace',
    ]);
    // Created pending-rollback (createdAt), then updated to deployed: Update rewrites the labels with modifiedAt.
    assert.equal(v4.labels.status, 'deployed');
    assert.equal(v4.labels.version, '4');
    assert.equal(v4.labels.owner, 'helm');
    assert.equal(v4.labels.name, 'shop');
    assert.match(v4.labels.modifiedAt, /^\d{10}$/);
    assert.equal(v4.labels.createdAt, undefined);

    const v3 = recs.get(3)!;
    assert.equal(v3.rel.info.status, 'superseded');
    assert.equal(v3.labels.status, 'superseded');
    assert.match(v3.labels.modifiedAt, /^\d{10}$/);
    assert.equal(v3.rel.info.description, 'Upgrade complete', 'only the status changes on the old record');
    assert.equal(recs.get(2)!.labels.createdAt, before.get(2)!.labels.createdAt, 'older records are not rewritten');
    assert.equal(recs.get(2)!.labels.modifiedAt, undefined);

    // The cluster: revision 2's objects, what only revision 3 had is gone, the kept one stays.
    const settings = await configMap('shop-settings');
    assert.deepEqual(settings!.data, { currency: 'EUR', theme: 'classic', checkoutTimeout: '45s' });
    assert.equal(settings!.metadata.labels['app.kubernetes.io/managed-by'], 'Helm');
    assert.equal(settings!.metadata.annotations['meta.helm.sh/release-name'], 'shop');
    assert.deepEqual((await configMap('shop-promotions'))!.data, { banner: 'Summer sale: 15% off' });
    await eventually(async () => (await configMap('shop-feature-flags')) === undefined);
    assert.ok(await configMap('shop-orders-archive'), 'helm.sh/resource-policy: keep');

    const hist = await A.get('/api/plugins/helm/history?namespace=shop&name=shop');
    assert.deepEqual(
      hist.body.history.map((x: any) => `${x.revision} ${x.status} ${x.description}`),
      [
        '1 superseded Install complete',
        '2 superseded Upgrade complete',
        '3 superseded Upgrade complete',
        '4 deployed Rollback to 2',
      ],
    );
  });

  it('rolls back to the previous revision by default, and refuses a revision the release does not have', async () => {
    const missing = await A.post('/api/plugins/helm/rollback', { namespace: 'shop', name: 'shop', revision: 9 });
    assert.equal(missing.status, 404, missing.text);
    assert.match(missing.body.error.message, /has no 9 version/);
    const r = await A.post('/api/plugins/helm/rollback', { namespace: 'shop', name: 'shop' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.targetRevision, 3);
    const recs = await records('shop', 'shop');
    assert.equal(recs.get(5)!.rel.info.description, 'Rollback to 3');
    assert.equal(recs.get(4)!.rel.info.status, 'superseded');
    assert.equal((await configMap('shop-settings'))!.data.recommendations, 'on');
    assert.ok(await configMap('shop-feature-flags'), 'recreated from revision 3');
    assert.equal((await configMap('shop-promotions')) === undefined, true, 'revision 3 has no promotions');
  });

  it('records a failed rollback as Helm does: current superseded, new revision failed', async () => {
    // A release whose target manifest the server refuses (an invalid ConfigMap name).
    const seed = (rev: number, status: string, manifest: string) =>
      h.sim.ctx.store.create(
        h.sim.ctx.types.get('', 'v1', 'secrets')!,
        helmRelease('shop', 'broken', rev, {
          chart: 'broken',
          version: `0.${rev}.0`,
          appVersion: '1',
          status,
          description: rev === 1 ? 'Install complete' : 'Upgrade complete',
          deployedAt: '2026-01-01T00:00:00Z',
          firstDeployedAt: '2026-01-01T00:00:00Z',
          manifest,
        }) as never,
      );
    seed(1, 'superseded', '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_A_Name\ndata: {a: "1"}\n');
    seed(2, 'deployed', '');
    const r = await A.post('/api/plugins/helm/rollback', { namespace: 'shop', name: 'broken', revision: 1 });
    assert.equal(r.status, 502, r.text);
    assert.match(r.body.error.message, /^Rollback "broken" failed: /);
    assert.equal(r.body.error.details.objects[0].action, 'failed');
    const recs = await records('shop', 'broken');
    assert.equal(recs.get(2)!.rel.info.status, 'superseded');
    assert.equal(recs.get(3)!.rel.info.status, 'failed');
    assert.equal(recs.get(3)!.labels.status, 'failed');
    assert.match(recs.get(3)!.rel.info.description, /^Rollback "broken" failed: /);
  });

  it('previews an uninstall, then uninstalls with --keep-history semantics', async () => {
    const dry = await A.post('/api/plugins/helm/uninstall', { namespace: 'shop', name: 'shop', dryRun: true });
    assert.equal(dry.status, 200, dry.text);
    assert.deepEqual(
      dry.body.objects.map((o: any) => `${o.action} ${o.name}`),
      ['deleted shop-settings', 'deleted shop-feature-flags', 'kept shop-orders-archive'],
    );
    assert.deepEqual(dry.body.hooksSkipped, [], 'shop-db-migrate runs on upgrade and rollback, not on delete');
    assert.ok(await configMap('shop-settings'), 'a preview deletes nothing');

    const r = await A.post('/api/plugins/helm/uninstall', { namespace: 'shop', name: 'shop', keepHistory: true });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.kept, ['[ConfigMap] shop-orders-archive']);
    assert.match(r.body.message, /kept by resource policy: \[ConfigMap\] shop-orders-archive/);
    await eventually(async () => (await configMap('shop-settings')) === undefined);
    await eventually(async () => (await configMap('shop-feature-flags')) === undefined);
    assert.ok(await configMap('shop-orders-archive'));

    const recs = await records('shop', 'shop');
    assert.equal(recs.size, 5, 'history kept');
    const last = recs.get(5)!;
    assert.equal(last.rel.info.status, 'uninstalled');
    assert.equal(last.rel.info.description, 'Uninstallation complete');
    assert.ok(Date.now() - Date.parse(last.rel.info.deleted) < 60_000, last.rel.info.deleted);
    assert.equal(last.labels.status, 'uninstalled');
    assert.match(last.labels.modifiedAt, /^\d{10}$/);
    assert.ok([...recs.values()].every((x) => x.rel.info.status !== 'deployed'));

    const again = await A.post('/api/plugins/helm/uninstall', { namespace: 'shop', name: 'shop', keepHistory: true });
    assert.equal(again.status, 409, again.text);
    assert.match(again.body.error.message, /already deleted/);
    // Without keepHistory, an uninstalled release's records are purged.
    const purge = await A.post('/api/plugins/helm/uninstall', { namespace: 'shop', name: 'shop' });
    assert.equal(purge.status, 200, purge.text);
    assert.equal((await records('shop', 'shop')).size, 0);
  });

  it('uninstalls in Helm order and deletes every record by default, also through the apps route', async () => {
    const before = await records('cert-manager', 'cert-manager');
    assert.equal(before.size, 2);
    const r = await A.post('/api/apps/uninstall', { namespace: 'cert-manager', name: 'cert-manager' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await records('cert-manager', 'cert-manager')).size, 0);
    const gone = await A.get('/api/plugins/helm/history?namespace=cert-manager&name=cert-manager');
    assert.equal(gone.status, 404);
    assert.ok(!execFileSync('sh', ['-c', 'command -v helm || true'], { env: process.env }).toString().trim());
  });
});
