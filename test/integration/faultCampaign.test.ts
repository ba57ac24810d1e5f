// A randomized fault campaign: each run injects one of the simulator's faults (dropped watches, 410 Expired, bursts of
// 500/503, a silent pause, latency, an API server restart) while the cluster changes, ends it, and requires the engine's cache (default
// options, as users run it) to match `kubectl get` again within 5 s of the fault ending.
// FAULT_RUNS=50 runs the benchmark-sized campaign; FAULT_SEED repeats one (every failure prints its seed).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeEngine, type Subscription } from '../../src/core/kube/engine';
import { KUBECTL, eventually, simAdmin, startTestSim, type Sim } from '../helpers/sim';
import { rng } from '../../src/sim/logs';

const RUNS = Number(process.env.FAULT_RUNS ?? 5);
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
const CONVERGE_MS = 5_000;

describe(`fault campaign (${RUNS} randomized runs, seed ${SEED})`, function () {
  this.timeout(60_000 + RUNS * 30_000);
  let sim: Sim;
  let engine: KubeEngine;
  let sub: Subscription;
  const ns = 'default';
  const rnd = rng(SEED); // the simulator's seeded PRNG: a failing campaign replays with FAULT_SEED
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  let serial = 0;

  const cm = () => sim.ctx.types.get('', 'v1', 'configmaps')!;
  const truth = () =>
    new Map(
      [...sim.ctx.store.iterate('configmaps', ns)].map((o) => [o.metadata.name, String(o.metadata.resourceVersion)]),
    );
  const cached = () => new Map(sub.cache.list().map((o) => [o.metadata.name, String(o.metadata.resourceVersion)]));
  const same = (a: Map<string, string>, b: Map<string, string>) =>
    a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
  const inSync = () => sub.cache.status.live && !sub.cache.status.stale && same(cached(), truth());

  /** Creates, updates and deletes a few ConfigMaps straight in the simulator's store (the cluster moving on). */
  const churn = () => {
    for (let i = 0; i < 3; i++)
      sim.ctx.store.create(cm(), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `c-${++serial}`, namespace: ns },
        data: { v: '1' },
      });
    const names = [...truth().keys()];
    const upd = sim.ctx.store.get('configmaps', ns, pick(names))!;
    sim.ctx.store.update(cm(), { ...upd, data: { v: String(serial) } });
    sim.ctx.store.remove(cm(), ns, pick(names.filter((n) => n !== upd.metadata.name)));
  };

  // Asynchronous: the simulator runs in this process and must keep answering while kubectl talks to it.
  const kubectlView = async () => {
    const { stdout: out } = await promisify(execFile)(KUBECTL, ['get', 'configmaps', '-n', ns, '-o', 'json'], {
      env: { ...process.env, KUBECONFIG: sim.kubeconfig, KUBECACHEDIR: mkdtempSync(join(tmpdir(), 'kc-')) },
    });
    return new Map(
      (JSON.parse(out).items as Array<{ metadata: { name: string; resourceVersion: string } }>).map((o) => [
        o.metadata.name,
        o.metadata.resourceVersion,
      ]),
    );
  };

  before(async () => {
    sim = await startTestSim();
    const ctx = sim.contexts.admin;
    engine = new KubeEngine({ files: [sim.kubeconfig], watchFiles: false });
    for (let i = 0; i < 20; i++)
      sim.ctx.store.create(cm(), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `seed-${i}`, namespace: ns },
        data: { v: '0' },
      });
    await engine.connect(ctx);
    sub = engine.subscribe(ctx, 'configmaps', ns, () => undefined);
    await sub.cache.whenSynced();
  });
  after(async () => {
    await engine?.close();
    await sim?.close();
  });

  it('an API server restart refuses connections while down, then the cache resumes and matches kubectl get', async () => {
    await eventually(inSync, 30_000);
    const restarted = sim.faults.injected.restarted;
    await simAdmin(sim, 'POST', '/_sim/restart?seconds=2');
    await eventually(() => sim.faults.injected.restarted > restarted && !sim.faults.up, 10_000);
    const refused = await new Promise<string>((resolve) => {
      const s = connect(sim.port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve('connected')));
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    assert.equal(refused, 'ECONNREFUSED');
    churn();
    await eventually(() => sim.faults.up, 30_000);
    const t = Date.now();
    await eventually(inSync, CONVERGE_MS + 1_000);
    assert.ok(Date.now() - t <= CONVERGE_MS, `in sync only after ${Date.now() - t} ms`);
    assert.ok(same(cached(), await kubectlView()), 'the cache matches kubectl get after the restart');
  });

  for (let run = 1; run <= RUNS; run++) {
    it(`run ${run}: converges to kubectl get within ${CONVERGE_MS / 1000} s after the fault ends`, async () => {
      await eventually(inSync, 30_000);
      const fault = pick(['drop', 'expire', 'fail', 'pause', 'latency', 'restart'] as const);
      let ended: Promise<void> = Promise.resolve();
      let what: string = fault;
      switch (fault) {
        case 'drop':
          await simAdmin(sim, 'POST', '/_sim/watches/drop');
          break;
        case 'expire':
          await simAdmin(sim, 'POST', '/_sim/expire');
          break;
        case 'fail': {
          const count = 2 + Math.floor(rnd() * 8);
          const code = pick([500, 503]);
          what = `${count}×${code}`;
          const failed = sim.faults.injected.failed;
          await simAdmin(sim, 'POST', `/_sim/fail?count=${count}&code=${code}`);
          await simAdmin(sim, 'POST', '/_sim/watches/drop');
          // The burst has ended once every injected failure was served.
          ended = eventually(() => sim.faults.injected.failed >= failed + count, 60_000).then(() => undefined);
          break;
        }
        case 'pause': {
          const seconds = 1 + Math.floor(rnd() * 3);
          what = `pause ${seconds}s`;
          const t0 = Date.now();
          await simAdmin(sim, 'POST', `/_sim/pause?seconds=${seconds}`);
          ended = eventually(() => Date.now() - t0 >= seconds * 1000, 10_000).then(() => undefined);
          break;
        }
        case 'restart': {
          const seconds = 1 + Math.floor(rnd() * 3);
          what = `restart (down ${seconds}s)`;
          const restarted = sim.faults.injected.restarted;
          await simAdmin(sim, 'POST', `/_sim/restart?seconds=${seconds}`);
          await eventually(() => sim.faults.injected.restarted > restarted, 10_000);
          churn(); // the cluster moves on while the API server is down (controllers write to etcd)
          ended = eventually(() => sim.faults.up, 30_000).then(() => undefined);
          break;
        }
        case 'latency': {
          const ms = 50 + Math.floor(rnd() * 250);
          what = `latency ${ms}ms`;
          await simAdmin(sim, 'POST', `/_sim/latency?ms=${ms}`);
          churn();
          await simAdmin(sim, 'POST', '/_sim/watches/drop');
          await simAdmin(sim, 'POST', '/_sim/latency?ms=0');
          break;
        }
      }
      churn();
      await ended;
      const t = Date.now();
      await eventually(inSync, CONVERGE_MS + 1_000).catch(() =>
        assert.fail(
          `seed ${SEED} run ${run} (${what}): not in sync ${CONVERGE_MS} ms after the fault ended; cache status ${JSON.stringify(sub.cache.status)}`,
        ),
      );
      const took = Date.now() - t;
      assert.ok(took <= CONVERGE_MS, `seed ${SEED} run ${run} (${what}): in sync only after ${took} ms`);
      assert.ok(
        same(cached(), await kubectlView()),
        `seed ${SEED} run ${run} (${what}): the cache matches kubectl get`,
      );
    });
  }
});
