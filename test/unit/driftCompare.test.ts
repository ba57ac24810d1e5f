// The drift comparison on its own: only fields the declared object sets, quantities and scalars by value, keyed lists
// by their merge key (order does not matter, added and removed elements do), and the revert that sets them back.
import assert from 'node:assert/strict';
import { compareObjects, pathText, reverted } from '../../src/core/insights/drift';
import type { KObject } from '../../src/core/kube/descriptors';

const declared = (): KObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', labels: { app: 'api' }, annotations: { team: 'core' } },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: 'api' }, annotations: {} },
        spec: {
          containers: [
            {
              name: 'api',
              image: 'api:1',
              ports: [{ containerPort: 8080 }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              resources: { requests: { cpu: '0.5', memory: '1Gi' }, limits: { memory: '1.5Gi' } },
            },
          ],
          volumes: [],
        },
      },
    },
  }) as unknown as KObject;

/** What the server stores for it: defaults added, quantities canonical, lists reordered, bookkeeping. */
const stored = (): KObject => {
  const o = structuredClone(declared()) as any;
  o.metadata = { ...o.metadata, namespace: 'default', uid: 'u', resourceVersion: '7', generation: 3 };
  o.metadata.labels['app.kubernetes.io/managed-by'] = 'someone';
  o.spec.strategy = { type: 'RollingUpdate' };
  delete o.spec.template.spec.volumes;
  delete o.spec.template.metadata.annotations;
  const c = o.spec.template.spec.containers[0];
  c.imagePullPolicy = 'IfNotPresent';
  c.ports = [{ containerPort: 8080, protocol: 'TCP' }];
  c.env = [c.env[1], c.env[0]];
  c.resources = { requests: { cpu: '500m', memory: '1073741824' }, limits: { memory: '1536Mi' } };
  o.status = { replicas: 2 };
  return o;
};

const paths = (d: ReturnType<typeof compareObjects>) => d.map((x) => pathText(x.segs));

describe('drift comparison', () => {
  it('finds no drift on an untouched object: defaults, quantities, order and bookkeeping are not drift', () => {
    assert.deepEqual(paths(compareObjects(declared(), stored(), { extras: true })), []);
  });

  it('reports changed scalars, changed list elements by key, added and removed elements', () => {
    const live = stored() as any;
    live.spec.replicas = 5;
    const c = live.spec.template.spec.containers[0];
    c.image = 'api:2';
    c.env = [
      { name: 'A', value: '1' },
      { name: 'C', value: 'new' },
    ];
    c.resources.requests.cpu = '250m';
    live.metadata.annotations.team = 'edge';
    const d = compareObjects(declared(), live, { extras: true });
    assert.deepEqual(paths(d).sort(), [
      'metadata.annotations.team',
      'spec.replicas',
      'spec.template.spec.containers[name=api].env[name=B]',
      'spec.template.spec.containers[name=api].env[name=C]',
      'spec.template.spec.containers[name=api].image',
      'spec.template.spec.containers[name=api].resources.requests.cpu',
    ]);
    const b = d.find((x) => pathText(x.segs).endsWith('env[name=B]'))!;
    assert.deepEqual([b.desired, b.live], [{ name: 'B', value: '2' }, undefined]);
    const added = d.find((x) => pathText(x.segs).endsWith('env[name=C]'))!;
    assert.deepEqual([added.desired, added.live], [undefined, { name: 'C', value: 'new' }]);
    // Pods: elements admission added (sidecars) are not drift.
    assert.ok(!paths(compareObjects(declared(), live, { extras: false })).some((p) => p.endsWith('env[name=C]')));
  });

  it('ignores what it is told to (replicas of an autoscaled workload)', () => {
    const live = stored() as any;
    live.spec.replicas = 9;
    const ignore = (s: unknown[]) => s.length === 2 && s[0] === 'spec' && s[1] === 'replicas';
    assert.deepEqual(paths(compareObjects(declared(), live, { extras: true, ignore })), []);
  });

  it('reverts every drifted field on a copy of the live object, leaving the rest as the server has it', () => {
    const live = stored() as any;
    live.spec.replicas = 5;
    const c = live.spec.template.spec.containers[0];
    c.image = 'api:2';
    c.env = [
      { name: 'A', value: 'x' },
      { name: 'C', value: 'new' },
    ];
    const back = reverted(live, compareObjects(declared(), live, { extras: true })) as any;
    assert.equal(back.spec.replicas, 2);
    const bc = back.spec.template.spec.containers[0];
    assert.equal(bc.image, 'api:1');
    assert.deepEqual(
      bc.env.map((e: any) => `${e.name}=${e.value}`),
      ['A=1', 'B=2'],
    );
    assert.equal(bc.imagePullPolicy, 'IfNotPresent', 'defaults kept');
    assert.equal(back.metadata.resourceVersion, '7');
    assert.equal(live.spec.replicas, 5, 'the live object is not changed');
    assert.deepEqual(paths(compareObjects(declared(), back, { extras: true })), []);
  });
});
