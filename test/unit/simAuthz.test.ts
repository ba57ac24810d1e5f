import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { can, decodeEnvelope, decodeReviewSpec, installAccessReviews } from '../../src/sim/authz';
import type { ResourceRequest, SimContext, SubresourceHandler, User } from '../../src/sim/context';
import { BUILTIN_TYPES, TypeRegistry } from '../../src/sim/kinds';
import { StatusError } from '../../src/sim/status';

const admin: User = { name: 'admin', groups: ['system:masters'], role: 'admin' };
const viewer: User = { name: 'viewer', groups: [], role: 'viewer' };

// Bodies kubectl 1.32 and 1.33 POSTed, byte for byte (spec/kubectl-captures/auth-can-i*.jsonl, v33-can-i.jsonl).
const CAN_I_GET_PODS = Buffer.from(
  '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577123c0a100a0012001a0022002a00320038004200121e0a1c0a0764656661756c7412036765741a0022002a04706f647332003a001a08080012001a0020001a002200',
  'hex',
);
const CAN_I_LIST = Buffer.from(
  '6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c665375626a65637452756c657352657669657712230a100a0012001a0022002a0032003800420012090a0764656661756c741a04180022001a002200',
  'hex',
);

/** Protobuf writer for hand-made fixtures: length-delimited string/message fields only. */
function pb(fields: Array<[number, string | Buffer]>): Buffer {
  const varint = (n: number) => {
    const out: number[] = [];
    while (n > 127) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return Buffer.from(out);
  };
  return Buffer.concat(
    fields.flatMap(([num, v]) => {
      const bytes = typeof v === 'string' ? Buffer.from(v) : v;
      return [varint(num * 8 + 2), varint(bytes.length), bytes];
    }),
  );
}

function envelope(kind: string, raw: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    pb([
      [
        1,
        pb([
          [1, 'authorization.k8s.io/v1'],
          [2, kind],
        ]),
      ],
      [2, raw],
    ]),
  ]);
}

describe('sim authz: can', () => {
  it('lets admin do anything', () => {
    assert.equal(can(admin, { verb: 'delete', group: '', resource: 'secrets', namespace: 'x' }), true);
    assert.equal(can(admin, { verb: 'create', group: '', resource: 'pods', subresource: 'exec' }), true);
  });

  it('lets a viewer read everything but secrets, and change nothing', () => {
    for (const verb of ['get', 'list', 'watch'])
      assert.equal(can(viewer, { verb, group: 'apps', resource: 'deployments' }), true, verb);
    for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection'])
      assert.equal(can(viewer, { verb, group: '', resource: 'pods' }), false, verb);
    assert.equal(can(viewer, { verb: 'get', group: '', resource: 'secrets' }), false);
    assert.equal(can(viewer, { verb: 'list', group: '', resource: 'secrets' }), false);
    assert.equal(can(viewer, { verb: 'get', group: '', resource: 'pods', subresource: 'log' }), true);
    for (const sub of ['exec', 'portforward', 'attach', 'eviction']) {
      assert.equal(can(viewer, { verb: 'create', group: '', resource: 'pods', subresource: sub }), false, sub);
      assert.equal(can(viewer, { verb: 'get', group: '', resource: 'pods', subresource: sub }), false, sub);
    }
    assert.equal(can(viewer, { verb: 'get', group: '*', resource: '*' }), false);
  });

  it('lets everyone ask what they may do', () => {
    assert.equal(
      can(viewer, { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }),
      true,
    );
    assert.equal(
      can(viewer, { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectrulesreviews' }),
      true,
    );
  });
});

describe('sim authz: protobuf reviews', () => {
  it('decodes the SelfSubjectAccessReview kubectl 1.32+ sends', () => {
    const env = decodeEnvelope(CAN_I_GET_PODS);
    assert.equal(env.apiVersion, 'authorization.k8s.io/v1');
    assert.equal(env.kind, 'SelfSubjectAccessReview');
    assert.deepEqual(decodeReviewSpec(env.kind, env.raw), {
      resourceAttributes: {
        namespace: 'default',
        verb: 'get',
        group: '',
        version: '',
        resource: 'pods',
        subresource: '',
        name: '',
      },
    });
  });

  it('decodes the SelfSubjectRulesReview of kubectl auth can-i --list', () => {
    const env = decodeEnvelope(CAN_I_LIST);
    assert.equal(env.kind, 'SelfSubjectRulesReview');
    assert.deepEqual(decodeReviewSpec(env.kind, env.raw), { namespace: 'default' });
  });

  it('decodes subresources, names and non-resource attributes', () => {
    const ra = pb([
      [1, 'kube-system'],
      [2, 'create'],
      [5, 'pods'],
      [6, 'exec'],
      [7, 'web-1'],
    ]);
    const env = decodeEnvelope(
      envelope(
        'SelfSubjectAccessReview',
        pb([
          [1, Buffer.alloc(0)],
          [2, pb([[1, ra]])],
        ]),
      ),
    );
    assert.deepEqual(decodeReviewSpec(env.kind, env.raw).resourceAttributes, {
      namespace: 'kube-system',
      verb: 'create',
      group: '',
      version: '',
      resource: 'pods',
      subresource: 'exec',
      name: 'web-1',
    });
    const nra = decodeEnvelope(
      envelope(
        'SelfSubjectAccessReview',
        pb([
          [
            2,
            pb([
              [
                2,
                pb([
                  [1, '/healthz'],
                  [2, 'get'],
                ]),
              ],
            ]),
          ],
        ]),
      ),
    );
    assert.deepEqual(decodeReviewSpec(nra.kind, nra.raw).nonResourceAttributes, { path: '/healthz', verb: 'get' });
  });

  it('refuses bodies without the magic or with truncated fields', () => {
    assert.throws(() => decodeEnvelope(Buffer.from('{"kind":"x"}')), /magic/);
    assert.throws(() => decodeEnvelope(CAN_I_GET_PODS.subarray(0, 40)), /truncated/);
  });
});

describe('sim authz: review endpoints', () => {
  const virtual = new Map<string, SubresourceHandler>();
  installAccessReviews({ types: new TypeRegistry(BUILTIN_TYPES), virtual } as unknown as SimContext);

  async function post(
    resource: string,
    user: User,
    body: Buffer,
    contentType: string,
  ): Promise<{ code: number; body: Record<string, any> }> {
    let code = 0;
    let text = '';
    let type = '';
    const res = {
      writeHead: (c: number, h: Record<string, string>) => {
        code = c;
        type = h['Content-Type'];
      },
      end: (s: string) => (text = s),
    } as unknown as ServerResponse;
    const req = { headers: { 'content-type': contentType } } as unknown as IncomingMessage;
    const rt = BUILTIN_TYPES.find((t) => t.resource === resource)!;
    await virtual.get(`authorization.k8s.io/${resource}`)!(
      { req, url: new URL('https://sim/'), user, rt, verb: 'create' } as ResourceRequest,
      res,
      body,
    );
    assert.equal(type, 'application/json');
    return { code, body: JSON.parse(text) };
  }

  it('answers protobuf access reviews in JSON with 201: admin yes, viewer no', async () => {
    const yes = await post('selfsubjectaccessreviews', admin, CAN_I_GET_PODS, 'application/vnd.kubernetes.protobuf');
    assert.equal(yes.code, 201);
    assert.equal(yes.body.kind, 'SelfSubjectAccessReview');
    assert.equal(yes.body.status.allowed, true);
    assert.equal(yes.body.spec.resourceAttributes.resource, 'pods');
    const secret = pb([
      [1, 'default'],
      [2, 'get'],
      [5, 'secrets'],
    ]);
    const no = await post(
      'selfsubjectaccessreviews',
      viewer,
      envelope('SelfSubjectAccessReview', pb([[2, pb([[1, secret]])]])),
      'application/vnd.kubernetes.protobuf',
    );
    assert.equal(no.code, 201);
    assert.equal(no.body.status.allowed, false);
    assert.equal(no.body.status.reason, undefined, 'kubectl prints the reason after "no"');
  });

  it('answers the JSON reviews kubectl 1.27-1.31 sends', async () => {
    const body = Buffer.from(
      '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}},"status":{"allowed":false}}\n',
    );
    assert.equal((await post('selfsubjectaccessreviews', viewer, body, 'application/json')).body.status.allowed, true);
    const patch = Buffer.from(
      '{"spec":{"resourceAttributes":{"verb":"patch","group":"apps","resource":"deployments"}}}',
    );
    assert.equal(
      (await post('selfsubjectaccessreviews', viewer, patch, 'application/json')).body.status.allowed,
      false,
    );
  });

  it('rejects a review that names neither resource nor non-resource attributes', async () => {
    await assert.rejects(
      post('selfsubjectaccessreviews', admin, Buffer.from('{"spec":{}}'), 'application/json'),
      (e: StatusError) => e.code === 422,
    );
  });

  it('lists rules: everything for admin, reads without secrets for a viewer', async () => {
    const a = await post('selfsubjectrulesreviews', admin, CAN_I_LIST, 'application/vnd.kubernetes.protobuf');
    assert.equal(a.code, 201);
    assert.deepEqual(a.body.spec, { namespace: 'default' });
    assert.deepEqual(a.body.status.resourceRules, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    assert.equal(a.body.status.incomplete, false);
    const v = await post('selfsubjectrulesreviews', viewer, CAN_I_LIST, 'application/vnd.kubernetes.protobuf');
    type Rule = { verbs: string[]; apiGroups: string[]; resources: string[] };
    const rules: Rule[] = v.body.status.resourceRules;
    const verbsFor = (group: string, resource: string) =>
      rules.filter((r) => r.apiGroups[0] === group && r.resources.includes(resource)).flatMap((r) => r.verbs);
    assert.deepEqual(verbsFor('', 'pods'), ['get', 'list', 'watch']);
    assert.deepEqual(verbsFor('', 'pods/log'), ['get']);
    assert.deepEqual(verbsFor('apps', 'deployments/scale'), ['get']);
    assert.deepEqual(verbsFor('', 'secrets'), []);
    assert.deepEqual(verbsFor('', 'pods/exec'), []);
    assert.deepEqual(verbsFor('', 'namespaces/finalize'), [], 'finalize cannot be read at all');
  });
});
