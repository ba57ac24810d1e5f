import assert from 'node:assert/strict';
import { applyPatch, goJsonError } from '../../src/sim/patch';
import { BUILTIN_TYPES } from '../../src/sim/kinds';
import type { ResourceType } from '../../src/sim/kinds';
import type { KObj } from '../../src/sim/store';
import { StatusError } from '../../src/sim/status';

const rt = (resource: string) => BUILTIN_TYPES.find((t) => t.resource === resource)!;
const DEPLOY = rt('deployments');
const widgets: ResourceType = {
  group: 'example.com',
  version: 'v1',
  resource: 'widgets',
  kind: 'Widget',
  singular: 'widget',
  namespaced: true,
  verbs: ['get', 'patch'],
};

const SMP = 'application/strategic-merge-patch+json';
const MERGE = 'application/merge-patch+json';
const JSONP = 'application/json-patch+json';
const APPLY = 'application/apply-patch+yaml';

const b = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

function deployment(): KObj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '10', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'c', image: 'nginx', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
            { name: 'side', image: 'busybox' },
          ],
          volumes: [{ name: 'v1', emptyDir: {} }],
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
    },
    status: { replicas: 1 },
  };
}

/** The thrown StatusError, so tests can assert code, reason and message. */
function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${e}`);
    return e;
  }
  assert.fail('expected a StatusError');
}

const noDirectives = (o: unknown) =>
  assert.doesNotMatch(JSON.stringify(o), /\$(patch|setElementOrder|retainKeys|deleteFromPrimitiveList)/);

describe('sim patch: strategic merge', () => {
  it('applies kubectl client-side apply patches with $setElementOrder and never stores the directive', () => {
    const lastApplied =
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.27","name":"c"}]}}}}\n';
    const body = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
      spec: {
        replicas: 2,
        template: {
          spec: { '$setElementOrder/containers': [{ name: 'c' }], containers: [{ image: 'nginx:1.27', name: 'c' }] },
        },
      },
    };
    const out = applyPatch(deployment(), b(body), SMP, DEPLOY);
    assert.equal(out.spec.replicas, 2);
    assert.equal(out.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'], lastApplied);
    const [c, side] = out.spec.template.spec.containers;
    assert.deepEqual(c, {
      name: 'c',
      image: 'nginx:1.27',
      env: [{ name: 'A', value: '1' }],
      ports: [{ containerPort: 80 }],
    });
    assert.equal(side.name, 'side', 'containers the patch does not name stay');
    noDirectives(out);
  });

  it('sets an image exactly as kubectl set image sends it', () => {
    const out = applyPatch(
      deployment(),
      b(
        '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"}],"containers":[{"image":"nginx:2","name":"c"}]}}}}',
      ),
      SMP,
      DEPLOY,
    );
    assert.deepEqual(
      out.spec.template.spec.containers.map((c: { image: string }) => c.image),
      ['nginx:2', 'busybox'],
    );
    noDirectives(out);
  });

  it('adds the rollout restart annotation and cordons a node', () => {
    const out = applyPatch(
      deployment(),
      b(
        '{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-25T11:42:22Z"}}}}}',
      ),
      SMP,
      DEPLOY,
    );
    assert.deepEqual(out.spec.template.metadata, {
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T11:42:22Z' },
    });
    const node: KObj = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} };
    assert.equal(applyPatch(node, b('{"spec":{"unschedulable":true}}'), SMP, rt('nodes')).spec.unschedulable, true);
    assert.equal(
      applyPatch(node, b('{"spec":{"unschedulable":null}}'), SMP, rt('nodes')).spec.unschedulable,
      undefined,
    );
  });

  it('merges env by name, ports by containerPort, and deletes with $patch: delete', () => {
    const body = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'c',
                env: [
                  { name: 'B', value: '2' },
                  { name: 'A', value: '9' },
                ],
                ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }],
              },
              { name: 'side', $patch: 'delete' },
            ],
          },
        },
      },
    };
    const out = applyPatch(deployment(), b(body), SMP, DEPLOY);
    const cs = out.spec.template.spec.containers;
    assert.equal(cs.length, 1);
    assert.deepEqual(cs[0].env, [
      { name: 'A', value: '9' },
      { name: 'B', value: '2' },
    ]);
    assert.deepEqual(cs[0].ports, [{ containerPort: 80, name: 'http' }, { containerPort: 443 }]);
  });

  it('merges service ports by port and finalizers as a set, replaces atomic lists', () => {
    const svc: KObj = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', finalizers: ['a'] },
      spec: { ports: [{ port: 80, targetPort: 8080 }], externalIPs: ['1.1.1.1'] },
    };
    const out = applyPatch(
      svc,
      b({
        metadata: { finalizers: ['b', 'a'] },
        spec: { ports: [{ port: 80, name: 'web' }, { port: 81 }], externalIPs: ['2.2.2.2'] },
      }),
      SMP,
      rt('services'),
    );
    assert.deepEqual(out.spec.ports, [{ port: 80, targetPort: 8080, name: 'web' }, { port: 81 }]);
    assert.deepEqual(out.metadata.finalizers, ['a', 'b']);
    assert.deepEqual(out.spec.externalIPs, ['2.2.2.2']);
    const tolerations = applyPatch(
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { tolerations: [{ key: 'a' }] } },
      b({ spec: { tolerations: [{ key: 'b' }] } }),
      SMP,
      rt('pods'),
    );
    assert.deepEqual(tolerations.spec.tolerations, [{ key: 'b' }], 'tolerations have no merge key: replaced');
  });

  it('honours $patch: replace, $retainKeys, $deleteFromPrimitiveList and $setElementOrder ordering', () => {
    const replaced = applyPatch(
      deployment(),
      b({ spec: { strategy: { $patch: 'replace', type: 'Recreate' } } }),
      SMP,
      DEPLOY,
    );
    assert.deepEqual(replaced.spec.strategy, { type: 'Recreate' });

    const retained = applyPatch(
      deployment(),
      b({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }),
      SMP,
      DEPLOY,
    );
    assert.deepEqual(retained.spec.strategy, { type: 'Recreate' });

    const list = applyPatch(
      deployment(),
      b({ spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } }),
      SMP,
      DEPLOY,
    );
    assert.deepEqual(list.spec.template.spec.containers, [{ name: 'only', image: 'x' }]);

    const withFin = { ...deployment(), metadata: { ...deployment().metadata, finalizers: ['a', 'b', 'c'] } };
    const fin = applyPatch(withFin, b({ metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }), SMP, DEPLOY);
    assert.deepEqual(fin.metadata.finalizers, ['a', 'c']);

    const ordered = applyPatch(
      deployment(),
      b({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'c' }] } } } }),
      SMP,
      DEPLOY,
    );
    assert.deepEqual(
      ordered.spec.template.spec.containers.map((c: { name: string }) => c.name),
      ['side', 'c'],
    );
    for (const o of [replaced, retained, list, fin, ordered]) noDirectives(o);
  });

  it('strips directives from subtrees the live object did not have', () => {
    const d = deployment();
    delete d.spec.template.spec.volumes;
    const out = applyPatch(
      d,
      b({
        spec: {
          template: {
            spec: {
              '$setElementOrder/volumes': [{ name: 'x' }],
              volumes: [{ name: 'x', $retainKeys: ['name'], emptyDir: {} }],
            },
          },
        },
      }),
      SMP,
      DEPLOY,
    );
    assert.deepEqual(out.spec.template.spec.volumes, [{ name: 'x', emptyDir: {} }]);
    noDirectives(out);
  });

  it('does not modify the object it was given', () => {
    const d = deployment();
    const before = JSON.stringify(d);
    applyPatch(
      d,
      b({ spec: { replicas: 5, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } }),
      SMP,
      DEPLOY,
    );
    assert.equal(JSON.stringify(d), before);
  });

  it('rejects strategic merge for custom resources with 415, as the server has no patch metadata for them', () => {
    const cr: KObj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} };
    const e = statusOf(() => applyPatch(cr, b({ spec: { a: 1 } }), SMP, widgets));
    assert.equal(e.code, 415);
    assert.equal(e.reason, 'UnsupportedMediaType');
    assert.match(
      e.message,
      /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml$/,
    );
    assert.equal(applyPatch(cr, b({ spec: { a: 1 } }), MERGE, widgets).spec.a, 1);
  });

  it('answers malformed JSON with 400 and Go-style messages', () => {
    const e = statusOf(() => applyPatch(deployment(), b('{"spec":'), SMP, DEPLOY));
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    assert.equal(e.message, 'unexpected end of JSON input');
    assert.equal(
      statusOf(() => applyPatch(deployment(), b('{bad}'), SMP, DEPLOY)).message,
      "invalid character 'b' looking for beginning of object key string",
    );
    assert.equal(
      statusOf(() => applyPatch(deployment(), b('[1]'), SMP, DEPLOY)).message,
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
    const merge = statusOf(() => applyPatch(deployment(), b('{"a":tru}'), MERGE, DEPLOY));
    assert.equal(merge.code, 400);
    assert.equal(merge.message, "error decoding patch: invalid character '}' in literal true (expecting 'e')");
  });

  it('reports a list element without its merge key as the server does', () => {
    const e = statusOf(() =>
      applyPatch(deployment(), b({ spec: { template: { spec: { containers: [{ image: 'x' }] } } } }), SMP, DEPLOY),
    );
    assert.equal(e.code, 500);
    assert.match(e.message, /does not contain declared merge key: name/);
  });
});

describe('sim patch: merge patch and JSON patch', () => {
  it('applies label and annotate merge patches, null deletes', () => {
    const out = applyPatch(
      deployment(),
      b('{"metadata":{"annotations":{"a":"b"},"labels":{"app":null,"x":"y"}}}'),
      MERGE,
      DEPLOY,
    );
    assert.deepEqual(out.metadata.annotations, { a: 'b' });
    assert.deepEqual(out.metadata.labels, { x: 'y' });
    const lists = applyPatch(
      deployment(),
      b({ spec: { template: { spec: { containers: [{ name: 'z', image: 'z' }] } } } }),
      MERGE,
      DEPLOY,
    );
    assert.deepEqual(
      lists.spec.template.spec.containers,
      [{ name: 'z', image: 'z' }],
      'merge patch replaces lists whole',
    );
  });

  it('accepts content types with parameters', () => {
    assert.equal(
      applyPatch(deployment(), b('{"spec":{"replicas":4}}'), 'application/merge-patch+json; charset=utf-8', DEPLOY).spec
        .replicas,
      4,
    );
  });

  it('applies RFC 6902 operations', () => {
    const ops = [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
    ];
    const out = applyPatch(deployment(), b(ops), JSONP, DEPLOY);
    assert.equal(out.spec.replicas, 3);
    assert.equal(out.metadata.labels!.tier, 'front');
    assert.equal(out.spec.template.spec.containers.length, 1);
  });

  it('rejects a JSON patch that is not an array with 400', () => {
    const e = statusOf(() => applyPatch(deployment(), b('{"op":"add"}'), JSONP, DEPLOY));
    assert.equal(e.code, 400);
    assert.equal(e.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    assert.equal(
      statusOf(() => applyPatch(deployment(), b('[1]'), JSONP, DEPLOY)).message,
      'json: cannot unmarshal number into Go value of type jsonpatch.Operation',
    );
    assert.equal(statusOf(() => applyPatch(deployment(), b('[{"op":'), JSONP, DEPLOY)).code, 400);
  });

  it('answers failing operations with 422 Invalid and the cause', () => {
    const e = statusOf(() =>
      applyPatch(deployment(), b([{ op: 'test', path: '/spec/replicas', value: 7 }]), JSONP, DEPLOY),
    );
    assert.equal(e.code, 422);
    assert.equal(e.reason, 'Invalid');
    assert.equal(e.message, 'the server rejected our request due to an error in our request');
    assert.deepEqual(e.toStatus().details, {}, 'like the server: no causes, so kubectl prints the generic message');
    assert.equal(e.cause, 'testing value /spec/replicas failed: test failed');
    const missing = statusOf(() =>
      applyPatch(deployment(), b([{ op: 'replace', path: '/spec/nope/x', value: 1 }]), JSONP, DEPLOY),
    );
    assert.equal(missing.code, 422);
    assert.equal(
      statusOf(() => applyPatch(deployment(), b([{ op: 'jump', path: '/a' }]), JSONP, DEPLOY)).cause,
      'Unexpected kind: jump',
    );
  });

  it('answers unknown content types with 415 listing the patch types', () => {
    const e = statusOf(() => applyPatch(deployment(), b('{}'), 'text/plain', DEPLOY));
    assert.equal(e.code, 415);
    assert.equal(e.reason, 'UnsupportedMediaType');
    assert.match(e.message, /strategic-merge-patch\+json/);
  });

  it('needs an existing object for every patch type but apply', () => {
    assert.equal(statusOf(() => applyPatch(undefined, b('{}'), MERGE, DEPLOY)).code, 404);
  });
});

describe('sim patch: server-side apply', () => {
  const applied = (image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
${extra}spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: ${image}
`;

  it('creates from YAML when the object is missing, recording the manager', () => {
    const out = applyPatch(undefined, b(applied('nginx:1.27')), APPLY, DEPLOY, {
      fieldManager: 'kubectl',
      now: '2026-01-01T00:00:00Z',
    });
    assert.equal(out.kind, 'Deployment');
    assert.equal(out.spec.template.spec.containers[0].image, 'nginx:1.27');
    const [mf] = out.metadata.managedFields as Array<Record<string, unknown>>;
    assert.equal(mf.manager, 'kubectl');
    assert.equal(mf.operation, 'Apply');
    assert.equal(mf.time, '2026-01-01T00:00:00Z');
    assert.deepEqual(
      (mf.fieldsV1 as Record<string, Record<string, Record<string, unknown>>>)['f:spec']['f:replicas'],
      {},
    );
  });

  it('accepts the JSON body kubectl sends and merges it into the live object by merge key', () => {
    const body =
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.27","name":"c"}]}}}}\n';
    const out = applyPatch(deployment(), b(body), APPLY, DEPLOY, { fieldManager: 'kubectl' });
    assert.equal(out.spec.replicas, 2);
    assert.equal(out.metadata.uid, 'u1');
    assert.deepEqual(
      out.spec.template.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`),
      ['c=nginx:1.27', 'side=busybox'],
    );
    assert.deepEqual(
      out.spec.template.spec.containers[0].env,
      [{ name: 'A', value: '1' }],
      'fields the applier does not mention stay',
    );
  });

  it('removes what the same manager applied before and applies no longer', () => {
    const first = applyPatch(undefined, b(applied('a', '  labels: {keep: "1", drop: "1"}\n')), APPLY, DEPLOY, {
      fieldManager: 'kubectl',
    });
    const second = applyPatch(first, b(applied('b', '  labels: {keep: "1"}\n')), APPLY, DEPLOY, {
      fieldManager: 'kubectl',
    });
    assert.deepEqual(second.metadata.labels, { keep: '1' });
    assert.equal(second.spec.template.spec.containers[0].image, 'b');
    assert.equal((second.metadata.managedFields as unknown[]).length, 1);
  });

  it('conflicts when another applier owns a field with a different value, unless forced', () => {
    const first = applyPatch(undefined, b(applied('a')), APPLY, DEPLOY, { fieldManager: 'alice' });
    const e = statusOf(() => applyPatch(first, b(applied('b')), APPLY, DEPLOY, { fieldManager: 'bob' }));
    assert.equal(e.code, 409);
    assert.equal(e.reason, 'Conflict');
    assert.equal(
      e.message,
      'Apply failed with 1 conflict: conflict with "alice" using apps/v1: .spec.template.spec.containers[name="c"].image',
    );
    assert.equal(e.details?.causes?.[0].reason, 'FieldManagerConflict');
    const same = applyPatch(first, b(applied('a')), APPLY, DEPLOY, { fieldManager: 'bob' });
    assert.equal((same.metadata.managedFields as unknown[]).length, 2, 'agreeing on a value shares it');
    const forced = applyPatch(first, b(applied('b')), APPLY, DEPLOY, { fieldManager: 'bob', force: true });
    assert.equal(forced.spec.template.spec.containers[0].image, 'b');
  });

  it('rejects bad YAML, a wrong kind, and a missing field manager with 400', () => {
    const yaml = statusOf(() => applyPatch(undefined, b('a: [\n'), APPLY, DEPLOY, { fieldManager: 'k' }));
    assert.equal(yaml.code, 400);
    assert.match(yaml.message, /^error decoding YAML: /);
    assert.equal(
      statusOf(() =>
        applyPatch(undefined, b('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"}}'), APPLY, DEPLOY, {
          fieldManager: 'k',
        }),
      ).code,
      400,
    );
    assert.equal(statusOf(() => applyPatch(undefined, b(applied('a')), APPLY, DEPLOY)).code, 400);
  });

  it('works for custom resources too', () => {
    const out = applyPatch(
      undefined,
      b('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n'),
      APPLY,
      widgets,
      { fieldManager: 'k' },
    );
    assert.equal(out.spec.size, 3);
  });
});

describe('sim patch: Go JSON errors', () => {
  it('words syntax errors like encoding/json', () => {
    assert.equal(goJsonError(''), 'unexpected end of JSON input');
    assert.equal(goJsonError('{"a":1,}'), "invalid character '}' looking for beginning of object key string");
    assert.equal(goJsonError('{"a" 1}'), "invalid character '1' after object key");
    assert.equal(goJsonError('[1 2]'), "invalid character '2' after array element");
    assert.equal(goJsonError('{} x'), "invalid character 'x' after top-level value");
    assert.equal(goJsonError("'a'"), "invalid character '\\'' looking for beginning of value");
  });
});
