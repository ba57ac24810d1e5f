// Drift against the demo cluster over real HTTP: a deployment applied with kubectl then scaled and edited by hand is
// reported field by field with the managers kubectl-scale and kubectl-edit; a Helm object edited by hand is reported
// against its release manifest; untouched applied and Helm objects are not; the namespace filter is the objects'
// namespace; a real `kubectl apply` + `kubectl scale` makes new drift appear; the Revert fix puts the declared state
// back; the diff route shows the declared manifest and the change.
import assert from 'node:assert/strict';
import { eventually, kubectlOk } from '../helpers/sim';
import { api, startHarness, type Harness } from './serverHelpers';
import { driftInsights } from '../../src/core/insights/drift';
import type { DriftObject, DriftReport } from '../../src/shared/drift';

describe('Drift insights: live vs kubectl apply, Helm and Argo CD, with who changed what', function () {
  this.timeout(120_000);
  let h: Harness;
  let A: ReturnType<typeof api>;

  const report = async (q = ''): Promise<DriftReport> => {
    const r = await A.get(`/api/drift/analysis${q}`);
    assert.equal(r.status, 200, r.text);
    return r.body as DriftReport;
  };
  const find = (r: DriftReport, kind: string, ns: string, name: string, source?: string) =>
    r.drifted.find((o) => o.kind === kind && o.namespace === ns && o.name === name && (!source || o.source === source));
  const field = (o: DriftObject | undefined, path: string) => o?.fields.find((f) => f.path === path);

  before(async () => {
    h = await startHarness();
    A = api(h);
  });
  after(async () => h?.close());

  it('reports the hand-scaled and hand-edited deployment against its last apply, with kubectl-scale and kubectl-edit', async () => {
    const r = await report();
    const d = find(r, 'Deployment', 'shop', 'product-search', 'lastApplied');
    assert.ok(d, JSON.stringify(r.drifted.map((o) => `${o.source} ${o.kind} ${o.namespace}/${o.name}`)));
    assert.equal(d.owner, 'kubectl apply');
    const replicas = field(d, 'spec.replicas');
    assert.deepEqual([replicas?.desired, replicas?.live, replicas?.manager], [1, 2, 'kubectl-scale']);
    assert.equal(replicas?.by, 'kubectl scale');
    assert.match(replicas!.operation!, /scale/);
    const image = field(d, 'spec.template.spec.containers[name=product-search].image');
    assert.deepEqual(
      [image?.desired, image?.live, image?.manager],
      ['ghcr.io/acme/product-search:1.4.0', 'ghcr.io/acme/product-search:1.4.1-hotfix', 'kubectl-edit'],
    );
    const env = field(d, 'spec.template.spec.containers[name=product-search].env[name=MODEL_VERSION].value');
    assert.deepEqual([env?.desired, env?.live, env?.manager], ['v3', 'v4', 'kubectl-edit']);
    assert.ok(Date.parse(image!.time!) > Date.parse(replicas!.time!), 'the edit came after the scale');
    // Only these three: defaults the server added (protocol, imagePullPolicy…) and quantities written as `0.1` or
    // `0.25Gi` are not drift.
    assert.deepEqual(d.fields.map((f) => f.path).sort(), [
      'spec.replicas',
      'spec.template.spec.containers[name=product-search].env[name=MODEL_VERSION].value',
      'spec.template.spec.containers[name=product-search].image',
    ]);
  });

  it('reports the hand-edited Helm object against its release manifest, and no untouched applied or Helm object', async () => {
    const r = await report();
    const cm = find(r, 'ConfigMap', 'shop', 'shop-settings', 'helmManifest');
    assert.ok(cm, 'shop-settings drifted from the shop release');
    assert.match(cm.owner, /Helm release shop\/shop \(revision 3/);
    const t = field(cm, 'data.checkoutTimeout');
    assert.deepEqual([t?.desired, t?.live, t?.manager], ['45s', '90s', 'kubectl-edit']);
    for (const [kind, ns, name] of [
      ['Service', 'shop', 'product-search'],
      ['ConfigMap', 'shop', 'product-search-config'],
      ['ConfigMap', 'shop', 'shop-feature-flags'],
      ['ConfigMap', 'shop', 'shop-orders-archive'],
    ])
      assert.equal(find(r, kind, ns, name), undefined, `${kind} ${ns}/${name} is untouched`);
    const tracked = (kind: string, ns: string, name: string) =>
      r.objects.find((o) => o.kind === kind && o.namespace === ns && o.name === name);
    assert.equal(tracked('Service', 'shop', 'product-search')?.inSync, true);
    assert.equal(tracked('ConfigMap', 'shop', 'shop-feature-flags')?.source, 'helmManifest');
    // The kube-prometheus-stack release is untouched: none of its objects drifted.
    assert.deepEqual(
      r.drifted.filter((o) => o.owner.includes('kube-prometheus-stack')).map((o) => o.name),
      [],
      'no false drift on an untouched Helm release',
    );
    assert.ok(r.objects.some((o) => o.owner.includes('kube-prometheus-stack') && o.inSync));
    // Keys the route always had, beside the richer ones.
    assert.equal(typeof r.total, 'number');
    assert.ok(r.total >= r.drifted.length + 4);
    assert.match(r.message, /of \d+ tracked object/);
  });

  it("reports Argo CD's hand-scaled resource against Git, filtered by the objects' namespace", async () => {
    const pay = await eventually(async () => {
      const r = await report('?namespace=payments');
      return find(r, 'Deployment', 'payments', 'payments-api', 'argocd')?.fields.length ? r : undefined;
    }, 30_000);
    const api1 = find(pay, 'Deployment', 'payments', 'payments-api', 'argocd')!;
    assert.ok(field(api1, 'spec.replicas'), JSON.stringify(api1.fields));
    assert.ok(pay.drifted.every((o) => o.namespace === 'payments'));
    assert.deepEqual(
      pay.apps.map((a) => a.name),
      ['payments'],
    );
    const shop = await report('?namespace=shop');
    assert.ok(find(shop, 'Deployment', 'shop', 'product-search'), 'namespace=shop has the drift of objects in shop');
    assert.ok(find(shop, 'ConfigMap', 'shop', 'shop-settings'));
    assert.ok(shop.drifted.every((o) => o.namespace === 'shop'));
    assert.ok(shop.objects.every((o) => o.namespace === 'shop'));
    const mon = await report('?namespace=monitoring');
    assert.equal(find(mon, 'Deployment', 'shop', 'product-search'), undefined);
    const bad = await A.get('/api/drift/analysis?namespace=Not_A_Namespace');
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.message);
  });

  it('the diff route shows the declared manifest, the live object and the change; bad input is a 4xx', async () => {
    const r = await A.get('/api/drift/diff?kind=Deployment&namespace=shop&name=product-search&source=lastApplied');
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.desired, /image: ghcr\.io\/acme\/product-search:1\.4\.0/);
    assert.match(r.body.live, /image: ghcr\.io\/acme\/product-search:1\.4\.1-hotfix/);
    assert.match(r.body.diff, /^-\s+image: ghcr\.io\/acme\/product-search:1\.4\.1-hotfix$/m);
    assert.match(r.body.diff, /^\+\s+image: ghcr\.io\/acme\/product-search:1\.4\.0$/m);
    assert.match(r.body.diff, /^\+\s+replicas: 1$/m);
    assert.ok(!r.body.live.includes('last-applied-configuration'));
    const helm = await A.get('/api/drift/diff?kind=ConfigMap&namespace=shop&name=shop-settings&source=helmManifest');
    assert.equal(helm.status, 200, helm.text);
    assert.match(helm.body.diff, /^\+\s+checkoutTimeout: 45s$/m);
    const untracked = await A.get('/api/drift/diff?kind=Deployment&namespace=shop&name=cart&source=lastApplied');
    assert.equal(untracked.status, 404);
    assert.match(untracked.body.error.message, /not tracked by kubectl apply/);
    const badSource = await A.get('/api/drift/diff?kind=Deployment&namespace=shop&name=cart&source=git');
    assert.equal(badSource.status, 400);
  });

  it('a real kubectl apply then kubectl scale makes drift appear, attributed to kubectl scale', async () => {
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'drift-probe', namespace: 'data' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'drift-probe' } },
        template: {
          metadata: { labels: { app: 'drift-probe' } },
          spec: {
            containers: [
              { name: 'probe', image: 'nginx:1.27', resources: { requests: { cpu: '50m', memory: '32Mi' } } },
            ],
          },
        },
      },
    };
    await kubectlOk(h.sim, ['apply', '-f', '-'], { stdin: JSON.stringify(manifest) });
    const applied = await eventually(async () =>
      (await report('?namespace=data')).objects.find((o) => o.name === 'drift-probe'),
    );
    assert.equal(applied.inSync, true, 'just applied: in sync');
    await kubectlOk(h.sim, ['scale', 'deployment', 'drift-probe', '-n', 'data', '--replicas=3']);
    const d = await eventually(async () => find(await report('?namespace=data'), 'Deployment', 'data', 'drift-probe'));
    // kubectl 1.32 sends no fieldManager for scale: the server names it after the User-Agent, through the subresource.
    assert.deepEqual(
      d.fields.map((f) => [f.path, f.desired, f.live, f.manager, f.operation, f.by]),
      [['spec.replicas', 1, 3, 'kubectl', 'Update (scale)', 'kubectl scale']],
    );
  });

  it('findings carry a Revert fix whose object is the live one with the drifted fields set back', async () => {
    const deps = h.app.deps;
    const findings = await driftInsights.findings(deps, deps.kube.currentContext(), 'shop');
    const f = findings.find((x) => x.target.name === 'product-search' && x.check === 'lastApplied');
    assert.ok(f, JSON.stringify(findings.map((x) => x.id)));
    assert.equal(f.id, 'drift:lastApplied:Deployment:shop/product-search');
    assert.equal(f.fix?.description, 'Revert to the applied state');
    assert.equal(f.severity, 'high', 'an image changed by hand');
    assert.ok(!findings.some((x) => x.target.name === 'product-search-config'));
    const live = await deps.kube.actions(deps.kube.currentContext()).get('deployments.apps', 'shop', 'product-search');
    const fixed = (await driftInsights.fixObject!(f, live, deps, deps.kube.currentContext())) as any;
    assert.equal(fixed.spec.replicas, 1);
    assert.equal(fixed.spec.template.spec.containers[0].image, 'ghcr.io/acme/product-search:1.4.0');
    assert.equal(fixed.spec.template.spec.containers[0].env.find((e: any) => e.name === 'MODEL_VERSION').value, 'v3');
    assert.equal(fixed.metadata.resourceVersion, live.metadata.resourceVersion, 'a changed copy of the live object');
    const all = await driftInsights.findings(deps, deps.kube.currentContext());
    const scores = driftInsights.scores(all, ['shop', 'monitoring']);
    assert.ok(scores.namespaces.shop < 100 && scores.namespaces.shop > 0, JSON.stringify(scores));
    assert.equal(scores.namespaces.monitoring, 100);
  });

  it('Revert goes through the shared fix path: previewed by a dry run, applied, and the drift is gone', async () => {
    const listed = await A.get('/api/insights/findings?source=drift&namespace=shop');
    assert.equal(listed.status, 200, listed.text);
    const id = 'drift:helmManifest:ConfigMap:shop/shop-settings';
    assert.ok(
      listed.body.findings.some((f: any) => f.id === id),
      listed.text,
    );
    const pv = await A.post('/api/insights/fix-preview', { findingId: id });
    assert.equal(pv.status, 200, pv.text);
    assert.equal(pv.body.validated, true, pv.text);
    assert.match(pv.body.diff, /^-\s+checkoutTimeout: 90s$/m);
    assert.match(pv.body.diff, /^\+\s+checkoutTimeout: 45s$/m);
    const ex = await A.post('/api/insights/fix-apply', { findingId: id, confirm: true });
    assert.equal(ex.status, 200, ex.text);
    await eventually(async () => !find(await report('?namespace=shop'), 'ConfigMap', 'shop', 'shop-settings'));
    const cm = JSON.parse(await kubectlOk(h.sim, ['get', 'configmap', 'shop-settings', '-n', 'shop', '-o', 'json']));
    assert.equal(cm.data.checkoutTimeout, '45s');
    const after = await report('?namespace=shop');
    assert.equal(after.objects.find((o) => o.name === 'shop-settings')?.inSync, true, 'still tracked, now in sync');
  });
});
