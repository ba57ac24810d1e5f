import assert from 'node:assert/strict';
import { kubectl, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

const deployment = (replicas: number, image = 'nginx:1.25') =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    },
  });

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

async function managedFields(sim: Sim, what: string): Promise<Entry[]> {
  return JSON.parse(await kubectlOk(sim, ['get', what, '-o', 'json', '--show-managed-fields'])).metadata.managedFields;
}

for (const minor of [30, 33]) {
  describe(`sim managedFields for ordinary writes (kubectl 1.${minor})`, function () {
    this.timeout(60000);
    let sim: Sim;
    before(async () => {
      sim = await startTestSim({ kubeMinor: minor });
    });
    after(() => sim?.close());

    it('records the creator and each updater, per field', async () => {
      await kubectlOk(sim, ['create', 'configmap', 'cfg', '--from-literal=a=1']);
      let mf = await managedFields(sim, 'configmap/cfg');
      assert.equal(mf.length, 1);
      assert.equal(mf[0].manager, 'kubectl-create');
      assert.equal(mf[0].operation, 'Update');
      assert.equal(mf[0].apiVersion, 'v1');
      assert.equal(mf[0].fieldsType, 'FieldsV1');
      assert.match(mf[0].time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(mf[0].fieldsV1, { 'f:data': { 'f:a': {} } });

      await kubectlOk(sim, ['label', 'configmap', 'cfg', 'team=blue']);
      await kubectlOk(sim, ['patch', 'configmap', 'cfg', '--type=merge', '-p', '{"data":{"a":"2","b":"3"}}']);
      mf = await managedFields(sim, 'configmap/cfg');
      const by = Object.fromEntries(mf.map((e) => [e.manager, e.fieldsV1]));
      // kubectl patch took data.a from kubectl-create; the label belongs to kubectl-label.
      assert.deepEqual(by['kubectl-label'], { 'f:metadata': { 'f:labels': { 'f:team': {} } } });
      assert.deepEqual(by['kubectl-patch'], { 'f:data': { 'f:a': {}, 'f:b': {} } });
      assert.equal(by['kubectl-create'], undefined, 'the creator owned nothing else, so its entry is gone');
    });

    it('takes the User-Agent product token as manager when no fieldManager is given', async () => {
      await kubectlOk(sim, ['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
      await kubectlOk(sim, ['scale', 'deployment/web', '--replicas=3']);
      const mf = await managedFields(sim, 'deployment/web');
      const scale = mf.find((e) => e.subresource === 'scale');
      assert.ok(scale, JSON.stringify(mf));
      assert.equal(scale.manager, 'kubectl');
      assert.equal(scale.operation, 'Update');
      assert.equal(scale.apiVersion, 'apps/v1');
      assert.deepEqual(scale.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
      const creator = mf.find((e) => e.manager === 'kubectl-create')!;
      assert.equal(
        (creator.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas'],
        undefined,
        'scale took spec.replicas from the creator',
      );
    });

    it('a server-side apply over a field kubectl scale changed conflicts unless forced', async () => {
      const r = await kubectl(sim, ['apply', '--server-side', '-f', '-'], { stdin: deployment(5) });
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas/,
      );
      assert.match(r.stderr, /--force-conflicts/);
      assert.equal(await kubectlOk(sim, ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '3');

      // The same value is no conflict: both managers share the field.
      assert.match(
        await kubectlOk(sim, ['apply', '--server-side', '-f', '-'], { stdin: deployment(3) }),
        /deployment.apps\/web serverside-applied/,
      );

      assert.match(
        await kubectlOk(sim, ['apply', '--server-side', '--force-conflicts', '-f', '-'], { stdin: deployment(5) }),
        /serverside-applied/,
      );
      assert.equal(await kubectlOk(sim, ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '5');
      const mf = await managedFields(sim, 'deployment/web');
      assert.equal(
        mf.find((e) => e.subresource === 'scale'),
        undefined,
        'forcing took replicas away from the scaler',
      );
      const applier = mf.find((e) => e.operation === 'Apply')!;
      assert.equal(applier.manager, 'kubectl');
      assert.deepEqual((applier.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas'], {});
    });

    it('kubectl edit of an applied field makes the next apply conflict', async () => {
      const prevEditor = process.env.KUBE_EDITOR;
      process.env.KUBE_EDITOR = 'sed -i -e s/image:\\ nginx:1.25/image:\\ nginx:1.27/';
      try {
        assert.match(await kubectlOk(sim, ['edit', 'deployment', 'web']), /deployment.apps\/web edited/);
      } finally {
        if (prevEditor === undefined) delete process.env.KUBE_EDITOR;
        else process.env.KUBE_EDITOR = prevEditor;
      }
      const edit = (await managedFields(sim, 'deployment/web')).find((e) => e.manager === 'kubectl-edit');
      assert.equal(edit?.operation, 'Update');
      const r = await kubectl(sim, ['apply', '--server-side', '-f', '-'], { stdin: deployment(5) });
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /conflict with "kubectl-edit" using apps\/v1: \.spec\.template\.spec\.containers\[name="web"\]\.image/,
      );
    });
  });
}
