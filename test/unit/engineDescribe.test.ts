// describe text and kubeconfig loading: pure parts of the engine.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeObject } from '../../src/core/kube/describe';
import { DescriptorRegistry, type KObject } from '../../src/core/kube/descriptors';
import { execRequestFor, kubeconfigFiles, loadKubeconfigs } from '../../src/core/kube/kubeconfig';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const reg = new DescriptorRegistry();

describe('engine describe', () => {
  const pod: KObject = {
    metadata: {
      name: 'web-1',
      namespace: 'shop',
      uid: 'u1',
      labels: { app: 'web' },
      creationTimestamp: '2024-05-01T11:00:00Z',
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', uid: 'rs', controller: true }],
    },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    status: {
      phase: 'Running',
      podIP: '10.0.0.9',
      hostIP: '192.168.0.1',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 4, state: { running: { startedAt: '2024-05-01T11:00:05Z' } } },
      ],
    },
  };

  it('shows a pod like kubectl describe, with its events oldest first', () => {
    const events: KObject[] = [
      {
        metadata: { name: 'e2' },
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting',
        lastTimestamp: '2024-05-01T11:59:00Z',
        firstTimestamp: '2024-05-01T11:30:00Z',
        count: 4,
        source: { component: 'kubelet' },
      },
      {
        metadata: { name: 'e1' },
        type: 'Normal',
        reason: 'Scheduled',
        message: 'Successfully assigned shop/web-1 to n1',
        lastTimestamp: '2024-05-01T11:00:00Z',
        source: { component: 'default-scheduler' },
      },
    ];
    const text = describeObject(reg.resolve('pods')!, pod, { events }, NOW);
    const lines = text.split('\n');
    assert.match(text, /^Name:\s+web-1$/m);
    assert.match(text, /^Namespace:\s+shop$/m);
    assert.match(text, /^Labels:\s+app=web$/m);
    assert.match(text, /^Controlled By:\s+ReplicaSet\/web-abc$/m);
    assert.match(text, /^Node:\s+n1\/192\.168\.0\.1$/m);
    assert.match(text, /^Status:\s+Running$/m);
    assert.match(text, /^\s+Image:\s+nginx:1\.27$/m);
    assert.match(text, /^\s+Restart Count:\s+4$/m);
    const ev = lines.findIndex((l) => l === 'Events:');
    assert.ok(ev > 0);
    assert.match(lines[ev + 1], /Type\s+Reason\s+Age\s+From\s+Message/);
    assert.match(lines[ev + 3], /Normal\s+Scheduled\s+60m\s+default-scheduler\s+Successfully assigned/);
    assert.match(lines[ev + 4], /Warning\s+BackOff\s+60s \(x4 over 30m\)\s+kubelet\s+Back-off restarting/);
  });

  it('says Events: <none> when there are none, and prints a CRD spec as YAML', () => {
    const d = reg.resolve('configmaps')!;
    const text = describeObject(
      d,
      { metadata: { name: 'cfg', namespace: 'a' }, data: { 'app.conf': 'x=1' } },
      { events: [] },
      NOW,
    );
    assert.match(text, /^app\.conf:\n----\nx=1$/m);
    assert.match(text, /^Events:\s+<none>$/m);
    const sa = describeObject(
      reg.resolve('storageclasses')!,
      { metadata: { name: 'fast' }, spec: { size: 2 } },
      { events: [] },
      NOW,
    );
    assert.doesNotMatch(sa, /Namespace:/);
    assert.match(sa, /^Spec:\n {2}size: 2$/m);
  });

  it('lists pods on a node and its taints', () => {
    const node: KObject = {
      metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/worker': '' } },
      spec: { unschedulable: true, taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const text = describeObject(reg.resolve('nodes')!, node, { events: [], pods: [pod] }, NOW);
    assert.match(text, /^Roles:\s+worker$/m);
    assert.match(text, /^Taints:\s+gpu=yes:NoSchedule$/m);
    assert.match(text, /^Unschedulable:\s+true$/m);
    assert.match(text, /^Non-terminated Pods:\s+\(1 in total\)$/m);
    assert.match(text, /^\s+shop\s+web-1\s+60m$/m);
  });
});

describe('engine kubeconfig loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubegraf-kc-'));
  const file = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, body);
    return p;
  };
  const a = file(
    'a.yaml',
    `apiVersion: v1
kind: Config
current-context: one
clusters:
- name: c1
  cluster: {server: https://one.example:6443}
users:
- name: u1
  user: {token: t1}
contexts:
- name: one
  context: {cluster: c1, user: u1, namespace: shop}
`,
  );
  const b = file(
    'b.yaml',
    `apiVersion: v1
kind: Config
current-context: two
clusters:
- name: c1
  cluster: {server: https://shadowed.example}
- name: c2
  cluster: {server: https://two.example}
users:
- name: u2
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: aws
      args: [eks, get-token, --cluster-name, "my cluster"]
      env: [{name: AWS_PROFILE, value: prod}]
contexts:
- name: one
  context: {cluster: c2, user: u2}
- name: two
  context: {cluster: c2, user: u2}
`,
  );

  it('merges KUBECONFIG files the way kubectl does: first file wins', () => {
    assert.deepEqual(kubeconfigFiles({ KUBECONFIG: `${a}:${b}:${a}` }), [a, b]);
    assert.deepEqual(kubeconfigFiles({}, '/home/me'), ['/home/me/.kube/config']);
    const { config, problems } = loadKubeconfigs([a, b, join(dir, 'missing.yaml')]);
    assert.deepEqual(problems, []);
    assert.equal(config.getCurrentContext(), 'one');
    assert.deepEqual(
      config.getContexts().map((c) => c.name),
      ['one', 'two'],
    );
    assert.equal(config.getContextObject('one')!.namespace, 'shop');
    assert.equal(config.getCluster('c1')!.server, 'https://one.example:6443');
  });

  it('shows the exact exec plugin command a context would run', () => {
    const { config } = loadKubeconfigs([a, b]);
    assert.equal(execRequestFor(config, 'one'), undefined);
    const r = execRequestFor(config, 'two')!;
    assert.equal(r.command, 'aws');
    assert.equal(r.commandLine, `AWS_PROFILE=prod aws eks get-token --cluster-name 'my cluster'`);
  });
});
