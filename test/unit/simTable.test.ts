// The simulator's server-side printing, cell by cell, against what the API server's printers
// (pkg/printers/internalversion) write for the same objects.
import assert from 'node:assert/strict';
import { columnsFor, humanDuration } from '../../src/sim/table';
import type { KObj } from '../../src/sim/store';

type J = Record<string, any>;

const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: ago(30), ...extra });

function row(tk: string, o: J, minor = 33): Record<string, unknown> {
  const cols = columnsFor(tk, undefined, minor);
  return Object.fromEntries(cols.map((c) => [c.name, c.cell(o as KObj)]));
}
const names = (tk: string, minor = 33) =>
  columnsFor(tk, undefined, minor).map((c) => `${c.name}${c.priority ? '*' : ''}`);

const running = (name: string, ready = true, restarts = 0, extra: J = {}) => ({
  name,
  ready,
  restartCount: restarts,
  state: { running: { startedAt: ago(60) } },
  ...extra,
});

describe('sim printers', () => {
  it('formats ages as HumanDuration', () => {
    const s = 1000;
    assert.deepEqual(
      [5, 119, 125, 600, 3 * 3600 + 60, 7 * 3600 + 1800, 30 * 3600, 3 * 86400 + 7200, 400 * 86400, 3 * 365 * 86400].map(
        (x) => humanDuration(x * s),
      ),
      ['5s', '119s', '2m5s', '10m', '3h1m', '7h30m', '30h', '3d2h', '400d', '3y'],
    );
    assert.equal(humanDuration(-5000), '<invalid>');
  });

  it('pods: READY, STATUS and RESTARTS as printPod', () => {
    const pod = (status: J, spec: J = {}, m: J = {}) => ({
      metadata: meta('p', m),
      spec: { containers: [{ name: 'a' }, { name: 'b' }], ...spec },
      status,
    });
    const r1 = row(
      'pods',
      pod({
        phase: 'Running',
        containerStatuses: [
          running('a'),
          running('b', false, 3, {
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, finishedAt: ago(300) } },
          }),
        ],
      }),
    );
    assert.deepEqual([r1.Ready, r1.Status, r1.Restarts], ['1/2', 'CrashLoopBackOff', '3 (5m ago)']);

    const init = row(
      'pods',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i1', state: { running: {} } },
            { name: 'i2', state: { waiting: { reason: 'PodInitializing' } } },
          ],
        },
        { initContainers: [{ name: 'i1' }, { name: 'i2' }] },
      ),
    );
    assert.equal(init.Status, 'Init:0/2', 'the first unfinished init container decides');
    const initFail = row(
      'pods',
      pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 2 } } }] },
        { initContainers: [{ name: 'i1' }] },
      ),
    );
    assert.equal(initFail.Status, 'Init:ExitCode:2');

    const done = row(
      'pods',
      pod({
        phase: 'Succeeded',
        containerStatuses: ['a', 'b'].map((n) => ({
          name: n,
          state: { terminated: { exitCode: 0, reason: 'Completed' } },
        })),
      }),
    );
    assert.deepEqual([done.Ready, done.Status], ['0/2', 'Completed']);
    // A terminal pod being deleted keeps its status; a running one shows Terminating.
    assert.equal(row('pods', pod({ phase: 'Succeeded' }, {}, { deletionTimestamp: ago(0) })).Status, 'Succeeded');
    assert.equal(
      row(
        'pods',
        pod({ phase: 'Running', containerStatuses: [running('a'), running('b')] }, {}, { deletionTimestamp: ago(0) }),
      ).Status,
      'Terminating',
    );
    const gated = row(
      'pods',
      pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', reason: 'SchedulingGated' }] }),
    );
    assert.equal(gated.Status, 'SchedulingGated');
    const w = row(
      'pods',
      pod(
        { phase: 'Running', podIPs: [{ ip: '10.0.0.9' }], conditions: [{ type: 'www/ok', status: 'True' }] },
        { nodeName: 'n1', readinessGates: [{ conditionType: 'www/ok' }, { conditionType: 'www/no' }] },
      ),
    );
    assert.deepEqual([w.IP, w.Node, w['Nominated Node'], w['Readiness Gates']], ['10.0.0.9', 'n1', '<none>', '1/2']);
    assert.deepEqual(names('pods'), [
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP*',
      'Node*',
      'Nominated Node*',
      'Readiness Gates*',
    ]);
  });

  it('nodes: NotReady for every Ready status but True, SchedulingDisabled when cordoned, roles from labels', () => {
    const node = (status: string | undefined, unschedulable = false) => ({
      metadata: meta('n', { labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'gpu' } }),
      spec: { unschedulable },
      status: { conditions: status ? [{ type: 'Ready', status }] : [], nodeInfo: { kubeletVersion: 'v1.33.0' } },
    });
    assert.equal(row('nodes', node('True')).Status, 'Ready');
    assert.equal(row('nodes', node('Unknown')).Status, 'NotReady');
    assert.equal(row('nodes', node('False', true)).Status, 'NotReady,SchedulingDisabled');
    assert.equal(row('nodes', node('True', true)).Status, 'Ready,SchedulingDisabled');
    assert.equal(row('nodes', node(undefined)).Status, 'Unknown');
    const r = row('nodes', node('True'));
    assert.deepEqual([r.Roles, r['Internal-IP'], r['OS-Image']], ['control-plane,gpu', '<none>', '<unknown>']);
  });

  it('services: EXTERNAL-IP and PORT(S) by type', () => {
    const svc = (spec: J, status: J = {}) => row('services', { metadata: meta('s'), spec, status });
    const np = svc({
      type: 'NodePort',
      clusterIPs: ['10.96.0.7'],
      ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }],
    });
    assert.deepEqual(
      [np['Cluster-IP'], np['External-IP'], np['Port(s)'], np.Selector],
      ['10.96.0.7', '<none>', '80:30080/TCP', '<none>'],
    );
    assert.equal(svc({ type: 'LoadBalancer', ports: [] })['External-IP'], '<pending>');
    assert.equal(
      svc({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '5.6.7.8' }, { hostname: 'lb.example' }] } })[
        'External-IP'
      ],
      '5.6.7.8,lb.example',
    );
    assert.equal(svc({ type: 'ExternalName', externalName: 'db.example' })['External-IP'], 'db.example');
    assert.equal(svc({ type: 'ClusterIP', clusterIP: 'None' })['Port(s)'], '<none>');
  });

  it('jobs: STATUS (from 1.30) and COMPLETIONS', () => {
    assert.deepEqual(names('batch/jobs', 29), [
      'Name',
      'Completions',
      'Duration',
      'Age',
      'Containers*',
      'Images*',
      'Selector*',
    ]);
    assert.deepEqual(names('batch/jobs', 30).slice(0, 5), ['Name', 'Status', 'Completions', 'Duration', 'Age']);
    const job = (spec: J, status: J, m: J = {}) => row('batch/jobs', { metadata: meta('j', m), spec, status });
    const done = job(
      { completions: 3 },
      {
        succeeded: 3,
        startTime: ago(100),
        completionTime: ago(10),
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    );
    assert.deepEqual([done.Status, done.Completions, done.Duration], ['Complete', '3/3', '90s']);
    assert.equal(job({ parallelism: 4 }, { succeeded: 1 }).Completions, '1/1 of 4');
    assert.equal(job({}, { conditions: [{ type: 'Suspended', status: 'True' }] }).Status, 'Suspended');
    assert.equal(job({}, {}, { deletionTimestamp: ago(0) }).Status, 'Terminating');
    assert.equal(job({}, {}).Duration, '');
  });

  it('events: columns in the printer order, wide ones in between', () => {
    assert.deepEqual(names('events'), [
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Subobject*',
      'Source*',
      'Message',
      'First Seen*',
      'Count*',
      'Name*',
    ]);
    const e = row('events', {
      metadata: meta('e'),
      type: 'Warning',
      reason: 'BackOff',
      involvedObject: { kind: 'Pod', name: 'web' },
      source: { component: 'kubelet', host: 'node-1' },
      message: ' back-off \n',
      firstTimestamp: ago(600),
    });
    assert.deepEqual(
      [e['Last Seen'], e.Object, e.Source, e.Message, e.Count],
      ['10m', 'pod/web', 'kubelet, node-1', 'back-off', 1],
    );
  });

  it('kinds without a printer get Name and Created At; workloads print selectors like the server', () => {
    assert.deepEqual(names('rbac.authorization.k8s.io/roles'), ['Name', 'Created At']);
    assert.deepEqual(names('limitranges'), ['Name', 'Created At']);
    const created = row('rbac.authorization.k8s.io/clusterroles', {
      metadata: { name: 'r', creationTimestamp: '2024-01-02T03:04:05.000Z' },
    });
    assert.equal(created['Created At'], '2024-01-02T03:04:05Z');
    const ds = row('apps/daemonsets', {
      metadata: meta('d'),
      spec: {
        selector: {
          matchLabels: { app: 'd' },
          matchExpressions: [
            { key: 'zone', operator: 'Exists' },
            { key: 'tier', operator: 'In', values: ['b', 'a'] },
          ],
        },
        template: { spec: { nodeSelector: { z: '1', a: '2' }, containers: [{ name: 'c', image: 'i' }] } },
      },
    });
    assert.deepEqual([ds['Node Selector'], ds.Selector], ['a=2,z=1', 'app=d,tier in (a,b),zone']);
    assert.deepEqual(names('rbac.authorization.k8s.io/rolebindings'), [
      'Name',
      'Role',
      'Age',
      'Users*',
      'Groups*',
      'ServiceAccounts*',
    ]);
    const rb = row('rbac.authorization.k8s.io/rolebindings', {
      metadata: meta('b'),
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'User', name: 'ann' },
        { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' },
        { kind: 'User', name: 'bob' },
      ],
    });
    assert.deepEqual([rb.Users, rb.Groups, rb.ServiceAccounts], ['ann, bob', '', 'ns/sa']);
  });

  it('storage and ingress columns', () => {
    assert.deepEqual(names('persistentvolumeclaims', 28), [
      'Name',
      'Status',
      'Volume',
      'Capacity',
      'Access Modes',
      'StorageClass',
      'Age',
      'VolumeMode*',
    ]);
    const pending = row('persistentvolumeclaims', {
      metadata: meta('c'),
      spec: { storageClassName: 'std' },
      status: { phase: 'Pending' },
    });
    assert.deepEqual([pending.Capacity, pending['Access Modes'], pending.VolumeAttributesClass], ['', '', '<unset>']);
    const ing = row('networking.k8s.io/ingresses', {
      metadata: meta('i'),
      spec: { rules: [{ host: 'a' }, {}, { host: 'c' }, { host: 'd' }] },
      status: { loadBalancer: { ingress: [{ ip: '2.2.2.2' }, { ip: '1.1.1.1' }] } },
    });
    assert.deepEqual(
      [ing.Class, ing.Hosts, ing.Address, ing.Ports],
      ['<none>', 'a,c + 1 more...', '1.1.1.1,2.2.2.2', '80'],
    );
    const hpa = row('autoscaling/horizontalpodautoscalers', {
      metadata: meta('h'),
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        ],
      },
      status: {
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12 } } }],
      },
    });
    assert.deepEqual([hpa.Targets, hpa.MinPods, hpa.MaxPods], ['cpu: 12%/80%', '<unset>', 5]);
  });
});
