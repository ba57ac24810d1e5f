// KServe's InferenceService controller in Standard (raw Deployment) mode, as a client sees it (integrations guide §3):
// the predictor Deployment and Service <isvc>-predictor serving the model format's runtime image, then the status:
// PredictorReady when the Deployment is available, IngressReady once the Service exists, Ready when both are, the URL
// and address, and the model state going Pending → Loaded. A format no runtime serves fails as KServe says it.
// The predictor's pods answer V1 and V2 requests through the service proxy (apps/kserve.ts).
import type { KObj } from '../store';
import type { Condition, Runtime } from './runtime';
import { findCondition, keyOf, ownerRef, setCondition, stableJson } from './runtime';

const ISVCS = 'serving.kserve.io/inferenceservices';
const LABEL = 'serving.kserve.io/inferenceservice';
/** KServe's default ingress domain (inferenceservice-config, `ingressDomain`). */
const DOMAIN = 'example.com';

/** The ClusterServingRuntimes KServe ships, by model format, with their server images. */
const RUNTIMES: Record<string, { runtime: string; image: string }> = {
  sklearn: { runtime: 'kserve-sklearnserver', image: 'kserve/sklearnserver:v0.14.0' },
  xgboost: { runtime: 'kserve-xgbserver', image: 'kserve/xgbserver:v0.14.0' },
  lightgbm: { runtime: 'kserve-lgbserver', image: 'kserve/lgbserver:v0.14.0' },
  pmml: { runtime: 'kserve-pmmlserver', image: 'kserve/pmmlserver:v0.14.0' },
  paddle: { runtime: 'kserve-paddleserver', image: 'kserve/paddleserver:v0.14.0' },
  tensorflow: { runtime: 'kserve-tensorflow-serving', image: 'tensorflow/serving:2.6.2' },
  pytorch: { runtime: 'kserve-torchserve', image: 'pytorch/torchserve-kfs:0.9.0' },
  onnx: { runtime: 'kserve-tritonserver', image: 'nvcr.io/nvidia/tritonserver:23.05-py3' },
  triton: { runtime: 'kserve-tritonserver', image: 'nvcr.io/nvidia/tritonserver:23.05-py3' },
  huggingface: { runtime: 'kserve-huggingfaceserver', image: 'kserve/huggingfaceserver:v0.14.0' },
};

const CLUSTER_RUNTIMES = new Set(Object.values(RUNTIMES).map((x) => x.runtime));

export function installKserve(r: Runtime): void {
  r.on(ISVCS, (e) => e.type !== 'DELETED' && r.enqueue('isvc', keyOf(e.object)));
  const fromChild = (o: KObj) => {
    const name = o.metadata.labels?.[LABEL];
    if (name) r.enqueue('isvc', `${o.metadata.namespace}/${name}`);
  };
  r.on('apps/deployments', (e) => fromChild(e.object));
  r.on('services', (e) => fromChild(e.object));

  r.handle('isvc', (key) => {
    const s = r.byKey(ISVCS, key);
    if (!s || s.metadata.deletionTimestamp) return;
    const { name, namespace } = s.metadata;
    const ns = namespace!;
    const predictor = s.spec?.predictor ?? {};
    const model = predictor.model ?? {};
    const format: string = model.modelFormat?.name ?? '';
    const rt = RUNTIMES[format];
    const svcName = `${name}-predictor`;
    const app = `isvc.${svcName}`;
    let conds: Condition[] = s.status?.conditions ?? [];
    const set = (type: string, ok: boolean, reason?: string, message?: string) => {
      conds = setCondition(conds, {
        type,
        status: ok ? 'True' : 'False',
        ...(ok ? {} : { reason, message }),
      });
    };
    const runtime = model.runtime ?? rt?.runtime;
    if (!rt && !model.runtime) {
      const message = `No runtime found to support specified predictor with model type: {${format} <nil>}`;
      set('PredictorReady', false, 'NoSupportingRuntime', message);
      set('Ready', false, 'NoSupportingRuntime', message);
      const status = {
        observedGeneration: s.metadata.generation ?? 1,
        conditions: conds,
        modelStatus: {
          transitionStatus: 'InvalidSpec',
          states: { activeModelState: '', targetModelState: 'FailedToLoad' },
          lastFailureInfo: { reason: 'NoSupportingRuntime', message },
        },
        deploymentMode: 'Standard',
      };
      if (stableJson(status) !== stableJson(s.status)) r.setStatus(ISVCS, s, status);
      return;
    }
    let dep = r.get('apps/deployments', ns, svcName);
    if (!dep) {
      const labels = { [LABEL]: name, component: 'predictor', app };
      const resources = model.resources ?? {
        requests: { cpu: '1', memory: '2Gi' },
        limits: { cpu: '1', memory: '2Gi' },
      };
      const gpus = !!resources.limits?.['nvidia.com/gpu'];
      dep = r.create('apps/deployments', {
        metadata: {
          name: svcName,
          namespace: ns,
          labels,
          annotations: { 'serving.kserve.io/deploymentMode': 'Standard' },
          ownerReferences: [ownerRef(s)],
        },
        spec: {
          replicas: predictor.minReplicas ?? 1,
          selector: { matchLabels: { app } },
          template: {
            metadata: {
              labels,
              annotations: { 'serving.kserve.io/storage-initializer-sourceuri': model.storageUri ?? '' },
            },
            spec: {
              containers: [
                {
                  name: 'kserve-container',
                  image: rt?.image ?? 'kserve/sklearnserver:v0.14.0',
                  args: [`--model_name=${name}`, '--model_dir=/mnt/models', '--http_port=8080'],
                  ports: [{ containerPort: 8080, protocol: 'TCP' }],
                  env: [{ name: 'PROTOCOL', value: model.protocolVersion ?? 'v1' }],
                  resources,
                },
              ],
              ...(gpus ? { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
            },
          },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        },
      });
      r.event(s, 'Normal', 'InferenceServiceReady', `Created predictor Deployment ${svcName}`, 'v1beta1Controllers');
    }
    let svc = r.get('services', ns, svcName);
    if (!svc)
      svc = r.create('services', {
        metadata: { name: svcName, namespace: ns, labels: { [LABEL]: name }, ownerReferences: [ownerRef(s)] },
        spec: {
          type: 'ClusterIP',
          selector: { app },
          ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
        },
      });
    const available = findCondition(dep.status?.conditions, 'Available')?.status === 'True';
    const ready = (dep.status?.readyReplicas ?? 0) > 0;
    const predictorOk = available && ready;
    set('PredictorReady', predictorOk, 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
    set('IngressReady', !!svc, 'IngressNotConfigured', 'Ingress has not been configured yet.');
    set('Ready', predictorOk && !!svc, 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
    // Conditions in KServe's order: IngressReady, PredictorReady, Ready.
    conds = ['IngressReady', 'PredictorReady', 'Ready']
      .map((t) => findCondition(conds, t))
      .filter((c): c is Condition => !!c);
    const url = s.status?.url ?? `http://${name}.${ns}.${DOMAIN}`;
    const status = {
      observedGeneration: s.metadata.generation ?? 1,
      url,
      address: { url: `http://${svcName}.${ns}.svc.cluster.local` },
      conditions: conds,
      components: { predictor: { url: s.status?.components?.predictor?.url ?? `http://${svcName}.${ns}.${DOMAIN}` } },
      modelStatus: {
        transitionStatus: predictorOk ? 'UpToDate' : 'InProgress',
        states: { activeModelState: predictorOk ? 'Loaded' : 'Pending', targetModelState: 'Loaded' },
        copies: { failedCopies: 0, totalCopies: dep.status?.readyReplicas ?? 0 },
      },
      ...(!model.runtime || CLUSTER_RUNTIMES.has(model.runtime)
        ? { clusterServingRuntimeName: runtime }
        : { servingRuntimeName: runtime }),
      deploymentMode: 'Standard',
    };
    if (stableJson(status) !== stableJson(s.status)) r.setStatus(ISVCS, s, status);
  });
}

/** Queues what the scenario loaded. */
export function kserveFirstPass(r: Runtime): void {
  for (const o of r.ctx.store.iterate(ISVCS)) r.enqueue('isvc', keyOf(o));
}
