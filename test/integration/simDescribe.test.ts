// kubectl describe node reads the node, its pods (by spec.nodeName), its Lease and its events: all must line up.
import assert from 'node:assert/strict';
import { startTestSim, kubectlOk, type Sim } from '../helpers/sim';

for (const minor of [30, 33]) {
  describe(`sim: kubectl 1.${minor} describe node on the demo cluster`, function () {
    let sim: Sim;
    before(async () => {
      sim = await startTestSim({ scenario: 'demo', kubeMinor: minor });
    });
    after(() => sim.close());

    it('lists the pods running on the node with their requests', async () => {
      const podsOnNode = () =>
        new Set(
          [...sim.ctx.store.iterate('pods')]
            .filter((p) => p.spec?.nodeName === 'worker-a' && !['Succeeded', 'Failed'].includes(p.status?.phase))
            .map((p) => p.metadata.name),
        );
      const before = podsOnNode();
      assert.ok(before.size > 0, 'the demo schedules pods on worker-a');
      const out = await kubectlOk(sim, ['describe', 'node', 'worker-a']);
      const after = podsOnNode();
      assert.match(out, /^Name:\s+worker-a$/m);
      assert.match(out, /^Conditions:/m);
      assert.match(out, /Ready\s+True/);
      assert.match(out, /^Capacity:\n\s+cpu:/m);
      assert.match(out, /^Allocated resources:/m);
      // The demo keeps running (CronJobs): pods there both before and after must be listed, and the count must add up.
      const total = Number(/Non-terminated Pods:\s+\((\d+) in total\)/.exec(out)?.[1]);
      const section = out.slice(out.indexOf('Non-terminated Pods:'), out.indexOf('Allocated resources:'));
      const rows = section
        .split('\n')
        .slice(3)
        .filter((l) => l.trim());
      assert.equal(rows.length, total);
      for (const name of before) if (after.has(name)) assert.ok(section.includes(name), `${name} is listed`);
    });

    it('shows a NotReady node as such', async () => {
      const out = await kubectlOk(sim, ['describe', 'node', 'worker-c']);
      assert.match(out, /Ready\s+(False|Unknown)/);
      assert.match(out, /Taints:\s+node\.kubernetes\.io\/(unreachable|not-ready)/);
    });
  });
}
