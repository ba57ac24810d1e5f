// Argo CD: Applications read from the cluster (its CRD), sync and refresh requested the way the argocd CLI does
// (an `operation` on the Application, a refresh annotation); the Argo CD controller does the work.
import type { ActionResult } from '../../shared/routes/resources';
import type { ArgoApp } from '../../shared/routes/integrations';
import { toYaml } from '../kube/actions';
import type { ArgoApplication } from '../kube/objects';
import { contextOf, must } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError } from '../api/errors';
import type { Params } from './util';

export const ARGO = 'applications.argoproj.io' as const;

export function argoApp(o: ArgoApplication): ArgoApp {
  const src = o.spec?.source ?? o.spec?.sources?.[0] ?? {};
  const res = o.status?.resources ?? [];
  return {
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? '',
    project: o.spec?.project ?? 'default',
    repoURL: src.repoURL,
    path: src.path ?? src.chart,
    targetRevision: src.targetRevision,
    destination: o.spec?.destination ?? {},
    syncStatus: o.status?.sync?.status ?? 'Unknown',
    healthStatus: o.status?.health?.status ?? 'Unknown',
    revision: o.status?.sync?.revision,
    autoSync: Boolean(o.spec?.syncPolicy?.automated),
    operationPhase: o.status?.operationState?.phase,
    resources: res.map((r) => ({
      group: r.group,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      status: r.status,
      health: r.health?.status,
    })),
  };
}

/** One Application, read from the API server (the cache may lag a write). */
export async function findArgo(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string | undefined,
  name: string,
): Promise<ArgoApplication> {
  const apps = await must(deps, context, ARGO, 'Argo CD');
  const hit = apps.filter((a) => a.metadata.name === name && (!namespace || a.metadata.namespace === namespace));
  if (!hit.length)
    throw new ApiError('notFound', `no Argo CD application "${name}"${namespace ? ` in ${namespace}` : ''}`, 404);
  if (hit.length > 1)
    throw new ApiError('ambiguous', `several applications are named "${name}"; give the namespace`, 400);
  // The cache may lag a write; edits start from the server's copy.
  return deps.kube.actions(contextOf(deps, context)).get(ARGO, hit[0].metadata.namespace, name);
}

/** Every Application (in a namespace or all), by name. */
export async function listArgoApps(deps: ApiDeps, context: string | undefined, namespace?: string): Promise<ArgoApp[]> {
  return (await must(deps, context, ARGO, 'Argo CD', namespace))
    .map(argoApp)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** One Application as a summary plus the object itself (managed fields left out). */
export async function argoAppDetails(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string | undefined,
  name: string,
): Promise<ArgoApp & { object: ArgoApplication }> {
  const o = await findArgo(deps, context, namespace, name);
  delete o.metadata.managedFields;
  return { ...argoApp(o), object: o };
}

/** Asks the controller to sync: an `operation` on the Application, refused while another one runs. */
export async function syncArgoApp(deps: ApiDeps, p: Params<'argocd.sync'>): Promise<ActionResult> {
  const o = await findArgo(deps, p.context, p.namespace, p.name);
  if (o.operation) throw new ApiError('conflict', `another operation is already in progress on ${p.name}`, 409);
  o.operation = {
    sync: {
      revision: p.revision ?? o.spec?.source?.targetRevision,
      prune: p.prune ?? false,
      dryRun: p.dryRun ?? false,
      syncStrategy: { hook: {} },
    },
    initiatedBy: { username: 'kubegraf' },
  };
  if (o.status) delete o.status.operationState;
  await deps.kube.actions(contextOf(deps, p.context)).apply(toYaml(o), o.metadata.namespace);
  return {
    ok: true,
    message: `sync of ${o.metadata.namespace}/${p.name} requested; the Argo CD controller runs it`,
  };
}

/** Asks the controller to compare with Git again (`hard` also drops its manifest cache). */
export async function refreshArgoApp(deps: ApiDeps, p: Params<'argocd.refresh'>): Promise<ActionResult> {
  const o = await findArgo(deps, p.context, p.namespace, p.name);
  o.metadata.annotations = {
    ...(o.metadata.annotations ?? {}),
    'argocd.argoproj.io/refresh': p.hard ? 'hard' : 'normal',
  };
  await deps.kube.actions(contextOf(deps, p.context)).apply(toYaml(o), o.metadata.namespace);
  return { ok: true, message: `${p.hard ? 'hard ' : ''}refresh of ${o.metadata.namespace}/${p.name} requested` };
}

/** Applications that differ from Git (drift is measured against Git through Argo CD). */
export async function driftReport(deps: ApiDeps, context: string | undefined, namespace?: string) {
  const apps = (await must(deps, context, ARGO, 'Argo CD (drift is measured against Git through it)', namespace)).map(
    argoApp,
  );
  const drifted = apps.filter((a) => a.syncStatus !== 'Synced');
  return {
    drifted,
    total: apps.length,
    message: `${drifted.length} of ${apps.length} application(s) differ from Git`,
  };
}
