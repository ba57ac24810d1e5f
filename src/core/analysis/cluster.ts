// Analyses of the cluster as it is in the watch cache: the objects each report needs, read and handed to the pure
// functions of reports.ts.
import { objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { buildGraph, isActivePod, securityReport } from './reports';

/** Security findings of running pods, network policies and (cluster-wide only) cluster role bindings. */
export async function clusterSecurity(deps: ApiDeps, context: string | undefined, namespace?: string) {
  const pods = ((await objects(deps, context, 'pods', namespace)) ?? []).filter(isActivePod);
  const netpols = (await objects(deps, context, 'networkpolicies.networking.k8s.io', namespace)) ?? [];
  const nss = namespace
    ? [namespace]
    : ((await objects(deps, context, 'namespaces')) ?? []).map((n) => n.metadata.name);
  const crbs = namespace ? [] : ((await objects(deps, context, 'clusterrolebindings.rbac.authorization.k8s.io')) ?? []);
  return securityReport(pods, netpols, nss, crbs);
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
