// The Clusters tree's logic without VS Code: grouping kinds, status icons and descriptions, paging, filtering,
// and the debounce that turns bursts of watch batches into one redraw.
import assert from 'node:assert/strict';
import { BUILTIN_KINDS, kindId, type KObject, type KindDescriptor } from '../../src/core/kube/descriptors';
import {
  containerPresentation,
  containersOf,
  contextPresentation,
  groupOf,
  groupsFor,
  KeyedDebouncer,
  kindsOfGroup,
  objectPresentation,
  pageOf,
  pluralLabel,
  podIcon,
  helmReleasePresentation,
  helmRevisionPresentation,
} from '../../src/vscode/treeModel';

const kind = (id: string): KindDescriptor => BUILTIN_KINDS.find((k) => kindId(k) === id)!;

function pod(
  name: string,
  o: {
    phase?: string;
    waiting?: string;
    ready?: boolean;
    restarts?: number;
    containers?: string[];
    deleting?: boolean;
  } = {},
): KObject<any, any> {
  const containers = o.containers ?? ['app'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      creationTimestamp: '2024-01-01T00:00:00Z',
      labels: { app: 'x' },
      ...(o.deleting ? { deletionTimestamp: '2024-01-02T00:00:00Z' } : {}),
    },
    spec: { nodeName: 'worker-a', containers: containers.map((c) => ({ name: c, image: `img/${c}:1` })) },
    status: {
      phase: o.phase ?? 'Running',
      podIP: '10.0.0.7',
      containerStatuses: containers.map((c) => ({
        name: c,
        ready: o.ready ?? true,
        restartCount: o.restarts ?? 0,
        state: o.waiting ? { waiting: { reason: o.waiting } } : { running: { startedAt: '2024-01-01T00:00:00Z' } },
      })),
    },
  };
}

describe('vscode tree model', () => {
  it('puts kinds into the groups users know, CRDs under Custom Resources', () => {
    assert.equal(groupOf(kind('deployments.apps')), 'Workloads');
    assert.equal(groupOf(kind('services')), 'Networking');
    assert.equal(groupOf(kind('configmaps')), 'Config & Storage');
    assert.equal(groupOf(kind('roles.rbac.authorization.k8s.io')), 'Access Control');
    assert.equal(groupOf({ group: 'cert-manager.io', plural: 'certificates', custom: true }), 'Custom Resources');
  });

  it('lists namespaced kinds under a namespace and cluster-scoped kinds under Cluster, pods first', () => {
    const ns = groupsFor(BUILTIN_KINDS, true);
    assert.deepEqual(ns.slice(0, 4), ['Workloads', 'Networking', 'Config & Storage', 'Access Control']);
    const workloads = kindsOfGroup(BUILTIN_KINDS, 'Workloads', true).map(kindId);
    assert.equal(workloads[0], 'pods');
    assert.ok(workloads.includes('deployments.apps'));
    assert.ok(!workloads.includes('nodes'));
    const cluster = kindsOfGroup(BUILTIN_KINDS, 'Cluster', false).map(kindId);
    assert.ok(cluster.includes('nodes'));
    assert.ok(!cluster.includes('namespaces'), 'namespaces are the tree level itself, not a kind row');
  });

  it('shows pod status, readiness and restarts, with an icon for how healthy it is', () => {
    const ok = objectPresentation(kind('pods'), pod('web-1'));
    assert.equal(ok.description, 'Running · 1/1');
    assert.equal(ok.icon?.id, 'pass-filled');
    assert.match(ok.tooltip!, /Node: worker-a/);
    assert.match(ok.contextValue, /cap:exec/);
    assert.match(ok.contextValue, /cap:logs/);
    assert.doesNotMatch(ok.contextValue, /cap:scale/);

    const crash = objectPresentation(
      kind('pods'),
      pod('worker-1', { waiting: 'CrashLoopBackOff', ready: false, restarts: 6 }),
    );
    assert.equal(crash.description, 'CrashLoopBackOff · 0/1 · 6 restarts');
    assert.equal(crash.icon?.id, 'error');

    assert.equal(objectPresentation(kind('pods'), pod('old', { deleting: true })).icon?.id, 'trash');
    assert.equal(podIcon('Running', '1/2').id, 'warning');
    assert.equal(podIcon('Pending', '0/1').id, 'clock');
    assert.equal(podIcon('Completed', '0/1').id, 'check');
    assert.equal(podIcon('Init:ErrImagePull', '0/1').id, 'error');
    assert.equal(podIcon('Init:0/2', '0/1').id, 'clock');
  });

  it('shows workload readiness and offers scale/restart/rollback only where the kind can', () => {
    const dep: KObject = {
      metadata: { name: 'api', namespace: 'shop' },
      spec: { replicas: 3 },
      status: { readyReplicas: 2 },
    };
    const p = objectPresentation(kind('deployments.apps'), dep);
    assert.equal(p.description, '2/3 ready');
    assert.equal(p.icon?.id, 'warning');
    assert.match(p.contextValue, /cap:scale/);
    assert.match(p.contextValue, /cap:rollback/);
    const cm = objectPresentation(kind('configmaps'), { metadata: { name: 'c', namespace: 'shop' } });
    assert.doesNotMatch(cm.contextValue, /cap:scale|cap:logs/);
    assert.match(cm.contextValue, /cap:delete/);
    const node = objectPresentation(kind('nodes'), {
      metadata: { name: 'n1' },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    assert.equal(node.description, 'Ready,SchedulingDisabled');
    assert.match(node.contextValue, /cap:drain/);
  });

  it("lists a pod's containers with their state; init containers cannot be exec'd into", () => {
    const p = pod('web', { containers: ['app', 'sidecar'] });
    p.spec.initContainers = [{ name: 'migrate', image: 'm:1' }];
    p.status.initContainerStatuses = [
      { name: 'migrate', ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } },
    ];
    const cs = containersOf(p);
    assert.deepEqual(
      cs.map((c) => c.name),
      ['migrate', 'app', 'sidecar'],
    );
    const init = containerPresentation(cs[0]);
    assert.equal(init.description, 'init · terminated: Completed');
    assert.doesNotMatch(init.contextValue, /cap:exec/);
    assert.match(containerPresentation(cs[1]).contextValue, /cap:exec/);
  });

  it('says why a context is unreachable, and marks the current one', () => {
    const p = contextPresentation({
      name: 'prod',
      cluster: 'c',
      user: 'u',
      server: 'https://x',
      current: false,
      connection: { state: 'unreachable', since: '', reason: 'connect ECONNREFUSED 127.0.0.1:1', code: 'unreachable' },
    });
    assert.equal(p.description, 'unreachable: connect ECONNREFUSED 127.0.0.1:1');
    assert.match(p.contextValue, /state:unreachable/);
    const c = contextPresentation({
      name: 'dev',
      cluster: 'c',
      user: 'u',
      server: 'https://x',
      current: true,
      serverVersion: 'v1.32.0',
      nodeCount: 4,
      connection: { state: 'connected', since: '' },
    });
    assert.equal(c.description, 'current · v1.32.0 · 4 nodes');
    assert.equal(c.collapsible, 'expanded');
  });

  it('filters by name and pages long lists with a count of what is left', () => {
    const objs = Array.from(
      { length: 25 },
      (_, i) => ({ metadata: { name: `pod-${String(i).padStart(2, '0')}` } }) as KObject,
    );
    const first = pageOf(objs, undefined, 10);
    assert.equal(first.items.length, 10);
    assert.equal(first.remaining, 15);
    assert.equal(first.items[0].metadata.name, 'pod-00');
    const filtered = pageOf(objs, 'POD-1', 10);
    assert.deepEqual(
      filtered.items.map((o) => o.metadata.name),
      ['pod-10', 'pod-11', 'pod-12', 'pod-13', 'pod-14', 'pod-15', 'pod-16', 'pod-17', 'pod-18', 'pod-19'],
    );
    assert.equal(filtered.remaining, 0);
  });

  it('labels kinds in the plural', () => {
    assert.equal(pluralLabel('Pod'), 'Pods');
    assert.equal(pluralLabel('Ingress'), 'Ingresses');
    assert.equal(pluralLabel('NetworkPolicy'), 'NetworkPolicies');
    assert.equal(pluralLabel('Endpoints'), 'Endpoints');
  });

  it('turns a burst of changes to one node into one refresh', async () => {
    const fired: string[] = [];
    const d = new KeyedDebouncer<string>(
      () => 20,
      (k) => fired.push(k),
    );
    for (let i = 0; i < 50; i++) d.schedule('kind/a');
    d.schedule('kind/b');
    assert.equal(d.pending(), 2);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(fired.sort(), ['kind/a', 'kind/b']);
    d.dispose();
  });

  it('shows Helm releases with namespace, chart, revision and status, and rollback only on earlier revisions', () => {
    const r = helmReleasePresentation({
      name: 'shop',
      namespace: 'shop',
      revision: 3,
      status: 'deployed',
      chart: 'shop',
      chartVersion: '1.4.2',
      appVersion: '2.14.1',
      updated: '2026-01-01T00:00:00Z',
      description: 'Upgrade complete',
    });
    assert.equal(r.label, 'shop');
    assert.equal(r.description, 'shop · shop-1.4.2 · rev 3 · deployed');
    assert.equal(r.contextValue, 'kgHelmRelease status:deployed');
    assert.equal(r.icon?.id, 'pass-filled');
    const entry = {
      revision: 2,
      updated: '2026-01-01T00:00:00Z',
      status: 'superseded',
      chart: 'shop-1.4.1',
      app_version: '2.13.0',
      description: 'Upgrade complete',
    };
    assert.equal(helmRevisionPresentation(entry, false).contextValue, 'kgHelmRevision earlier');
    assert.equal(helmRevisionPresentation({ ...entry, status: 'failed' }, true).contextValue, 'kgHelmRevision current');
    assert.equal(helmRevisionPresentation({ ...entry, status: 'failed' }, true).icon?.id, 'error');
  });
});
