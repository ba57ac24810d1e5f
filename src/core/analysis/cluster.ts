// Analyses of the cluster as it is in the watch cache: the objects each report needs, read and handed to the pure
// functions of reports.ts.
import { objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { buildGraph, costReport } from './reports';

/** What the pods' requests cost. */
export async function clusterCost(deps: ApiDeps, context: string | undefined, namespace?: string) {
  return costReport((await objects(deps, context, 'pods', namespace)) ?? []);
}

/** Deployments and StatefulSets that one lost pod or node would take down, or that lack a disruption budget. */
export async function continuitySummary(deps: ApiDeps, context: string | undefined, namespace?: string) {
  const workloads = [
    ...((await objects(deps, context, 'deployments.apps', namespace)) ?? []),
    ...((await objects(deps, context, 'statefulsets.apps', namespace)) ?? []),
  ];
  const pdbs = (await objects(deps, context, 'poddisruptionbudgets.policy', namespace)) ?? [];
  const pods = (await objects(deps, context, 'pods', namespace)) ?? [];
  const rows = workloads.map((w) => {
    const sel = w.spec?.selector ?? {};
    const mine = pods.filter(
      (x) =>
        x.metadata.namespace === w.metadata.namespace &&
        Object.entries((sel.matchLabels ?? {}) as Record<string, string>).every(
          ([k, v]) => x.metadata.labels?.[k] === v,
        ),
    );
    const nodes = new Set(mine.map((x) => x.spec?.nodeName).filter(Boolean));
    const pdb = pdbs.some(
      (b) =>
        b.metadata.namespace === w.metadata.namespace &&
        Object.entries((b.spec?.selector?.matchLabels ?? {}) as Record<string, string>).every(
          ([k, v]) => w.spec?.template?.metadata?.labels?.[k] === v,
        ),
    );
    return {
      kind: w.kind ?? '',
      namespace: w.metadata.namespace ?? '',
      name: w.metadata.name,
      replicas: w.spec?.replicas ?? 1,
      nodes: nodes.size,
      pdb,
    };
  });
  const singleReplica = rows.filter((r) => r.replicas < 2);
  const singleNode = rows.filter((r) => r.replicas >= 2 && r.nodes < 2);
  const withoutPdb = rows.filter((r) => !r.pdb && r.replicas >= 2);
  const risky = new Set([...singleReplica, ...singleNode, ...withoutPdb].map((r) => `${r.namespace}/${r.name}`)).size;
  return {
    workloads: rows.length,
    score: rows.length ? Math.round(100 * (1 - risky / rows.length)) : 100,
    singleReplica,
    singleNode,
    withoutPdb,
  };
}

/** The topology graph (and, `withConfig`, the resource map) of a namespace or the whole cluster. */
export async function clusterGraph(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string | undefined,
  withConfig: boolean,
) {
  const get = async <K extends string>(k: K, ns?: string) => (await objects(deps, context, k, ns)) ?? [];
  const pods = await get('pods', namespace);
  const input = {
    nodes: namespace
      ? (await get('nodes')).filter((n) => pods.some((p) => p.spec?.nodeName === n.metadata.name))
      : await get('nodes'),
    pods,
    services: await get('services', namespace),
    ingresses: await get('ingresses.networking.k8s.io', namespace),
    owners: [
      { kind: 'Deployment', objects: await get('deployments.apps', namespace) },
      { kind: 'ReplicaSet', objects: await get('replicasets.apps', namespace) },
      { kind: 'StatefulSet', objects: await get('statefulsets.apps', namespace) },
      { kind: 'DaemonSet', objects: await get('daemonsets.apps', namespace) },
      { kind: 'CronJob', objects: await get('cronjobs.batch', namespace) },
      { kind: 'Job', objects: await get('jobs.batch', namespace) },
    ],
    config: withConfig ? { configmaps: [], secrets: [], pvcs: [] } : undefined,
  };
  return buildGraph(input);
}
