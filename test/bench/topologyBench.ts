// The resource map at scale: the graph built from cache-shaped objects (what the watch caches hand the route) for a
// cluster of `pods` pods on `nodes` nodes: 10-pod Deployments (each with its ReplicaSet, a Service, a ConfigMap
// volume and a Secret in env), an Ingress per ten Services, 100 pods to a namespace.
import { performance } from 'node:perf_hooks';
import type { KObject } from '../../src/core/kube/descriptors';
import { resourceGraph, type MapInput } from '../../src/core/analysis/resourceGraph';

export function topologyInput(pods: number, nodes: number): MapInput {
  let uid = 0;
  const meta = (name: string, ns?: string, owner?: KObject, labels?: Record<string, string>) => ({
    name,
    uid: `u${++uid}`,
    ...(ns ? { namespace: ns } : {}),
    ...(labels ? { labels } : {}),
    ...(owner ? { ownerReferences: [{ kind: owner.kind!, name: owner.metadata.name, uid: owner.metadata.uid! }] } : {}),
  });
  const input: MapInput = {
    nodes: [],
    pods: [],
    services: [],
    ingresses: [],
    owners: [
      { kind: 'Deployment', objects: [] },
      { kind: 'ReplicaSet', objects: [] },
    ],
    config: { configmaps: [], secrets: [], pvcs: [] },
  };
  for (let i = 0; i < nodes; i++)
    input.nodes.push({
      kind: 'Node',
      metadata: meta(`node-${i}`),
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
  const perDeploy = 10;
  for (let d = 0; d * perDeploy < pods; d++) {
    const ns = `ns-${Math.floor((d * perDeploy) / 100)}`;
    const app = `app-${d}`;
    const dep: KObject = {
      kind: 'Deployment',
      metadata: meta(app, ns),
      spec: { replicas: perDeploy },
      status: { readyReplicas: perDeploy },
    };
    const rs: KObject = {
      kind: 'ReplicaSet',
      metadata: meta(`${app}-5d4f`, ns, dep),
      spec: { replicas: perDeploy },
      status: { readyReplicas: perDeploy },
    };
    input.owners[0].objects.push(dep);
    input.owners[1].objects.push(rs);
    input.services.push({ kind: 'Service', metadata: meta(app, ns), spec: { type: 'ClusterIP', selector: { app } } });
    if (d % 10 === 0)
      input.ingresses.push({
        kind: 'Ingress',
        metadata: meta(app, ns),
        spec: { rules: [{ host: `${app}.example`, http: { paths: [{ backend: { service: { name: app } } }] } }] },
      });
    input.config!.configmaps.push({ kind: 'ConfigMap', metadata: meta(`${app}-config`, ns), data: { a: '1' } });
    input.config!.secrets.push({ kind: 'Secret', metadata: meta(`${app}-secret`, ns), data: { pw: 'eA==' } });
    for (let p = 0; p < perDeploy && input.pods.length < pods; p++)
      input.pods.push({
        kind: 'Pod',
        metadata: meta(`${app}-5d4f-${p}`, ns, rs, { app, 'pod-template-hash': '5d4f' }),
        spec: {
          nodeName: `node-${input.pods.length % nodes}`,
          volumes: [{ name: 'c', configMap: { name: `${app}-config` } }],
          containers: [
            { name: 'app', env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: `${app}-secret`, key: 'pw' } } }] },
          ],
        },
        status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] },
      });
  }
  return input;
}

export interface TopologyBench {
  objects: number;
  fullMs: number;
  groupedMs: number;
  groupedNodes: number;
  namespaceMs: number;
  namespaceNodes: number;
  focusMs: number;
  focusNodes: number;
}

const best = (f: () => unknown, runs = 3) => {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
};

export function benchTopology(pods: number, nodes: number): TopologyBench {
  const input = topologyInput(pods, nodes);
  const full = resourceGraph(input);
  const fullMs = best(() => resourceGraph(input));
  let grouped = full;
  const groupedMs = best(() => (grouped = resourceGraph(input, { group: true })));
  // One namespace as the route reads it (the cache's namespace index hands over that namespace's objects).
  const only = (l: KObject[]) => l.filter((o) => o.metadata.namespace === 'ns-3');
  const nsInput: MapInput = {
    nodes: input.nodes,
    pods: only(input.pods),
    services: only(input.services),
    ingresses: only(input.ingresses),
    owners: input.owners.map((o) => ({ kind: o.kind, objects: only(o.objects) })),
    config: {
      configmaps: only(input.config!.configmaps),
      secrets: only(input.config!.secrets),
      pvcs: [],
    },
  };
  let ns = full;
  const namespaceMs = best(() => (ns = resourceGraph(nsInput, { group: true })));
  let focus = full;
  const focusMs = best(() => (focus = resourceGraph(input, { focus: 'Deployment/ns-7/app-70', group: true })));
  return {
    objects: full.nodes.length,
    fullMs,
    groupedMs,
    groupedNodes: grouped.nodes.length,
    namespaceMs,
    namespaceNodes: ns.nodes.length,
    focusMs,
    focusNodes: focus.nodes.length,
  };
}
