// The resource map over real HTTP against the simulated demo cluster: the keys the route always answered, what pods
// mount (a claim, a ConfigMap volume, a Secret in env, one that does not exist), where they run, pods grouped per
// owner and opened on request, one object's neighbourhood, and bad input refused.
import assert from 'node:assert/strict';
import { eventually } from '../helpers/sim';
import { api, startHarness, type Harness } from './serverHelpers';
import type { Graph } from '../../src/shared/routes/integrations';

const MANIFEST = `
apiVersion: v1
kind: ConfigMap
metadata: {name: shop-settings, namespace: shop}
data: {currency: EUR}
---
apiVersion: v1
kind: Pod
metadata: {name: settings-reader, namespace: shop, labels: {app: settings-reader}}
spec:
  containers:
    - name: app
      image: busybox:1.36
      env:
        - name: TOKEN
          valueFrom: {secretKeyRef: {name: shop-api-token, key: token}}
  volumes:
    - name: settings
      configMap: {name: shop-settings}
`;

describe('resource map route (demo cluster)', function () {
  this.timeout(90_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const map = async (q: string): Promise<Graph> => {
    const r = await A.get(`/api/resourcemap?${q}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };
  const has = (g: Graph, source: string, target: string, type: string) =>
    g.edges.some((e) => e.source === source && e.target === target && e.type === type);

  before(async () => {
    h = await startHarness();
    A = api(h);
  });
  after(async () => h?.close());

  it('draws mounts and placement with health, and the topology route stays without mounts', async () => {
    const applied = await A.post('/api/manifests/apply', { yaml: MANIFEST });
    assert.equal(applied.status, 200, applied.text);
    const g = await eventually(async () => {
      const m = await map('namespace=shop');
      return m.nodes.some((n) => n.id === 'Pod/shop/settings-reader') ? m : undefined;
    });
    assert.ok(Array.isArray(g.nodes) && Array.isArray(g.edges));
    assert.ok(has(g, 'Pod/shop/redis-0', 'PersistentVolumeClaim/shop/data-redis-0', 'mounts'));
    assert.ok(has(g, 'Pod/shop/settings-reader', 'ConfigMap/shop/shop-settings', 'mounts'));
    const missing = g.nodes.find((n) => n.id === 'Secret/shop/shop-api-token');
    assert.equal(missing?.health, 'danger');
    assert.equal(missing?.detail, 'not found');
    assert.equal(g.edges.find((e) => e.target === 'Secret/shop/shop-api-token')?.via, 'env');
    // Placement: every scheduled pod has a runsOn edge to a node of the map.
    const runsOn = g.edges.filter((e) => e.type === 'runsOn');
    assert.ok(runsOn.length >= 10);
    assert.ok(runsOn.every((e) => g.nodes.some((n) => n.id === e.target && n.kind === 'Node')));
    assert.equal(g.nodes.find((n) => n.id === 'Deployment/shop/frontend')?.health, 'ok');
    const topo = (await A.get('/api/topology?namespace=shop')).body as Graph;
    assert.equal(topo.edges.filter((e) => e.type === 'mounts').length, 0);
    assert.ok(has(topo, 'Ingress/shop/shop', 'Service/shop/frontend', 'routes'));
  });

  it('groups pods per owner, opens a group on request, and narrows to a neighbourhood', async () => {
    const g = await map('namespace=shop&group=1');
    const frontend = g.nodes.find((n) => n.kind === 'Group' && n.name.startsWith('frontend-'));
    assert.ok(frontend, 'the frontend pods are one group');
    assert.equal(frontend.group?.type, 'pods');
    assert.equal(frontend.group?.members, 3);
    assert.ok(g.edges.some((e) => e.source === 'Service/shop/frontend' && e.target === frontend.id && e.count === 3));
    assert.ok((g.total ?? 0) > g.nodes.length);
    const open = await map(`namespace=shop&group=1&expand=${encodeURIComponent(frontend.id)}`);
    assert.equal(open.nodes.filter((n) => n.kind === 'Pod' && n.name.startsWith('frontend-')).length, 3);
    // Every namespace with a low limit: namespaces first.
    const all = await map('group=1&limit=40');
    assert.ok(all.nodes.length <= 40);
    assert.ok(all.nodes.some((n) => n.id === 'group:namespace:shop' && n.group?.kinds.Pod));
    // The checkout Deployment's neighbourhood: its ReplicaSets and pods, their Service; not redis.
    const near = await map('focus=Deployment/shop/checkout&depth=1');
    assert.deepEqual(near.focus, { id: 'Deployment/shop/checkout', depth: 1, found: true });
    const ids = near.nodes.map((n) => n.id);
    assert.ok(ids.includes('Service/shop/checkout'));
    assert.ok(ids.some((i) => i.startsWith('ReplicaSet/shop/checkout-')));
    assert.ok(!ids.includes('StatefulSet/shop/redis'));
  });

  it('refuses a malformed focus and out-of-range depth with 400', async () => {
    for (const q of ['focus=nope', 'focus=Deployment/shop/checkout&depth=99', 'limit=1']) {
      const r = await A.get(`/api/resourcemap?${q}`);
      assert.equal(r.status, 400, q);
      assert.ok(r.body.error?.code && r.body.error?.message, q);
    }
  });
});
