// Argo CD end to end below the browser: the simulator's application controller and argocd-server against the engine's
// routes over real HTTP, checked with kubectl. Status is computed from Git vs the cluster; a dry-run sync changes
// nothing; a sync with prune applies and prunes and records history; a rollback deploys an older history entry;
// refresh annotations are consumed; self-heal reverts drift; bad requests are 4xx with a message.
import assert from 'node:assert/strict';
import { eventually, kubectlOk } from '../helpers/sim';
import { api, startHarness, type Harness } from './serverHelpers';

describe('Argo CD: simulated controller and argocd-server, engine routes over HTTP', function () {
  this.timeout(60_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const app = async (name: string) =>
    JSON.parse(await kubectlOk(h.sim, ['get', 'applications.argoproj.io', name, '-n', 'argocd', '-o', 'json']));
  /** Waits for the controller to finish the operation the last request started, and returns the app. */
  const settled = async (name: string, historyLength?: number) =>
    eventually(async () => {
      const a = await app(name);
      const done = !a.operation && ['Succeeded', 'Failed', 'Error'].includes(a.status?.operationState?.phase);
      return done && (historyLength === undefined || a.status.history.length === historyLength) ? a : undefined;
    }, 20_000);

  before(async () => {
    h = await startHarness();
    A = api(h);
  });
  after(async () => h?.close());

  it('computes sync and health from Git vs the cluster, as kubectl get applications shows', async () => {
    const table = await eventually(async () => {
      const out = await kubectlOk(h.sim, ['get', 'applications', '-n', 'argocd']);
      return /payments\s+OutOfSync/.test(out) && /shop\s+Synced/.test(out) ? out : undefined;
    });
    assert.match(table, /monitoring\s+Synced\s+Healthy/);
    const apps = (await A.get('/api/plugins/argocd/apps')).body.apps;
    const payments = apps.find((a: any) => a.name === 'payments');
    assert.equal(payments.syncStatus, 'OutOfSync');
    assert.deepEqual(
      payments.resources.filter((r: any) => r.status === 'OutOfSync').map((r: any) => `${r.kind}/${r.name}`),
      ['Deployment/payments-api', 'ConfigMap/payments-legacy-flags'],
    );
    assert.equal(payments.resources.find((r: any) => r.kind === 'ConfigMap').requiresPruning, true);
    assert.equal(payments.lastOperation.phase, 'Succeeded');
    assert.equal(apps.find((a: any) => a.name === 'monitoring').selfHeal, true);
  });

  it('shows the resource tree down to pods, with health per node, and history with commit messages', async () => {
    const d = (await A.get('/api/plugins/argocd/app?namespace=argocd&name=payments')).body;
    const dep = d.tree.find((n: any) => n.kind === 'Deployment' && n.name === 'payments-api');
    assert.equal(dep.syncStatus, 'OutOfSync');
    assert.equal(dep.depth, 0);
    const rs = d.tree.find((n: any) => n.kind === 'ReplicaSet' && n.parentId === dep.id);
    assert.ok(rs, 'a ReplicaSet below the Deployment');
    const pods = d.tree.filter((n: any) => n.kind === 'Pod' && n.parentId === rs.id);
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p: any) => p.depth === 2 && p.health?.status));
    assert.deepEqual(
      d.history.map((x: any) => x.commit?.message),
      ['apps/payments: payments 7.3.2, three API replicas', 'apps/payments: drop the legacy feature flags'],
    );
    assert.equal(d.history[1].current, true);
  });

  it('diffs desired vs live per resource through argocd-server', async () => {
    const d = (await A.get('/api/plugins/argocd/diff?namespace=argocd&name=payments')).body;
    const api1 = d.resources.find((r: any) => r.name === 'payments-api' && r.kind === 'Deployment');
    assert.match(api1.diff, /^-\s+replicas: 2$/m);
    assert.match(api1.diff, /^\+\s+replicas: 3$/m);
    const flags = d.resources.find((r: any) => r.kind === 'ConfigMap');
    assert.equal(flags.inGit, false);
    assert.equal(flags.requiresPruning, true);
    assert.match(flags.diff, /^-\s+LEGACY_CHECKOUT: "true"$/m);
    assert.equal(d.resources.find((r: any) => r.name === 'payments-worker').diff, '');
    const one = await A.get(
      '/api/plugins/argocd/diff?namespace=argocd&name=payments&kind=Service&resourceNamespace=payments&resourceName=payments-api',
    );
    assert.equal(one.body.resources.length, 1);
  });

  it('a dry-run sync reports what it would do and changes nothing', async () => {
    const r = await A.post('/api/plugins/argocd/sync', {
      namespace: 'argocd',
      name: 'payments',
      dryRun: true,
      prune: true,
    });
    assert.equal(r.status, 200, r.text);
    const a = await settled('payments');
    assert.equal(a.status.operationState.phase, 'Succeeded');
    const msgs = a.status.operationState.syncResult.resources.map((x: any) => `${x.status} ${x.message}`);
    assert.ok(msgs.includes('Synced deployment.apps/payments-api configured (dry run)'), msgs.join('\n'));
    assert.ok(msgs.includes('Pruned pruned (dry run)'), msgs.join('\n'));
    assert.equal(a.status.history.length, 2, 'a dry run adds no history');
    assert.equal(
      await kubectlOk(h.sim, ['get', 'deploy', 'payments-api', '-n', 'payments', '-o', 'jsonpath={.spec.replicas}']),
      '2',
    );
    await kubectlOk(h.sim, ['get', 'configmap', 'payments-legacy-flags', '-n', 'payments']);
  });

  it('syncs with prune: applies, prunes, records history, and the app is Synced', async () => {
    assert.equal((await A.post('/api/plugins/argocd/sync', { name: 'payments', prune: true })).status, 200);
    const a = await settled('payments', 3);
    assert.equal(a.status.history[2].initiatedBy.username, 'kubegraf');
    assert.equal(
      await kubectlOk(h.sim, ['get', 'deploy', 'payments-api', '-n', 'payments', '-o', 'jsonpath={.spec.replicas}']),
      '3',
    );
    const gone = await kubectlOk(h.sim, ['get', 'configmap', '-n', 'payments', '-o', 'name']);
    assert.ok(!gone.includes('payments-legacy-flags'));
    await eventually(async () => (await app('payments')).status.sync.status === 'Synced');
  });

  it('rolls back to a history entry and refuses rollback under auto-sync, unknown ids and busy apps', async () => {
    const r = await A.post('/api/plugins/argocd/rollback', { namespace: 'argocd', name: 'shop', id: 0 });
    assert.equal(r.status, 200, r.text);
    const busy = await A.post('/api/plugins/argocd/sync', { namespace: 'argocd', name: 'shop' });
    assert.equal(busy.status, 409);
    assert.match(busy.body.error.message, /another operation is already in progress/);
    const a = await settled('shop', 3);
    assert.equal(a.status.history[2].revision, a.status.history[0].revision);
    assert.deepEqual(a.status.operationState.operation.sync.syncStrategy, { apply: {} });
    assert.equal(
      await kubectlOk(h.sim, [
        'get',
        'deploy',
        'checkout',
        '-n',
        'shop',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ]),
      'ghcr.io/acme/checkout:4.1.0',
    );
    // HEAD still has 4.2.0: the app is now behind Git.
    await eventually(async () => (await app('shop')).status.sync.status === 'OutOfSync');

    const auto = await A.post('/api/plugins/argocd/rollback', { namespace: 'argocd', name: 'monitoring', id: 0 });
    assert.equal(auto.status, 400);
    assert.match(auto.body.error.message, /auto-sync is enabled/);
    const unknown = await A.post('/api/plugins/argocd/rollback', { namespace: 'argocd', name: 'shop', id: 42 });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /no deployment history entry with id 42/);
    const bad = await A.post('/api/plugins/argocd/rollback', { namespace: 'argocd', name: 'shop', id: 'x' });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.message);
  });

  it('refresh annotations are consumed by the controller; self-heal reverts drift on an auto-synced app', async () => {
    const before = (await app('monitoring')).status.reconciledAt;
    assert.equal((await A.post('/api/plugins/argocd/refresh', { name: 'monitoring', hard: true })).status, 200);
    const refreshed = await eventually(async () => {
      const a = await app('monitoring');
      return !a.metadata.annotations?.['argocd.argoproj.io/refresh'] ? a : undefined;
    });
    assert.ok(refreshed.status.reconciledAt >= before);

    await kubectlOk(h.sim, ['scale', 'deployment', 'blackbox-exporter', '-n', 'monitoring', '--replicas=2']);
    const healed = await eventually(async () => {
      const a = await app('monitoring');
      return a.status.history.length === 2 && !a.operation ? a : undefined;
    }, 20_000);
    assert.deepEqual(healed.status.history[1].initiatedBy, { automated: true });
    assert.equal(
      await kubectlOk(h.sim, [
        'get',
        'deployment',
        'blackbox-exporter',
        '-n',
        'monitoring',
        '-o',
        'jsonpath={.spec.replicas}',
      ]),
      '1',
    );
  });

  it('terminates a running operation', async () => {
    const store = h.sim.ctx.store;
    const rt = store.typeOf('argoproj.io/applications')!;
    // The operation starts in-process, so the terminate can land while it runs; a busy machine may still finish it
    // first (the terminate is then refused with 409), so the journey is tried again until it lands.
    const done = await eventually(
      async () => {
        const a = store.get('argoproj.io/applications', 'argocd', 'payments')!;
        store.update(rt, { ...a, operation: { sync: { revision: 'HEAD' }, initiatedBy: { username: 'test' } } });
        const r = await A.post('/api/plugins/argocd/terminate', { namespace: 'argocd', name: 'payments' });
        const after = await settled('payments');
        if (r.status !== 200) assert.equal(r.status, 409, r.text);
        return r.status === 200 ? after : undefined;
      },
      30_000,
      0,
    );
    assert.equal(done.status.operationState.phase, 'Failed');
    assert.equal(done.status.operationState.message, 'Operation terminated');
    const idle = await A.post('/api/plugins/argocd/terminate', { name: 'payments' });
    assert.equal(idle.status, 409);
    assert.match(idle.body.error.message, /no operation is running/);
  });
});
