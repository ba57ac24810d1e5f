import assert from 'node:assert/strict';
import https from 'node:https';
import { kubectl, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

const deploy = (name: string, extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.25', ...container }] },
      },
      ...extra,
    },
  });

const CRDS = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
              },
            },
          },
        ],
      },
    },
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'blobs.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'blobs', singular: 'blob', kind: 'Blob' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
              },
            },
          },
        ],
      },
    },
  ],
});

function post(
  sim: Sim,
  path: string,
  body: string,
): Promise<{ code: number; warnings: string[]; body: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sim.server}${path}`,
      {
        method: 'POST',
        ca: sim.caPem,
        headers: { Authorization: `Bearer ${sim.tokens.admin}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        let s = '';
        res.on('data', (c) => (s += c));
        res.on('end', () => {
          const w = res.headers.warning;
          resolve({ code: res.statusCode ?? 0, warnings: Array.isArray(w) ? w : w ? [w] : [], body: JSON.parse(s) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

for (const minor of [30, 33]) {
  describe(`sim fieldValidation (kubectl 1.${minor})`, function () {
    this.timeout(60000);
    let sim: Sim;
    before(async () => {
      sim = await startTestSim({ kubeMinor: minor });
      await kubectlOk(sim, ['apply', '-f', '-'], { stdin: CRDS });
    });
    after(() => sim?.close());

    it('kubectl apply of a manifest with a typo fails as against a real cluster; a valid one passes', async () => {
      const bad = await kubectl(sim, ['apply', '-f', '-'], { stdin: deploy('typo', { replcias: 2 }) });
      assert.notEqual(bad.code, 0);
      assert.match(
        bad.stderr,
        /Error from server \(BadRequest\): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replcias"/,
      );
      assert.equal((await kubectl(sim, ['get', 'deploy', 'typo'])).code, 1, 'nothing was created');

      assert.match(
        await kubectlOk(sim, ['apply', '-f', '-'], { stdin: deploy('good') }),
        /deployment.apps\/good created/,
      );
      // An existing object goes through a patch: same verdict, the patch decoder's wording.
      const patched = await kubectl(sim, ['apply', '-f', '-'], {
        stdin: deploy('good', {}, { imagePullPolicee: 'Always' }),
      });
      assert.notEqual(patched.code, 0);
      assert.match(
        patched.stderr,
        /strict decoding error: unknown field "spec.template.spec.containers\[0\].imagePullPolicee"/,
      );
      assert.match(
        await kubectlOk(sim, ['apply', '-f', '-'], { stdin: deploy('good', {}, { imagePullPolicy: 'Always' }) }),
        /deployment.apps\/good configured/,
      );

      const ssa = await kubectl(sim, ['apply', '--server-side', '-f', '-'], { stdin: deploy('ssa', { replcias: 2 }) });
      assert.notEqual(ssa.code, 0);
      assert.match(ssa.stderr, /\.spec\.replcias: field not declared in schema/);
    });

    it('Warn stores the object without the field and says so; Ignore drops it silently', async () => {
      const warn = await kubectl(sim, ['apply', '--validate=warn', '-f', '-'], {
        stdin: deploy('warned', { replcias: 2 }),
      });
      assert.equal(warn.code, 0, warn.stderr);
      assert.match(warn.stderr, /Warning: unknown field "spec.replcias"/);
      assert.equal(await kubectlOk(sim, ['get', 'deploy', 'warned', '-o', 'jsonpath={.spec.replcias}']), '');

      const ignore = await kubectl(sim, ['apply', '--validate=false', '-f', '-'], {
        stdin: deploy('ignored', { replcias: 2 }),
      });
      assert.equal(ignore.code, 0, ignore.stderr);
      assert.doesNotMatch(ignore.stderr, /unknown field/);

      const raw = await post(
        sim,
        '/api/v1/namespaces/default/configmaps?fieldValidation=Warn',
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'w' },
          data: { a: '1' },
          dat: { b: '2' },
        }),
      );
      assert.equal(raw.code, 201);
      assert.deepEqual(raw.warnings, ['299 - "unknown field \\"dat\\""']);
      assert.equal(raw.body.dat, undefined);
      // No directive: the server's default is Warn.
      const dflt = await post(
        sim,
        '/api/v1/namespaces/default/configmaps',
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd', labls: {} } }),
      );
      assert.equal(dflt.code, 201);
      assert.deepEqual(dflt.warnings, ['299 - "unknown field \\"metadata.labls\\""']);
      const badDirective = await post(
        sim,
        '/api/v1/namespaces/default/configmaps?fieldValidation=Loud',
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
      );
      assert.equal(badDirective.code, 422);
      assert.match(
        badDirective.body.message,
        /fieldValidation: Unsupported value: "Loud": supported values: "Ignore", "Strict", "Warn"/,
      );
    });

    it('custom resources: a structural schema is enforced, x-kubernetes-preserve-unknown-fields accepts anything', async () => {
      const widget = (spec: Record<string, unknown>) =>
        JSON.stringify({
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w1', namespace: 'default' },
          spec,
        });
      const bad = await kubectl(sim, ['apply', '-f', '-'], { stdin: widget({ size: 2, colour: 'red' }) });
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /strict decoding error: unknown field "spec.colour"/);
      assert.match(
        await kubectlOk(sim, ['apply', '-f', '-'], { stdin: widget({ size: 2 }) }),
        /widget.example.com\/w1 created/,
      );

      const blob = JSON.stringify({
        apiVersion: 'example.com/v1',
        kind: 'Blob',
        metadata: { name: 'b1', namespace: 'default' },
        spec: { anything: { nested: [1, 2] }, goes: true },
      });
      assert.match(await kubectlOk(sim, ['apply', '-f', '-'], { stdin: blob }), /blob.example.com\/b1 created/);
      assert.equal(await kubectlOk(sim, ['get', 'blob', 'b1', '-o', 'jsonpath={.spec.goes}']), 'true');
    });
  });
}
