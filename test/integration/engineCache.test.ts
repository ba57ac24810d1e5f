// The watch cache against the simulator: it matches the cluster's truth after storms and after every injected
// fault (dropped watch, 410, HTTP 500s, a silent server), marks data stale while it recovers, and its change batches
// rebuild exactly what it holds.
import assert from 'node:assert/strict';
import { KubeEngine, type Subscription } from '../../src/core/kube/engine';
import type { ChangeBatch, ConnectionState } from '../../src/shared/kube';
import type { KObject } from '../../src/core/kube/descriptors';
import { startTestSim, eventually, simAdmin, type Sim } from '../helpers/sim';

describe('engine watch cache (simulator)', function () {
  this.timeout(90_000);
  let sim: Sim;
  let engine: KubeEngine;
  let sub: Subscription;
  let ctx: string;
  const ns = 'default';
  /** What a face would hold if it only ever applied the change batches. */
  const face = new Map<string, string>();
  const stale: boolean[] = [];
  const states: ConnectionState['state'][] = [];

  const cm = () => sim.ctx.types.get('', 'v1', 'configmaps')!;
  const truth = () =>
    new Map(
      [...sim.ctx.store.iterate('configmaps', ns)].map((o) => [o.metadata.name, String(o.metadata.resourceVersion)]),
    );
  const cached = () => new Map(sub.cache.list().map((o) => [o.metadata.name, String(o.metadata.resourceVersion)]));
  const same = (a: Map<string, string>, b: Map<string, string>) =>
    a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
  const inSync = () =>
    sub.cache.status.live && !sub.cache.status.stale && same(cached(), truth()) && same(face, truth());
  const create = (name: string, data: Record<string, string> = { v: '1' }) =>
    sim.ctx.store.create(cm(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
  const update = (name: string, v: string) => {
    const cur = sim.ctx.store.get('configmaps', ns, name)!;
    sim.ctx.store.update(cm(), { ...cur, data: { v } });
  };
  const remove = (name: string) => sim.ctx.store.remove(cm(), ns, name);

  before(async () => {
    sim = await startTestSim();
    ctx = sim.contexts.admin;
    engine = new KubeEngine({
      files: [sim.kubeconfig],
      watchFiles: false,
      cache: { silentMs: 7000, backoffMinMs: 100, backoffMaxMs: 1000, requestTimeoutMs: 20_000, pageSize: 50 },
    });
    engine.events.on('connection', (e) => e.context === ctx && states.push(e.state.state));
    for (let i = 0; i < 120; i++) create(`seed-${i}`);
    await engine.connect(ctx);
    sub = engine.subscribe(ctx, 'configmaps', ns, (b: ChangeBatch) => {
      if (b.reset) face.clear();
      for (const o of [...b.added, ...b.modified] as KObject[])
        face.set(o.metadata.name, String(o.metadata.resourceVersion));
      for (const k of b.deleted) face.delete(k.name);
    });
    sub.cache.onStatus((s) => stale.push(s.stale));
    await sub.cache.whenSynced();
  });

  after(async () => {
    await engine.close();
    await sim.close();
  });

  it('lists in pages and matches the cluster after the first sync', async () => {
    // 120+ objects with pages of 50: at least three pages, one list.
    assert.ok(sub.cache.index.size >= 120);
    assert.equal(sub.cache.stats.lists, 1);
    await eventually(inSync);
  });

  it('follows a create/update/delete storm', async () => {
    for (let i = 0; i < 300; i++) create(`storm-${i}`);
    for (let i = 0; i < 300; i += 2) update(`storm-${i}`, 'two');
    for (let i = 0; i < 300; i += 3) remove(`storm-${i}`);
    for (let i = 0; i < 60; i++) remove(`seed-${i}`);
    await eventually(inSync);
    assert.equal(
      sub.cache.index.get(ns, 'storm-2')!.data &&
        (sub.cache.index.get(ns, 'storm-2')!.data as Record<string, string>).v,
      'two',
    );
    assert.equal(sub.cache.index.get(ns, 'storm-3'), undefined);
    assert.equal(sub.cache.stats.lists, 1, 'a live watch never relists');
  });

  it('re-watches from its resourceVersion after a dropped watch, without relisting', async () => {
    const { watches, lists } = sub.cache.stats;
    const r = (await simAdmin(sim, 'POST', '/_sim/watches/drop')) as { dropped: number };
    assert.ok(r.dropped >= 1);
    create('after-drop');
    update('seed-100', 'dropped');
    await eventually(() => inSync() && sub.cache.index.get(ns, 'after-drop'));
    assert.ok(sub.cache.stats.watches > watches);
    assert.equal(sub.cache.stats.lists, lists);
  });

  it('relists after 410 Expired and emits only the difference', async () => {
    const { lists, relists } = sub.cache.stats;
    await simAdmin(sim, 'POST', '/_sim/expire');
    create('after-expire');
    remove('seed-101');
    await eventually(() => inSync() && sub.cache.index.get(ns, 'after-expire') && !sub.cache.index.get(ns, 'seed-101'));
    assert.ok(sub.cache.stats.relists > relists);
    assert.ok(sub.cache.stats.lists > lists);
  });

  it('reconnects quickly after each of eight drops in a row: a healthy watch resets the backoff', async () => {
    // backoffMinMs is 100 and backoffMaxMs 1000 here: without the reset, the eighth delay would be the 1 s cap.
    for (let i = 0; i < 8; i++) {
      const { reconnects } = sub.cache.stats;
      await eventually(() => sub.cache.status.live && sub.cache.liveForMs >= 1_000);
      await simAdmin(sim, 'POST', '/_sim/watches/drop');
      await eventually(() => sub.cache.stats.reconnects > reconnects);
      assert.ok(
        sub.cache.stats.lastDelayMs <= 120,
        `drop ${i + 1}: waited ${sub.cache.stats.lastDelayMs} ms before reconnecting`,
      );
    }
    create('after-eight-drops');
    await eventually(() => inSync() && sub.cache.index.get(ns, 'after-eight-drops'));
  });

  it('comes back by itself after a run of HTTP 500s, showing the data as stale meanwhile', async () => {
    const { reconnects } = sub.cache.stats;
    stale.length = 0;
    states.length = 0;
    const failed = sim.faults.injected.failed;
    await simAdmin(sim, 'POST', '/_sim/fail?count=4&code=500');
    await simAdmin(sim, 'POST', '/_sim/watches/drop');
    await eventually(() => sim.faults.injected.failed >= failed + 4);
    create('after-500');
    await eventually(() => inSync() && sub.cache.index.get(ns, 'after-500'));
    assert.ok(sub.cache.stats.reconnects > reconnects);
    assert.ok(stale.includes(true), 'marked stale while reconnecting');
    assert.equal(sub.cache.status.stale, false);
    assert.ok(states.includes('reconnecting'), `connection states: ${states.join(',')}`);
    await eventually(() => engine.context(ctx).connection.state === 'connected');
  });

  it('notices a silent server (no bytes, no bookmarks), marks the data stale, and catches up when it speaks again', async () => {
    const { silent } = sub.cache.stats;
    stale.length = 0;
    states.length = 0;
    await simAdmin(sim, 'POST', '/_sim/pause?seconds=12');
    // The cluster keeps changing while its API is silent.
    create('during-pause');
    update('seed-102', 'paused');
    await eventually(() => sub.cache.status.stale, 15_000);
    assert.equal(sub.cache.index.get(ns, 'during-pause'), undefined, 'nothing flows while paused');
    assert.ok(sub.cache.stats.silent > silent);
    const s = engine.context(ctx).connection;
    assert.equal(s.state, 'reconnecting');
    await eventually(() => inSync() && sub.cache.index.get(ns, 'during-pause'), 30_000);
    assert.ok(states.includes('reconnecting'), states.join(','));
    await eventually(() => engine.context(ctx).connection.state === 'connected');
  });

  it('survives a pause longer than its request timeout and matches the cluster afterwards', async () => {
    // An engine of its own, quicker than the shared one: a watch silent for 2 s is given up, and its requests give up
    // after 3 s. The server stops answering for 8 s: the relists after the silence time out too, and once the server
    // answers again the cache catches up.
    const quick = new KubeEngine({
      files: [sim.kubeconfig],
      watchFiles: false,
      cache: { silentMs: 2000, backoffMinMs: 100, backoffMaxMs: 1000, requestTimeoutMs: 3000, pageSize: 50 },
    });
    try {
      await quick.connect(ctx);
      const s = quick.subscribe(ctx, 'configmaps', ns);
      await s.cache.whenSynced();
      const same2 = () =>
        same(new Map(s.cache.list().map((o) => [o.metadata.name, String(o.metadata.resourceVersion)])), truth());
      await simAdmin(sim, 'POST', '/_sim/pause?seconds=8');
      const reconnects = s.cache.stats.reconnects;
      for (let i = 0; i < 20; i++) create(`long-pause-${i}`);
      remove('seed-103');
      await eventually(() => s.cache.status.stale, 15_000);
      assert.equal(s.cache.index.get(ns, 'long-pause-0'), undefined);
      await eventually(
        () =>
          s.cache.status.live &&
          !s.cache.status.stale &&
          same2() &&
          s.cache.index.get(ns, 'long-pause-19') &&
          !s.cache.index.get(ns, 'seed-103'),
        50_000,
      );
      await eventually(() => quick.context(ctx).connection.state === 'connected');
      // Given up on the silent watch, and on at least one request that timed out during the pause.
      assert.ok(s.cache.stats.reconnects >= reconnects + 2, `${s.cache.stats.reconnects - reconnects} reconnects`);
      // The shared engine, with its longer timeout, caught up too.
      await eventually(inSync, 30_000);
    } finally {
      await quick.close();
    }
  });

  it('shares one watch between subscribers and stops it when the last one leaves', async () => {
    const a = engine.subscribe(ctx, 'secrets', ns);
    const b = engine.subscribe(ctx, 'Secret', ns);
    assert.equal(a.cache, b.cache);
    await a.cache.whenSynced();
    assert.equal(engine.openCaches(ctx).find((c) => c.kind === 'secrets')!.refs, 2);
    await a.unsubscribe();
    assert.equal(engine.openCaches(ctx).find((c) => c.kind === 'secrets')!.refs, 1);
    await b.unsubscribe();
    assert.equal(
      engine.openCaches(ctx).find((c) => c.kind === 'secrets'),
      undefined,
    );
    // configmaps (ours) + CRDs (discovery) remain open on the server.
    await eventually(async () => ((await simAdmin(sim, 'GET', '/_sim/stats')) as { watches: number }).watches === 2);
  });

  it('reports a kind the user may not watch as an error, not as empty data', async () => {
    const v = engine.subscribe(sim.contexts.viewer, 'secrets', ns);
    await assert.rejects(v.cache.whenSynced(), (e: { code: string }) => e.code === 'forbidden');
    assert.equal(v.cache.status.synced, false);
    assert.equal(v.cache.status.error?.code, 'forbidden');
    await v.unsubscribe();
  });
});
