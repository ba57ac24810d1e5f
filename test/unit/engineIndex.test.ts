// The cache's indexes: lookups by namespace, owner, node, label and involved object stay right through updates.
import assert from 'node:assert/strict';
import { ObjectIndex, matchesSelector } from '../../src/core/kube/objectIndex';
import type { KObject } from '../../src/core/kube/descriptors';

const pod = (
  name: string,
  ns: string,
  o: { node?: string; owner?: string; labels?: Record<string, string>; rv?: string } = {},
): KObject => ({
  metadata: {
    name,
    namespace: ns,
    uid: `uid-${ns}-${name}`,
    resourceVersion: o.rv ?? '1',
    labels: o.labels,
    ownerReferences: o.owner ? [{ kind: 'ReplicaSet', name: o.owner, uid: o.owner, controller: true }] : undefined,
  },
  spec: o.node ? { nodeName: o.node } : {},
});
const names = (l: KObject[]) => l.map((o) => o.metadata.name).sort();

describe('engine object index', () => {
  it('answers namespace, owner, node and label lookups', () => {
    const ix = new ObjectIndex();
    ix.upsert(pod('a', 'shop', { node: 'n1', owner: 'rs1', labels: { app: 'web', tier: 'fe' } }));
    ix.upsert(pod('b', 'shop', { node: 'n2', owner: 'rs1', labels: { app: 'web' } }));
    ix.upsert(pod('c', 'data', { node: 'n1', labels: { app: 'db' } }));
    assert.equal(ix.size, 3);
    assert.deepEqual(names(ix.inNamespace('shop')), ['a', 'b']);
    assert.deepEqual(names(ix.ownedBy('rs1')), ['a', 'b']);
    assert.deepEqual(names(ix.onNode('n1')), ['a', 'c']);
    assert.deepEqual(names(ix.matching({ matchLabels: { app: 'web' } })), ['a', 'b']);
    assert.deepEqual(names(ix.matching({ matchLabels: { app: 'web', tier: 'fe' } })), ['a']);
    assert.deepEqual(
      names(ix.matching({ matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'web'] }] }, 'data')),
      ['c'],
    );
    assert.equal(ix.getByUid('uid-data-c')!.metadata.name, 'c');
  });

  it('moves entries when an object changes and forgets deleted ones', () => {
    const ix = new ObjectIndex();
    ix.upsert(pod('a', 'shop', { node: 'n1', labels: { app: 'web' }, owner: 'rs1' }));
    const prev = ix.upsert(pod('a', 'shop', { node: 'n2', labels: { app: 'api' }, owner: 'rs2', rv: '2' }));
    assert.equal(prev!.metadata.resourceVersion, '1');
    assert.deepEqual(names(ix.onNode('n1')), []);
    assert.deepEqual(names(ix.onNode('n2')), ['a']);
    assert.deepEqual(names(ix.matching({ matchLabels: { app: 'web' } })), []);
    assert.deepEqual(names(ix.ownedBy('rs2')), ['a']);
    assert.deepEqual(names(ix.ownedBy('rs1')), []);
    ix.remove('shop', 'a');
    assert.equal(ix.size, 0);
    assert.deepEqual(ix.namespaces(), []);
    assert.deepEqual(names(ix.onNode('n2')), []);
    assert.equal(ix.getByUid('uid-shop-a'), undefined);
  });

  it('finds events by the involved object uid', () => {
    const ix = new ObjectIndex();
    ix.upsert({
      metadata: { name: 'e1', namespace: 'shop' },
      involvedObject: { uid: 'pod-1', kind: 'Pod', name: 'web' },
    });
    ix.upsert({
      metadata: { name: 'e2', namespace: 'shop' },
      involvedObject: { uid: 'pod-2', kind: 'Pod', name: 'api' },
    });
    assert.deepEqual(names(ix.involving('pod-1')), ['e1']);
    assert.deepEqual(ix.involving('nope'), []);
  });

  it('matches selectors with every operator', () => {
    const l = { app: 'web', env: 'prod' };
    assert.equal(matchesSelector(l, { matchLabels: { app: 'web' } }), true);
    assert.equal(matchesSelector(l, { matchLabels: { app: 'db' } }), false);
    assert.equal(matchesSelector(l, { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }), true);
    assert.equal(matchesSelector(l, { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }), false);
    assert.equal(matchesSelector(l, { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }), false);
    assert.equal(matchesSelector(undefined, {}), true);
  });
});
