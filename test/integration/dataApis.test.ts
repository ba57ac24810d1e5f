// The MLflow, Feast and GPU routes the data pages read, over real HTTP against the simulated demo cluster: MLflow's
// REST API and Feast's registry REST API reached through the API server's service proxy, DCGM readings kept as
// history, pods holding GPUs; and what each route says on a cluster without them.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, kubectlOk, startTestSim, type Sim } from '../helpers/sim';
import { startApp, type App } from '../../src/server/app';
import { GpuHistoryKeeper } from '../../src/core/integrations/gpu';
import { api, startHarness, type Harness } from './serverHelpers';

describe('MLflow, Feast and GPU routes (demo cluster)', function () {
  this.timeout(60_000);
  let h: Harness;
  let A: ReturnType<typeof api>;

  before(async () => {
    h = await startHarness();
    A = api(h);
    // The apps answer once their pods are ready behind their Services.
    await eventually(async () => (await A.get('/api/mlflow/experiments')).status === 200, 30_000);
    await eventually(async () => (await A.get('/api/feast/registry')).status === 200, 30_000);
  });
  after(async () => h?.close());

  it('MLflow: experiments, runs with metric and parameter columns, a run with its history and models', async () => {
    const e = (await A.get('/api/mlflow/experiments')).body;
    assert.deepEqual(e.server, { namespace: 'mlflow', service: 'mlflow', version: '2.17.2' });
    assert.deepEqual(
      e.experiments.map((x: any) => x.name),
      ['Default', 'iris-classifier', 'llm-finetune'],
    );
    const iris = e.experiments.find((x: any) => x.name === 'iris-classifier');
    assert.deepEqual(iris.tags, { team: 'ml' });
    // Created an hour after the team's first experiment, five days before the simulator started.
    assert.equal(Date.parse(iris.created) - Date.parse(e.experiments[0].created), 3_600_000);
    assert.ok(Date.now() - Date.parse(iris.created) < 6 * 86_400_000);
    const all = (await A.get('/api/mlflow/experiments?view=all')).body.experiments;
    assert.equal(all.find((x: any) => x.name === 'old-baseline').lifecycleStage, 'deleted');

    const runs = (await A.get(`/api/mlflow/runs?experimentId=${iris.id}`)).body;
    assert.equal(runs.experiment.name, 'iris-classifier');
    assert.deepEqual(
      runs.runs.map((r: any) => [r.name, r.status]),
      [
        ['tree-depth-2', 'FAILED'],
        ['logreg', 'FINISHED'],
        ['svc-rbf', 'FINISHED'],
      ],
    );
    assert.deepEqual(runs.metricKeys, ['accuracy', 'f1']);
    assert.deepEqual(runs.paramKeys, ['C', 'kernel', 'max_depth', 'penalty']);
    const svc = runs.runs.find((r: any) => r.name === 'svc-rbf');
    assert.equal(svc.metrics.accuracy.value, 0.973);
    assert.deepEqual(svc.params, { kernel: 'rbf', C: '1.0' });
    assert.equal(svc.user, 'alice');
    assert.ok(Date.parse(svc.ended) > Date.parse(svc.started));

    const run = (await A.get(`/api/mlflow/run?runId=${svc.id}`)).body;
    assert.equal(run.run.name, 'svc-rbf');
    assert.equal(run.experiment.name, 'iris-classifier');
    assert.equal(run.history.accuracy.length, 11);
    assert.deepEqual(
      run.history.accuracy.map((p: any) => p.step),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(run.history.accuracy.at(-1).value, 0.973);
    assert.ok(run.history.accuracy[0].value < 0.973);
    assert.deepEqual(
      run.models.map((v: any) => [v.name, v.version, v.stage, v.aliases]),
      [['iris-classifier', '2', 'Production', ['champion']]],
    );
  });

  it('MLflow: registered models with every version and stage; bad ids are refused, unknown runs are 404', async () => {
    const m = (await A.get('/api/mlflow/models')).body.models;
    assert.deepEqual(
      m.map((x: any) => [x.name, x.versions.map((v: any) => `${v.version}:${v.stage}`)]),
      [
        ['iris-classifier', ['2:Production', '1:Archived']],
        ['llama-3-8b-lora', ['1:Staging']],
      ],
    );
    assert.deepEqual(m[0].aliases, [{ alias: 'champion', version: '2' }]);
    assert.ok(m[0].versions.every((v: any) => v.runId && v.status === 'READY'));
    const bad = await A.get('/api/mlflow/runs?experimentId=../1');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /experimentId must be an MLflow id/i);
    const missing = await A.get('/api/mlflow/run?runId=nope');
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /Run 'nope' not found/);
  });

  it('Feast: the registry servers found, and projects, entities, feature views and services from its REST API', async () => {
    const st = (await A.get('/api/feast/status')).body;
    assert.equal(st.installed, true);
    assert.equal(st.registryReadable, true);
    assert.deepEqual(
      st.services.map((s: any) => [s.role, `${s.namespace}/${s.name}`]),
      [
        ['online', 'feast/feast-driver-ranking-online'],
        ['registry-rest', 'feast/feast-driver-ranking-registry-rest'],
      ],
    );
    const r = (await A.get('/api/feast/registry')).body;
    assert.deepEqual(r.source, { namespace: 'feast', service: 'feast-driver-ranking-registry-rest' });
    assert.deepEqual(
      r.projects.map((p: any) => p.name),
      ['driver_ranking'],
    );
    assert.deepEqual(
      r.entities.map((e: any) => [e.name, e.joinKey, e.valueType]),
      [
        ['customer', 'customer_id', 'STRING'],
        ['driver', 'driver_id', 'INT64'],
      ],
    );
    const views = Object.fromEntries(r.featureViews.map((v: any) => [v.name, v]));
    assert.deepEqual(Object.keys(views), ['customer_profile', 'driver_hourly_stats', 'transformed_conv_rate']);
    assert.deepEqual(
      views.driver_hourly_stats.features.map((f: any) => f.name),
      ['conv_rate', 'acc_rate', 'avg_daily_trips'],
    );
    assert.equal(views.driver_hourly_stats.type, 'batch');
    assert.equal(views.driver_hourly_stats.ttl, '86400s');
    assert.equal(views.driver_hourly_stats.online, true);
    assert.deepEqual(views.driver_hourly_stats.sources, ['driver_hourly_stats_source']);
    const until = Date.parse(views.driver_hourly_stats.materializedUntil);
    assert.ok(until < Date.now() && Date.now() - until < 3 * 3_600_000, views.driver_hourly_stats.materializedUntil);
    assert.equal(views.transformed_conv_rate.type, 'onDemand');
    assert.deepEqual(views.transformed_conv_rate.sources, ['driver_hourly_stats', 'vals_to_add']);
    assert.deepEqual(r.featureServices[0].featureViews, [
      { name: 'driver_hourly_stats', features: ['conv_rate', 'avg_daily_trips'] },
      { name: 'transformed_conv_rate', features: ['conv_rate_plus_val1'] },
    ]);
  });

  it('GPU: pods holding or waiting for GPUs, and DCGM readings kept as history shared by close calls', async () => {
    const pods = (await A.get('/api/gpu/pods')).body.pods;
    const byName = Object.fromEntries(pods.map((p: any) => [p.name, p]));
    assert.equal(byName['trainer-large'].gpus, 8);
    assert.equal(byName['trainer-large'].node, undefined);
    assert.equal(byName['trainer-large'].reason, 'Unschedulable');
    assert.match(byName['trainer-large'].message, /nvidia\.com\/gpu/);
    const running = pods.filter((p: any) => p.node === 'gpu-node-1');
    assert.ok(running.length >= 2, JSON.stringify(pods));
    assert.ok(pods.every((p: any) => p.gpus > 0));
    const shop = (await A.get('/api/gpu/pods?namespace=shop')).body.pods;
    assert.deepEqual(shop, []);

    const [a, b] = [(await A.get('/api/gpu/metrics')).body, (await A.get('/api/gpu/metrics')).body];
    assert.equal(a.scrapedAt, b.scrapedAt, 'calls within the sample interval share one scrape');
    assert.equal(a.intervalMs, 5000);
    assert.ok(a.history.length >= 1);
    const last = a.history.at(-1);
    assert.equal(last.time, a.scrapedAt);
    assert.equal(last.gpus.length, 4);
    assert.ok(last.gpus.every((g: any) => g.node === 'gpu-node-1' && g.memoryTotalMiB === 81920 && g.powerW > 0));
    const busy = a.gpus.filter((g: any) => g.pod).map((g: any) => g.pod.name);
    assert.deepEqual([...new Set(busy)].sort(), running.map((p: any) => p.name).sort());
  });

  it('GPU: readings are kept in the background while metrics are sampled, so the page opens on history', async () => {
    // The server's own keeper follows the metrics interval (15 s); one at 300 ms shows the same without the wait.
    const keeper = new GpuHistoryKeeper(h.app.deps, 300);
    const seen = new Set<string>();
    const off = keeper.events.on('sample', (e) => seen.add(e.time));
    try {
      assert.equal((await A.get('/api/metrics/status')).status, 200, 'the dashboard starts metrics sampling');
      await eventually(() => seen.size >= 2, 30_000);
    } finally {
      off();
      keeper.close();
    }
    const history: Array<{ time: string }> = (await A.get('/api/gpu/metrics')).body.history;
    const times = new Set(history.map((x) => x.time));
    for (const t of seen) assert.ok(times.has(t), `the background reading of ${t} is in the page's history`);
  });

  it('Feast without the registry REST API says what is missing; without any server, that Feast is absent', async () => {
    await kubectlOk(h.sim, ['-n', 'feast', 'delete', 'service', 'feast-driver-ranking-registry-rest']);
    const st = await eventually(async () => {
      const s = (await A.get('/api/feast/status')).body;
      return s.registryReadable === false && s;
    });
    assert.equal(st.installed, true);
    assert.match(st.missing, /registry server's REST API/);
    assert.match(st.missing, /restAPI: true/);
    const r = await A.get('/api/feast/registry');
    assert.equal(r.status, 424);
    assert.equal(r.body.error.code, 'notInstalled');
    assert.match(r.body.error.message, /REST API/);
    await kubectlOk(h.sim, ['-n', 'feast', 'delete', 'service', 'feast-driver-ranking-online']);
    const gone = await eventually(async () => {
      const s = (await A.get('/api/feast/status')).body;
      return s.installed === false && s;
    });
    assert.deepEqual(gone.services, []);
    assert.match(gone.missing, /Feast operator/);
  });
});

describe('MLflow, Feast and GPU routes on a cluster without them', function () {
  this.timeout(30_000);
  let sim: Sim;
  let app: App;
  let A: ReturnType<typeof api>;

  before(async () => {
    sim = await startTestSim();
    app = await startApp({
      kubeconfigFiles: [sim.kubeconfig],
      dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-web-')),
      demo: true,
    });
    A = api({ base: app.server.url, token: app.token } as Harness);
  });
  after(async () => {
    await app?.close();
    await sim?.close();
  });

  it('answers 424 with what is missing, and empty GPU lists', async () => {
    for (const path of ['/api/mlflow/experiments', '/api/mlflow/models', '/api/feast/registry', '/api/gpu/metrics']) {
      const r = await A.get(path);
      assert.equal(r.status, 424, `${path}: ${r.text}`);
      assert.equal(r.body.error.code, 'notInstalled');
    }
    const st = (await A.get('/api/feast/status')).body;
    assert.equal(st.installed, false);
    assert.match(st.missing, /serve_registry --rest-api/);
    assert.deepEqual((await A.get('/api/gpu/pods')).body.pods, []);
    const gs = (await A.get('/api/gpu/status')).body;
    assert.equal(gs.available, false);
  });
});
