// Bad input gets the Status error a real API server gives, and the simulator keeps serving.
import assert from 'node:assert/strict';
import https from 'node:https';
import { startTestSim, type Sim } from '../helpers/sim';

interface Reply {
  code: number;
  body: {
    kind?: string;
    reason?: string;
    message?: string;
    code?: number;
    details?: { causes?: Array<{ field?: string }> };
  };
}

function call(sim: Sim, method: string, path: string, body?: string, contentType = 'application/json'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sim.server}${path}`,
      { method, ca: sim.caPem, headers: { Authorization: `Bearer ${sim.tokens.admin}`, 'Content-Type': contentType } },
      (res) => {
        let s = '';
        res.on('data', (c) => (s += c));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(s) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const deployment = (replicas: unknown) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'neg' },
    spec: {
      replicas,
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  });

describe('sim rejects bad input like a real API server', () => {
  let sim: Sim;
  before(async () => {
    sim = await startTestSim();
  });
  after(() => sim.close());

  const expectStatus = (r: Reply, code: number, reason: string) => {
    assert.equal(r.code, code, JSON.stringify(r.body));
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.code, code);
    assert.equal(r.body.reason, reason);
  };

  it('400 for a malformed JSON body', async () => {
    expectStatus(await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', '{"metadata": {'), 400, 'BadRequest');
  });

  it('400 for a malformed YAML body', async () => {
    expectStatus(
      await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', 'metadata: [unclosed', 'application/yaml'),
      400,
      'BadRequest',
    );
  });

  it('415 for a body in a format it does not take', async () => {
    expectStatus(
      await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', '<xml/>', 'application/xml'),
      415,
      'UnsupportedMediaType',
    );
  });

  it('404 for an unknown kind', async () => {
    expectStatus(await call(sim, 'GET', '/api/v1/namespaces/default/flurbs'), 404, 'NotFound');
    expectStatus(await call(sim, 'GET', '/apis/nope.example.com/v1/widgets'), 404, 'NotFound');
  });

  it('422 for an invalid name, naming the field', async () => {
    const r = await call(
      sim,
      'POST',
      '/api/v1/namespaces/default/configmaps',
      JSON.stringify({ metadata: { name: 'Not_Valid' } }),
    );
    expectStatus(r, 422, 'Invalid');
    assert.equal(r.body.details?.causes?.[0]?.field, 'metadata.name');
    assert.match(r.body.message!, /^ConfigMap "Not_Valid" is invalid: metadata\.name: Invalid value/);
  });

  it('422 for negative replicas, on create and through the scale subresource', async () => {
    const r = await call(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment(-1));
    expectStatus(r, 422, 'Invalid');
    assert.match(r.body.message!, /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
    assert.equal((await call(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', deployment(1))).code, 201);
    const s = await call(
      sim,
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/neg/scale',
      '{"spec":{"replicas":-3}}',
      'application/merge-patch+json',
    );
    expectStatus(s, 422, 'Invalid');
  });

  it('409 for a duplicate and for a stale resourceVersion', async () => {
    const body = JSON.stringify({ metadata: { name: 'dup' } });
    assert.equal((await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', body)).code, 201);
    expectStatus(await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', body), 409, 'AlreadyExists');
    const stale = JSON.stringify({ metadata: { name: 'dup', resourceVersion: '1' }, data: { a: 'b' } });
    expectStatus(await call(sim, 'PUT', '/api/v1/namespaces/default/configmaps/dup', stale), 409, 'Conflict');
  });

  it('404 for a namespace that does not exist', async () => {
    const r = await call(
      sim,
      'POST',
      '/api/v1/namespaces/ghost/configmaps',
      JSON.stringify({ metadata: { name: 'x' } }),
    );
    expectStatus(r, 404, 'NotFound');
    assert.equal(r.body.message, 'namespaces "ghost" not found');
  });

  it('400 when the body names another namespace or kind', async () => {
    expectStatus(
      await call(
        sim,
        'POST',
        '/api/v1/namespaces/default/configmaps',
        JSON.stringify({ kind: 'Secret', metadata: { name: 'x' } }),
      ),
      400,
      'BadRequest',
    );
    expectStatus(
      await call(
        sim,
        'POST',
        '/api/v1/namespaces/default/configmaps',
        JSON.stringify({ metadata: { name: 'x', namespace: 'kube-system' } }),
      ),
      400,
      'BadRequest',
    );
  });

  it('401 without a token, and keeps serving after all of it', async () => {
    const r = await new Promise<number>((resolve) =>
      https.get(`${sim.server}/api/v1/namespaces`, { ca: sim.caPem }, (res) => resolve(res.statusCode ?? 0)),
    );
    assert.equal(r, 401);
    assert.equal((await call(sim, 'GET', '/api/v1/namespaces/default')).code, 200);
  });
});
