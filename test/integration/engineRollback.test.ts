// Rollback through the engine for every workload kind that keeps history (Deployments by ReplicaSets, StatefulSets
// and DaemonSets by ControllerRevisions), with the dry-run preview; plus the engine's raw GET and dry-run delete.
import assert from 'node:assert/strict';
import { KubeEngine } from '../../src/core/kube/engine';
import type { KubeActions } from '../../src/core/kube/actions';
import type { KubeError } from '../../src/core/kube/errors';
import type { KObject } from '../../src/core/kube/descriptors';
import { eventually, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

const isCode = (code: string) => (e: KubeError) => {
  assert.equal(e.name, 'KubeError');
  assert.equal(e.code, code, `${e.code}: ${e.message}`);
  return true;
};

const workload = (kind: 'StatefulSet' | 'DaemonSet' | 'Deployment', name: string, image: string) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: {
      ...(kind === 'DaemonSet' ? {} : { replicas: 2 }),
      ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } },
    },
  });

describe('engine rollback of Deployments, StatefulSets and DaemonSets (simulator)', function () {
  this.timeout(90_000);
  let sim: Sim;
  let engine: KubeEngine;
  let admin: KubeActions;
  let viewer: KubeActions;
  const liveImages = (tk: string, name: string) =>
    (sim.ctx.store.get(tk, 'default', name) as KObject<any, any>).spec.template.spec.containers.map(
      (c: { image: string }) => c.image,
    );

  before(async () => {
    sim = await startTestSim({ speed: 20 });
    engine = new KubeEngine({ files: [sim.kubeconfig], watchFiles: false });
    await engine.connectAll();
    admin = engine.actions(sim.contexts.admin);
    viewer = engine.actions(sim.contexts.viewer);
  });
  after(async () => {
    await engine.close();
    await sim.close();
  });

  for (const [kind, kindId, tk, name] of [
    ['StatefulSet', 'statefulsets', 'apps/statefulsets', 'db'],
    ['DaemonSet', 'daemonsets', 'apps/daemonsets', 'agent'],
    ['Deployment', 'deployments', 'apps/deployments', 'web'],
  ] as const) {
    it(`${kind}: lists revisions, previews and performs a rollback`, async () => {
      await kubectlOk(sim, ['apply', '-f', '-'], { stdin: workload(kind, name, 'img:1') });
      await kubectlOk(sim, ['rollout', 'status', `${kindId}/${name}`, '--timeout=40s']);
      await kubectlOk(sim, ['set', 'image', `${kindId}/${name}`, 'main=img:2']);
      await kubectlOk(sim, ['rollout', 'status', `${kindId}/${name}`, '--timeout=40s']);

      const revs = await eventually(async () => {
        const r = await admin.revisions('default', name, kindId);
        return r.length === 2 ? r : undefined;
      });
      assert.deepEqual(
        revs.map((r) => [r.revision, r.images, r.current]),
        [
          [2, ['img:2'], true],
          [1, ['img:1'], false],
        ],
      );

      const preview = await admin.previewRollback(kindId, 'default', name);
      assert.equal(preview.revision, 1);
      assert.equal(preview.changed, true);
      assert.match(preview.diff, /-\s+- image: img:2|-\s+image: img:2/);
      assert.match(preview.diff, /\+\s+- image: img:1|\+\s+image: img:1/);
      assert.deepEqual(liveImages(tk, name), ['img:2'], 'the preview changed nothing');
      assert.equal(await admin.rollback(kindId, 'default', name, undefined, { dryRun: true }), 1);
      assert.deepEqual(liveImages(tk, name), ['img:2'], 'a dry-run rollback changed nothing');

      await assert.rejects(admin.rollback(kindId, 'default', name, 2), isCode('invalid'));
      await assert.rejects(admin.rollback(kindId, 'default', name, 7), isCode('notFound'));
      await assert.rejects(viewer.rollback(kindId, 'default', name, 1), isCode('forbidden'));

      assert.equal(await admin.rollback(kindId, 'default', name, 1), 1);
      assert.deepEqual(liveImages(tk, name), ['img:1']);
      // The controller renumbers the restored template as the newest revision.
      const after = await eventually(async () => {
        const r = await admin.revisions('default', name, kindId);
        return r[0]?.revision === 3 && r[0].current ? r : undefined;
      });
      assert.deepEqual(after[0].images, ['img:1']);
    });
  }

  it('refuses rollback for kinds without history', async () => {
    await kubectlOk(sim, ['create', 'configmap', 'plain']);
    await assert.rejects(admin.rollback('configmaps', 'default', 'plain'), isCode('unsupported'));
    await assert.rejects(admin.revisions('default', 'plain', 'configmaps'), isCode('unsupported'));
  });

  it('raw GET returns parsed JSON and maps failures to KubeErrors', async () => {
    const v = await admin.raw<{ major: string }>('/version');
    assert.equal(v.major, '1');
    const nodes = await admin.raw<{ kind: string; items: unknown[] }>('/apis/metrics.k8s.io/v1beta1/nodes');
    assert.equal(nodes.kind, 'NodeMetricsList');
    await assert.rejects(admin.raw('/api/v1/namespaces/default/pods/nope'), isCode('notFound'));
    await assert.rejects(viewer.raw('/api/v1/namespaces/default/secrets'), isCode('forbidden'));
    await assert.rejects(admin.raw('api/v1/pods'), isCode('invalid'));
  });

  it('delete with dryRun validates on the server and deletes nothing', async () => {
    const pod = [...sim.ctx.store.iterate('pods', 'default')].find((p) => p.metadata.labels?.app === 'web')!;
    await admin.delete('pods', 'default', pod.metadata.name, { dryRun: true, gracePeriodSeconds: 0 });
    const still = sim.ctx.store.get('pods', 'default', pod.metadata.name)!;
    assert.equal(still.metadata.uid, pod.metadata.uid);
    assert.equal(still.metadata.deletionTimestamp, undefined);
    await assert.rejects(admin.delete('pods', 'default', 'nope', { dryRun: true }), isCode('notFound'));
    await assert.rejects(viewer.delete('pods', 'default', pod.metadata.name, { dryRun: true }), isCode('forbidden'));
  });
});
