// The Prometheus text parser and the DCGM per-GPU folding; the pure pieces of the proxied integrations (proxy path
// safety, Kiali graph → traffic metrics, inference bodies, Kubeflow job objects).
import assert from 'node:assert/strict';
import { dcgmGpus, parsePromText } from '../../src/core/metrics/promText';
import { proxyBase, safeProxyPath } from '../../src/core/api/serviceProxy';
import { inferenceBody } from '../../src/core/integrations/kserve';
import { trafficFromKialiGraph } from '../../src/core/integrations/kiali';
import { mlJobObject } from '../../src/core/integrations/kubeflow';
import type { KObject } from '../../src/core/kube/descriptors';

/** Objects built for custom resources, read field by field. */
const loose = (o: unknown) => o as KObject<any, any>;

describe('Prometheus text format', () => {
  it('reads HELP, TYPE, labels with escapes, special values and timestamps', () => {
    const p = parsePromText(
      [
        '# HELP http_requests_total The total number of "requests".\\nSecond line with \\\\ backslash',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="post",code="200"} 1027 1395066363000',
        'http_requests_total{ method = "post" , code="400", } 3',
        '# a free comment',
        'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
        'metric_without_labels 12.47',
        'nan_value NaN',
        'inf_values{sign="+"} +Inf',
        'inf_values{sign="-"} -Inf',
        'windows_line 1\r',
        '',
      ].join('\n'),
    );
    assert.deepEqual(p.errors, []);
    assert.equal(p.families.http_requests_total.type, 'counter');
    assert.equal(p.families.http_requests_total.help, 'The total number of "requests".\nSecond line with \\ backslash');
    assert.deepEqual(p.samples[0], {
      name: 'http_requests_total',
      labels: { method: 'post', code: '200' },
      value: 1027,
      timestamp: 1395066363000,
    });
    assert.deepEqual(p.samples[1].labels, { method: 'post', code: '400' });
    assert.deepEqual(p.samples[2].labels, { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    assert.equal(p.samples[2].value, 1458255915);
    assert.deepEqual(p.samples[3], { name: 'metric_without_labels', labels: {}, value: 12.47 });
    assert.ok(Number.isNaN(p.samples[4].value));
    assert.deepEqual([p.samples[5].value, p.samples[6].value], [Infinity, -Infinity]);
    assert.equal(p.samples[7].value, 1);
  });

  it('reports bad lines with their number and keeps the good ones', () => {
    const p = parsePromText(
      [
        'ok 1',
        'bad{a="x} 2',
        'novalue',
        'x{a="1",a="2"} 3',
        'y{a="\\q"} 4',
        'z 12abc',
        '# TYPE t weird',
        'also_ok{b="c"} 5 6 7',
        'last 9',
      ].join('\n'),
    );
    assert.deepEqual(
      p.samples.map((s) => s.name),
      ['ok', 'last'],
    );
    assert.deepEqual(
      p.errors.map((e) => e.line),
      [2, 3, 4, 5, 6, 7, 8],
    );
    assert.match(p.errors[0].message, /unterminated/);
    assert.match(p.errors[2].message, /twice/);
    assert.match(p.errors[3].message, /escape/);
    assert.match(p.errors[5].message, /unknown metric type/);
  });
});

describe('DCGM exporter metrics per GPU', () => {
  const text = [
    '# TYPE DCGM_FI_DEV_GPU_UTIL gauge',
    'DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-a",device="nvidia0",modelName="NVIDIA A100-SXM4-80GB",hostname="n1",container="pytorch",namespace="kubeflow",pod="job-master-0"} 87',
    'DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-b",device="nvidia1",modelName="NVIDIA A100-SXM4-80GB",hostname="n1"} 0',
    // The old label names (Hostname, uuid, pod_name, pod_namespace, container_name) from older exporters.
    'DCGM_FI_DEV_GPU_UTIL{gpu="10",uuid="GPU-c",Hostname="n0",pod_name="p",pod_namespace="ns",container_name="c"} 55',
    'DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-a",hostname="n1"} 60000',
    'DCGM_FI_DEV_FB_FREE{gpu="0",UUID="GPU-a",hostname="n1"} 21329',
    'DCGM_FI_DEV_FB_RESERVED{gpu="0",UUID="GPU-a",hostname="n1"} 591',
    'DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-a",hostname="n1"} 301.5',
    'DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-a",hostname="n1"} NaN',
    'DCGM_FI_DEV_GPU_UTIL{gpu="2",UUID="GPU-d"} 5',
    'unrelated_metric{gpu="0"} 1',
  ].join('\n');

  it('folds series into one record per GPU, with pod mapping, memory total and both label generations', () => {
    const gpus = dcgmGpus(parsePromText(text).samples, 'from-pod-node');
    assert.deepEqual(
      gpus.map((g) => `${g.node}/${g.gpu}`),
      ['from-pod-node/2', 'n0/10', 'n1/0', 'n1/1'],
    );
    const a = gpus.find((g) => g.uuid === 'GPU-a')!;
    assert.deepEqual(a.pod, { namespace: 'kubeflow', name: 'job-master-0', container: 'pytorch' });
    assert.deepEqual(
      [a.utilizationPercent, a.memoryUsedMiB, a.memoryFreeMiB, a.memoryTotalMiB, a.powerW],
      [87, 60000, 21329, 81920, 301.5],
    );
    assert.equal(a.temperatureC, undefined, 'NaN readings are left out');
    assert.equal(a.modelName, 'NVIDIA A100-SXM4-80GB');
    assert.deepEqual(gpus.find((g) => g.uuid === 'GPU-c')!.pod, { namespace: 'ns', name: 'p', container: 'c' });
    assert.equal(gpus.find((g) => g.uuid === 'GPU-b')!.pod, undefined);
  });
});

describe('service proxy paths', () => {
  it('encodes the target and refuses paths that would leave the proxy subresource', () => {
    assert.equal(
      proxyBase({ namespace: 'istio-system', name: 'kiali', port: 'http' }),
      '/api/v1/namespaces/istio-system/services/kiali:http/proxy',
    );
    assert.equal(
      proxyBase({ namespace: 'x', name: 'y', port: 443, scheme: 'https' }),
      '/api/v1/namespaces/x/services/https:y:443/proxy',
    );
    assert.equal(
      proxyBase({ namespace: 'x', resource: 'pods', name: 'p-0', port: 9400 }),
      '/api/v1/namespaces/x/pods/p-0:9400/proxy',
    );
    assert.equal(safeProxyPath('api/2.0/mlflow/runs/search'), '/api/2.0/mlflow/runs/search');
    assert.equal(safeProxyPath('/v1/models/iris:predict'), '/v1/models/iris:predict');
    assert.equal(safeProxyPath('a b/c?d#e'), '/a%20b/c%3Fd%23e');
    assert.equal(safeProxyPath('kiali/'), '/kiali/');
    for (const bad of ['../secrets', 'a/../../b', './x', 'a/..', 'a\\b'])
      assert.throws(() => safeProxyPath(bad), /may not contain/, bad);
    assert.throws(() => proxyBase({ namespace: 'x', name: 'y/../z' }), /invalid service name/);
    assert.throws(() => proxyBase({ namespace: 'x', name: 'y', port: 'a/b' }), /invalid port/);
  });
});

describe('Kiali graph → traffic metrics', () => {
  it('turns string rates into numbers per edge and node, with error rates and totals inside the namespaces', () => {
    const t = trafficFromKialiGraph(
      {
        timestamp: 1736676000,
        elements: {
          nodes: [
            { data: { id: 'gw', namespace: 'istio-system', workload: 'istio-ingressgateway', isOutside: true } },
            { data: { id: 'fe', namespace: 'shop', workload: 'frontend', app: 'frontend', service: 'frontend' } },
            { data: { id: 'cat', namespace: 'shop', workload: 'catalog' } },
            { data: { id: 'rpc', namespace: 'shop', workload: 'grpc-svc' } },
          ],
          edges: [
            {
              data: {
                id: 'e1',
                source: 'gw',
                target: 'fe',
                traffic: { protocol: 'http', rates: { http: '10.00', httpPercentReq: '100.0' } },
                responseTime: '35',
                isMTLS: '100',
              },
            },
            {
              data: {
                id: 'e2',
                source: 'fe',
                target: 'cat',
                traffic: { protocol: 'http', rates: { http: '4.00', http5xx: '1.00' } },
                healthStatus: 'Degraded',
              },
            },
            {
              data: {
                id: 'e3',
                source: 'fe',
                target: 'rpc',
                traffic: { protocol: 'grpc', rates: { grpc: '2', grpcErr: '2' } },
              },
            },
          ],
        },
      },
      ['shop'],
      '10m',
    );
    assert.equal(t.timestamp, '2025-01-12T10:00:00.000Z');
    assert.deepEqual(t.edges[0], {
      source: 'gw',
      target: 'fe',
      protocol: 'http',
      requestsPerSecond: 10,
      errorsPerSecond: 0,
      errorRate: 0,
      responseTimeMs: 35,
      mtls: true,
    });
    assert.deepEqual([t.edges[1].errorRate, t.edges[1].health, t.edges[1].mtls], [0.25, 'Degraded', false]);
    assert.equal(t.edges[2].errorRate, 1);
    const fe = t.nodes.find((n) => n.id === 'fe')!;
    assert.deepEqual([fe.requestsIn, fe.requestsOut, fe.outside], [10, 6, false]);
    assert.equal(t.nodes.find((n) => n.id === 'gw')!.outside, true);
    assert.deepEqual(t.totals, { requestsPerSecond: 16, errorsPerSecond: 3, errorRate: 0.1875 });
  });
});

describe('inference request bodies', () => {
  it('wraps rows as V1 instances or a V2 tensor, and passes full bodies through', () => {
    assert.deepEqual(inferenceBody('v1', [[1, 2, 3, 4]]), { instances: [[1, 2, 3, 4]] });
    assert.deepEqual(inferenceBody('v1', { instances: [[1]] }), { instances: [[1]] });
    const v2 = inferenceBody('v2', [
      [6.8, 2.8, 4.8, 1.4],
      [6, 3.4, 4.5, 1.6],
    ]);
    assert.deepEqual((v2.inputs as unknown[])[0], {
      name: 'input-0',
      shape: [2, 4],
      datatype: 'FP32',
      data: [
        [6.8, 2.8, 4.8, 1.4],
        [6, 3.4, 4.5, 1.6],
      ],
    });
    assert.equal((inferenceBody('v2', [1, 2, 3]).inputs as Array<{ datatype: string }>)[0].datatype, 'INT64');
    assert.ok(Array.isArray(inferenceBody('v1', undefined).instances), 'a sample when no input is given');
    assert.throws(() => inferenceBody('v2', [[1, 2], [3]]), /same length/);
    assert.throws(() => inferenceBody('v1', { foo: 1 }), /instances/);
    assert.throws(() => inferenceBody('v2', 'text'), /array/);
  });
});

describe('Kubeflow job objects', () => {
  it('builds a PyTorchJob with Master and Workers, GPUs in limits, and a GPU toleration', () => {
    const j = loose(
      mlJobObject({
        kind: 'PyTorchJob',
        name: 'r',
        namespace: 'ml',
        image: 'img',
        nodes: 3,
        gpusPerNode: 2,
        memory: '8Gi',
        restartPolicy: 'Never',
        backoffLimit: 2,
      }),
    );
    assert.equal(j.apiVersion, 'kubeflow.org/v1');
    const specs = j.spec.pytorchReplicaSpecs;
    assert.deepEqual([specs.Master.replicas, specs.Worker.replicas, specs.Worker.restartPolicy], [1, 2, 'Never']);
    const c = specs.Master.template.spec.containers[0];
    assert.equal(c.name, 'pytorch');
    assert.deepEqual(c.resources, {
      requests: { memory: '8Gi', 'nvidia.com/gpu': '2' },
      limits: { 'nvidia.com/gpu': '2', memory: '8Gi' },
    });
    assert.deepEqual(specs.Master.template.spec.tolerations, [
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    assert.equal(j.spec.runPolicy.backoffLimit, 2);
    assert.equal(
      loose(mlJobObject({ kind: 'PyTorchJob', name: 'one', namespace: 'ml', image: 'img' })).spec.pytorchReplicaSpecs
        .Worker,
      undefined,
    );
  });

  it('builds a TrainJob against a training runtime with per-node resources', () => {
    const j = loose(
      mlJobObject({
        kind: 'TrainJob',
        name: 't',
        namespace: 'ml',
        image: 'img',
        nodes: 4,
        cpu: '2',
        command: ['torchrun', 'train.py'],
        env: { EPOCHS: '3' },
        runtime: 'torch-custom',
        queue: 'q',
      }),
    );
    assert.equal(j.apiVersion, 'trainer.kubeflow.org/v1alpha1');
    assert.deepEqual(j.spec.runtimeRef, {
      name: 'torch-custom',
      apiGroup: 'trainer.kubeflow.org',
      kind: 'ClusterTrainingRuntime',
    });
    assert.deepEqual(j.spec.trainer, {
      image: 'img',
      numNodes: 4,
      command: ['torchrun', 'train.py'],
      env: [{ name: 'EPOCHS', value: '3' }],
      resourcesPerNode: { requests: { cpu: '2' } },
    });
    assert.equal(j.metadata.labels?.['kueue.x-k8s.io/queue-name'], 'q');
  });
});
