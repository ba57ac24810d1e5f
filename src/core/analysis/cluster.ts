// Analyses of the cluster as it is in the watch cache: the objects each report needs, read and handed to the pure
// functions of reports.ts.
import { objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { resourceGraph, type MapInput, type MapOptions } from './resourceGraph';

/** The topology graph (and, `withConfig`, the resource map) of a namespace or the whole cluster. */
export async function clusterGraph(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string | undefined,
  withConfig: boolean,
  opts: MapOptions = {},
) {
  const get = async <K extends string>(k: K, ns?: string) => (await objects(deps, context, k, ns)) ?? [];
  const [pods, allNodes, services, ingresses, deployments, replicasets, statefulsets, daemonsets, cronjobs, jobs] =
    await Promise.all([
      get('pods', namespace),
      get('nodes'),
      get('services', namespace),
      get('ingresses.networking.k8s.io', namespace),
      get('deployments.apps', namespace),
      get('replicasets.apps', namespace),
      get('statefulsets.apps', namespace),
      get('daemonsets.apps', namespace),
      get('cronjobs.batch', namespace),
      get('jobs.batch', namespace),
    ]);
  const hosting = namespace ? new Set(pods.map((p) => p.spec?.nodeName)) : undefined;
  const input: MapInput = {
    nodes: hosting ? allNodes.filter((n) => hosting.has(n.metadata.name)) : allNodes,
    pods,
    services,
    ingresses,
    owners: [
      { kind: 'Deployment', objects: deployments },
      { kind: 'ReplicaSet', objects: replicasets },
      { kind: 'StatefulSet', objects: statefulsets },
      { kind: 'DaemonSet', objects: daemonsets },
      { kind: 'CronJob', objects: cronjobs },
      { kind: 'Job', objects: jobs },
    ],
    config: withConfig
      ? {
          configmaps: await get('configmaps', namespace),
          secrets: await get('secrets', namespace),
          pvcs: await get('persistentvolumeclaims', namespace),
        }
      : undefined,
  };
  return resourceGraph(input, opts);
}
