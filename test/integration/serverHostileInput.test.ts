// Small hostile bodies: a YAML alias bomb and deep nesting get a 4xx on every entry point that reads YAML or JSON,
// quickly, and another client's requests keep answering meanwhile.
import assert from 'node:assert/strict';
import { api, request, startHarness, type Harness } from './serverHelpers';

const BOMB = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;
const DEEP_YAML = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\ndata: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
const deepJson = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

describe('kubegraf web: hostile input (YAML bombs, deep nesting)', function () {
  this.timeout(60_000);
  let h: Harness;
  let A: ReturnType<typeof api>;

  before(async () => {
    h = await startHarness();
    A = api(h);
  });
  after(async () => h?.close());

  const yamlRoutes = (yaml: string) =>
    [
      ['/api/configmap/update', { namespace: 'shop', name: 'settings', yaml }],
      ['/api/custom-resources/certificates.cert-manager.io/shop-tls/update', { namespace: 'shop', yaml }],
      ['/api/manifests/apply', { yaml, dryRun: true }],
    ] as const;

  for (const [what, yaml] of [
    ['an alias bomb', BOMB],
    ['20,000 nested flow lists', DEEP_YAML],
  ] as const) {
    it(`refuses ${what} on every YAML entry point with a 4xx, while other requests keep answering`, async () => {
      let others = 0;
      let stop = false;
      const other = (async () => {
        while (!stop) {
          const r = await A.get('/api/status');
          assert.equal(r.status, 200);
          others++;
        }
      })();
      for (const [path, body] of yamlRoutes(yaml)) {
        const r = await A.post(path, body);
        assert.ok(r.status >= 400 && r.status < 500, `${path}: ${r.status} ${r.text.slice(0, 200)}`);
        assert.ok(r.body?.error?.message, `${path} says why`);
      }
      await new Promise<void>((resolve) => {
        const wait = () => (others >= 3 ? resolve() : setImmediate(wait));
        wait();
      });
      stop = true;
      await other;
    });
  }

  it('answers 400 for JSON nested 10,000 deep (settings and any other route), and stays up', async () => {
    for (const path of ['/api/settings', '/api/configmap/update']) {
      const r = await request(h, 'POST', path, deepJson(10_000));
      assert.equal(r.status, 400, `${path}: ${r.text.slice(0, 200)}`);
      assert.match(r.body.error.message, /nests deeper than/);
    }
    assert.equal((await A.get('/api/settings')).status, 200);
  });
});
