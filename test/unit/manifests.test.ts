// Reading multi-document manifests the way kubectl apply -f does, without a cluster.
import assert from 'node:assert/strict';
import { applyOrder, parseManifests } from '../../src/core/kube/manifests';

describe('parseManifests', () => {
  it('skips empty and comment-only documents, expands Lists, and numbers documents and lines', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      '# only a comment\n',
      '',
      'apiVersion: v1\nkind: ConfigMapList\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n',
    ].join('---\n');
    const got = parseManifests(text).map((m) => [m.doc, m.line, m.obj.metadata.name]);
    assert.deepEqual(got, [
      [1, 1, 'a'],
      [4, 11, 'b'],
      [4, 14, 'c'],
    ]);
  });

  it('reads YAML 1.1 like kubectl: 0644 is octal, yes is true', () => {
    const [m] = parseManifests('apiVersion: v1\nkind: X\nmetadata: {name: a}\nspec: {mode: 0644, enabled: yes}\n');
    assert.deepEqual(m.obj.spec, { mode: 420, enabled: true });
  });

  it('fails with the document and line of a parse error or a missing field', () => {
    assert.throws(
      () => parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nb: [1, 2\nc: 3\n'),
      (e: Error & { code?: string }) =>
        e.code === 'badRequest' && /^document 2 \(line \d\) is not valid YAML/.test(e.message),
    );
    assert.throws(
      () =>
        parseManifests(
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: ConfigMap\nmetadata: {name: b}\n',
        ),
      /^KubeError: document 2 \(line 5\): the object has no apiVersion$/,
    );
    assert.throws(
      () => parseManifests('- 1\n- 2\n'),
      /document 1 \(line 1\): expected a Kubernetes object \(a YAML mapping\), got a list/,
    );
    assert.throws(
      () => parseManifests('apiVersion: v1\nkind: List\nitems:\n  - kind: ConfigMap\n'),
      /document 1 \(line 4\), item 1: the object has no apiVersion, metadata\.name/,
    );
  });

  it('orders namespaces and CRDs first, the rest as written', () => {
    const o = (kind: string, name: string, apiVersion = 'v1') => ({ obj: { apiVersion, kind, metadata: { name } } });
    const items = [
      o('Deployment', 'd', 'apps/v1'),
      o('ConfigMap', 'c'),
      o('CustomResourceDefinition', 'crd', 'apiextensions.k8s.io/v1'),
      o('Namespace', 'n'),
      o('Service', 's'),
    ];
    assert.deepEqual(
      applyOrder(items).map((x) => x.obj.metadata.name),
      ['n', 'crd', 'd', 'c', 's'],
    );
  });
});
