import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { serveOpenApi } from '../../src/sim/openapi';
import type { SimContext } from '../../src/sim/context';
import { TypeRegistry } from '../../src/sim/kinds';
import { Store } from '../../src/sim/store';

function makeCtx(): SimContext {
  const types = new TypeRegistry();
  return { types, store: new Store(types), kubeMinor: 31 } as unknown as SimContext;
}

function get(ctx: SimContext, path: string): { ok: boolean; code: number; type: string; body: Buffer } {
  let code = 0;
  let type = '';
  let body = Buffer.alloc(0);
  const res = {
    writeHead: (c: number, h: Record<string, string>) => {
      code = c;
      type = h['Content-Type'];
    },
    end: (b: string | Buffer) => (body = Buffer.from(b)),
  } as unknown as ServerResponse;
  const ok = serveOpenApi(ctx, new URL(path, 'https://sim'), res);
  return { ok, code, type, body };
}

const json = (r: { body: Buffer }) => JSON.parse(r.body.toString());

describe('sim openapi', () => {
  it('indexes every group/version with the sha512 of its document', () => {
    const ctx = makeCtx();
    const index = json(get(ctx, '/openapi/v3')).paths as Record<string, { serverRelativeURL: string }>;
    assert.ok(index['api/v1'] && index['apis/apps/v1'] && index['apis/authorization.k8s.io/v1']);
    const url = index['apis/apps/v1'].serverRelativeURL;
    const doc = get(ctx, url);
    assert.equal(doc.code, 200);
    assert.equal(doc.type, 'application/json');
    assert.equal(url.split('hash=')[1], createHash('sha512').update(doc.body).digest('hex').toUpperCase());
  });

  it('gives every patchable kind a PATCH operation with its GVK and fieldValidation', () => {
    const doc = json(get(makeCtx(), '/openapi/v3/apis/apps/v1'));
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.ok(
      patch.parameters.some((p: { name: string; in: string }) => p.name === 'fieldValidation' && p.in === 'query'),
    );
    const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch;
    assert.deepEqual(scale['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const schema = doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  });

  it('carries the merge keys patch.ts merges by', () => {
    const { schemas } = json(get(makeCtx(), '/openapi/v3/api/v1')).components;
    const containers = schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(
      schemas['io.k8s.api.core.v1.Container'].properties.ports['x-kubernetes-patch-merge-key'],
      'containerPort',
    );
    assert.equal(
      schemas['io.k8s.api.core.v1.Container'].properties.volumeMounts['x-kubernetes-patch-merge-key'],
      'mountPath',
    );
    assert.equal(
      schemas['io.k8s.api.core.v1.Service'].properties.spec.properties.ports['x-kubernetes-patch-merge-key'],
      'port',
    );
    assert.equal(
      schemas['io.k8s.api.core.v1.PodSpec'].properties.tolerations['x-kubernetes-patch-merge-key'],
      undefined,
    );
  });

  it('serves a protobuf OpenAPI v2 naming each PATCH operation, for kubectl 1.27 and 1.28', () => {
    const v2 = get(makeCtx(), '/openapi/v2');
    assert.equal(v2.code, 200);
    assert.equal(v2.type, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.equal(v2.body.subarray(0, 5).toString('latin1'), '\n\x032.0');
    const text = v2.body.toString('latin1');
    assert.ok(text.includes('/apis/apps/v1/namespaces/{namespace}/deployments/{name}'));
    assert.ok(text.includes('group: "apps"\nkind: Deployment\nversion: v1\n'));
  });

  it('rebuilds after a type is added, and leaves other paths alone', () => {
    const ctx = makeCtx();
    const before = json(get(ctx, '/openapi/v3')).paths;
    assert.equal(before['apis/example.com/v1'], undefined);
    ctx.types.add({
      group: 'example.com',
      version: 'v1',
      resource: 'widgets',
      kind: 'Widget',
      singular: 'widget',
      namespaced: true,
      verbs: ['get', 'patch'],
    });
    const after = json(get(ctx, '/openapi/v3')).paths;
    const doc = json(get(ctx, after['apis/example.com/v1'].serverRelativeURL));
    assert.ok(doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch);
    assert.equal(get(ctx, '/openapi/v3/apis/nope/v1').ok, false);
    assert.equal(get(ctx, '/openapi/v4').ok, false);
  });
});
