// @kubernetes/client-node 1.4 against `kubegraf sim`: informers that live through injected faults, typed patches.
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startTestSim, eventually, simAdmin, type Sim } from '../helpers/sim';

describe('sim with @kubernetes/client-node', function () {
  this.timeout(60_000);
  let sim: Sim;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let informer: k8s.Informer<k8s.V1ConfigMap> & k8s.ObjectCache<k8s.V1ConfigMap>;
  let errors = 0;
  let stopped = false;
  const ns = 'default';

  const create = (name: string) =>
    core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name }, data: { v: '1' } } });
  const cached = () => new Set(informer.list().map((c) => c.metadata!.name!));
  const truth = () => new Set([...sim.ctx.store.iterate('configmaps', ns)].map((o) => o.metadata.name));
  const inSync = () => {
    const a = cached();
    const b = truth();
    return a.size === b.size && [...a].every((n) => b.has(n));
  };

  before(async () => {
    sim = await startTestSim();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(sim.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    informer = k8s.makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`, () =>
      core.listNamespacedConfigMap({ namespace: ns }),
    );
    // client-node's informer stops for good on an HTTP error or a refused connection: restart it, as the engine does.
    informer.on('error', () => {
      errors++;
      if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 200);
    });
    await informer.start();
  });
  after(async () => {
    stopped = true;
    await informer.stop();
    await sim.close();
  });

  it('mirrors creates, updates and deletes', async () => {
    await create('a');
    await create('b');
    await core.replaceNamespacedConfigMap({
      name: 'a',
      namespace: ns,
      body: { metadata: { name: 'a' }, data: { v: '2' } },
    });
    await core.deleteNamespacedConfigMap({ name: 'b', namespace: ns });
    await eventually(() => inSync() && informer.get('a', ns)?.data?.v === '2');
  });

  it('survives a dropped watch', async () => {
    const r = (await simAdmin(sim, 'POST', '/_sim/watches/drop')) as { dropped: number };
    assert.ok(r.dropped >= 1, 'the informer had a watch open');
    await create('after-drop');
    await eventually(() => cached().has('after-drop'));
  });

  it('relists after 410 Expired', async () => {
    await simAdmin(sim, 'POST', '/_sim/expire');
    await create('after-expire');
    await eventually(() => cached().has('after-expire') && inSync());
  });

  it('recovers from a run of HTTP 500s once restarted', async () => {
    const before = errors;
    const failed = sim.faults.injected.failed;
    await simAdmin(sim, 'POST', '/_sim/fail?count=3&code=500');
    await simAdmin(sim, 'POST', '/_sim/watches/drop');
    // The informer's own retries meet all three failures.
    await eventually(() => errors > before && sim.faults.injected.failed === failed + 3, 15_000);
    await create('after-500');
    await eventually(() => cached().has('after-500') && inSync(), 15_000);
  });

  it('catches up after the server goes silent for 10 s', async function () {
    this.timeout(40_000);
    await simAdmin(sim, 'POST', '/_sim/pause?seconds=10');
    const started = Date.now();
    // Written to the store directly: the API is paused, the cluster is not.
    const cm = sim.ctx.types.get('', 'v1', 'configmaps')!;
    sim.ctx.store.create(cm, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'during-pause', namespace: ns },
    });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(cached().has('during-pause'), false, 'nothing flows while paused');
    await eventually(() => cached().has('during-pause') && inSync(), 25_000);
    assert.ok(Date.now() - started >= 9_000);
  });

  it('patches with explicit content types', async () => {
    await create('patched');
    const opt = (s: string) => k8s.setHeaderOptions('Content-Type', s);
    await core.patchNamespacedConfigMap(
      { name: 'patched', namespace: ns, body: { data: { m: 'merge' } } },
      opt(k8s.PatchStrategy.MergePatch),
    );
    await core.patchNamespacedConfigMap(
      { name: 'patched', namespace: ns, body: { metadata: { labels: { s: 'strategic' } } } },
      opt(k8s.PatchStrategy.StrategicMergePatch),
    );
    const after = await core.patchNamespacedConfigMap(
      { name: 'patched', namespace: ns, body: [{ op: 'add', path: '/data/j', value: 'json' }] },
      opt(k8s.PatchStrategy.JsonPatch),
    );
    assert.deepEqual(after.data, { v: '1', m: 'merge', j: 'json' });
    assert.equal(after.metadata?.labels?.s, 'strategic');
  });

  it('gets typed errors for bad requests', async () => {
    await assert.rejects(
      core.readNamespacedConfigMap({ name: 'missing', namespace: ns }),
      (e: k8s.ApiException<string>) => {
        assert.equal(e.code, 404);
        assert.equal(JSON.parse(e.body).reason, 'NotFound');
        return true;
      },
    );
    await assert.rejects(create('Bad_Name'), (e: k8s.ApiException<string>) => e.code === 422);
  });
});
