import assert from 'node:assert/strict';
import { eventually, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

interface Slice {
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences: Array<{ kind: string; name: string; controller: boolean }>;
  };
  addressType: string;
  endpoints: Array<{
    addresses: string[];
    conditions: { ready: boolean; serving: boolean; terminating: boolean };
    nodeName: string;
    targetRef: { kind: string; name: string };
  }>;
  ports: Array<{ name: string; port: number; protocol: string }>;
}

async function slices(sim: Sim, svc: string): Promise<Slice[]> {
  return JSON.parse(
    await kubectlOk(sim, ['get', 'endpointslices', '-l', `kubernetes.io/service-name=${svc}`, '-o', 'json']),
  ).items;
}

for (const minor of [30, 33]) {
  describe(`sim EndpointSlices (kubectl 1.${minor})`, function () {
    this.timeout(60000);
    let sim: Sim;
    before(async () => {
      sim = await startTestSim({ kubeMinor: minor, speed: 20 });
    });
    after(() => sim?.close());

    it('keeps one slice per service in step with its Endpoints', async () => {
      await kubectlOk(sim, ['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=8080']);
      await kubectlOk(sim, ['expose', 'deployment', 'web', '--port=80', '--target-port=8080']);
      await kubectlOk(sim, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
      const s = await eventually(async () => {
        const l = await slices(sim, 'web');
        return l.length === 1 && l[0].endpoints.length === 2 && l[0].endpoints.every((e) => e.conditions.ready)
          ? l[0]
          : undefined;
      });
      assert.match(s.metadata.name, /^web-[a-z0-9]{5}$/);
      assert.equal(s.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
      assert.equal(s.metadata.ownerReferences[0].kind, 'Service');
      assert.equal(s.metadata.ownerReferences[0].controller, true);
      assert.equal(s.addressType, 'IPv4');
      assert.deepEqual(s.ports, [{ name: '', port: 8080, protocol: 'TCP' }]);
      for (const e of s.endpoints) {
        assert.deepEqual(e.conditions, { ready: true, serving: true, terminating: false });
        assert.equal(e.targetRef.kind, 'Pod');
        assert.match(e.nodeName, /^node-/);
      }
      const epIps = (await kubectlOk(sim, ['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].addresses[*].ip}']))
        .split(' ')
        .sort();
      assert.deepEqual(s.endpoints.map((e) => e.addresses[0]).sort(), epIps);

      const table = await kubectlOk(sim, ['get', 'endpointslices', '-A']);
      assert.match(table, /NAMESPACE\s+NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE/);
      assert.match(
        table,
        new RegExp(`default\\s+${s.metadata.name}\\s+IPv4\\s+8080\\s+${epIps.join(',').replace(/\./g, '\\.')}\\s+`),
      );
    });

    it('follows scaling and removes the slice with its service', async () => {
      await kubectlOk(sim, ['scale', 'deployment/web', '--replicas=3']);
      await eventually(async () =>
        (await slices(sim, 'web'))[0]?.endpoints.filter((e) => e.conditions.ready).length === 3 ? true : undefined,
      );
      await kubectlOk(sim, ['scale', 'deployment/web', '--replicas=1']);
      await eventually(async () =>
        (await slices(sim, 'web'))[0]?.endpoints.filter((e) => !e.conditions.terminating).length === 1
          ? true
          : undefined,
      );
      await kubectlOk(sim, ['delete', 'service', 'web']);
      await eventually(async () => ((await slices(sim, 'web')).length === 0 ? true : undefined));
    });
  });
}
