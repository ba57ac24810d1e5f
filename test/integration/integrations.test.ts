// Integrations that talk to in-cluster apps (Kiali, MLflow, dcgm-exporter, KServe predictors) through the API
// server's service proxy, and Kubeflow job creation and log streaming, over real HTTP against the simulated demo
// cluster; the same proxy checked with real kubectl; and the "not installed" answers on an empty cluster.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, kubectl, kubectlOk, simAdmin, startTestSim, type Sim } from '../helpers/sim';
import { startApp, type App } from '../../src/server/app';
import { callProxy } from '../../src/core/api/serviceProxy';
import { ALL_HANDLERS, type AnyHandler } from '../../src/core/api/handlers';
import { api, nextMessage, openWs, request, startHarness, type Harness } from './serverHelpers';

describe('integrations through the API server service proxy (demo cluster)', function () {
  this.timeout(90_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const raw = (path: string, viewer = false) => kubectl(h.sim, ['get', '--raw', path], { viewer });

  before(async () => {
    h = await startHarness();
    A = api(h);
    await eventually(
      async () => (await raw('/api/v1/namespaces/istio-system/services/kiali:20001/proxy/kiali/healthz')).code === 0,
      30_000,
    );
    await eventually(
      async () => (await raw('/api/v1/namespaces/mlflow/services/mlflow:5000/proxy/health')).stdout === 'OK',
      30_000,
    );
  });
  after(async () => h?.close());

  it('kubectl get --raw reaches the apps, and gets the API server errors for missing services, ports and endpoints', async () => {
    const status = JSON.parse(
      (await raw('/api/v1/namespaces/istio-system/services/kiali:http/proxy/kiali/api/status')).stdout,
    );
    assert.equal(status.status['Kiali state'], 'running');
    const metrics = (
      await raw('/api/v1/namespaces/gpu-operator/services/nvidia-dcgm-exporter:gpu-metrics/proxy/metrics')
    ).stdout;
    assert.match(metrics, /^# TYPE DCGM_FI_DEV_GPU_UTIL gauge$/m);
    assert.match(metrics, /^DCGM_FI_DEV_GPU_UTIL\{gpu="3",.*hostname="gpu-node-1".*\} \d+$/m);
    const missing = await raw('/api/v1/namespaces/shop/services/nope:80/proxy/healthz');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFound.*services "nope" not found/);
    const noEndpoints = await raw('/api/v1/namespaces/monitoring/services/alertmanager:9093/proxy/');
    assert.match(noEndpoints.stderr, /ServiceUnavailable.*no endpoints available for service "alertmanager"/);
    const badPort = await raw('/api/v1/namespaces/shop/services/cart:9999/proxy/');
    assert.match(badPort.stderr, /no service port "9999" found/);
    assert.equal((await raw('/api/v1/namespaces/shop/services/frontend:80/proxy/healthz')).stdout, 'ok');
  });

  it('the proxy is authorised as services/proxy: the viewer may GET, not POST', async () => {
    assert.equal((await raw('/api/v1/namespaces/mlflow/services/mlflow:5000/proxy/health', true)).stdout, 'OK');
    const body = '{"instances":[[5.1,3.5,1.4,0.2]]}';
    const post = (viewer: boolean) =>
      kubectl(
        h.sim,
        [
          'create',
          '--raw',
          '/api/v1/namespaces/ml/services/sklearn-iris-predictor:80/proxy/v1/models/sklearn-iris:predict',
          '-f',
          '-',
        ],
        { viewer, stdin: body },
      );
    const denied = await post(true);
    assert.match(denied.stderr, /Forbidden.*services\/proxy/);
    assert.deepEqual(JSON.parse((await post(false)).stdout), { predictions: [0] });
  });

  it('/api/kiali/proxy/* answers Kiali API paths under its web root; dot segments are refused', async () => {
    const s = await A.get('/api/kiali/proxy/api/status');
    assert.equal(s.status, 200);
    assert.equal(s.body.status['Kiali state'], 'running');
    const g = await A.get('/api/kiali/proxy/api/namespaces/graph?namespaces=shop&graphType=workload');
    assert.equal(g.status, 200);
    assert.ok(g.body.elements.nodes.some((n: any) => n.data.workload === 'frontend'));
    const bad = await A.get('/api/kiali/proxy/api/namespaces/graph?namespaces=shop&graphType=bogus');
    assert.equal(bad.status, 400, "the app's own status and body come through");
    assert.deepEqual(bad.body, { error: 'Invalid graphType [bogus]' });
    const escape = await A.get('/api/kiali/proxy/..%2F..%2F..%2F..%2Fsecrets');
    assert.equal(escape.status, 400);
    assert.match(escape.body.error.message, /"\.\."/);
  });

  it('/api/mlflow/proxy/* searches experiments (paged) and runs (POST with a body), passing MLflow errors', async () => {
    const e = await A.get('/api/mlflow/proxy/api/2.0/mlflow/experiments/search?max_results=2');
    assert.equal(e.status, 200);
    assert.deepEqual(
      e.body.experiments.map((x: any) => x.name),
      ['Default', 'iris-classifier'],
    );
    assert.ok(e.body.next_page_token);
    const rest = await A.get(
      `/api/mlflow/proxy/api/2.0/mlflow/experiments/search?max_results=2&page_token=${encodeURIComponent(e.body.next_page_token)}`,
    );
    assert.deepEqual(
      rest.body.experiments.map((x: any) => x.name),
      ['llm-finetune'],
    );
    const runs = await A.post('/api/mlflow/proxy/api/2.0/mlflow/runs/search', {
      experiment_ids: ['1'],
      filter: "attributes.status = 'FINISHED'",
    });
    assert.equal(runs.status, 200);
    assert.deepEqual(runs.body.runs.map((r: any) => r.info.run_name).sort(), ['logreg', 'svc-rbf']);
    const missing = await A.get('/api/mlflow/proxy/api/2.0/mlflow/runs/get?run_id=nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
    const text = await A.get('/api/mlflow/proxy/version');
    assert.equal(text.text, '2.17.2');
  });

  it("the webview bridge reaches the same apps through the routes' JSON handlers (method and body as params)", async () => {
    const call = (id: 'kiali.proxy' | 'mlflow.proxy', params: Record<string, unknown>) =>
      (ALL_HANDLERS[id] as AnyHandler)(params as never, h.app.deps, { face: 'webview' });
    const runs = (await call('mlflow.proxy', {
      path: 'api/2.0/mlflow/runs/search',
      method: 'POST',
      body: { experiment_ids: ['2'] },
    })) as any;
    assert.deepEqual(
      runs.runs.map((r: any) => r.info.run_name),
      ['lora-r16', 'lora-r8'],
    );
    await assert.rejects(
      call('mlflow.proxy', { path: 'api/2.0/mlflow/runs/get', run_id: 'nope' }),
      (e: any) => e.status === 404 && e.details?.body?.error_code === 'RESOURCE_DOES_NOT_EXIST',
    );
    await assert.rejects(call('kiali.proxy', { path: '../../secrets' }), (e: any) => e.status === 400);
  });

  it('the streaming proxy passes method, body and status through unchanged', async () => {
    const runs = await request(h, 'POST', '/api/mlflow/proxy/api/2.0/mlflow/runs/search', { experiment_ids: ['2'] });
    assert.equal(runs.status, 200);
    assert.match(String(runs.headers['content-type']), /application\/json/);
    assert.deepEqual(
      runs.body.runs.map((r: any) => r.info.run_name),
      ['lora-r16', 'lora-r8'],
    );
    const notAllowed = await request(h, 'GET', '/api/mlflow/proxy/api/2.0/mlflow/runs/search');
    assert.equal(notAllowed.status, 405);
    const health = await request(h, 'GET', '/api/mlflow/proxy/health');
    assert.equal(health.text, 'OK');
    assert.match(
      String(health.headers['content-security-policy']),
      /sandbox/,
      "the app's pages cannot script the dashboard's origin",
    );
    assert.equal(health.headers['x-kubegraf-proxied-from'], 'mlflow');
  });

  it('traffic metrics come from the Kiali graph: rates per workload edge, failures where backends are down', async () => {
    const t = await A.get('/api/traffic/metrics?namespace=shop');
    assert.equal(t.status, 200);
    assert.equal(t.body.source, 'kiali');
    assert.deepEqual(t.body.namespaces, ['shop']);
    const name = (id: string) => t.body.nodes.find((n: any) => n.id === id)?.workload;
    const pairs = t.body.edges.map((e: any) => `${name(e.source)}>${name(e.target)}`).sort();
    assert.deepEqual(pairs, [
      'cart>redis',
      'frontend>catalog',
      'frontend>checkout',
      'istio-ingressgateway>cart',
      'istio-ingressgateway>frontend',
    ]);
    assert.ok(t.body.edges.every((e: any) => e.requestsPerSecond > 0 && e.mtls));
    assert.ok(t.body.nodes.find((n: any) => n.workload === 'istio-ingressgateway').outside);
    assert.ok(t.body.totals.requestsPerSecond > 0);
    await kubectlOk(h.sim, ['scale', 'deployment', 'catalog', '-n', 'shop', '--replicas=0']);
    const failing = await eventually(async () => {
      const b = (await A.get('/api/traffic/metrics?namespace=shop&duration=5m')).body;
      const e = b.edges.find((x: any) => b.nodes.find((n: any) => n.id === x.target)?.workload === 'catalog');
      return e?.errorRate === 1 ? b : undefined;
    }, 30_000);
    assert.equal(failing.duration, '5m');
    assert.ok(failing.totals.errorsPerSecond > 0);
    assert.equal((await A.get('/api/traffic/metrics?duration=forever')).status, 400);
  });

  it('GPU metrics: one record per GPU of each node from its dcgm-exporter, busy where pods hold GPUs', async () => {
    const m = await A.get('/api/gpu/metrics');
    assert.equal(m.status, 200);
    assert.equal(m.body.source, 'dcgm-exporter');
    assert.deepEqual(m.body.errors, []);
    const nodes = (await A.get('/api/gpu/nodes')).body.nodes;
    const gpuNode = nodes.find((n: any) => n.name === 'gpu-node-1');
    const mine = m.body.gpus.filter((g: any) => g.node === 'gpu-node-1');
    assert.equal(mine.length, gpuNode.capacity);
    assert.ok(
      mine.every((g: any) => g.memoryTotalMiB === gpuNode.memoryMiB && g.modelName === 'NVIDIA A100 SXM4 80GB'),
    );
    const busy = mine.filter((g: any) => g.pod);
    assert.deepEqual(
      busy.map((g: any) => `${g.pod.namespace}/${g.pod.name}`).sort(),
      gpuNode.pods.map((p: any) => `${p.namespace}/${p.name}`).sort(),
    );
    assert.ok(busy.every((g: any) => g.utilizationPercent >= 60 && g.memoryUsedMiB > 0));
    assert.ok(mine.filter((g: any) => !g.pod).every((g: any) => g.utilizationPercent === 0));
    assert.deepEqual(
      m.body.nodes.map((n: any) => [n.node, n.gpus, n.busy]),
      [['gpu-node-1', gpuNode.capacity, gpuNode.allocated]],
    );
  });

  it('inference test requests reach the KServe predictor with V1 and V2 bodies; model errors come back as answers', async () => {
    const v1 = await A.post('/api/inference/test', { namespace: 'ml', name: 'sklearn-iris' });
    assert.equal(v1.status, 200);
    assert.deepEqual([v1.body.protocol, v1.body.path, v1.body.status], ['v1', '/v1/models/sklearn-iris:predict', 200]);
    assert.deepEqual(v1.body.body, { predictions: [1, 1] });
    const one = await A.post('/api/inference/test', {
      namespace: 'ml',
      name: 'sklearn-iris',
      input: [
        [5.1, 3.5, 1.4, 0.2],
        [6.3, 3.3, 6.0, 2.5],
      ],
    });
    assert.deepEqual(one.body.body.predictions, [0, 2]);
    const v2 = await A.post('/api/inference/test', {
      namespace: 'ml',
      name: 'sklearn-iris',
      protocol: 'v2',
      input: [[6.3, 3.3, 6.0, 2.5]],
    });
    assert.equal(v2.body.path, '/v2/models/sklearn-iris/infer');
    assert.equal(v2.body.body.model_name, 'sklearn-iris');
    assert.deepEqual(v2.body.body.outputs[0].data, [2]);
    const bad = await A.post('/api/inference/test', { namespace: 'ml', name: 'sklearn-iris', input: [[1, 2]] });
    assert.equal(bad.status, 200);
    assert.equal(bad.body.status, 400);
    assert.match(bad.body.body.error, /4 numbers/);
    assert.equal((await A.post('/api/inference/test', { namespace: 'ml', name: 'nope' })).status, 404);
    await kubectlOk(h.sim, ['scale', 'deployment', 'sklearn-iris-predictor', '-n', 'ml', '--replicas=0']);
    const down = await eventually(async () => {
      const r = await A.post('/api/inference/test', { namespace: 'ml', name: 'sklearn-iris' });
      return r.status === 503 ? r : undefined;
    }, 30_000);
    assert.match(down.body.error.message, /no endpoints available for service "sklearn-iris-predictor"/);
    await kubectlOk(h.sim, ['scale', 'deployment', 'sklearn-iris-predictor', '-n', 'ml', '--replicas=1']);
  });

  it('creates Kubeflow jobs from parameters: dry run first, TrainJob by default, PyTorchJob on request', async () => {
    const dry = await A.post('/api/ml/jobs/create', {
      namespace: 'ml',
      name: 'mnist-v2',
      image: 'ghcr.io/acme/mnist:1.0',
      nodes: 2,
      gpusPerNode: 1,
      dryRun: true,
    });
    assert.equal(dry.status, 200);
    assert.deepEqual([dry.body.kind, dry.body.applied], ['TrainJob', false]);
    assert.match(dry.body.preview.diff, /numNodes: 2/);
    assert.notEqual(
      (await kubectl(h.sim, ['get', 'trainjobs.trainer.kubeflow.org', 'mnist-v2', '-n', 'ml'])).code,
      0,
      'a dry run creates nothing',
    );
    const made = await A.post('/api/ml/jobs/create', {
      namespace: 'ml',
      name: 'mnist-v2',
      image: 'ghcr.io/acme/mnist:1.0',
      nodes: 2,
      gpusPerNode: 1,
      queue: 'gpu-queue',
    });
    assert.equal(made.body.applied, true);
    const tj = JSON.parse(
      await kubectlOk(h.sim, ['get', 'trainjobs.trainer.kubeflow.org', 'mnist-v2', '-n', 'ml', '-o', 'json']),
    );
    assert.deepEqual(tj.spec.runtimeRef, {
      name: 'torch-distributed',
      apiGroup: 'trainer.kubeflow.org',
      kind: 'ClusterTrainingRuntime',
    });
    assert.deepEqual(tj.spec.trainer.resourcesPerNode.limits, { 'nvidia.com/gpu': '1' });
    assert.equal(tj.metadata.labels['kueue.x-k8s.io/queue-name'], 'gpu-queue');
    const pt = await A.post('/api/ml/jobs/create', {
      namespace: 'ml',
      name: 'resnet',
      kind: 'PyTorchJob',
      image: 'ghcr.io/acme/resnet:2',
      nodes: 3,
      cpu: '4',
      memory: '16Gi',
      args: ['--epochs', '3'],
    });
    assert.equal(pt.status, 200);
    const job = JSON.parse(
      await kubectlOk(h.sim, ['get', 'pytorchjobs.kubeflow.org', 'resnet', '-n', 'ml', '-o', 'json']),
    );
    assert.equal(job.spec.pytorchReplicaSpecs.Master.replicas, 1);
    assert.equal(job.spec.pytorchReplicaSpecs.Worker.replicas, 2);
    assert.deepEqual(job.spec.pytorchReplicaSpecs.Worker.template.spec.containers[0].args, ['--epochs', '3']);
    assert.ok((await A.get('/api/ml/jobs/list?namespace=ml')).body.jobs.some((j: any) => j.name === 'resnet'));
    const again = await A.post('/api/ml/jobs/create', {
      namespace: 'ml',
      name: 'resnet',
      kind: 'PyTorchJob',
      image: 'ghcr.io/acme/resnet:2',
    });
    assert.equal(again.status, 409);
    const bad = await A.post('/api/ml/jobs/create', {
      namespace: 'ml',
      name: 'x',
      image: 'has spaces',
      memory: 'lots',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /image/);
    assert.match(bad.body.error.message, /memory/);
  });

  it('proxied calls end with clear errors when the app is too slow or answers too much', async () => {
    const ctx = h.app.deps.kube.currentContext();
    const target = { namespace: 'mlflow', name: 'mlflow', port: 5000 };
    await simAdmin(h.sim, 'POST', '/_sim/latency?ms=1500');
    try {
      await assert.rejects(
        callProxy(h.app.deps, ctx, target, { path: '/health' }, { what: 'MLflow', timeoutMs: 300 }),
        (e: any) => e.code === 'timeout' && e.status === 504 && /MLflow did not answer within 0\.3s/.test(e.message),
      );
    } finally {
      await simAdmin(h.sim, 'POST', '/_sim/latency?ms=0');
    }
    await assert.rejects(
      callProxy(
        h.app.deps,
        ctx,
        target,
        { path: '/api/2.0/mlflow/experiments/search' },
        { what: 'MLflow', maxBytes: 100 },
      ),
      (e: any) => e.code === 'upstreamTooLarge' && e.status === 502,
    );
    assert.equal((await callProxy(h.app.deps, ctx, target, { path: '/health' })).body.toString(), 'OK');
  });

  it("/api/ml/jobs/logs/ws streams the logs of the job's pods; unknown jobs get an error", async () => {
    const ws = await openWs(
      `${h.base.replace('http', 'ws')}/api/ml/jobs/logs/ws?token=${h.token}&namespace=ml&name=mnist-ddp&tailLines=5`,
    );
    try {
      const pods = await nextMessage(ws, (m) => m.type === 'pods');
      assert.deepEqual(pods.pods, ['mnist-ddp-master-0']);
      const line = await nextMessage(ws, (m) => m.type === 'log', 30_000);
      assert.equal(line.pod, 'mnist-ddp-master-0');
      assert.equal(line.container, 'pytorch');
      assert.ok(line.text.length > 0);
    } finally {
      ws.close();
    }
    const nope = await openWs(
      `${h.base.replace('http', 'ws')}/api/ml/jobs/logs/ws?token=${h.token}&namespace=ml&name=nope`,
    );
    const err = await nextMessage(nope, (m) => m.type === 'error');
    assert.equal(err.error.code, 'notFound');
    nope.close();
  });
});

describe('integrations on a cluster without them', function () {
  this.timeout(60_000);
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

  it('answers 424 "not installed" for Kiali, MLflow, traffic, GPU metrics, inference and ML jobs', async () => {
    for (const r of [
      await A.get('/api/kiali/proxy/api/status'),
      await A.get('/api/mlflow/proxy/api/2.0/mlflow/experiments/search'),
      await A.get('/api/traffic/metrics'),
      await A.get('/api/gpu/metrics'),
      await A.post('/api/inference/test', { namespace: 'default', name: 'x' }),
      await A.post('/api/ml/jobs/create', { namespace: 'default', name: 'x', image: 'busybox' }),
    ]) {
      assert.equal(r.status, 424, r.text);
      assert.equal(r.body.error.code, 'notInstalled');
      assert.ok(r.body.error.message.length > 20);
    }
  });
});
