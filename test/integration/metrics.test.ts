// The metrics engine against the simulator's metrics.k8s.io, and against a cluster without it (no numbers invented).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, WebSocket } from 'ws';
import { KubeEngine } from '../../src/core/kube/engine';
import { KubeError } from '../../src/core/kube/errors';
import { MetricsEngine } from '../../src/core/metrics/engine';
import { KubeGrafStore } from '../../src/core/store/store';
import { METRIC_HANDLERS, metricsStream } from '../../src/core/api/metrics';
import type { MetricsSnapshot } from '../../src/shared/metrics';
import { eventually, startTestSim, type Sim } from '../helpers/sim';

const caller = { face: 'http' as const };

describe('metrics engine against the simulator', function () {
  this.timeout(60_000);
  let sim: Sim;
  let kube: KubeEngine;
  let store: KubeGrafStore;
  before(async () => {
    sim = await startTestSim({ scenario: 'demo' });
    kube = new KubeEngine({ files: [sim.kubeconfig], watchFiles: false });
    store = await KubeGrafStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-metrics-')) });
  });
  after(async () => {
    await kube.close();
    await store.close();
    await sim.close();
  });

  it('samples nodes and pods from metrics.k8s.io, with percentages of allocatable, and keeps a bounded ring', async () => {
    const metrics = new MetricsEngine({ kube, store, intervalMs: 200, ringSize: 5 });
    const deps = { metrics, kube };
    try {
      // The demo's pods come up over the first seconds; take a snapshot that has them.
      const snap = await eventually(async () => {
        const s = await METRIC_HANDLERS.metrics({ context: sim.contexts.admin }, deps, caller);
        assert.equal(s.available, true, s.reason);
        return s.pods.some((p) => p.namespace === 'monitoring' && p.name.startsWith('grafana')) ? s : undefined;
      });
      const node = snap.nodes.find((n) => n.name === 'worker-a')!;
      assert.ok(node.cpuCapacity > 3000 && node.cpuCapacity <= 4000, 'allocatable millicores of a 4-core node');
      assert.ok(node.cpuMillicores > 0 && node.cpuUsage > 0 && node.cpuUsage < 100);
      const loader = snap.pods.find((p) => p.namespace === 'monitoring' && p.name.startsWith('grafana'));
      assert.ok(loader && loader.memoryUsage > 0 && loader.containers.length === 1);
      // Sampling every 200 ms: wait for more samples than the ring holds (a loaded machine may take longer).
      const st = await eventually(async () => {
        const s = await METRIC_HANDLERS['metrics.status']({ context: sim.contexts.admin }, deps, caller);
        return s.samples >= 6 ? s : undefined;
      });
      assert.equal(st.available, true);
      assert.equal(st.ringSize, 5, 'the ring is bounded');
      const hist = await METRIC_HANDLERS['metrics.snapshot'](
        { context: sim.contexts.admin, kind: 'node', name: 'worker-a' },
        deps,
        caller,
      );
      assert.equal(hist.history.source, 'memory');
      assert.ok(hist.history.points.length >= 3 && hist.history.points.length <= 5);
      const pods = await METRIC_HANDLERS['pods.metrics'](
        { context: sim.contexts.admin, namespace: 'shop' },
        deps,
        caller,
      );
      assert.ok(pods.pods.length > 0 && pods.pods.every((p) => p.namespace === 'shop'));
      await assert.rejects(
        METRIC_HANDLERS['metrics.snapshot']({ context: sim.contexts.admin, kind: 'pod', name: 'x' }, deps, caller),
        /namespace/,
      );
    } finally {
      await metrics.close();
    }
    // Stopping writes the pending 5-minute buckets to the store.
    assert.ok(store.metricsBucketCount(sim.contexts.admin) > 0);
    assert.ok(store.metricsBuckets(sim.contexts.admin, 'node:worker-a', '1970-01-01T00:00:00Z')[0].samples >= 1);
  });

  it('says metrics.k8s.io is not installed and reports no numbers', async () => {
    const metrics = new MetricsEngine({
      kube,
      intervalMs: 60_000,
      get: async () => Promise.reject(new KubeError('notFound', 'the server could not find the requested resource')),
    });
    try {
      const snap = await METRIC_HANDLERS.metrics({ context: sim.contexts.admin }, { metrics, kube }, caller);
      assert.equal(snap.available, false);
      assert.match(snap.reason ?? '', /not installed/);
      assert.deepEqual(snap.nodes, []);
      assert.deepEqual(snap.pods, []);
      assert.equal(snap.cluster.cpuMillicores, 0);
      const st = metrics.status(sim.contexts.admin);
      assert.equal(st.available, false);
      assert.match(st.reason ?? '', /metrics-server/);
    } finally {
      await metrics.close();
    }
  });

  it('streams snapshots on /ws/metrics after a subscribe message, and rejects bad messages', async () => {
    const metrics = new MetricsEngine({ kube, intervalMs: 500 });
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', (ws) => metricsStream(ws, { context: sim.contexts.admin }, { metrics, kube }));
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    try {
      const got: Array<MetricsSnapshot | { type: 'error' }> = [];
      await new Promise<void>((resolve, reject) => {
        ws.on('open', () => {
          ws.send('not json');
          ws.send(JSON.stringify({ action: 'subscribe', interval: 1000 }));
        });
        ws.on('message', (d) => {
          got.push(JSON.parse(String(d)));
          if (got.filter((m) => 'timestamp' in m).length >= 2) resolve();
        });
        ws.on('error', reject);
        setTimeout(() => reject(new Error('no stream')), 15_000);
      });
      assert.equal((got[0] as { type: string }).type, 'error');
      const snaps = got.filter((m): m is MetricsSnapshot => 'timestamp' in m);
      assert.equal(snaps[0].available, true);
      assert.ok(snaps[0].nodes.length >= 3 && snaps[0].pods.length > 10);
    } finally {
      ws.close();
      wss.close();
      await metrics.close();
    }
  });
});
