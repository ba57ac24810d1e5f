// Builders for scenario objects: small functions that return complete objects in the shapes real
// controllers and installers leave behind.
import { gzipSync } from 'node:zlib';
import type { SimContext } from '../context';
import { typeKey } from '../kinds';
import type { KObj } from '../store';
import { healthyConditions } from '../controllers/nodes';
import type { Json } from '../controllers/runtime';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Creates through the store (watch events, controllers react) by the object's apiVersion and kind. */
export function put(ctx: SimContext, obj: Json): KObj {
  const rt = ctx.types.byKind(obj.apiVersion, obj.kind);
  if (!rt) throw new Error(`scenario: no served type for ${obj.apiVersion} ${obj.kind}`);
  return ctx.store.create(rt, obj as KObj);
}

export const tkOf = (ctx: SimContext, apiVersion: string, kind: string) => {
  const rt = ctx.types.byKind(apiVersion, kind)!;
  return typeKey(rt.group, rt.resource);
};

export function namespace(name: string, labels: Record<string, string> = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function systemBasics(ctx: SimContext): void {
  for (const ns of SYSTEM_NAMESPACES) put(ctx, namespace(ns));
  put(ctx, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    },
    status: { loadBalancer: {} },
  });
  put(ctx, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  });
}

export interface NodeSpec {
  cpu: number;
  memoryGi: number;
  labels?: Record<string, string>;
  taints?: Json[];
  gpus?: number;
  annotations?: Record<string, string>;
  index: number;
  notReady?: boolean;
  zone?: string;
}

export function node(name: string, s: NodeSpec): Json {
  const now = new Date(Date.now() - 86400000 * 12).toISOString().replace(/\.\d+Z$/, 'Z');
  const ip = `10.0.${Math.floor(s.index / 250)}.${(s.index % 250) + 10}`;
  const gpu = s.gpus ? { 'nvidia.com/gpu': String(s.gpus) } : {};
  const conds = healthyConditions(now, now);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': s.gpus ? 'a2-ultragpu-4g' : 'e2-standard-4',
        'topology.kubernetes.io/region': 'europe-west4',
        'topology.kubernetes.io/zone': s.zone ?? `europe-west4-${'abc'[s.index % 3]}`,
        ...(s.labels ?? {}),
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        ...(s.annotations ?? {}),
      },
    },
    spec: {
      podCIDR: `10.244.${s.index}.0/24`,
      podCIDRs: [`10.244.${s.index}.0/24`],
      providerID: `gce://kubegraf-demo/europe-west4-a/${name}`,
      ...(s.taints?.length ? { taints: s.taints } : {}),
    },
    status: {
      capacity: {
        cpu: String(s.cpu),
        'ephemeral-storage': '101203200Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${s.memoryGi * 1024 * 1024}Ki`,
        pods: '110',
        ...gpu,
      },
      allocatable: {
        cpu: `${s.cpu * 1000 - 80 - s.cpu * 10}m`,
        'ephemeral-storage': '93255848023',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${Math.round(s.memoryGi * 1024 * 1024 * 0.93)}Ki`,
        pods: '110',
        ...gpu,
      },
      conditions: s.notReady
        ? conds.map((c) => ({
            ...c,
            status: 'Unknown',
            reason: 'NodeStatusUnknown',
            message: 'Kubelet stopped posting node status.',
          }))
        : conds,
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: name
          .replace(/[^a-f0-9]/g, 'a')
          .padEnd(32, '0')
          .slice(0, 32),
        systemUUID: `4c4c4544-0037-${String(s.index).padStart(4, '0')}-8031-b7c04f4e3332`,
        bootID: `b1e5${String(s.index).padStart(4, '0')}-91b0-4f0b-9c5e-6f0c7e5d2a10`,
        kernelVersion: '6.1.0-28-cloud-amd64',
        osImage: 'Ubuntu 22.04.4 LTS',
        containerRuntimeVersion: 'containerd://1.7.22',
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: 'v1.32.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: [],
    },
  };
}

/** NVIDIA GPU Feature Discovery labels (see integrations guide §6). */
export function gpuLabels(count: number): Record<string, string> {
  return {
    'nvidia.com/gpu.present': 'true',
    'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
    'nvidia.com/gpu.count': String(count),
    'nvidia.com/gpu.memory': '81920',
    'nvidia.com/gpu.replicas': '1',
    'nvidia.com/gpu.sharing-strategy': 'none',
    'nvidia.com/gpu.family': 'ampere',
    'nvidia.com/gpu.compute.major': '8',
    'nvidia.com/gpu.compute.minor': '0',
    'nvidia.com/gpu.machine': 'a2-ultragpu-4g',
    'nvidia.com/gpu.mode': 'compute',
    'nvidia.com/cuda.driver-version.major': '550',
    'nvidia.com/cuda.driver-version.minor': '107',
    'nvidia.com/cuda.driver-version.revision': '02',
    'nvidia.com/cuda.driver-version.full': '550.107.02',
    'nvidia.com/cuda.driver.major': '550',
    'nvidia.com/cuda.driver.minor': '107',
    'nvidia.com/cuda.driver.rev': '02',
    'nvidia.com/cuda.runtime-version.major': '12',
    'nvidia.com/cuda.runtime-version.minor': '4',
    'nvidia.com/cuda.runtime-version.full': '12.4',
    'nvidia.com/cuda.runtime.major': '12',
    'nvidia.com/cuda.runtime.minor': '4',
    'nvidia.com/mig.capable': 'true',
    'nvidia.com/mps.capable': 'false',
    'nvidia.com/gfd.timestamp': '1736676000',
  };
}

export interface Ctr {
  name?: string;
  image: string;
  cpu?: string;
  memory?: string;
  cpuLimit?: string;
  memoryLimit?: string;
  port?: number;
  portName?: string;
  gpus?: number;
  env?: Json[];
  args?: string[];
}

export function container(c: Ctr, fallbackName: string): Json {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (c.cpu) requests.cpu = c.cpu;
  if (c.memory) requests.memory = c.memory;
  if (c.cpuLimit) limits.cpu = c.cpuLimit;
  if (c.memoryLimit) limits.memory = c.memoryLimit;
  if (c.gpus) requests['nvidia.com/gpu'] = limits['nvidia.com/gpu'] = String(c.gpus);
  return {
    name: c.name ?? fallbackName,
    image: c.image,
    ...(c.args ? { args: c.args } : {}),
    ...(c.port ? { ports: [{ containerPort: c.port, name: c.portName ?? 'http', protocol: 'TCP' }] } : {}),
    ...(c.env ? { env: c.env } : {}),
    resources: {
      ...(Object.keys(requests).length ? { requests } : {}),
      ...(Object.keys(limits).length ? { limits } : {}),
    },
    ...(c.port
      ? {
          readinessProbe: {
            httpGet: { path: '/healthz', port: c.port, scheme: 'HTTP' },
            periodSeconds: 10,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
        }
      : {}),
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
}

export interface WorkloadOpts {
  containers: Ctr[];
  replicas?: number;
  labels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  serviceAccount?: string;
  tolerations?: Json[];
  nodeSelector?: Record<string, string>;
  volumes?: Json[];
  restartPolicy?: string;
}

export function podTemplate(app: string, o: WorkloadOpts): Json {
  return {
    metadata: { labels: { app, ...(o.labels ?? {}) }, ...(o.podAnnotations ? { annotations: o.podAnnotations } : {}) },
    spec: {
      containers: o.containers.map((c) => container(c, app)),
      restartPolicy: o.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
      ...(o.serviceAccount ? { serviceAccountName: o.serviceAccount } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.volumes ? { volumes: o.volumes } : {}),
    },
  };
}

export function deployment(
  ns: string,
  name: string,
  o: WorkloadOpts & { progressDeadlineSeconds?: number; labels?: Record<string, string> },
): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name, ...(o.labels ?? {}) }, annotations: {} },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: podTemplate(name, o),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: o.progressDeadlineSeconds ?? 600,
    },
  };
}

export function statefulSet(
  ns: string,
  name: string,
  o: WorkloadOpts & { storage?: string; storageClass?: string },
): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas: o.replicas ?? 1,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: podTemplate(name, { ...o, containers: o.containers.map((c) => c) }),
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      ...(o.storage
        ? {
            volumeClaimTemplates: [
              {
                metadata: { name: 'data' },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  storageClassName: o.storageClass ?? 'standard',
                  resources: { requests: { storage: o.storage } },
                },
              },
            ],
          }
        : {}),
    },
  };
}

export function daemonSet(ns: string, name: string, o: WorkloadOpts): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: podTemplate(name, o),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    },
  };
}

export function service(
  ns: string,
  name: string,
  port: number,
  o: { selector?: Record<string, string>; targetPort?: number | string; type?: string; portName?: string } = {},
): Json {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      type: o.type ?? 'ClusterIP',
      selector: o.selector ?? { app: name },
      ports: [{ name: o.portName ?? 'http', port, protocol: 'TCP', targetPort: o.targetPort ?? port }],
    },
  };
}

/** A Helm 3 release Secret: data.release = base64(base64(gzip(JSON))) as stored (integrations guide §1). */
export function helmRelease(
  ns: string,
  name: string,
  revision: number,
  o: {
    chart: string;
    version: string;
    appVersion: string;
    status: string;
    description: string;
    deployedAt: string;
    firstDeployedAt: string;
    /** User-supplied values (`config`). */
    values?: Json;
    /** The chart's own defaults (`chart.values`); default: the user values. */
    chartValues?: Json;
    manifest?: string;
    /** Release hooks as stored (`name, kind, path, manifest, events, last_run, weight, delete_policies`). */
    hooks?: Json[];
    notes?: string;
  },
): Json {
  const release = {
    name,
    namespace: ns,
    version: revision,
    info: {
      first_deployed: o.firstDeployedAt,
      last_deployed: o.deployedAt,
      deleted: '',
      description: o.description,
      status: o.status,
      notes: o.notes ?? `Thank you for installing ${o.chart}.`,
    },
    chart: {
      metadata: {
        apiVersion: 'v2',
        name: o.chart,
        version: o.version,
        appVersion: o.appVersion,
        description: `A Helm chart for ${o.chart}`,
      },
      lock: null,
      templates: [],
      values: o.chartValues ?? o.values ?? {},
      schema: null,
      files: [],
    },
    config: o.values ?? {},
    manifest:
      o.manifest ??
      `---\n# Source: ${o.chart}/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n`,
    hooks: o.hooks ?? [],
  };
  const inner = gzipSync(Buffer.from(JSON.stringify(release)), { level: 9 }).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.${name}.v${revision}`,
      namespace: ns,
      labels: {
        name,
        owner: 'helm',
        status: o.status,
        version: String(revision),
        createdAt: String(Math.floor(Date.parse(o.deployedAt) / 1000)),
      },
    },
    data: { release: Buffer.from(inner).toString('base64') },
  };
}

export function crd(
  group: string,
  kind: string,
  plural: string,
  o: {
    version: string;
    scope?: 'Namespaced' | 'Cluster';
    shortNames?: string[];
    categories?: string[];
    columns?: Json[];
    /** The version's openAPIV3Schema (what `kubectl explain` reads); open to anything when absent. */
    schema?: Json;
    /** Serve `/status` as a subresource (default); Argo CD's Application, for one, has none. */
    statusSubresource?: boolean;
  },
): Json {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: {
        kind,
        listKind: `${kind}List`,
        plural,
        singular: kind.toLowerCase(),
        ...(o.shortNames ? { shortNames: o.shortNames } : {}),
        ...(o.categories ? { categories: o.categories } : {}),
      },
      scope: o.scope ?? 'Namespaced',
      versions: [
        {
          name: o.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: o.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          ...(o.statusSubresource === false ? {} : { subresources: { status: {} } }),
          ...(o.columns ? { additionalPrinterColumns: o.columns } : {}),
        },
      ],
    },
  };
}
