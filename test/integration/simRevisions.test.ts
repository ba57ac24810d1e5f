import assert from 'node:assert/strict';
import { eventually, kubectl, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

const sts = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'default' },
  spec: {
    replicas: 2,
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image }] } },
  },
});

const ds = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image }] } },
  },
});

async function podImages(sim: Sim, selector: string): Promise<string[]> {
  const out = await kubectlOk(sim, [
    'get',
    'pods',
    '-l',
    selector,
    '-o',
    'jsonpath={range .items[*]}{.metadata.deletionTimestamp}|{.spec.containers[0].image}{"\\n"}{end}',
  ]);
  return out
    .split('\n')
    .filter((l) => l && l.startsWith('|'))
    .map((l) => l.slice(1));
}

for (const minor of [30, 33]) {
  describe(`sim ControllerRevisions through kubectl 1.${minor}`, function () {
    this.timeout(90000);
    let sim: Sim;
    before(async () => {
      sim = await startTestSim({ kubeMinor: minor, speed: 20 });
    });
    after(() => sim?.close());

    it('keeps a StatefulSet revision per template; rollout history and undo --to-revision work', async () => {
      await kubectlOk(sim, ['apply', '-f', '-'], { stdin: JSON.stringify(sts('postgres:15')) });
      await kubectlOk(sim, ['rollout', 'status', 'statefulset/db', '--timeout=40s']);
      await kubectlOk(sim, ['set', 'image', 'statefulset/db', 'db=postgres:16']);
      await kubectlOk(sim, ['rollout', 'status', 'statefulset/db', '--timeout=40s']);

      const crs = JSON.parse(await kubectlOk(sim, ['get', 'controllerrevisions', '-l', 'app=db', '-o', 'json']))
        .items as Array<Record<string, any>>;
      assert.equal(crs.length, 2);
      crs.sort((a, b) => a.revision - b.revision);
      assert.deepEqual(
        crs.map((c) => c.revision),
        [1, 2],
      );
      for (const c of crs) {
        assert.match(c.metadata.name, /^db-[a-z0-9]+$/);
        assert.equal(c.metadata.ownerReferences[0].kind, 'StatefulSet');
        assert.equal(c.metadata.ownerReferences[0].controller, true);
        assert.equal(c.metadata.labels['controller.kubernetes.io/hash'], c.metadata.name.slice('db-'.length));
        assert.equal(c.data.spec.template.$patch, 'replace');
      }
      assert.equal(crs[1].data.spec.template.spec.containers[0].image, 'postgres:16');
      const status = JSON.parse(await kubectlOk(sim, ['get', 'sts', 'db', '-o', 'jsonpath={.status}']));
      assert.equal(status.updateRevision, crs[1].metadata.name);
      assert.equal(status.currentRevision, crs[1].metadata.name);
      const labels = await kubectlOk(sim, [
        'get',
        'pods',
        '-l',
        'app=db',
        '-o',
        'jsonpath={.items[*].metadata.labels.controller-revision-hash}',
      ]);
      assert.deepEqual([...new Set(labels.split(' '))], [crs[1].metadata.name]);

      assert.match(
        await kubectlOk(sim, ['get', 'controllerrevisions']),
        /NAME\s+CONTROLLER\s+REVISION\s+AGE\n(db-\w+\s+statefulset\.apps\/db\s+[12]\s+\S+\n){2}/,
      );
      assert.match(
        await kubectlOk(sim, ['rollout', 'history', 'statefulset/db']),
        /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/,
      );
      assert.match(
        await kubectlOk(sim, ['rollout', 'history', 'statefulset/db', '--revision=1']),
        /Image:\s+postgres:15/,
      );

      assert.match(
        await kubectlOk(sim, ['rollout', 'undo', 'statefulset/db', '--to-revision=1']),
        /statefulset.apps\/db rolled back/,
      );
      await kubectlOk(sim, ['rollout', 'status', 'statefulset/db', '--timeout=40s']);
      await eventually(async () => (await podImages(sim, 'app=db')).every((i) => i === 'postgres:15') || undefined);
      // Rolling back renumbers the old revision as the newest, as the controller does.
      assert.match(
        await kubectlOk(sim, ['rollout', 'history', 'statefulset/db']),
        /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/,
      );
      const again = await kubectl(sim, ['rollout', 'undo', 'statefulset/db', '--to-revision=9']);
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /unable to find specified revision 9 in history/);
    });

    it('keeps DaemonSet revisions; rollout undo goes back to the previous template', async () => {
      await kubectlOk(sim, ['apply', '-f', '-'], { stdin: JSON.stringify(ds('fluentbit:2.1')) });
      await kubectlOk(sim, ['rollout', 'status', 'daemonset/agent', '--timeout=40s']);
      await kubectlOk(sim, ['set', 'image', 'daemonset/agent', 'agent=fluentbit:3.0']);
      await kubectlOk(sim, ['rollout', 'status', 'daemonset/agent', '--timeout=40s']);
      assert.match(
        await kubectlOk(sim, ['rollout', 'history', 'daemonset/agent']),
        /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/,
      );
      const hashes = await kubectlOk(sim, [
        'get',
        'pods',
        '-l',
        'app=agent',
        '-o',
        'jsonpath={.items[*].metadata.labels.controller-revision-hash}',
      ]);
      const rev2 = JSON.parse(
        await kubectlOk(sim, ['get', 'controllerrevisions', '-l', 'app=agent', '-o', 'json']),
      ).items.find((c: { revision: number }) => c.revision === 2);
      assert.deepEqual([...new Set(hashes.split(' '))], [rev2.metadata.labels['controller.kubernetes.io/hash']]);

      assert.match(await kubectlOk(sim, ['rollout', 'undo', 'daemonset/agent']), /daemonset.apps\/agent rolled back/);
      await kubectlOk(sim, ['rollout', 'status', 'daemonset/agent', '--timeout=40s']);
      await eventually(async () => {
        const images = await podImages(sim, 'app=agent');
        return images.length > 0 && images.every((i) => i === 'fluentbit:2.1') ? true : undefined;
      });
      assert.match(
        await kubectlOk(sim, ['rollout', 'history', 'daemonset/agent']),
        /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/,
      );
    });

    it('deletes the revisions with their owner', async () => {
      await kubectlOk(sim, ['delete', 'statefulset', 'db']);
      await eventually(async () =>
        (await kubectlOk(sim, ['get', 'controllerrevisions', '-l', 'app=db', '-o', 'name'])).trim() === ''
          ? true
          : undefined,
      );
    });
  });
}
