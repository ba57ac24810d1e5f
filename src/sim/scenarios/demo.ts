// The demo cluster: a small company's cluster with the usual platform pieces, a handful of apps, and the
// faults an on-call engineer meets. Everything is created through the store so controllers bring it to life.
import { stringify as stringifyYaml } from 'yaml';
import type { SimContext } from '../context';
import { crdToType } from '../crd';
import {
  DURATION_ANNOTATION,
  FAULT_ANNOTATION,
  FAULT_CONTAINER_ANNOTATION,
  INITIAL_RESTARTS_ANNOTATION,
  CPU_BURST_ANNOTATION,
  LOAD_ANNOTATION,
  MEMORY_NEED_ANNOTATION,
} from '../controllers/faults';
import { ownerRef, shortHash } from '../controllers/runtime';
import type { Json } from '../controllers/runtime';
import type { KObj } from '../store';
import { loadArgoDemo } from './argocdDemo';
import { loadDriftDemo } from './driftDemo';
import { loadCostDemo } from './costDemo';
import { loadContinuityDemo } from './continuityDemo';
import { loadSecurityDemo } from './securityDemo';
import {
  crd,
  daemonSet,
  deployment,
  gpuLabels,
  helmRelease,
  namespace,
  node,
  podTemplate,
  put,
  service,
  statefulSet,
  systemBasics,
} from './seed';
import { issueCertificate, tlsData } from '../x509';
import { HTTP_ERRORS_ANNOTATION } from '../apps/kiali';

const days = (n: number) => new Date(Date.now() - n * 86400000).toISOString();
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const LETS_ENCRYPT = { C: 'US', O: "Let's Encrypt", CN: 'R11' };
const INTERNAL_CA = { O: 'Acme Corp', CN: 'Acme Internal CA' };
/** A workload whose requests fail `pct`% of the time in the simulated mesh's telemetry (Kiali). */
const httpErrors = (pct: number, o: Json): Json => ({
  ...o,
  metadata: {
    ...o.metadata,
    annotations: { ...(o.metadata.annotations ?? {}), [HTTP_ERRORS_ANNOTATION]: String(pct) },
  },
});
const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

export function loadDemo(ctx: SimContext): void {
  systemBasics(ctx);
  // `n` days from the moment the scenario loads (negative: ago), to the second, as certificate times are.
  const t00 = Math.floor(Date.now() / 1000) * 1000;
  const at = (n: number) => t00 + Math.round(n * 86400000);
  const p = (o: Json) => put(ctx, o);

  // Nodes: two general workers, a GPU node, and a worker that stopped reporting.
  p(node('worker-a', { index: 1, cpu: 4, memoryGi: 16 }));
  p(node('worker-b', { index: 2, cpu: 4, memoryGi: 16 }));
  p(node('gpu-node-1', { index: 3, cpu: 32, memoryGi: 128, gpus: 4, labels: gpuLabels(4), taints: [GPU_TAINT] }));
  p(
    node('worker-c', {
      index: 4,
      cpu: 4,
      memoryGi: 16,
      notReady: true,
      annotations: { [FAULT_ANNOTATION]: 'notready' },
      taints: [
        { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: days(0) },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: days(0) },
      ],
    }),
  );

  for (const ns of [
    'shop',
    'payments',
    'data',
    'ml',
    'monitoring',
    'argocd',
    'cert-manager',
    'ingress-nginx',
    'istio-system',
    'mlflow',
    'gpu-operator',
    'feast',
  ])
    p(namespace(ns, ns === 'payments' ? { 'pod-security.kubernetes.io/enforce': 'restricted' } : {}));

  p({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'pd.csi.storage.gke.io',
    parameters: { type: 'pd-balanced' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
    allowVolumeExpansion: true,
  });
  p({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });

  // kube-system
  p(
    deployment('kube-system', 'coredns', {
      replicas: 2,
      labels: { 'k8s-app': 'kube-dns' },
      containers: [
        {
          image: 'registry.k8s.io/coredns/coredns:v1.11.3',
          cpu: '100m',
          memory: '70Mi',
          memoryLimit: '170Mi',
          port: 53,
          portName: 'dns',
        },
      ],
    }),
  );
  p(service('kube-system', 'kube-dns', 53, { selector: { app: 'coredns' }, portName: 'dns' }));
  p(
    deployment('kube-system', 'metrics-server', {
      containers: [
        {
          image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2',
          cpu: '100m',
          memory: '200Mi',
          port: 10250,
          portName: 'https',
        },
      ],
    }),
  );
  p(service('kube-system', 'metrics-server', 443, { targetPort: 'https', portName: 'https' }));
  p(
    daemonSet('kube-system', 'kube-proxy', {
      containers: [{ image: 'registry.k8s.io/kube-proxy:v1.32.0', cpu: '100m' }],
      tolerations: [{ operator: 'Exists' }],
    }),
  );

  // ingress-nginx
  p(
    deployment('ingress-nginx', 'ingress-nginx-controller', {
      containers: [
        {
          name: 'controller',
          image: 'registry.k8s.io/ingress-nginx/controller:v1.11.3',
          cpu: '100m',
          memory: '90Mi',
          port: 80,
        },
      ],
    }),
  );
  p(
    service('ingress-nginx', 'ingress-nginx-controller', 80, {
      type: 'LoadBalancer',
      selector: { app: 'ingress-nginx-controller' },
    }),
  );

  // shop: the storefront.
  p(
    deployment('shop', 'frontend', {
      replicas: 3,
      serviceAccount: 'frontend',
      containers: [
        { image: 'ghcr.io/acme/shop-frontend:2.14.1', cpu: '100m', memory: '128Mi', memoryLimit: '256Mi', port: 8080 },
      ],
    }),
  );
  p(service('shop', 'frontend', 80, { targetPort: 'http' }));
  p(
    deployment('shop', 'cart', {
      replicas: 2,
      containers: [{ image: 'ghcr.io/acme/cart:1.9.0', cpu: '50m', memory: '96Mi', port: 8080 }],
    }),
  );
  p(service('shop', 'cart', 8080));
  p(
    deployment('shop', 'catalog', {
      replicas: 2,
      // It re-indexes its search every five minutes: CPU bursts that the Anomalies page finds.
      podAnnotations: { [LOAD_ANNOTATION]: '1.8', [CPU_BURST_ANNOTATION]: '6' },
      containers: [{ image: 'ghcr.io/acme/catalog:3.2.0', cpu: '100m', memory: '128Mi', cpuLimit: '500m', port: 8080 }],
    }),
  );
  p(service('shop', 'catalog', 8080));
  p(
    statefulSet('shop', 'redis', {
      storage: '2Gi',
      containers: [{ image: 'redis:7.2.5', cpu: '50m', memory: '64Mi', port: 6379, portName: 'redis' }],
    }),
  );
  p(service('shop', 'redis', 6379, { portName: 'redis' }));
  p({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'catalog', namespace: 'shop' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'catalog' },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      ],
    },
  });
  p({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'frontend', namespace: 'shop' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend' },
      minReplicas: 3,
      maxReplicas: 8,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
    },
  });
  p({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'shop',
      namespace: 'shop',
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' },
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.acme.example'], secretName: 'shop-tls' }],
      rules: [
        {
          host: 'shop.acme.example',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend', port: { number: 80 } } } },
              { path: '/api/cart', pathType: 'Prefix', backend: { service: { name: 'cart', port: { number: 8080 } } } },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
  });
  // An ingress whose backend Service was never created.
  p({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'admin', namespace: 'shop' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'admin.acme.example',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'admin-ui', port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
  });
  // Who calls whom (the simulated mesh reads service hosts from each workload's config): the storefront calls
  // checkout and the recommendations model, checkout calls payments, payments keeps its ledger.
  p({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'frontend-upstreams', namespace: 'shop' },
    data: {
      CHECKOUT_URL: 'http://checkout.shop.svc:8080',
      RECOMMENDATIONS_URL: 'http://llm-server.ml.svc:8000/v1',
    },
  });
  p({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'checkout-config', namespace: 'shop' },
    data: { PAYMENTS_URL: 'https://payments-api.payments.svc:443' },
  });
  p({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'payments-api-config', namespace: 'payments' },
    data: { LEDGER_HOST: 'ledger-db.payments.svc:5432' },
  });
  p({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'frontend-config', namespace: 'shop' },
    data: { FEATURE_FLAGS: 'new-checkout,recommendations', API_BASE: 'http://catalog.shop.svc:8080' },
  });
  p({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      name: 'shop-tls',
      namespace: 'shop',
      annotations: {
        'cert-manager.io/certificate-name': 'shop-tls',
        'cert-manager.io/issuer-name': 'letsencrypt-prod',
        'cert-manager.io/issuer-kind': 'ClusterIssuer',
        'cert-manager.io/issuer-group': 'cert-manager.io',
      },
    },
    // The certificate cert-manager issued for the Certificate shop-tls below (30 days into its 90).
    data: tlsData(
      issueCertificate({
        subject: { CN: 'shop.acme.example' },
        sans: ['shop.acme.example'],
        notBefore: new Date(at(-30)),
        notAfter: new Date(at(60)),
        issuer: LETS_ENCRYPT,
      }),
    ),
  });
  p({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'frontend', namespace: 'shop' } });
  p({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'shop-quota', namespace: 'shop' },
    spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '40' } },
  });
  p({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'pod-reader', namespace: 'shop' },
    rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }],
  });
  p({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'frontend-pod-reader', namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'frontend', namespace: 'shop' }],
  });
  p({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'redis-from-cart', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'redis' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'cart' } } }], ports: [{ protocol: 'TCP', port: 6379 }] },
      ],
    },
  });

  // A rollout stuck past its deadline: revision 1 runs; revision 2 points at an image that does not exist.
  const goodTemplate = podTemplate('checkout', {
    containers: [{ image: 'ghcr.io/acme/checkout:4.1.0', cpu: '50m', memory: '96Mi', port: 8080 }],
  });
  const checkout = p({
    ...deployment('shop', 'checkout', {
      replicas: 3,
      progressDeadlineSeconds: 20,
      containers: [{ image: 'ghcr.io/acme/checkout:4.2.0-does-not-exist', cpu: '50m', memory: '96Mi', port: 8080 }],
    }),
  });
  const hash = shortHash(goodTemplate);
  const rsTemplate = structuredClone(goodTemplate);
  rsTemplate.metadata.labels['pod-template-hash'] = hash;
  p({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `checkout-${hash}`,
      namespace: 'shop',
      labels: rsTemplate.metadata.labels,
      annotations: {
        'deployment.kubernetes.io/revision': '1',
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
      },
      ownerReferences: [ownerRef(checkout as KObj)],
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'checkout', 'pod-template-hash': hash } },
      template: rsTemplate,
    },
  });
  p(service('shop', 'checkout', 8080));

  // payments: a budget that allows no disruption, and a worker in a crash loop.
  p(
    httpErrors(
      4,
      deployment('payments', 'payments-api', {
        replicas: 2,
        serviceAccount: 'payments-api',
        containers: [
          {
            name: 'api',
            image: 'ghcr.io/acme/payments-api:7.3.2',
            cpu: '100m',
            memory: '192Mi',
            memoryLimit: '384Mi',
            port: 8443,
            portName: 'https',
          },
        ],
      }),
    ),
  );
  p(service('payments', 'payments-api', 443, { targetPort: 'https', portName: 'https' }));
  p({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'payments-api', namespace: 'payments' },
    spec: { minAvailable: 2, selector: { matchLabels: { app: 'payments-api' } } },
  });
  p({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'frontend', namespace: 'shop' },
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'frontend' } } },
  });
  p(
    deployment('payments', 'payments-worker', {
      podAnnotations: { [FAULT_ANNOTATION]: 'crashloop', [INITIAL_RESTARTS_ANNOTATION]: '6' },
      containers: [
        {
          name: 'worker',
          image: 'ghcr.io/acme/payments-worker:7.3.2',
          cpu: '50m',
          memory: '128Mi',
          env: [{ name: 'LEDGER_DSN', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'dsn' } } }],
        },
      ],
    }),
  );
  p(
    statefulSet('payments', 'ledger-db', {
      storage: '10Gi',
      containers: [
        {
          name: 'postgres',
          image: 'postgres:16.4',
          cpu: '250m',
          memory: '512Mi',
          memoryLimit: '1Gi',
          port: 5432,
          portName: 'postgres',
        },
      ],
    }),
  );
  p(service('payments', 'ledger-db', 5432, { portName: 'postgres' }));
  p({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: 'ledger-db', namespace: 'payments' },
    data: {
      dsn: Buffer.from('postgres://ledger:s3cr3t@ledger-db:5432/ledger').toString('base64'),
      password: Buffer.from('s3cr3t').toString('base64'),
    },
  });
  p({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'payments-api', namespace: 'payments' } });
  p({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace: 'payments' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  p({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-from-shop', namespace: 'payments' },
    spec: {
      podSelector: { matchLabels: { app: 'payments-api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] }],
    },
  });

  // data: batch work, an OOM-killed loader, a claim for a storage class that does not exist.
  // Needs 900Mi: OOMKilled at its 512Mi limit, and still at 768Mi (1.5×); 1152Mi (1.5× again) is enough.
  p(
    deployment('data', 'warehouse-loader', {
      podAnnotations: {
        [MEMORY_NEED_ANNOTATION]: '900Mi',
        [FAULT_CONTAINER_ANNOTATION]: 'loader',
        [INITIAL_RESTARTS_ANNOTATION]: '3',
      },
      containers: [
        {
          name: 'loader',
          image: 'ghcr.io/acme/warehouse-loader:0.9.4',
          cpu: '200m',
          memory: '256Mi',
          memoryLimit: '512Mi',
        },
        {
          name: 'metrics-exporter',
          image: 'prom/statsd-exporter:v0.27.1',
          cpu: '10m',
          memory: '32Mi',
          port: 9102,
          portName: 'metrics',
        },
      ],
    }),
  );
  p({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly-report', namespace: 'data' },
    spec: {
      schedule: '*/1 * * * *',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          template: podTemplate('nightly-report', {
            restartPolicy: 'OnFailure',
            podAnnotations: { [DURATION_ANNOTATION]: '4' },
            containers: [{ name: 'report', image: 'ghcr.io/acme/reports:1.4.0', cpu: '100m', memory: '128Mi' }],
          }),
        },
      },
    },
  });
  p({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'db-vacuum', namespace: 'data' },
    spec: {
      schedule: '0 3 * * 0',
      suspend: true,
      jobTemplate: {
        spec: {
          template: podTemplate('db-vacuum', { restartPolicy: 'OnFailure', containers: [{ image: 'postgres:16.4' }] }),
        },
      },
    },
  });
  p({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'schema-migrate-42', namespace: 'data' },
    spec: {
      backoffLimit: 4,
      completions: 1,
      parallelism: 1,
      template: podTemplate('schema-migrate', {
        restartPolicy: 'Never',
        podAnnotations: { [DURATION_ANNOTATION]: '3' },
        containers: [{ name: 'migrate', image: 'ghcr.io/acme/migrations:42', cpu: '50m', memory: '64Mi' }],
      }),
    },
  });
  p({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'backfill-orders', namespace: 'data' },
    spec: {
      backoffLimit: 2,
      template: podTemplate('backfill-orders', {
        restartPolicy: 'Never',
        podAnnotations: { [FAULT_ANNOTATION]: 'fail' },
        containers: [{ name: 'backfill', image: 'ghcr.io/acme/backfill:1.0.3', cpu: '100m', memory: '128Mi' }],
      }),
    },
  });
  p({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'analytics-scratch', namespace: 'data' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast-ssd',
      resources: { requests: { storage: '50Gi' } },
      volumeMode: 'Filesystem',
    },
  });
  p({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'nfs-archive' },
    spec: {
      capacity: { storage: '500Gi' },
      accessModes: ['ReadWriteMany'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      nfs: { server: '10.0.0.50', path: '/exports/archive' },
      volumeMode: 'Filesystem',
    },
  });
  p({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'archive', namespace: 'data' },
    spec: {
      accessModes: ['ReadWriteMany'],
      storageClassName: '',
      resources: { requests: { storage: '200Gi' } },
      volumeMode: 'Filesystem',
    },
  });
  // CSI attachments of volumes to nodes (cluster-scoped, read-only in KubeGraf).
  for (const [name, pv, nodeName, attached] of [
    ['csi-3f1c9a0b7e2d4c51', 'nfs-archive', 'worker-a', true],
    ['csi-8a2e6d4f0b9c1e73', 'nfs-archive', 'worker-b', false],
  ] as const)
    p({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'VolumeAttachment',
      metadata: { name },
      spec: { attacher: 'nfs.csi.k8s.io', nodeName, source: { persistentVolumeName: pv } },
      status: attached ? { attached: true, attachmentMetadata: { node: nodeName } } : { attached: false },
    });

  // ml: GPU serving, KServe, and a training pod asking for more GPUs than any node has.
  p(
    // The model server times out on a quarter of its requests (the mesh graph shows it failing).
    httpErrors(
      25,
      deployment('ml', 'llm-server', {
        tolerations: [GPU_TOLERATION],
        nodeSelector: { 'nvidia.com/gpu.present': 'true' },
        containers: [{ image: 'vllm/vllm-openai:v0.6.3', cpu: '4', memory: '32Gi', gpus: 1, port: 8000 }],
      }),
    ),
  );
  p(service('ml', 'llm-server', 8000));
  p({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'trainer-large',
      namespace: 'ml',
      labels: { app: 'trainer', 'kueue.x-k8s.io/queue-name': 'gpu-queue' },
    },
    spec: {
      restartPolicy: 'Never',
      tolerations: [GPU_TOLERATION],
      containers: [
        {
          name: 'pytorch',
          image: 'docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727',
          resources: {
            requests: { cpu: '8', memory: '64Gi', 'nvidia.com/gpu': '8' },
            limits: { 'nvidia.com/gpu': '8' },
          },
        },
      ],
    },
  });

  // monitoring: a Service whose pods never came (alertmanager was scaled away). All of it was installed by the
  // kube-prometheus-stack Helm release below, labelled and annotated as Helm does, and listed in its manifest.
  const promStack: Json[] = [];
  const prom = (o: Json) => {
    const m = o.metadata as { labels?: Record<string, string>; annotations?: Record<string, string> };
    m.labels = {
      ...(m.labels ?? {}),
      'app.kubernetes.io/managed-by': 'Helm',
      'app.kubernetes.io/instance': 'kube-prometheus-stack',
      'app.kubernetes.io/part-of': 'kube-prometheus-stack',
    };
    m.annotations = {
      ...(m.annotations ?? {}),
      'meta.helm.sh/release-name': 'kube-prometheus-stack',
      'meta.helm.sh/release-namespace': 'monitoring',
    };
    promStack.push(o);
    p(o);
  };
  prom(
    statefulSet('monitoring', 'prometheus', {
      storage: '20Gi',
      containers: [{ image: 'quay.io/prometheus/prometheus:v2.54.1', cpu: '200m', memory: '512Mi', port: 9090 }],
    }),
  );
  prom(service('monitoring', 'prometheus', 9090));
  prom(
    deployment('monitoring', 'grafana', {
      containers: [{ image: 'grafana/grafana:11.2.2', cpu: '50m', memory: '128Mi', port: 3000 }],
    }),
  );
  prom(service('monitoring', 'grafana', 80, { targetPort: 3000 }));
  prom(service('monitoring', 'alertmanager', 9093));
  prom(
    daemonSet('monitoring', 'node-exporter', {
      containers: [
        {
          image: 'quay.io/prometheus/node-exporter:v1.8.2',
          cpu: '20m',
          memory: '32Mi',
          port: 9100,
          portName: 'metrics',
        },
      ],
      tolerations: [{ operator: 'Exists' }],
    }),
  );
  prom({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'prometheus' },
    rules: [
      {
        apiGroups: [''],
        resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'],
        verbs: ['get', 'list', 'watch'],
      },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ],
  });
  prom({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'prometheus', namespace: 'monitoring' } });
  prom({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'prometheus' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'prometheus' },
    subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }],
  });

  // Platform: Argo CD and cert-manager with their CRDs and a few instances.
  p(
    deployment('argocd', 'argocd-server', {
      containers: [{ image: 'quay.io/argoproj/argocd:v2.13.1', cpu: '50m', memory: '128Mi', port: 8080 }],
    }),
  );
  p(
    deployment('argocd', 'argocd-repo-server', {
      containers: [{ image: 'quay.io/argoproj/argocd:v2.13.1', cpu: '50m', memory: '128Mi', port: 8081 }],
    }),
  );
  p(
    statefulSet('argocd', 'argocd-application-controller', {
      containers: [{ image: 'quay.io/argoproj/argocd:v2.13.1', cpu: '100m', memory: '256Mi' }],
    }),
  );
  p(service('argocd', 'argocd-server', 443, { targetPort: 8080, portName: 'https' }));
  p(
    deployment('cert-manager', 'cert-manager', {
      containers: [{ image: 'quay.io/jetstack/cert-manager-controller:v1.16.1', cpu: '10m', memory: '32Mi' }],
    }),
  );
  p(
    deployment('cert-manager', 'cert-manager-webhook', {
      containers: [
        {
          image: 'quay.io/jetstack/cert-manager-webhook:v1.16.1',
          cpu: '10m',
          memory: '32Mi',
          port: 10250,
          portName: 'https',
        },
      ],
    }),
  );
  p(service('cert-manager', 'cert-manager-webhook', 443, { targetPort: 'https', portName: 'https' }));

  const crds = [
    crd('cert-manager.io', 'Certificate', 'certificates', {
      version: 'v1',
      shortNames: ['cert', 'certs'],
      categories: ['cert-manager'],
      columns: [
        { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
        { name: 'Secret', type: 'string', jsonPath: '.spec.secretName' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ],
    }),
    crd('cert-manager.io', 'ClusterIssuer', 'clusterissuers', {
      version: 'v1',
      scope: 'Cluster',
      categories: ['cert-manager'],
    }),
    crd('argoproj.io', 'Application', 'applications', {
      version: 'v1alpha1',
      shortNames: ['app', 'apps'],
      schema: ARGO_APPLICATION_SCHEMA,
      statusSubresource: false,
      columns: [
        { name: 'Sync Status', type: 'string', jsonPath: '.status.sync.status' },
        { name: 'Health Status', type: 'string', jsonPath: '.status.health.status' },
      ],
    }),
    crd('serving.kserve.io', 'InferenceService', 'inferenceservices', {
      version: 'v1beta1',
      shortNames: ['isvc'],
      columns: [
        { name: 'URL', type: 'string', jsonPath: '.status.url' },
        { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      ],
    }),
  ];
  for (const c of crds) ctx.types.add(crdToType(p(c)));

  const t0 = days(30).replace(/\.\d+Z$/, 'Z');
  p({
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: 'letsencrypt-prod' },
    spec: {
      acme: {
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        email: 'ops@acme.example',
        privateKeySecretRef: { name: 'le-account-key' },
        solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }],
      },
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'ACMEAccountRegistered',
          message: 'The ACME account was registered with the ACME server',
          lastTransitionTime: t0,
          observedGeneration: 1,
        },
      ],
    },
  });
  p({
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'shop-tls', namespace: 'shop' },
    spec: {
      secretName: 'shop-tls',
      dnsNames: ['shop.acme.example'],
      issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Ready',
          message: 'Certificate is up to date and has not expired',
          observedGeneration: 1,
          lastTransitionTime: t0,
        },
      ],
      notBefore: rfc3339(at(-30)),
      notAfter: rfc3339(at(60)),
      renewalTime: rfc3339(at(30)),
      revision: 3,
    },
  });
  p({
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'payments-tls', namespace: 'payments' },
    spec: {
      secretName: 'payments-tls',
      dnsNames: ['pay.acme.example'],
      issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'DoesNotExist',
          message: 'Issuing certificate as Secret does not exist',
          observedGeneration: 1,
          lastTransitionTime: t0,
        },
        {
          type: 'Issuing',
          status: 'True',
          reason: 'DoesNotExist',
          message: 'Issuing certificate as Secret does not exist',
          observedGeneration: 1,
          lastTransitionTime: t0,
        },
      ],
      failedIssuanceAttempts: 2,
      lastFailureTime: days(0.1).replace(/\.\d+Z$/, 'Z'),
    },
  });
  loadArgoDemo(ctx);
  loadCostDemo(ctx);
  loadContinuityDemo(ctx);
  loadSecurityDemo(ctx);
  // Grafana's certificate: its renewal came due 18 days ago and keeps failing, so it expires in 12 days.
  p({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'grafana',
      namespace: 'monitoring',
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' },
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['grafana.acme.example'], secretName: 'grafana-tls' }],
      rules: [
        {
          host: 'grafana.acme.example',
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'grafana', port: { number: 80 } } } }],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
  });
  p({
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'grafana-tls', namespace: 'monitoring' },
    spec: {
      secretName: 'grafana-tls',
      dnsNames: ['grafana.acme.example'],
      issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Ready',
          message: 'Certificate is up to date and has not expired',
          observedGeneration: 1,
          lastTransitionTime: rfc3339(at(-78)),
        },
        {
          type: 'Issuing',
          status: 'True',
          reason: 'Renewing',
          message: `Renewing certificate as renewal was scheduled at ${new Date(at(-18)).toUTCString()}`,
          observedGeneration: 1,
          lastTransitionTime: rfc3339(at(-18)),
        },
      ],
      notBefore: rfc3339(at(-78)),
      notAfter: rfc3339(at(12)),
      renewalTime: rfc3339(at(-18)),
      revision: 1,
      failedIssuanceAttempts: 4,
      lastFailureTime: rfc3339(at(-0.2)),
    },
  });
  const tlsSecret = (ns: string, name: string, data: Record<string, string>, annotations?: Record<string, string>) =>
    p({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) },
      data,
    });
  tlsSecret(
    'monitoring',
    'grafana-tls',
    tlsData(
      issueCertificate({
        subject: { CN: 'grafana.acme.example' },
        sans: ['grafana.acme.example'],
        notBefore: new Date(at(-78)),
        notAfter: new Date(at(12)),
        issuer: LETS_ENCRYPT,
      }),
    ),
    {
      'cert-manager.io/certificate-name': 'grafana-tls',
      'cert-manager.io/issuer-name': 'letsencrypt-prod',
      'cert-manager.io/issuer-kind': 'ClusterIssuer',
      'cert-manager.io/issuer-group': 'cert-manager.io',
    },
  );
  // TLS secrets nobody renews automatically: one expiring in 3 days, one expired, one good for months.
  tlsSecret(
    'argocd',
    'argocd-server-tls',
    tlsData(
      issueCertificate({
        subject: { O: 'Acme Corp', CN: 'argocd.acme.internal' },
        sans: ['argocd.acme.internal', 'argocd-server.argocd.svc'],
        notBefore: new Date(at(-362)),
        notAfter: new Date(at(3)),
        issuer: INTERNAL_CA,
      }),
    ),
  );
  tlsSecret(
    'shop',
    'promo-tls',
    tlsData(
      issueCertificate({
        subject: { CN: 'promo.acme.example' },
        sans: ['promo.acme.example', 'sale.acme.example'],
        notBefore: new Date(at(-99)),
        notAfter: new Date(at(-9)),
        issuer: LETS_ENCRYPT,
      }),
    ),
  );
  tlsSecret(
    'mlflow',
    'mlflow-tls',
    tlsData(
      issueCertificate({
        subject: { O: 'Acme Corp', CN: 'mlflow.acme.internal' },
        sans: ['mlflow.acme.internal', 'mlflow.mlflow.svc', '10.96.12.40'],
        notBefore: new Date(at(-30)),
        notAfter: new Date(at(335)),
        issuer: INTERNAL_CA,
      }),
    ),
  );

  p(
    deployment('ml', 'sklearn-iris-predictor', {
      labels: { 'serving.kserve.io/inferenceservice': 'sklearn-iris', component: 'predictor' },
      containers: [
        { name: 'kserve-container', image: 'kserve/sklearnserver:v0.14.0', cpu: '100m', memory: '256Mi', port: 8080 },
      ],
    }),
  );
  p(service('ml', 'sklearn-iris-predictor', 80, { targetPort: 8080 }));
  p({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: 'sklearn-iris',
      namespace: 'ml',
      annotations: { 'serving.kserve.io/deploymentMode': 'Standard' },
    },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'sklearn' },
          runtime: 'kserve-sklearnserver',
          storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
        },
      },
    },
    status: {
      observedGeneration: 1,
      url: 'http://sklearn-iris.ml.acme.example',
      address: { url: 'http://sklearn-iris-predictor.ml.svc.cluster.local' },
      conditions: ['IngressReady', 'PredictorReady', 'Ready'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: t0,
      })),
      components: { predictor: { url: 'http://sklearn-iris-predictor.ml.acme.example' } },
      modelStatus: {
        transitionStatus: 'UpToDate',
        states: { activeModelState: 'Loaded', targetModelState: 'Loaded' },
        copies: { failedCopies: 0, totalCopies: 1 },
      },
      clusterServingRuntimeName: 'kserve-sklearnserver',
      deploymentMode: 'Standard',
    },
  });

  // Service mesh console, experiment tracking and GPU telemetry, reached through the API server's service proxy.
  p(
    deployment('istio-system', 'kiali', {
      labels: { 'app.kubernetes.io/name': 'kiali' },
      containers: [{ image: 'quay.io/kiali/kiali:v2.1.0', cpu: '10m', memory: '64Mi', port: 20001 }],
    }),
  );
  p(service('istio-system', 'kiali', 20001));
  p(
    deployment('mlflow', 'mlflow', {
      containers: [{ image: 'ghcr.io/mlflow/mlflow:v2.17.2', cpu: '100m', memory: '256Mi', port: 5000 }],
    }),
  );
  p(service('mlflow', 'mlflow', 5000));
  // A Feast feature store as the Feast operator deploys a FeatureStore "driver-ranking": the registry (with its REST
  // API) and the online feature server in one pod, one Service each.
  const feastLabels = { 'feast.dev/name': 'driver-ranking' };
  p(
    deployment('feast', 'feast-driver-ranking', {
      labels: feastLabels,
      containers: [
        {
          name: 'registry',
          image: 'quay.io/feastdev/feature-server:0.49.0',
          cpu: '50m',
          memory: '256Mi',
          port: 6572,
          portName: 'rest',
        },
        {
          name: 'online',
          image: 'quay.io/feastdev/feature-server:0.49.0',
          cpu: '50m',
          memory: '256Mi',
          port: 6566,
          portName: 'online',
        },
      ],
    }),
  );
  for (const [type, port] of [
    ['registry-rest', 6572],
    ['online', 6566],
  ] as const) {
    const svc = service('feast', `feast-driver-ranking-${type}`, 80, {
      selector: { app: 'feast-driver-ranking' },
      targetPort: port,
    });
    svc.metadata.labels = {
      ...svc.metadata.labels,
      ...feastLabels,
      'feast.dev/service-type': type.replace(/-rest$/, ''),
    };
    p(svc);
  }
  p(
    daemonSet('gpu-operator', 'nvidia-dcgm-exporter', {
      tolerations: [GPU_TOLERATION],
      nodeSelector: { 'nvidia.com/gpu.present': 'true' },
      containers: [
        {
          name: 'nvidia-dcgm-exporter',
          image: 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.8-3.6.0-ubuntu22.04',
          cpu: '10m',
          memory: '128Mi',
          port: 9400,
          portName: 'gpu-metrics',
        },
      ],
    }),
  );
  p(service('gpu-operator', 'nvidia-dcgm-exporter', 9400, { portName: 'gpu-metrics' }));
  // Kubeflow training: the v1 PyTorchJob and v2 TrainJob kinds, and one PyTorchJob whose master pod trains on a GPU.
  for (const c of [
    crd('kubeflow.org', 'PyTorchJob', 'pytorchjobs', {
      version: 'v1',
      categories: ['kubeflow'],
      columns: [
        { name: 'State', type: 'string', jsonPath: '.status.conditions[-1:].type' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ],
    }),
    crd('trainer.kubeflow.org', 'TrainJob', 'trainjobs', { version: 'v1alpha1', categories: ['kubeflow'] }),
  ])
    ctx.types.add(crdToType(p(c)));
  // Started as the cluster came up (objects are created then): its duration and age agree.
  const started = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const mnist = p({
    apiVersion: 'kubeflow.org/v1',
    kind: 'PyTorchJob',
    metadata: { name: 'mnist-ddp', namespace: 'ml' },
    spec: {
      runPolicy: { cleanPodPolicy: 'None' },
      pytorchReplicaSpecs: {
        Master: {
          replicas: 1,
          restartPolicy: 'OnFailure',
          template: {
            spec: {
              containers: [
                {
                  name: 'pytorch',
                  image: 'docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727',
                  resources: { limits: { 'nvidia.com/gpu': 1 } },
                },
              ],
            },
          },
        },
      },
    },
    status: {
      startTime: started,
      conditions: [
        {
          type: 'Created',
          status: 'True',
          reason: 'PyTorchJobCreated',
          message: 'PyTorchJob mnist-ddp is created.',
          lastUpdateTime: started,
          lastTransitionTime: started,
        },
        {
          type: 'Running',
          status: 'True',
          reason: 'PyTorchJobRunning',
          message: 'PyTorchJob mnist-ddp is running.',
          lastUpdateTime: started,
          lastTransitionTime: started,
        },
      ],
      replicaStatuses: { Master: { active: 1 } },
    },
  });
  p({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'mnist-ddp-master-0',
      namespace: 'ml',
      labels: {
        'training.kubeflow.org/job-name': 'mnist-ddp',
        'training.kubeflow.org/operator-name': 'pytorchjob-controller',
        'training.kubeflow.org/replica-type': 'master',
        'training.kubeflow.org/replica-index': '0',
        'training.kubeflow.org/job-role': 'master',
      },
      annotations: { [DURATION_ANNOTATION]: '1000000' },
      ownerReferences: [ownerRef(mnist as KObj)],
    },
    spec: {
      restartPolicy: 'OnFailure',
      tolerations: [GPU_TOLERATION],
      nodeSelector: { 'nvidia.com/gpu.present': 'true' },
      containers: [
        {
          name: 'pytorch',
          image: 'docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727',
          ports: [{ name: 'pytorchjob-port', containerPort: 23456 }],
          resources: {
            requests: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' },
            limits: { 'nvidia.com/gpu': '1' },
          },
        },
      ],
    },
  });

  // Helm releases with a little history. The shop release owns three ConfigMaps whose content changes per revision,
  // so a rollback configures one, recreates one and deletes one, and one more is kept by its resource policy.
  const first = days(40);
  const shopConfigMap = (name: string, data: Record<string, string>, keep = false) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      labels: { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/instance': 'shop' },
      ...(keep ? { annotations: { 'helm.sh/resource-policy': 'keep' } } : {}),
    },
    data,
  });
  const shopManifest = (objs: Array<ReturnType<typeof shopConfigMap>>) =>
    objs
      .map(
        (o) =>
          `---\n# Source: shop/templates/${o.metadata.name.replace(/^shop-/, '')}.yaml\n${stringifyYaml(o, { version: '1.1' })}`,
      )
      .join('');
  const shopRevs = [
    [
      shopConfigMap('shop-settings', { currency: 'EUR', theme: 'classic', checkoutTimeout: '30s' }),
      shopConfigMap('shop-promotions', { banner: 'Spring sale: 10% off' }),
    ],
    [
      shopConfigMap('shop-settings', { currency: 'EUR', theme: 'classic', checkoutTimeout: '45s' }),
      shopConfigMap('shop-promotions', { banner: 'Summer sale: 15% off' }),
    ],
    [
      shopConfigMap('shop-settings', {
        currency: 'EUR',
        theme: 'autumn',
        checkoutTimeout: '45s',
        recommendations: 'on',
      }),
      shopConfigMap('shop-feature-flags', { newCheckout: 'true', oneClickPay: 'false' }),
      shopConfigMap('shop-orders-archive', { retentionDays: '365' }, true),
    ],
  ];
  const migrateHook = {
    name: 'shop-db-migrate',
    kind: 'Job',
    path: 'shop/templates/hooks/db-migrate.yaml',
    manifest:
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: shop-db-migrate\n  annotations:\n    "helm.sh/hook": pre-upgrade,pre-rollback\n    "helm.sh/hook-delete-policy": before-hook-creation\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: migrate\n          image: registry.example.com/shop/migrate:2.14.1\n',
    events: ['pre-upgrade', 'pre-rollback'],
    last_run: { started_at: days(3), completed_at: days(3), phase: 'Succeeded' },
    weight: 0,
    delete_policies: ['before-hook-creation'],
  };
  const shopChartValues = {
    replicaCount: 1,
    theme: 'classic',
    image: { repository: 'registry.example.com/shop/web', tag: '' },
    payments: { provider: 'stripe', apiKey: '' },
  };
  const shopVersions = [
    { version: '1.4.0', appVersion: '2.12.0', at: first, description: 'Install complete', values: { replicaCount: 2 } },
    {
      version: '1.4.1',
      appVersion: '2.13.0',
      at: days(10),
      description: 'Upgrade complete',
      values: { replicaCount: 3, payments: { apiKey: 'sk_live_demo_51HqK2' } },
    },
    {
      version: '1.4.2',
      appVersion: '2.14.1',
      at: days(3),
      description: 'Upgrade complete',
      values: {
        replicaCount: 3,
        theme: 'autumn',
        image: { tag: '2.14.1' },
        payments: { apiKey: 'sk_live_demo_51HqK2' },
      },
    },
  ];
  shopVersions.forEach((v, i) =>
    p(
      helmRelease('shop', 'shop', i + 1, {
        chart: 'shop',
        version: v.version,
        appVersion: v.appVersion,
        status: i === shopVersions.length - 1 ? 'deployed' : 'superseded',
        description: v.description,
        firstDeployedAt: first,
        deployedAt: v.at,
        values: v.values,
        chartValues: shopChartValues,
        manifest: shopManifest(shopRevs[i]),
        hooks: i > 0 ? [migrateHook] : [],
        notes: 'The shop is served at https://shop.example.com.\nSettings live in ConfigMap shop-settings.',
      }),
    ),
  );
  // What the deployed revision put in the cluster, labelled and annotated as Helm does.
  for (const o of shopRevs[shopRevs.length - 1])
    p({
      ...o,
      metadata: {
        ...o.metadata,
        namespace: 'shop',
        labels: { ...o.metadata.labels, 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: {
          ...(o.metadata.annotations ?? {}),
          'meta.helm.sh/release-name': 'shop',
          'meta.helm.sh/release-namespace': 'shop',
        },
      },
    });
  p(
    helmRelease('monitoring', 'kube-prometheus-stack', 1, {
      chart: 'kube-prometheus-stack',
      version: '65.1.1',
      appVersion: 'v0.77.1',
      status: 'deployed',
      description: 'Install complete',
      firstDeployedAt: days(20),
      deployedAt: days(20),
      manifest: promStack
        .map((o) => {
          const { metadata, status: _s, ...rest } = o as { metadata: Record<string, unknown>; status?: unknown };
          const { annotations: _a, ...meta } = metadata;
          const file = `${String(o.kind).toLowerCase()}-${String(metadata.name)}`;
          return `---\n# Source: kube-prometheus-stack/templates/${file}.yaml\n${stringifyYaml({ ...rest, metadata: meta }, { version: '1.1' })}`;
        })
        .join(''),
    }),
  );
  p(
    helmRelease('cert-manager', 'cert-manager', 1, {
      chart: 'cert-manager',
      version: 'v1.16.1',
      appVersion: 'v1.16.1',
      status: 'superseded',
      description: 'Install complete',
      firstDeployedAt: days(60),
      deployedAt: days(60),
      values: { crds: { enabled: true } },
    }),
  );
  p(
    helmRelease('cert-manager', 'cert-manager', 2, {
      chart: 'cert-manager',
      version: 'v1.16.1',
      appVersion: 'v1.16.1',
      status: 'failed',
      description: 'Upgrade "cert-manager" failed: context deadline exceeded',
      firstDeployedAt: days(60),
      deployedAt: days(1),
      values: { crds: { enabled: true }, replicaCount: 2 },
    }),
  );
  loadDriftDemo(ctx);
}

const openObject = (description: string, properties: Json = {}): Json => ({
  type: 'object',
  description,
  properties,
  'x-kubernetes-preserve-unknown-fields': true,
});
const text = (description: string): Json => ({ type: 'string', description });

/** The heart of Argo CD's Application schema (descriptions as its CRD has them); the rest stays open. */
const ARGO_APPLICATION_SCHEMA: Json = {
  type: 'object',
  description: 'Application is a definition of Application resource.',
  properties: {
    spec: {
      ...openObject(
        'ApplicationSpec represents desired application state. Contains link to repository with application definition and additional parameters link definition revision.',
        {
          project: text(
            "Project is a reference to the project this application belongs to. The empty string means that application belongs to the 'default' project.",
          ),
          source: openObject("Source is a reference to the location of the application's manifests or chart", {
            repoURL: text('RepoURL is the URL to the repository (Git or Helm) that contains the application manifests'),
            path: text(
              'Path is a directory path within the Git repository, and is only valid for applications sourced from Git.',
            ),
            targetRevision: text(
              "TargetRevision defines the revision of the source to sync the application to. In case of Git, this can be commit, tag, or branch. If omitted, will equal to HEAD. In case of Helm, this is a semver tag for the Chart's version.",
            ),
            chart: text('Chart is a Helm chart name, and must be specified for applications sourced from a Helm repo.'),
          }),
          destination: openObject('Destination is a reference to the target Kubernetes server and namespace', {
            server: text(
              "Server specifies the URL of the target cluster's Kubernetes control plane API. This must be set if Name is not set.",
            ),
            namespace: text(
              "Namespace specifies the target namespace for the application's resources. The namespace will only be set for namespace-scoped resources that have not set a value for .metadata.namespace",
            ),
            name: text(
              'Name is an alternate way of specifying the target cluster by its symbolic name. This must be set if Server is not set.',
            ),
          }),
          syncPolicy: openObject('SyncPolicy controls when and how a sync will be performed', {
            automated: openObject('Automated will keep an application synced to the target revision', {
              prune: {
                type: 'boolean',
                description:
                  'Prune specifies whether to delete resources from the cluster that are not found in the sources anymore as part of automated sync (default: false)',
              },
              selfHeal: {
                type: 'boolean',
                description:
                  'SelfHeal specifies whether to revert resources back to their desired state upon modification in the cluster (default: false)',
              },
            }),
            syncOptions: {
              type: 'array',
              description: 'Options allow you to specify whole app sync-options',
              items: { type: 'string' },
            },
          }),
        },
      ),
    },
    status: openObject('ApplicationStatus contains status information for the application'),
    operation: openObject('Operation contains information about a requested or running operation'),
  },
};
