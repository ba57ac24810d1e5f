// POST /api/manifests/apply over real HTTP against the simulator: multi-document server-side apply, its review (dry run),
// field-manager conflicts and force, a read-only user, and malformed manifests. Results are cross-checked with kubectl.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../../src/server/app';
import { kubectlOk, startTestSim, type Sim } from '../helpers/sim';
import { request } from './serverHelpers';

const MANIFEST = `# an app in its own namespace
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop-x
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
# comments only
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop-x
data:
  mode: "blue"
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop-x
`;

describe('POST /api/manifests/apply (simulator, real HTTP)', function () {
  this.timeout(60_000);
  let sim: Sim;
  let app: App;
  let h: { base: string; token: string };
  const apply = (body: Record<string, unknown>) => request(h, 'POST', '/api/manifests/apply', body);
  const getJson = async (args: string[]) => JSON.parse(await kubectlOk(sim, ['get', ...args, '-o', 'json']));

  before(async () => {
    sim = await startTestSim();
    app = await startApp({
      kubeconfigFiles: [sim.kubeconfig],
      dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-apply-')),
      demo: true,
    });
    h = { base: app.server.url, token: app.token };
  });
  after(async () => {
    await app?.close();
    await sim?.close();
  });

  it('reviews a new multi-document manifest without changing the cluster', async () => {
    const r = await apply({ yaml: MANIFEST, dryRun: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.dryRun, true);
    assert.deepEqual(
      r.body.results.map((x: any) => [x.kind, x.namespace ?? '', x.name, x.action]),
      [
        ['Deployment', 'shop-x', 'web', 'created'],
        ['ConfigMap', 'shop-x', 'web-config', 'created'],
        ['Namespace', '', 'shop-x', 'created'],
      ],
    );
    assert.deepEqual([r.body.applied, r.body.failed], [3, 0]);
    assert.match(r.body.results[1].diff, /\+ {2}mode: blue/);
    assert.match(r.body.results[1].note, /namespace shop-x is created by this manifest/);
    const ns = await kubectlOk(sim, ['get', 'namespaces', '-o', 'name']);
    assert.doesNotMatch(ns, /shop-x/);
  });

  it('creates the namespace first, then the objects in it, owned by field manager kubegraf', async () => {
    const r = await apply({ yaml: MANIFEST });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.results.map((x: any) => [x.doc, x.kind, x.action]),
      [
        [1, 'Deployment', 'created'],
        [3, 'ConfigMap', 'created'],
        [4, 'Namespace', 'created'],
      ],
    );
    assert.deepEqual([r.body.applied, r.body.failed], [3, 0]);
    const dep = await getJson(['deployment', 'web', '-n', 'shop-x', '--show-managed-fields']);
    assert.equal(dep.spec.replicas, 2);
    assert.equal(dep.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.ok(
      dep.metadata.managedFields.some((m: any) => m.manager === 'kubegraf' && m.operation === 'Apply'),
      JSON.stringify(dep.metadata.managedFields),
    );
    assert.equal((await getJson(['configmap', 'web-config', '-n', 'shop-x'])).data.mode, 'blue');
  });

  it('reports an unchanged re-apply as unchanged, with no diff', async () => {
    const r = await apply({ yaml: MANIFEST });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.results.map((x: any) => x.action),
      ['unchanged', 'unchanged', 'unchanged'],
    );
    assert.deepEqual(
      r.body.results.map((x: any) => x.diff),
      ['', '', ''],
    );
    assert.equal(r.body.applied, 0);
  });

  it('reports a change as configured with a live-vs-applied diff', async () => {
    const r = await apply({ yaml: MANIFEST.replace('mode: "blue"', 'mode: "green"') });
    assert.equal(r.status, 200, r.text);
    const cm = r.body.results.find((x: any) => x.kind === 'ConfigMap');
    assert.equal(cm.action, 'configured');
    assert.match(cm.diff, /-\s+mode: blue/);
    assert.match(cm.diff, /\+\s+mode: green/);
    assert.match(cm.diff, /configmaps\/shop-x\/web-config \(live\)/);
    assert.deepEqual(
      r.body.results.filter((x: any) => x !== cm).map((x: any) => x.action),
      ['unchanged', 'unchanged'],
    );
    assert.equal((await getJson(['configmap', 'web-config', '-n', 'shop-x'])).data.mode, 'green');
  });

  it('reports a conflict with kubectl scale naming the manager and field, and applies with force', async () => {
    await kubectlOk(sim, ['scale', 'deployment/web', '-n', 'shop-x', '--replicas=5']);
    const yaml = MANIFEST.replace('mode: "blue"', 'mode: "green"').replace('replicas: 2', 'replicas: 3');
    const r = await apply({ yaml });
    assert.equal(r.status, 200, r.text);
    const dep = r.body.results.find((x: any) => x.kind === 'Deployment');
    assert.equal(dep.action, 'failed');
    assert.equal(dep.error.code, 'conflict');
    assert.equal(dep.error.status, 409);
    assert.ok(
      dep.error.conflicts.some((c: any) => /kubectl/.test(c.manager) && c.field === '.spec.replicas'),
      JSON.stringify(dep.error),
    );
    assert.match(dep.error.message, /force/);
    assert.equal(r.body.failed, 1);
    assert.equal((await getJson(['deployment', 'web', '-n', 'shop-x'])).spec.replicas, 5);

    const review = await apply({ yaml, force: true, dryRun: true });
    const rd = review.body.results.find((x: any) => x.kind === 'Deployment');
    assert.equal(rd.action, 'configured');
    assert.match(rd.diff, /-\s+replicas: 5\n\+\s+replicas: 3/);

    const forced = await apply({ yaml, force: true });
    assert.equal(forced.status, 200, forced.text);
    assert.equal(forced.body.results.find((x: any) => x.kind === 'Deployment').action, 'configured');
    assert.equal(forced.body.failed, 0);
    assert.equal((await getJson(['deployment', 'web', '-n', 'shop-x'])).spec.replicas, 3);
  });

  it('gives a read-only user the cluster’s 403 on each object, and changes nothing', async () => {
    const r = await apply({ yaml: MANIFEST.replace('mode: "blue"', 'mode: "viewer"'), context: sim.contexts.viewer });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.results.map((x: any) => [x.action, x.error?.status]),
      [
        ['failed', 403],
        ['failed', 403],
        ['failed', 403],
      ],
    );
    assert.deepEqual([r.body.applied, r.body.failed], [0, 3]);
    assert.ok(r.body.results.every((x: any) => x.error.code === 'forbidden'));
    assert.equal((await getJson(['configmap', 'web-config', '-n', 'shop-x'])).data.mode, 'green');
  });

  it('applies List items into the requested namespace, and names an unknown kind on its object', async () => {
    const yaml = [
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: one}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: two}\n',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n',
    ].join('---\n');
    const r = await apply({ yaml, namespace: 'shop-x' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.results.map((x: any) => [x.doc, x.name, x.namespace, x.action]),
      [
        [1, 'one', 'shop-x', 'created'],
        [1, 'two', 'shop-x', 'created'],
        [2, 'w', undefined, 'failed'],
      ],
    );
    assert.match(r.body.results[2].error.message, /unknown kind "example\.com\/v1 Widget"/);
    await kubectlOk(sim, ['get', 'configmap', 'one', 'two', '-n', 'shop-x']);
  });

  it('applies a CustomResourceDefinition before its custom resources, reviewed first without the kind existing yet', async () => {
    const yaml = `apiVersion: example.com/v1
kind: Gadget
metadata:
  name: g1
  namespace: shop-x
spec:
  size: 3
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`;
    const review = await apply({ yaml, dryRun: true });
    assert.equal(review.status, 200, review.text);
    assert.deepEqual(
      review.body.results.map((x: any) => [x.kind, x.action]),
      [
        ['Gadget', 'created'],
        ['CustomResourceDefinition', 'created'],
      ],
    );
    assert.match(review.body.results[0].note, /defined by a CustomResourceDefinition in this manifest/);
    const r = await apply({ yaml });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.results.map((x: any) => [x.kind, x.action, x.error?.message]),
      [
        ['Gadget', 'created', undefined],
        ['CustomResourceDefinition', 'created', undefined],
      ],
    );
    assert.equal((await getJson(['gadgets.example.com', 'g1', '-n', 'shop-x'])).spec.size, 3);
  });

  it('answers 400 naming the document and line for YAML that does not parse or lacks identity', async () => {
    const bad = await apply({
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n',
    });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.error.code, 'badRequest');
    assert.match(bad.body.error.message, /^document 2 \(line \d+\) is not valid YAML/);
    const noName = await apply({
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: ConfigMap\ndata: {}\n',
    });
    assert.equal(noName.status, 400, noName.text);
    assert.match(noName.body.error.message, /^document 3 \(line 6\): the object has no metadata\.name/);
    // Nothing of a rejected manifest is applied.
    const cms = await kubectlOk(sim, ['get', 'configmaps', '-A', '-o', 'name']);
    assert.doesNotMatch(cms, /configmap\/(ok|a)$/m);
    const empty = await apply({ yaml: '' });
    assert.equal(empty.status, 400);
  });
});
