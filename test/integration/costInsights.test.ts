// Cost insights over real HTTP against the simulated demo cluster: allocation at the prices of the nodes' instance
// types, idle cost, efficiency from the metrics engine's samples, the planted over-provisioned workload found with a
// right-size patch that previews through the insights fix path, price edits per node type, and namespace scoping.
import assert from 'node:assert/strict';
import { api, startHarness, type Harness } from './serverHelpers';
import type { CostAnalysis } from '../../src/shared/cost';

describe('cost insights (demo cluster)', function () {
  this.timeout(120_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const cost = async (q = ''): Promise<CostAnalysis> => {
    const r = await A.get(`/api/cost/analysis${q}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };

  before(async () => {
    h = await startHarness();
    A = api(h);
    const ctx = h.app.deps.kube.currentContext();
    // Usage history: wait until the planted workload runs, then a few samples of metrics.k8s.io.
    await h.app.deps.metrics.start(ctx);
    const end = Date.now() + 30_000;
    while (
      !h.app.deps.metrics.snapshot(ctx, 'shop').pods.some((p) => p.name.startsWith('recommendations-')) &&
      Date.now() < end
    )
      await h.app.deps.metrics.sampleNow(ctx);
    for (let i = 0; i < 4; i++) await h.app.deps.metrics.sampleNow(ctx);
  });
  after(async () => h?.close());

  it('allocates at instance-type prices, with idle cost and efficiency, keeping the original keys', async () => {
    const c = await cost();
    assert.equal(c.currency, 'USD');
    assert.ok(c.pricing.cpuPerCoreHour > 0 && c.pricing.source.includes('OpenCost'));
    assert.ok(c.namespaces.length > 5);
    for (const k of ['namespace', 'cpuCores', 'memoryGiB', 'gpus', 'hourlyCost', 'monthlyCost', 'pods'])
      assert.ok(k in c.namespaces[0], k);
    assert.ok(c.total.hourlyCost > 0 && Math.abs(c.total.monthlyCost - c.total.hourlyCost * 730) < 1);
    // The demo's nodes are priced from the catalog: e2-standard-4 at GCP's list price, the GPU node as a2-ultragpu-4g.
    const e2 = c.prices.nodeTypes.find((t) => t.type === 'e2-standard-4')!;
    assert.equal(e2.source, 'catalog');
    assert.match(e2.sourceDetail, /GCP e2-standard-4 .*list price/);
    assert.equal(e2.nodeHourly, 0.134);
    const gpuNode = c.nodes.find((n) => n.name === 'gpu-node-1')!;
    assert.equal(gpuNode.type, 'a2-ultragpu-4g');
    assert.equal(gpuNode.hourlyCost, 20.27);
    // GPUs are priced: the llm-server's GPU costs more than its CPU.
    const llm = c.workloads.find((w) => w.name === 'llm-server')!;
    assert.equal(llm.kind, 'Deployment');
    assert.ok(llm.gpus === 1 && llm.gpuCost > llm.cpuCost, JSON.stringify(llm));
    // Idle: what the nodes cost beyond what their pods are allocated.
    assert.ok(c.idle.hourlyCost > 0);
    assert.ok(Math.abs(c.total.clusterHourly - c.total.hourlyCost - c.idle.hourlyCost) < 0.01);
    assert.ok(c.idle.share > 0 && c.idle.share < 1);
    // Efficiency from usage.
    assert.equal(c.usage.available, true);
    assert.ok(c.efficiency.cpu! > 0 && c.efficiency.memory! > 0);
    const rec = c.workloads.find((w) => w.namespace === 'shop' && w.name === 'recommendations')!;
    assert.ok(rec.cpuEfficiency! < 0.15 && rec.memoryEfficiency! < 0.15, JSON.stringify(rec));
  });

  it('reports the over-provisioned workload with a right-size patch that previews', async () => {
    const c = await cost();
    const r = c.recommendations.find((x) => x.namespace === 'shop' && x.name === 'recommendations')!;
    assert.ok(r, JSON.stringify(c.recommendations.map((x) => x.findingId)));
    assert.equal(r.check, 'overProvisioned');
    assert.equal(r.container, 'recommender');
    assert.equal(r.current.cpu, 1000);
    assert.ok(r.recommended.cpu < 200 && r.recommended.cpu >= 10, JSON.stringify(r));
    assert.ok(r.recommended.memory < 512 * 2 ** 20 && r.recommended.memory >= r.usage.memoryP95);
    assert.ok(r.monthlySavings > 5);
    const f = (await A.get('/api/insights/findings?source=cost&namespace=shop')).body.findings as Array<{
      id: string;
      family: string;
      fix?: { type: string };
      why: string;
    }>;
    const finding = f.find((x) => x.id === r.findingId)!;
    assert.ok(finding, JSON.stringify(f.map((x) => x.id)));
    assert.equal(finding.family, 'Right-sizing');
    assert.equal(finding.fix?.type, 'patch');
    assert.match(finding.why, /p95/);
    const pv = await A.post('/api/insights/fix-preview', { findingId: r.findingId });
    assert.equal(pv.status, 200, pv.text);
    assert.equal(pv.body.validated, true, pv.text);
    assert.match(pv.body.diff, /-\s+cpu: "?1"?\n/);
    assert.match(pv.body.diff, /\+\s+cpu: \d+m/);
    assert.match(pv.body.yaml, /memory: \d+Mi/);
  });

  it('prices per node type: an edit wins over the catalog, and removing it restores the catalog', async () => {
    const bad = await A.post('/api/cost/prices', { nodeType: 'e2-standard-4', nodeHourly: -1 });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.message);
    const r = await A.post('/api/cost/prices', { nodeType: 'e2-standard-4', nodeHourly: 0.5 });
    assert.equal(r.status, 200, r.text);
    let c = await cost();
    let e2 = c.prices.nodeTypes.find((t) => t.type === 'e2-standard-4')!;
    assert.equal(e2.source, 'custom');
    assert.equal(e2.nodeHourly, 0.5);
    assert.equal(e2.catalog?.hourly, 0.134012);
    assert.equal(c.nodes.find((n) => n.name === 'worker-a')!.hourlyCost, 0.5);
    await A.post('/api/cost/prices', { nodeType: 'e2-standard-4' });
    c = await cost();
    e2 = c.prices.nodeTypes.find((t) => t.type === 'e2-standard-4')!;
    assert.equal(e2.source, 'catalog');
    assert.equal(e2.override, undefined);
  });

  it('scopes rows to a namespace and aggregates by a label', async () => {
    const c = await cost('?namespace=shop&label=app');
    assert.deepEqual(
      c.namespaces.map((n) => n.namespace),
      ['shop'],
    );
    assert.ok(c.workloads.every((w) => w.namespace === 'shop'));
    assert.ok(c.recommendations.every((w) => w.namespace === 'shop'));
    assert.equal(c.labels.key, 'app');
    assert.ok(c.labels.rows.some((r) => r.value === 'recommendations'));
    assert.ok(c.labelKeys.includes('app'));
    // Idle stays cluster-wide.
    assert.ok(c.idle.hourlyCost > 0);
  });
});
