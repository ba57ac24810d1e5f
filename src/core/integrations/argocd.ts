// Argo CD: Applications read from the cluster (its CRD); sync, rollback, terminate and refresh requested the way the
// argocd CLI and API server do (an `operation` on the Application, a refresh annotation), so the Argo CD controller
// does the work and anyone watching sees it. What the Kubernetes API cannot tell (the rendered Git state per resource
// for a diff, commit metadata) comes from argocd-server's own REST API, reached through the service proxy.
import { createTwoFilesPatch } from 'diff';
import type { ActionResult } from '../../shared/routes/resources';
import type {
  ArgoApp,
  ArgoAppDetails,
  ArgoDiffResult,
  ArgoHistoryEntry,
  ArgoOperation,
  ArgoOperationSummary,
  ArgoResourceDiff,
} from '../../shared/routes/integrations';
import { toYaml } from '../kube/actions';
import { KubeError } from '../kube/errors';
import type { ArgoApplication, ArgoOperationState } from '../kube/objects';
import { contextOf, must } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError } from '../api/errors';
import { callProxy, replyMessage } from '../api/serviceProxy';
import { apiServerRefusal, appTarget } from './appProxy';
import { argoTree } from './argocdTree';
import type { Params } from './util';

export const ARGO = 'applications.argoproj.io' as const;
const REFRESH = 'argocd.argoproj.io/refresh';
const REFRESH_TS = 'argocd.argoproj.io/refresh-timestamp';
const USER = 'kubegraf';

const initiator = (i?: { username?: string; automated?: boolean }) =>
  i?.automated ? 'automated' : (i?.username ?? undefined);

function opSummary(st: ArgoOperationState | undefined): ArgoOperationSummary | undefined {
  if (!st?.phase) return undefined;
  const sync = st.operation?.sync ?? {};
  return {
    phase: st.phase,
    message: st.message,
    startedAt: st.startedAt,
    finishedAt: st.finishedAt,
    revision: st.syncResult?.revision ?? sync.revision,
    dryRun: Boolean(sync.dryRun),
    prune: Boolean(sync.prune),
    rollback: Boolean(sync.syncStrategy && 'apply' in sync.syncStrategy),
    initiatedBy: initiator(st.operation?.initiatedBy),
  };
}

export function argoApp(o: ArgoApplication): ArgoApp {
  const src = o.spec?.source ?? o.spec?.sources?.[0] ?? {};
  const res = o.status?.resources ?? [];
  const auto = o.spec?.syncPolicy?.automated;
  const refresh = o.metadata.annotations?.[REFRESH];
  return {
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? '',
    project: o.spec?.project || 'default',
    repoURL: src.repoURL,
    path: src.path ?? src.chart,
    targetRevision: src.targetRevision,
    destination: o.spec?.destination ?? {},
    syncStatus: o.status?.sync?.status ?? 'Unknown',
    healthStatus: o.status?.health?.status ?? 'Unknown',
    ...(o.status?.health?.message ? { healthMessage: o.status.health.message } : {}),
    revision: o.status?.sync?.revision,
    autoSync: Boolean(auto) && auto?.enabled !== false,
    autoPrune: Boolean(auto?.prune),
    selfHeal: Boolean(auto?.selfHeal),
    operationPhase: o.status?.operationState?.phase,
    operationPending: Boolean(o.operation),
    lastOperation: opSummary(o.status?.operationState),
    ...(refresh === 'hard' || refresh === 'normal' ? { refreshing: refresh } : {}),
    reconciledAt: o.status?.reconciledAt,
    createdAt: o.metadata.creationTimestamp,
    conditions: (o.status?.conditions ?? []).map((c) => ({ type: c.type, message: c.message ?? '' })),
    resources: res.map((r) => ({
      group: r.group,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      status: r.status,
      health: r.health?.status,
      ...(r.requiresPruning ? { requiresPruning: true } : {}),
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

/**
 * Changes an Application the way the Argo CD API server does (get, change, update), retrying when the controller
 * wrote in between: an update carries the resourceVersion it read, so nothing the controller wrote is lost.
 */
async function updateApp(
  deps: ApiDeps,
  p: { context?: string; namespace?: string; name: string },
  change: (o: ArgoApplication) => void,
): Promise<ArgoApplication> {
  for (let attempt = 1; ; attempt++) {
    const o = await findArgo(deps, p.context, p.namespace, p.name);
    change(o);
    delete o.metadata.managedFields;
    try {
      await deps.kube.actions(contextOf(deps, p.context)).apply(toYaml(o), o.metadata.namespace);
      return o;
    } catch (e) {
      if (!(e instanceof KubeError && e.code === 'conflict') || attempt >= 5) throw e;
    }
  }
}

/** Every Application (in a namespace or all), by name. */
export async function listArgoApps(deps: ApiDeps, context: string | undefined, namespace?: string): Promise<ArgoApp[]> {
  return (await must(deps, context, ARGO, 'Argo CD', namespace))
    .map(argoApp)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** One Application: summary, resource tree, history (with commit details when argocd-server answers) and operation. */
export async function argoAppDetails(
  deps: ApiDeps,
  context: string | undefined,
  namespace: string | undefined,
  name: string,
): Promise<ArgoAppDetails> {
  const o = await findArgo(deps, context, namespace, name);
  delete o.metadata.managedFields;
  const [tree, hist] = await Promise.all([argoTree(deps, context, o), historyOf(deps, context, o)]);
  const st = o.status?.operationState;
  const summary = opSummary(st);
  const operation: ArgoOperation | undefined = summary && {
    ...summary,
    resources: (st?.syncResult?.resources ?? []).map((r) => ({
      ...(r.group ? { group: r.group } : {}),
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      status: r.status,
      message: r.message,
      syncPhase: r.syncPhase,
      hookPhase: r.hookPhase,
    })),
  };
  return {
    ...argoApp(o),
    object: o,
    tree,
    history: hist.history,
    ...(operation ? { operation } : {}),
    ...(hist.note ? { commitNote: hist.note } : {}),
  };
}

// ---------------- argocd-server's REST API ----------------

/** A GET of argocd-server's API through the service proxy, as JSON; its refusals as our errors. */
export async function argoServer<T>(
  deps: ApiDeps,
  context: string | undefined,
  path: string,
  query: Record<string, string>,
  timeoutMs = 15_000,
): Promise<T> {
  const { ctx, target } = await appTarget(deps, context, 'argo-cd');
  const r = await callProxy(
    deps,
    ctx,
    target,
    { path, query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])), accept: 'application/json' },
    { what: 'Argo CD', timeoutMs, maxBytes: 16 << 20 },
  );
  if (r.fromApiServer) throw apiServerRefusal(r, 'Argo CD');
  if (r.status === 401 || r.status === 403)
    throw new ApiError(
      'upstreamUnauthorized',
      `argocd-server wants an Argo CD login (HTTP ${r.status}: ${replyMessage(r)}). KubeGraf reaches it through the ` +
        `Kubernetes API's service proxy, which carries no Argo CD token: enable anonymous read access ` +
        `(users.anonymous.enabled: "true" in argocd-cm), or use \`argocd app diff\`. Sync, rollback and refresh work ` +
        `without it.`,
      502,
    );
  if (r.status === 404) throw new ApiError('notFound', `argocd-server: ${replyMessage(r)}`, 404);
  if (r.status < 200 || r.status >= 300)
    throw new ApiError('upstreamError', `argocd-server answered ${r.status}: ${replyMessage(r)}`, 502);
  try {
    return JSON.parse(r.body.toString('utf8')) as T;
  } catch {
    throw new ApiError('badUpstream', 'argocd-server answered with a body that is not JSON', 502);
  }
}

interface RevisionMetadata {
  author?: string;
  date?: string;
  message?: string;
  tags?: string[];
}

/** Commits do not change: metadata is kept per context, repository and SHA; failures are retried after a minute. */
const commitCache = new Map<string, { at: number; value?: RevisionMetadata; error?: string }>();

async function historyOf(
  deps: ApiDeps,
  context: string | undefined,
  o: ArgoApplication,
): Promise<{ history: ArgoHistoryEntry[]; note?: string }> {
  const entries = [...(o.status?.history ?? [])].sort((a, b) => a.id - b.id);
  const ctx = contextOf(deps, context);
  let note: string | undefined;
  const meta = async (rev: string, repo?: string): Promise<RevisionMetadata | undefined> => {
    const key = `${ctx}|${repo ?? ''}|${rev}`;
    const hit = commitCache.get(key);
    if (hit && (hit.value || Date.now() - hit.at < 60_000)) {
      if (hit.error) note ??= hit.error;
      return hit.value;
    }
    try {
      const value = await argoServer<RevisionMetadata>(
        deps,
        context,
        `/api/v1/applications/${encodeURIComponent(o.metadata.name)}/revisions/${encodeURIComponent(rev)}/metadata`,
        { appNamespace: o.metadata.namespace ?? '' },
        5_000,
      );
      commitCache.set(key, { at: Date.now(), value });
      return value;
    } catch (e) {
      const error = `Commit details come from argocd-server, which did not answer: ${(e as Error).message}`;
      commitCache.set(key, { at: Date.now(), error });
      note ??= error;
      return undefined;
    }
  };
  const commits = await Promise.all(entries.map((h) => (h.revision ? meta(h.revision, h.source?.repoURL) : undefined)));
  const last = entries[entries.length - 1];
  return {
    history: entries.map((h, i) => ({
      id: h.id,
      revision: h.revision ?? '',
      deployedAt: h.deployedAt,
      deployStartedAt: h.deployStartedAt,
      initiatedBy: initiator(h.initiatedBy),
      source: h.source,
      current: h === last,
      ...(commits[i] ? { commit: commits[i] } : {}),
    })),
    note,
  };
}

export interface ManagedResource {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  targetState?: string;
  liveState?: string;
  normalizedLiveState?: string;
  predictedLiveState?: string;
  modified?: boolean;
  hook?: boolean;
}

const parseState = (s: string | undefined): Record<string, unknown> | undefined => {
  if (!s || s === 'null') return undefined;
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** What a reviewer compares: no server bookkeeping, no status (the controllers', not Git's). */
function forReview(o: Record<string, unknown> | undefined): string {
  if (!o) return '';
  const c = structuredClone(o) as { metadata?: Record<string, unknown>; status?: unknown };
  delete c.status;
  for (const k of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'])
    delete c.metadata?.[k];
  const ann = c.metadata?.annotations as Record<string, string> | undefined;
  if (ann) {
    delete ann['kubectl.kubernetes.io/last-applied-configuration'];
    delete ann['deployment.kubernetes.io/revision'];
    if (!Object.keys(ann).length) delete c.metadata!.annotations;
  }
  return toYaml(c);
}

/** Desired vs live per resource (`argocd app diff`): live (---) to what the cluster would hold after a sync (+++). */
export async function argoDiff(deps: ApiDeps, p: Params<'argocd.diff'>): Promise<ArgoDiffResult> {
  const o = await findArgo(deps, p.context, p.namespace, p.name);
  const query: Record<string, string> = { appNamespace: o.metadata.namespace ?? '' };
  const reply = await argoServer<{ items?: ManagedResource[] }>(
    deps,
    p.context,
    `/api/v1/applications/${encodeURIComponent(o.metadata.name)}/managed-resources`,
    query,
  );
  const status = new Map(
    (o.status?.resources ?? []).map((r) => [`${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`, r]),
  );
  const resources: ArgoResourceDiff[] = (reply.items ?? [])
    .filter(
      (x) =>
        !x.hook &&
        (p.group === undefined || (x.group ?? '') === p.group) &&
        (!p.kind || x.kind === p.kind) &&
        (!p.resourceNamespace || x.namespace === p.resourceNamespace) &&
        (!p.resourceName || x.name === p.resourceName),
    )
    .map((x) => {
      const target = parseState(x.targetState);
      const live = parseState(x.normalizedLiveState) ?? parseState(x.liveState);
      // Argo CD ≥ 2.x sends the predicted live state (live with the manifest applied); older servers only the target.
      const predicted = target ? (parseState(x.predictedLiveState) ?? target) : undefined;
      const a = forReview(live);
      const b = forReview(predicted);
      const label = `${x.group ? `${x.group}/` : ''}${x.kind}/${x.namespace ? `${x.namespace}/` : ''}${x.name}`;
      const st = status.get(`${x.group ?? ''}/${x.kind}/${x.namespace ?? ''}/${x.name}`);
      return {
        ...(x.group ? { group: x.group } : {}),
        kind: x.kind,
        ...(x.namespace ? { namespace: x.namespace } : {}),
        name: x.name,
        status: st?.status ?? (x.modified ? 'OutOfSync' : 'Synced'),
        requiresPruning: Boolean(st?.requiresPruning) || (!target && !!live),
        diff: a === b ? '' : createTwoFilesPatch(`${label} (live)`, `${label} (desired)`, a, b),
        inGit: !!target,
        inCluster: !!live,
      };
    });
  if (p.resourceName && !resources.length)
    throw new ApiError('notFound', `${p.name} manages no ${p.kind ?? 'resource'} named "${p.resourceName}"`, 404);
  return { app: o.metadata.name, revision: o.status?.sync?.revision, resources };
}

// ---------------- operations ----------------

function refuseIfBusy(o: ArgoApplication): void {
  if (o.operation)
    throw new ApiError('conflict', `another operation is already in progress on ${o.metadata.name}`, 409);
}

/** Asks the controller to sync: an `operation` on the Application, refused while another one runs. */
export async function syncArgoApp(deps: ApiDeps, p: Params<'argocd.sync'>): Promise<ActionResult> {
  const o = await updateApp(deps, p, (a) => {
    refuseIfBusy(a);
    a.operation = {
      sync: {
        revision: p.revision || a.spec?.source?.targetRevision || 'HEAD',
        prune: p.prune ?? false,
        dryRun: p.dryRun ?? false,
        syncStrategy: { hook: {} },
        ...(a.spec?.syncPolicy?.syncOptions ? { syncOptions: a.spec.syncPolicy.syncOptions } : {}),
      },
      initiatedBy: { username: USER },
    };
    if (a.status) delete a.status.operationState;
  });
  return {
    ok: true,
    message: `${p.dryRun ? 'dry-run ' : ''}sync of ${o.metadata.namespace}/${p.name} requested${p.prune ? ' (with prune)' : ''}; the Argo CD controller runs it`,
  };
}

/** `argocd app rollback APP ID`: a sync to the history entry's revision and source, refused under auto-sync. */
export async function rollbackArgoApp(deps: ApiDeps, p: Params<'argocd.rollback'>): Promise<ActionResult> {
  let revision = '';
  const o = await updateApp(deps, p, (a) => {
    const entry = (a.status?.history ?? []).find((h) => Number(h.id) === p.id);
    if (!entry)
      throw new ApiError(
        'notFound',
        `application ${a.metadata.name} has no deployment history entry with id ${p.id} (ids: ${(a.status?.history ?? []).map((h) => h.id).join(', ') || 'none'})`,
        404,
      );
    const auto = a.spec?.syncPolicy?.automated;
    if (auto && auto.enabled !== false)
      throw new ApiError(
        'autoSyncEnabled',
        'rollback cannot be initiated when auto-sync is enabled: turn automated sync off first, or it would sync back to the target revision at once',
        400,
      );
    refuseIfBusy(a);
    revision = entry.revision ?? '';
    a.operation = {
      sync: {
        revision,
        ...(entry.source ? { source: entry.source } : {}),
        prune: p.prune ?? false,
        dryRun: p.dryRun ?? false,
        syncStrategy: { apply: {} },
      },
      initiatedBy: { username: USER },
    };
    if (a.status) delete a.status.operationState;
  });
  return {
    ok: true,
    message: `${p.dryRun ? 'dry-run ' : ''}rollback of ${o.metadata.namespace}/${p.name} to history entry ${p.id} (${revision.slice(0, 7)}) requested; the Argo CD controller runs it`,
  };
}

/** `argocd app terminate-op`: marks the running operation Terminating; the controller stops it. */
export async function terminateArgoOp(deps: ApiDeps, p: Params<'argocd.terminate'>): Promise<ActionResult> {
  const o = await updateApp(deps, p, (a) => {
    const st = a.status?.operationState;
    if (!a.operation || !st || st.phase !== 'Running')
      throw new ApiError('conflict', `no operation is running on ${a.metadata.name}`, 409);
    st.phase = 'Terminating';
  });
  return { ok: true, message: `termination of the operation on ${o.metadata.namespace}/${p.name} requested` };
}

/** Asks the controller to compare with Git again (`hard` also drops its manifest cache). */
export async function refreshArgoApp(deps: ApiDeps, p: Params<'argocd.refresh'>): Promise<ActionResult> {
  const o = await updateApp(deps, p, (a) => {
    a.metadata.annotations = {
      ...(a.metadata.annotations ?? {}),
      [REFRESH]: p.hard ? 'hard' : 'normal',
      [REFRESH_TS]: new Date().toISOString(),
    };
  });
  return { ok: true, message: `${p.hard ? 'hard ' : ''}refresh of ${o.metadata.namespace}/${p.name} requested` };
}
