// Training jobs and inference services end to end over real HTTP against the simulated demo cluster, whose
// controllers run what the routes create: a PyTorchJob and a batch Job start pods that log their epochs and finish,
// their logs stream, and deleting them takes their pods; an InferenceService gets its predictor, turns Ready with a URL
// and answers V1 and V2 requests, and takes its predictor with it when deleted.
import assert from 'node:assert/strict';
import { eventually, kubectl, kubectlOk } from '../helpers/sim';
import { api, nextMessage, openWs, startHarness, type Harness } from './serverHelpers';

describe('ML workloads on the demo cluster (training jobs, inference services)', function () {
  this.timeout(90_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const job = async (name: string) =>
    ((await A.get('/api/ml/jobs/list?namespace=ml')).body.jobs as any[]).find((j) => j.name === name);
  const isvc = async (name: string) =>
    ((await A.get('/api/inference/list?namespace=ml')).body.services as any[]).find((s) => s.name === name);

  before(async () => {
    h = await startHarness();
    A = api(h);
  });
  after(async () => h?.close());

  it('a PyTorchJob from the form runs its pods, streams their logs, succeeds with a duration, and is deleted with them', async () => {
    const list = await A.get('/api/ml/jobs/list?namespace=ml');
    assert.deepEqual(list.body.kinds, ['TrainJob', 'PyTorchJob', 'Job']);
    assert.equal(list.body.jobs.find((j: any) => j.name === 'mnist-ddp').status, 'Running');
    const made = await A.post('/api/ml/jobs/create', {
      namespace: 'ml',
      name: 'mnist-e2e',
      kind: 'PyTorchJob',
      image: 'docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727',
      command: ['python', '/opt/mnist/src/mnist.py', '--epochs', '3'],
      nodes: 2,
      cpu: '500m',
      memory: '1Gi',
    });
    assert.equal(made.status, 200, made.text);
    const ws = await openWs(
      `${h.base.replace('http', 'ws')}/api/ml/jobs/logs/ws?token=${h.token}&namespace=ml&name=mnist-e2e&kind=PyTorchJob`,
    );
    try {
      const running = await eventually(async () => {
        const j = await job('mnist-e2e');
        return j?.status === 'Running' ? j : undefined;
      });
      assert.deepEqual([running.kind, running.nodes, running.gpus], ['PyTorchJob', 2, 0]);
      assert.match(running.image, /pytorch-mnist/);
      const pods = await nextMessage(ws, (m) => m.type === 'pods' && m.pods.length === 2);
      assert.deepEqual(pods.pods, ['mnist-e2e-master-0', 'mnist-e2e-worker-0']);
      const line = await nextMessage(ws, (m) => m.type === 'log' && /Train Epoch: \d+/.test(m.text));
      assert.equal(line.container, 'pytorch');
      const done = await eventually(async () => {
        const j = await job('mnist-e2e');
        return j?.status === 'Succeeded' ? j : undefined;
      }, 30_000);
      // The job succeeds with its master; the worker may still be finishing (as with the training operator).
      assert.equal(done.pods.failed, 0);
      assert.ok(done.pods.succeeded >= 1 && done.pods.succeeded + done.pods.active === 2, JSON.stringify(done.pods));
      assert.ok(Date.parse(done.completionTime) >= Date.parse(done.startTime));
      assert.match(done.message, /PyTorchJob ml\/mnist-e2e successfully completed\./);
      await nextMessage(ws, (m) => m.type === 'podEnded' && m.pod === 'mnist-e2e-master-0');
    } finally {
      ws.close();
    }
    const logs = await A.get('/api/ml/jobs/logs?namespace=ml&name=mnist-e2e&kind=PyTorchJob');
    assert.deepEqual(
      logs.body.pods.map((p: any) => p.pod),
      ['mnist-e2e-master-0', 'mnist-e2e-worker-0'],
    );
    assert.match(logs.body.pods[0].logs, /Training finished/);
    const env = JSON.parse(await kubectlOk(h.sim, ['get', 'pod', 'mnist-e2e-worker-0', '-n', 'ml', '-o', 'json'])).spec
      .containers[0].env;
    assert.deepEqual(
      env.filter((e: any) => ['MASTER_ADDR', 'WORLD_SIZE', 'RANK'].includes(e.name)).map((e: any) => e.value),
      ['mnist-e2e-master-0', '2', '1'],
    );

    const del = await A.del('/api/ml/jobs/delete?namespace=ml&name=mnist-e2e&kind=PyTorchJob');
    assert.equal(del.status, 200, del.text);
    await eventually(async () => !(await job('mnist-e2e')));
    await eventually(async () =>
      (await kubectlOk(h.sim, ['get', 'pods', '-n', 'ml', '-o', 'name'])).includes('mnist-e2e') ? undefined : true,
    );
    assert.equal((await A.del('/api/ml/jobs/delete?namespace=ml&name=mnist-e2e')).status, 404);
  });

  it('a batch Job and a TrainJob from the form run to completion and are listed; bad input is refused plainly', async () => {
    const one = await A.post('/api/ml/jobs/create', {
      namespace: 'ml',
      name: 'tune-cpu',
      kind: 'Job',
      image: 'ghcr.io/acme/train:1.2',
      nodes: 2,
    });
    assert.equal(one.status, 200, one.text);
    const obj = JSON.parse(await kubectlOk(h.sim, ['get', 'job', 'tune-cpu', '-n', 'ml', '-o', 'json']));
    assert.deepEqual(
      [obj.metadata.labels['app.kubernetes.io/component'], obj.spec.parallelism, obj.spec.completionMode],
      ['training', 2, 'Indexed'],
    );
    const tj = await A.post('/api/ml/jobs/create', {
      namespace: 'ml',
      name: 'llm-finetune',
      kind: 'TrainJob',
      image: 'ghcr.io/acme/finetune:0.3',
      nodes: 1,
    });
    assert.equal(tj.status, 200, tj.text);
    const [batch, trainjob] = await eventually(async () => {
      const [a, b] = [await job('tune-cpu'), await job('llm-finetune')];
      return a?.status === 'Succeeded' && b?.status === 'Succeeded' ? [a, b] : undefined;
    }, 30_000);
    assert.deepEqual([batch.kind, batch.pods.succeeded], ['Job', 2]);
    assert.deepEqual([trainjob.kind, trainjob.pods.succeeded], ['TrainJob', 1]);
    const tjLogs = await A.get('/api/ml/jobs/logs?namespace=ml&name=llm-finetune&kind=TrainJob');
    assert.match(tjLogs.body.pods[0].pod, /^llm-finetune-node-0-/);
    assert.match(tjLogs.body.pods[0].logs, /Train Epoch/);
    // The TrainJob's own batch Job is its child, not a training job of its own.
    assert.equal(await job('llm-finetune-node-0'), undefined);

    const bad = await A.post('/api/ml/jobs/create', {
      namespace: 'ml',
      name: 'x',
      kind: 'Job',
      image: 'img',
      restartPolicy: 'Always',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /restart "Never" or "OnFailure"/);
    const dup = await A.post('/api/ml/jobs/create', { namespace: 'ml', name: 'tune-cpu', kind: 'Job', image: 'img' });
    assert.equal(dup.status, 409);
    assert.match(dup.body.error.message, /Job ml\/tune-cpu already exists/);
    for (const [name, kind] of [
      ['tune-cpu', 'Job'],
      ['llm-finetune', 'TrainJob'],
    ])
      assert.equal((await A.del(`/api/ml/jobs/delete?namespace=ml&name=${name}&kind=${kind}`)).status, 200);
  });

  it('an InferenceService from the form becomes Ready with a URL and answers V1 and V2 requests; delete takes its predictor', async () => {
    const made = await A.post('/api/inference/create', {
      namespace: 'ml',
      name: 'iris-v2',
      modelFormat: 'sklearn',
      storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
      protocolVersion: 'v2',
      cpu: '250m',
      memory: '512Mi',
    });
    assert.equal(made.status, 200, made.text);
    const ready = await eventually(async () => {
      const s = await isvc('iris-v2');
      return s?.ready ? s : undefined;
    });
    assert.equal(ready.url, 'http://iris-v2.ml.example.com');
    assert.equal(ready.address, 'http://iris-v2-predictor.ml.svc.cluster.local');
    assert.deepEqual(
      [ready.modelState, ready.protocolVersion, ready.runtime],
      ['Loaded', 'v2', 'kserve-sklearnserver'],
    );
    const dep = JSON.parse(
      await kubectlOk(h.sim, ['get', 'deployment', 'iris-v2-predictor', '-n', 'ml', '-o', 'json']),
    );
    assert.deepEqual(dep.spec.template.spec.containers[0].resources.requests, { cpu: '250m', memory: '512Mi' });

    const v1 = await A.post('/api/inference/test', {
      namespace: 'ml',
      name: 'iris-v2',
      protocol: 'v1',
      input: {
        instances: [
          [6.8, 2.8, 4.8, 1.4],
          [5.1, 3.5, 1.4, 0.2],
        ],
      },
    });
    assert.equal(v1.status, 200, v1.text);
    assert.deepEqual([v1.body.status, v1.body.path], [200, '/v1/models/iris-v2:predict']);
    assert.deepEqual(v1.body.body, { predictions: [1, 0] });
    assert.ok(v1.body.latencyMs >= 0);
    const v2 = await A.post('/api/inference/test', {
      namespace: 'ml',
      name: 'iris-v2',
      protocol: 'v2',
      input: { inputs: [{ name: 'input-0', shape: [1, 4], datatype: 'FP32', data: [[6.3, 3.3, 6.0, 2.5]] }] },
    });
    assert.deepEqual([v2.body.status, v2.body.path], [200, '/v2/models/iris-v2/infer']);
    assert.equal(v2.body.body.model_name, 'iris-v2');
    assert.deepEqual(v2.body.body.outputs[0].data, [2]);

    const dup = await A.post('/api/inference/create', {
      namespace: 'ml',
      name: 'iris-v2',
      modelFormat: 'sklearn',
      storageUri: 'gs://x/y',
    });
    assert.equal(dup.status, 409);
    const badUri = await A.post('/api/inference/create', {
      namespace: 'ml',
      name: 'iris-x',
      modelFormat: 'sklearn',
      storageUri: '/models/iris',
    });
    assert.equal(badUri.status, 400);
    assert.match(badUri.body.error.message, /StorageUri must be a model location KServe can load: gs:\/\//);

    assert.equal((await A.del('/api/inference/delete?namespace=ml&name=iris-v2')).status, 200);
    await eventually(async () => !(await isvc('iris-v2')));
    await eventually(
      async () => (await kubectl(h.sim, ['get', 'deployment', 'iris-v2-predictor', '-n', 'ml'])).code !== 0,
    );
  });
});
