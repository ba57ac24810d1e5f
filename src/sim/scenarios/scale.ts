// The scale cluster: N Running pods over ~50 namespaces and M nodes, owned by Deployments and ReplicaSets,
// bulk-loaded without watch events so 100k pods load in seconds.
import { randomUUID } from 'node:crypto';
import type { SimContext } from '../context';
import { typeKey } from '../kinds';
import type { KObj } from '../store';
import { nowIso } from '../store';
import { namespace, node, put, systemBasics } from './seed';

const PODS_PER_DEPLOYMENT = 100;
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
const suffix = (i: number, n: number) => {
  let s = '';
  for (let k = 0; k < n; k++, i = Math.floor(i / SAFE.length)) s += SAFE[i % SAFE.length];
  return s;
};

export function loadScale(ctx: SimContext, opts: { pods?: number; nodes?: number }): void {
  const pods = Math.max(0, opts.pods ?? 1000);
  const nodes = Math.max(1, opts.nodes ?? Math.max(3, Math.ceil(pods / 100)));
  systemBasics(ctx);
  const nsCount = Math.max(1, Math.min(50, Math.ceil(pods / PODS_PER_DEPLOYMENT)));
  const nsNames = Array.from({ length: nsCount }, (_, i) => `team-${String(i).padStart(2, '0')}`);
  for (const ns of nsNames) put(ctx, namespace(ns));

  const nodeObjs: KObj[] = [];
  for (let i = 0; i < nodes; i++)
    nodeObjs.push(node(`node-${String(i).padStart(4, '0')}`, { index: i + 1, cpu: 16, memoryGi: 64 }) as KObj);
  // Enough pod slots for the pods asked for.
  const perNode = Math.ceil(pods / nodes) + 10;
  for (const n of nodeObjs) n.status.capacity.pods = n.status.allocatable.pods = String(Math.max(110, perNode));
  ctx.store.bulkLoad('nodes', nodeObjs);

  const now = nowIso();
  const deployments: KObj[] = [];
  const replicaSets: KObj[] = [];
  const podObjs: KObj[] = [];
  const services: KObj[] = [];
  // Shared, never-mutated parts: stored objects are immutable, so pods may share them.
  const conditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
    (type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now }),
  );
  const resources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } };
  let made = 0;
  for (let d = 0; made < pods; d++) {
    const ns = nsNames[d % nsCount];
    const name = `svc-${String(Math.floor(d / nsCount)).padStart(3, '0')}`;
    const count = Math.min(PODS_PER_DEPLOYMENT, pods - made);
    const image = `ghcr.io/acme/${name}:1.${d % 10}.0`;
    const hash = suffix(d * 7919 + 13, 10);
    const labels = { app: name };
    const podLabels = { app: name, 'pod-template-hash': hash };
    const template = {
      metadata: { labels },
      spec: {
        containers: [
          { name: 'app', image, resources, ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }] },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
      },
    };
    const depUid = randomUUID();
    const rsUid = randomUUID();
    deployments.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace: ns,
        uid: depUid,
        generation: 1,
        labels,
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      },
      spec: {
        replicas: count,
        selector: { matchLabels: labels },
        template,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 1,
        replicas: count,
        updatedReplicas: count,
        readyReplicas: count,
        availableReplicas: count,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
            lastUpdateTime: now,
            lastTransitionTime: now,
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${name}-${hash}" has successfully progressed.`,
            lastUpdateTime: now,
            lastTransitionTime: now,
          },
        ],
      },
    });
    const rsName = `${name}-${hash}`;
    replicaSets.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: ns,
        uid: rsUid,
        generation: 1,
        labels: podLabels,
        annotations: {
          'deployment.kubernetes.io/revision': '1',
          'deployment.kubernetes.io/desired-replicas': String(count),
          'deployment.kubernetes.io/max-replicas': String(count + Math.ceil(count / 4)),
        },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: depUid, controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: {
        replicas: count,
        selector: { matchLabels: podLabels },
        template: { ...template, metadata: { labels: podLabels } },
      },
      status: {
        replicas: count,
        fullyLabeledReplicas: count,
        readyReplicas: count,
        availableReplicas: count,
        observedGeneration: 1,
      },
    });
    services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels },
      spec: {
        type: 'ClusterIP',
        clusterIP: `10.96.${Math.floor(d / 250) % 250}.${(d % 250) + 2}`,
        clusterIPs: [`10.96.${Math.floor(d / 250) % 250}.${(d % 250) + 2}`],
        selector: labels,
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    });
    const ownerReferences = [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: rsName,
        uid: rsUid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
    const spec = template.spec;
    for (let i = 0; i < count; i++, made++) {
      const n = nodeObjs[made % nodes];
      const nodeIndex = made % nodes;
      const slot = Math.floor(made / nodes);
      const podIP = `10.${100 + Math.floor(nodeIndex / 250)}.${nodeIndex % 250}.${(slot % 250) + 2}`;
      const uid = randomUUID();
      podObjs.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${rsName}-${suffix(made, 5)}`, namespace: ns, uid, labels: podLabels, ownerReferences },
        spec: { ...spec, nodeName: n.metadata.name },
        status: {
          phase: 'Running',
          conditions,
          hostIP: n.status.addresses[0].address,
          podIP,
          podIPs: [{ ip: podIP }],
          startTime: now,
          containerStatuses: [
            {
              name: 'app',
              state: { running: { startedAt: now } },
              lastState: {},
              ready: true,
              restartCount: 0,
              image,
              imageID: `${image}@sha256:${uid.replace(/-/g, '')}${uid.replace(/-/g, '')}`,
              containerID: `containerd://${uid.replace(/-/g, '')}`,
              started: true,
            },
          ],
          qosClass: 'Burstable',
        },
      });
    }
  }
  const tk = (apiVersion: string, kind: string) => {
    const rt = ctx.types.byKind(apiVersion, kind)!;
    return typeKey(rt.group, rt.resource);
  };
  ctx.store.bulkLoad(tk('apps/v1', 'Deployment'), deployments);
  ctx.store.bulkLoad(tk('apps/v1', 'ReplicaSet'), replicaSets);
  ctx.store.bulkLoad('services', services);
  ctx.store.bulkLoad('pods', podObjs);
}
