// The descriptor table, columns and CRD descriptors: kinds are data.
import assert from 'node:assert/strict';
import {
  BUILTIN_KINDS,
  DescriptorRegistry,
  descriptorFromCrd,
  humanAge,
  kindId,
  podStatus,
  resourcePath,
  rowOf,
  toKindDto,
  type KObject,
} from '../../src/core/kube/descriptors';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const pod = (over: Partial<KObject<any, any>> = {}): KObject<any, any> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', creationTimestamp: '2024-05-01T11:00:00Z' },
  spec: { nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }] },
  status: {
    phase: 'Running',
    podIP: '10.0.0.5',
    containerStatuses: [
      { name: 'a', ready: true, restartCount: 2, state: { running: {} } },
      { name: 'b', ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } },
    ],
  },
  ...over,
});

describe('engine descriptors', () => {
  it('covers every built-in kind the seed asks for, once', () => {
    const want = [
      'pods',
      'deployments.apps',
      'statefulsets.apps',
      'daemonsets.apps',
      'replicasets.apps',
      'jobs.batch',
      'cronjobs.batch',
      'services',
      'endpoints',
      'ingresses.networking.k8s.io',
      'networkpolicies.networking.k8s.io',
      'configmaps',
      'secrets',
      'persistentvolumes',
      'persistentvolumeclaims',
      'storageclasses.storage.k8s.io',
      'namespaces',
      'nodes',
      'events',
      'horizontalpodautoscalers.autoscaling',
      'poddisruptionbudgets.policy',
      'serviceaccounts',
      'roles.rbac.authorization.k8s.io',
      'clusterroles.rbac.authorization.k8s.io',
      'rolebindings.rbac.authorization.k8s.io',
      'clusterrolebindings.rbac.authorization.k8s.io',
      'customresourcedefinitions.apiextensions.k8s.io',
      'volumeattachments.storage.k8s.io',
    ];
    const ids = BUILTIN_KINDS.map(kindId);
    assert.deepEqual([...ids].sort(), [...want].sort());
  });

  it('gives actions as capabilities, not per-kind code', () => {
    const reg = new DescriptorRegistry();
    assert.ok(reg.resolve('pods')!.capabilities.includes('logs'));
    assert.ok(reg.resolve('pods')!.capabilities.includes('exec'));
    assert.ok(reg.resolve('Deployment')!.capabilities.includes('scale'));
    assert.ok(reg.resolve('deploy')!.capabilities.includes('rollback'));
    assert.ok(reg.resolve('nodes')!.capabilities.includes('drain'));
    assert.equal(reg.resolve('configmaps')!.capabilities.includes('scale'), false);
    assert.equal(reg.resolve('Role', 'rbac.authorization.k8s.io/v1')!.namespaced, true);
    assert.equal(reg.resolve('ClusterRole')!.namespaced, false);
  });

  it('builds URL paths from the four fields', () => {
    const reg = new DescriptorRegistry();
    assert.equal(resourcePath(reg.resolve('pods')!, 'shop', 'web-1', 'log'), '/api/v1/namespaces/shop/pods/web-1/log');
    assert.equal(resourcePath(reg.resolve('deployments')!, undefined), '/apis/apps/v1/deployments');
    assert.equal(resourcePath(reg.resolve('nodes')!, 'ignored', 'n1'), '/api/v1/nodes/n1');
  });

  it('renders pod rows like kubectl get pods', () => {
    const d = new DescriptorRegistry().resolve('pods')!;
    const row = rowOf(d, pod(), NOW);
    const cols = toKindDto(d).columns.map((c) => c.id);
    const byId = Object.fromEntries(cols.map((c, i) => [c, row[i]]));
    assert.deepEqual(byId, {
      namespace: 'shop',
      name: 'web-1',
      ready: '1/2',
      status: 'CrashLoopBackOff',
      restarts: 3,
      ip: '10.0.0.5',
      node: 'n1',
      age: '60m',
    });
    assert.equal(podStatus(pod({ metadata: { name: 'x', deletionTimestamp: '2024-01-01T00:00:00Z' } })), 'Terminating');
  });

  it('formats ages the way kubectl does', () => {
    const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
    assert.equal(humanAge(ago(5), NOW), '5s');
    assert.equal(humanAge(ago(150), NOW), '2m30s');
    assert.equal(humanAge(ago(3600 * 5 + 60 * 7), NOW), '5h7m');
    assert.equal(humanAge(ago(86400 * 3), NOW), '3d');
    assert.equal(humanAge(undefined, NOW), '<unknown>');
  });

  it('builds a descriptor from a CRD, with its printer columns', () => {
    const crd: KObject = {
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
        versions: [
          { name: 'v1alpha1', served: true, storage: false },
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { scale: {} },
            additionalPrinterColumns: [
              { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
              { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
            ],
          },
        ],
      },
    };
    const d = descriptorFromCrd(crd)!;
    assert.equal(d.version, 'v1');
    assert.equal(d.custom, true);
    assert.ok(d.capabilities.includes('scale'));
    const dto = toKindDto(d);
    assert.deepEqual(
      dto.columns.map((c) => c.label),
      ['Namespace', 'Name', 'Size', 'Color', 'Age'],
    );
    assert.equal(dto.columns.find((c) => c.label === 'Color')!.wide, true);
    const row = rowOf(
      d,
      { metadata: { name: 'w', namespace: 'a', creationTimestamp: new Date(NOW).toISOString() }, spec: { size: 3 } },
      NOW,
    );
    assert.deepEqual(row, ['a', 'w', 3, '<none>', '0s']);

    const reg = new DescriptorRegistry();
    assert.equal(reg.setCrds([crd]), true);
    assert.equal(reg.resolve('wd')!.kind, 'Widget');
    assert.equal(reg.setCrds([crd]), false);
    assert.equal(reg.setCrds([]), true);
    assert.equal(reg.resolve('wd'), undefined);
  });
});
