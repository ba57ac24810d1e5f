// The resource map as a pure function over objects: mounts (volumes, env, pull secrets, missing ones), node
// placement, health colours, pod groups per owner, namespace and kind groups past the limit, and the neighbourhood
// of one object.
import assert from 'node:assert/strict';
import type { KObject } from '../../src/core/kube/descriptors';
import { resourceGraph, type MapInput } from '../../src/core/analysis/resourceGraph';
import type { Graph } from '../../src/shared/routes/integrations';

let uid = 0;
const obj = (kind: string, ns: string | undefined, name: string, rest: Partial<KObject> = {}, owner?: KObject) => {
  const o: KObject = {
    kind,
    metadata: {
      name,
      uid: `u${++uid}`,
      ...(ns ? { namespace: ns } : {}),
      ...(owner
        ? { ownerReferences: [{ kind: owner.kind!, name: owner.metadata.name, uid: owner.metadata.uid! }] }
        : {}),
      ...(rest.metadata ?? {}),
    },
    ...(rest.spec ? { spec: rest.spec } : {}),
    ...(rest.status ? { status: rest.status } : {}),
  };
  return o;
};
const node = (name: string, ready = true) =>
  obj('Node', undefined, name, { status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
const runningPod = (
  ns: string,
  name: string,
  owner: KObject,
  nodeName: string,
  labels: Record<string, string>,
  spec = {},
) =>
  obj(
    'Pod',
    ns,
    name,
    {
      metadata: { name, labels },
      spec: { nodeName, containers: [{ name: 'app' }], ...spec },
      status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] },
    },
    owner,
  );
const crashingPod = (ns: string, name: string, owner: KObject, nodeName: string, labels: Record<string, string>) =>
  obj(
    'Pod',
    ns,
    name,
    {
      metadata: { name, labels },
      spec: { nodeName, containers: [{ name: 'app' }] },
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
    },
    owner,
  );

/** shop: web (Deployment → ReplicaSet → 3 pods, one crashing) behind a Service and an Ingress, with a ConfigMap
 * volume, a Secret in env, a missing ConfigMap; db (StatefulSet, 1 pod, a claim); an old ReplicaSet; two nodes. */
function shop(): MapInput {
  const n1 = node('node-1');
  const n2 = node('node-2', false);
  const web = obj('Deployment', 'shop', 'web', { spec: { replicas: 3 }, status: { readyReplicas: 2 } });
  const rs = obj('ReplicaSet', 'shop', 'web-abc', { spec: { replicas: 3 }, status: { readyReplicas: 2 } }, web);
  const oldRs = obj('ReplicaSet', 'shop', 'web-old', { spec: { replicas: 0 }, status: {} }, web);
  const uses = {
    volumes: [{ name: 'conf', configMap: { name: 'web-config' } }],
    containers: [
      {
        name: 'app',
        env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'pw' } } }],
        envFrom: [{ configMapRef: { name: 'gone' } }],
      },
    ],
  };
  const pods = [
    runningPod('shop', 'web-abc-1', rs, 'node-1', { app: 'web' }, uses),
    runningPod('shop', 'web-abc-2', rs, 'node-1', { app: 'web' }, uses),
    crashingPod('shop', 'web-abc-3', rs, 'node-2', { app: 'web' }),
  ];
  const db = obj('StatefulSet', 'shop', 'db', { spec: { replicas: 1 }, status: { readyReplicas: 1 } });
  pods.push(
    runningPod(
      'shop',
      'db-0',
      db,
      'node-1',
      { app: 'db' },
      { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data-db-0' } }] },
    ),
  );
  return {
    nodes: [n1, n2],
    pods,
    services: [
      obj('Service', 'shop', 'web', { spec: { type: 'ClusterIP', selector: { app: 'web' } } }),
      obj('Service', 'shop', 'nothing', { spec: { type: 'ClusterIP', selector: { app: 'none' } } }),
    ],
    ingresses: [
      obj('Ingress', 'shop', 'shop', {
        spec: { rules: [{ host: 'shop.example', http: { paths: [{ backend: { service: { name: 'web' } } }] } }] },
      }),
    ],
    owners: [
      { kind: 'Deployment', objects: [web] },
      { kind: 'ReplicaSet', objects: [rs, oldRs] },
      { kind: 'StatefulSet', objects: [db] },
    ],
    config: {
      configmaps: [obj('ConfigMap', 'shop', 'web-config', { metadata: { name: 'web-config' } })],
      secrets: [obj('Secret', 'shop', 'web-secret')],
      pvcs: [
        obj('PersistentVolumeClaim', 'shop', 'data-db-0', {
          status: { phase: 'Bound', capacity: { storage: '10Gi' } },
        }),
      ],
    },
  };
}

const byId = (g: Graph, id: string) => g.nodes.find((n) => n.id === id);
const edge = (g: Graph, source: string, target: string, type?: string) =>
  g.edges.find((e) => e.source === source && e.target === target && (!type || e.type === type));

describe('resource map (resourceGraph over objects)', () => {
  it('draws every relation: ingress, service, owners, placement and what pods mount, with health', () => {
    const g = resourceGraph(shop());
    assert.ok(edge(g, 'Ingress/shop/shop', 'Service/shop/web', 'routes'));
    assert.ok(edge(g, 'Service/shop/web', 'Pod/shop/web-abc-1', 'selects'));
    assert.ok(edge(g, 'Deployment/shop/web', 'ReplicaSet/shop/web-abc', 'owns'));
    assert.ok(edge(g, 'ReplicaSet/shop/web-abc', 'Pod/shop/web-abc-3', 'owns'));
    assert.ok(edge(g, 'StatefulSet/shop/db', 'Pod/shop/db-0', 'owns'));
    // Node placement.
    assert.ok(edge(g, 'Pod/shop/web-abc-1', 'Node/node-1', 'runsOn'));
    assert.ok(edge(g, 'Pod/shop/web-abc-3', 'Node/node-2', 'runsOn'));
    // Mounts: a ConfigMap volume, a Secret in env, a missing ConfigMap, a claim.
    assert.equal(edge(g, 'Pod/shop/web-abc-1', 'ConfigMap/shop/web-config', 'mounts')?.via, 'volume');
    assert.equal(edge(g, 'Pod/shop/web-abc-1', 'Secret/shop/web-secret', 'mounts')?.via, 'env');
    assert.equal(byId(g, 'ConfigMap/shop/gone')?.health, 'danger');
    assert.equal(byId(g, 'ConfigMap/shop/gone')?.detail, 'not found');
    assert.equal(byId(g, 'PersistentVolumeClaim/shop/data-db-0')?.detail, 'Bound, 10Gi');
    assert.ok(edge(g, 'Pod/shop/db-0', 'PersistentVolumeClaim/shop/data-db-0', 'mounts'));
    // Health: the crashing pod, the NotReady node, the partly ready deployment, the service that selects nothing.
    assert.equal(byId(g, 'Pod/shop/web-abc-3')?.health, 'danger');
    assert.equal(byId(g, 'Pod/shop/web-abc-1')?.health, 'ok');
    assert.equal(byId(g, 'Node/node-2')?.health, 'danger');
    assert.equal(byId(g, 'Deployment/shop/web')?.health, 'warn');
    assert.match(byId(g, 'Deployment/shop/web')?.detail ?? '', /2 of 3 ready, 1 old ReplicaSet/);
    assert.equal(byId(g, 'Service/shop/nothing')?.detail, 'selects no pods');
    assert.equal(byId(g, 'Service/shop/web')?.detail, '2 of 3 pods ready');
    // Old keys keep their meaning: a Service's status is its type.
    assert.equal(byId(g, 'Service/shop/web')?.status, 'ClusterIP');
  });

  it('without config (the topology route) draws no mounts', () => {
    const g = resourceGraph({ ...shop(), config: undefined });
    assert.equal(g.edges.filter((e) => e.type === 'mounts').length, 0);
    assert.ok(!g.nodes.some((n) => n.kind === 'ConfigMap'));
  });

  it('groups the pods of one owner into a node with counts, and opens it on request', () => {
    const g = resourceGraph(shop(), { group: true });
    const grp = byId(g, 'group:pods:ReplicaSet/shop/web-abc');
    assert.ok(grp, 'a group for the ReplicaSet’s pods');
    assert.equal(grp.kind, 'Group');
    assert.equal(grp.group?.members, 3);
    assert.deepEqual(grp.group?.health, { ok: 2, warn: 0, danger: 1, muted: 0 });
    assert.equal(grp.health, 'danger');
    assert.equal(grp.detail, '3 pods: 1 failing');
    assert.ok(!byId(g, 'Pod/shop/web-abc-1'));
    // Edges are merged onto the group with counts; a single pod (db-0) stays itself.
    assert.equal(edge(g, 'Service/shop/web', 'group:pods:ReplicaSet/shop/web-abc', 'selects')?.count, 3);
    assert.equal(edge(g, 'group:pods:ReplicaSet/shop/web-abc', 'Node/node-1', 'runsOn')?.count, 2);
    assert.equal(edge(g, 'group:pods:ReplicaSet/shop/web-abc', 'ConfigMap/shop/web-config', 'mounts')?.count, 2);
    assert.ok(byId(g, 'Pod/shop/db-0'));
    // The old ReplicaSet (no replicas, no pods) is left out of the grouped map.
    assert.ok(!byId(g, 'ReplicaSet/shop/web-old'));
    const open = resourceGraph(shop(), { group: true, expand: ['group:pods:ReplicaSet/shop/web-abc'] });
    assert.ok(byId(open, 'Pod/shop/web-abc-1'));
    assert.ok(!byId(open, 'group:pods:ReplicaSet/shop/web-abc'));
    assert.deepEqual(open.expanded, ['group:pods:ReplicaSet/shop/web-abc']);
  });

  it('past the limit collapses nodes, then namespaces; an opened namespace shows, its big kinds grouped', () => {
    const input = shop();
    // A second namespace with 60 single-pod deployments.
    for (let i = 0; i < 60; i++) {
      const d = obj('Deployment', 'batch', `job-${i}`, { spec: { replicas: 1 }, status: { readyReplicas: 1 } });
      input.owners[0].objects.push(d);
      input.pods.push(runningPod('batch', `job-${i}-x`, d, 'node-1', { app: `job-${i}` }));
    }
    const g = resourceGraph(input, { group: true, limit: 40 });
    assert.ok(g.nodes.length <= 40, `${g.nodes.length} nodes`);
    const ns = byId(g, 'group:namespace:batch');
    assert.equal(ns?.group?.members, 120);
    assert.deepEqual(ns?.group?.kinds, { Deployment: 60, Pod: 60 });
    assert.ok(byId(g, 'group:nodes:'));
    // pods, nodes, owners (4 + 60), services, the ingress, and the 4 objects pods use.
    assert.equal(g.total, input.pods.length + 2 + 64 + 2 + 1 + 4);
    const open = resourceGraph(input, { group: true, limit: 40, expand: ['group:namespace:batch'] });
    assert.ok(!byId(open, 'group:namespace:batch'));
    assert.ok(byId(open, 'group:namespace:shop'), 'the other namespace stays collapsed');
    // 120 objects of batch do not fit in 40: its kinds collapse, largest first.
    assert.ok(byId(open, 'group:kind:batch/Deployment') || byId(open, 'group:kind:batch/Pod'));
    assert.ok(open.nodes.length <= 40, `${open.nodes.length} nodes`);
  });

  it('focuses on one object: its owner chain, services, ingress, mounts and node, not the neighbours’ neighbours', () => {
    const g = resourceGraph(shop(), { focus: 'Deployment/shop/web', depth: 2 });
    assert.deepEqual(g.focus, { id: 'Deployment/shop/web', depth: 2, found: true });
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const id of [
      'ReplicaSet/shop/web-abc',
      'Pod/shop/web-abc-1',
      'Service/shop/web',
      'Ingress/shop/shop',
      'ConfigMap/shop/web-config',
      'Node/node-1',
    ])
      assert.ok(ids.has(id), id);
    // db-0 runs on node-1 too, but a node is not walked through.
    assert.ok(!ids.has('Pod/shop/db-0'));
    assert.ok(!ids.has('StatefulSet/shop/db'));
    const near = resourceGraph(shop(), { focus: 'Deployment/shop/web', depth: 1 });
    assert.ok(!near.nodes.some((n) => n.id === 'Ingress/shop/shop'), 'the ingress is two hops out');
    const missing = resourceGraph(shop(), { focus: 'Deployment/shop/nope' });
    assert.equal(missing.focus?.found, false);
    assert.equal(missing.nodes.length, 0);
  });
});
