// kubectl's generators send protobuf bodies; what the simulator stores must equal what kubectl meant.
import assert from 'node:assert/strict';
import { startTestSim, kubectl, kubectlOk, type Sim } from '../helpers/sim';

const GENERATORS: Array<{ args: string[]; resource: string; name: string }> = [
  { args: ['create', 'namespace', 'proto-ns'], resource: 'namespace', name: 'proto-ns' },
  {
    args: ['create', 'configmap', 'proto-cm', '--from-literal=a=1', '--from-literal=b=two'],
    resource: 'configmap',
    name: 'proto-cm',
  },
  {
    args: ['create', 'secret', 'generic', 'proto-secret', '--from-literal=password=s3cret'],
    resource: 'secret',
    name: 'proto-secret',
  },
  {
    args: ['create', 'deployment', 'proto-web', '--image=nginx:1.27', '--replicas=3', '--port=8080'],
    resource: 'deployment',
    name: 'proto-web',
  },
  { args: ['create', 'service', 'clusterip', 'proto-svc', '--tcp=80:8080'], resource: 'service', name: 'proto-svc' },
  { args: ['create', 'job', 'proto-job', '--image=busybox', '--', 'echo', 'hi'], resource: 'job', name: 'proto-job' },
  {
    args: ['create', 'cronjob', 'proto-cron', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'],
    resource: 'cronjob',
    name: 'proto-cron',
  },
  { args: ['create', 'serviceaccount', 'proto-sa'], resource: 'serviceaccount', name: 'proto-sa' },
  {
    args: ['create', 'role', 'proto-role', '--verb=get,list', '--resource=pods'],
    resource: 'role',
    name: 'proto-role',
  },
  {
    args: ['create', 'rolebinding', 'proto-rb', '--role=proto-role', '--user=jane'],
    resource: 'rolebinding',
    name: 'proto-rb',
  },
  {
    args: ['create', 'clusterrole', 'proto-cr', '--verb=get', '--resource=nodes'],
    resource: 'clusterrole',
    name: 'proto-cr',
  },
];

/** Drops what the server adds and what is empty either way, so intent can be compared with the stored object. */
function intent(o: Record<string, unknown>): unknown {
  const clean = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        // Server-set fields; the namespace comes from the request URL, not the body.
        if (
          [
            'uid',
            'resourceVersion',
            'creationTimestamp',
            'generation',
            'status',
            'managedFields',
            'namespace',
          ].includes(k)
        )
          continue;
        const c = clean(x);
        if (c === null || c === undefined || (typeof c === 'object' && Object.keys(c as object).length === 0)) continue;
        out[k] = c;
      }
      return out;
    }
    return v;
  };
  return clean(o);
}

function assertSubset(want: unknown, got: unknown, path: string): void {
  if (want && typeof want === 'object' && !Array.isArray(want)) {
    assert.ok(got && typeof got === 'object', `${path}: expected an object, got ${JSON.stringify(got)}`);
    for (const [k, v] of Object.entries(want)) assertSubset(v, (got as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  assert.deepEqual(got, want, path);
}

describe('sim decodes kubectl generators (protobuf bodies)', () => {
  let sim: Sim;
  before(async () => {
    sim = await startTestSim({ kubeMinor: 32 });
  });
  after(() => sim.close());

  for (const g of GENERATORS) {
    it(`kubectl ${g.args.slice(0, 3).join(' ')}`, async () => {
      const cut = g.args.includes('--') ? g.args.indexOf('--') : g.args.length;
      const dry = [...g.args.slice(0, cut), '--dry-run=client', '-o', 'json', ...g.args.slice(cut)];
      const meant = JSON.parse(await kubectlOk(sim, dry));
      const r = await kubectl(sim, g.args);
      assert.equal(r.code, 0, r.stderr);
      const stored = JSON.parse(await kubectlOk(sim, ['get', g.resource, g.name, '-o', 'json']));
      // Everything kubectl meant is stored; the server may add defaults (clusterIP, revision annotations).
      assertSubset(intent(meant), intent(stored), g.resource);
    });
  }
});
