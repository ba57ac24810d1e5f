// The fault-injection API changes behaviour the way incident tests need, and refuses what it should.
import assert from 'node:assert/strict';
import https from 'node:https';
import { startTestSim, kubectlOk, eventually, simAdmin, type Sim } from '../helpers/sim';

describe('sim fault injection (/_sim/)', function () {
  this.timeout(60_000);
  let sim: Sim;
  let pod: string;
  before(async () => {
    sim = await startTestSim({ scenario: 'demo', speed: 20 });
    pod = (
      await kubectlOk(sim, ['get', 'pods', '-n', 'shop', '-l', 'app=cart', '-o', 'jsonpath={.items[0].metadata.name}'])
    ).trim();
  });
  after(() => sim.close());

  const podStatus = async () =>
    (await kubectlOk(sim, ['get', 'pod', pod, '-n', 'shop', '--no-headers'])).trim().split(/\s+/);

  it('makes a running pod crash-loop, and clearing the fault lets it run again', async () => {
    await eventually(async () => (await podStatus())[2] === 'Running');
    await simAdmin(sim, 'POST', '/_sim/fault', { kind: 'pod', namespace: 'shop', name: pod, fault: 'crashloop' });
    const crashed = await eventually(async () => {
      const s = await podStatus();
      return ['CrashLoopBackOff', 'Error'].includes(s[2]) && Number(s[3]) > 0 ? s : undefined;
    });
    assert.equal(crashed[1], '0/1');
    await simAdmin(sim, 'POST', '/_sim/fault', { kind: 'pod', namespace: 'shop', name: pod, fault: 'none' });
    await eventually(async () => (await podStatus())[2] === 'Running', 30_000);
  });

  it('takes a node NotReady and back', async () => {
    const status = async () =>
      (await kubectlOk(sim, ['get', 'node', 'worker-a', '--no-headers'])).trim().split(/\s+/)[1];
    await simAdmin(sim, 'POST', '/_sim/fault', { kind: 'node', name: 'worker-a', fault: 'notready' });
    await eventually(async () => (await status()) !== 'Ready');
    await simAdmin(sim, 'POST', '/_sim/fault', { kind: 'node', name: 'worker-a', fault: 'ready' });
    await eventually(async () => (await status()) === 'Ready');
  });

  it('adds latency to every request until reset', async () => {
    await simAdmin(sim, 'POST', '/_sim/latency?ms=400');
    const t = Date.now();
    await kubectlOk(sim, ['get', 'ns', 'default', '-o', 'name']);
    assert.ok(Date.now() - t >= 400, 'the request waited at least the injected latency');
    await simAdmin(sim, 'POST', '/_sim/latency?ms=0');
  });

  it('reports what it injected', async () => {
    const stats = (await simAdmin(sim, 'GET', '/_sim/stats')) as {
      counts: Record<string, number>;
      resourceVersion: number;
    };
    assert.ok(stats.counts.pods > 20);
    assert.ok(stats.counts['deployments.apps'] > 5);
    assert.ok(stats.resourceVersion > 0);
  });

  it('refuses the viewer, unknown objects and malformed requests', async () => {
    const call = (path: string, token: string, body: string) =>
      new Promise<number>((ok, fail) => {
        const req = https.request(
          `${sim.server}${path}`,
          { method: 'POST', ca: sim.caPem, headers: { Authorization: `Bearer ${token}` } },
          (res) => {
            res.resume();
            ok(res.statusCode ?? 0);
          },
        );
        req.on('error', fail);
        req.end(body);
      });
    assert.equal(await call('/_sim/watches/drop', sim.tokens.viewer, ''), 403);
    assert.equal(
      await call(
        '/_sim/fault',
        sim.tokens.admin,
        JSON.stringify({ kind: 'pod', namespace: 'shop', name: 'ghost', fault: 'crashloop' }),
      ),
      404,
    );
    assert.equal(await call('/_sim/fault', sim.tokens.admin, '{not json'), 400);
    assert.equal(
      await call('/_sim/fault', sim.tokens.admin, JSON.stringify({ kind: 'volcano', name: 'x', fault: 'erupt' })),
      400,
    );
    assert.equal(await call('/_sim/latency?ms=-5', sim.tokens.admin, ''), 400);
  });
});
