// A small Argo CD application-controller: for every Application it renders the source (from the scenario's Git
// repositories, argocdGit.ts), compares each manifest with the live object (status.sync, status.resources), derives
// health from the live objects, runs the operations clients request through the `operation` field (sync with prune
// and dry-run, rollback to a history revision) task by task with a live status.operationState, appends
// status.history, honours the refresh annotation, auto-syncs (selfHeal, prune) and cascades deletes through its
// finalizer. Field names and messages follow argo-cd and gitops-engine.
import type { KObj } from '../store';
import { nowIso } from '../store';
import { applyDefaults } from '../defaults';
import { typeKey } from '../kinds';
import { StatusError } from '../status';
import type { SimContext } from '../context';
import { GitError, render, type Rendered } from './argocdGit';
import type { Json, Runtime } from './runtime';
import { findCondition, stableJson } from './runtime';

export const APP_TK = 'argoproj.io/applications';
export const TRACKING_ID = 'argocd.argoproj.io/tracking-id';
export const REFRESH = 'argocd.argoproj.io/refresh';
const REFRESH_TS = 'argocd.argoproj.io/refresh-timestamp';
const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Simulated time each sync task takes, so a client sees an operation run resource by resource. */
export const TASK_MS = 700;
/** Argo CD's default self-heal back-off (`--self-heal-timeout-seconds`). */
const SELF_HEAL_MS = 5000;
/** `status.history` entries kept (spec.revisionHistoryLimit's default). */
const HISTORY_LIMIT = 10;
/** The periodic reconciliation (`timeout.reconciliation`, 180 s). */
const RECONCILE_MS = 180_000;
/** Kinds whose objects a tracking id can make prunable (all namespaced kinds the demo apps use, and their kin). */
const PRUNABLE_TKS = [
  'configmaps',
  'secrets',
  'services',
  'serviceaccounts',
  'persistentvolumeclaims',
  'apps/deployments',
  'apps/statefulsets',
  'apps/daemonsets',
  'batch/jobs',
  'batch/cronjobs',
  'networking.k8s.io/ingresses',
  'policy/poddisruptionbudgets',
  'autoscaling/horizontalpodautoscalers',
];
/** gitops-engine's apply order within a wave (sync/sync_tasks.go kindOrder). */
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];
/** gitops-engine health order, best first (health/health.go healthOrder). */
const HEALTH_ORDER = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

export interface ResourceRef {
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** One resource of an application: the rendered manifest (absent when only a live tracked object remains) and live. */
export interface ManagedResource extends ResourceRef {
  tk?: string;
  desired?: Json;
  live?: KObj;
  status: 'Synced' | 'OutOfSync' | 'Unknown';
  requiresPruning?: boolean;
  health?: { status: string; message?: string };
}

export interface Comparison {
  rendered?: Rendered;
  error?: string;
  resources: ManagedResource[];
}

export const trackingId = (app: string, r: ResourceRef) => `${app}:${r.group}/${r.kind}:${r.namespace ?? ''}/${r.name}`;

const refKey = (r: ResourceRef) => `${r.group}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function tkOfManifest(ctx: SimContext, m: Json): string | undefined {
  const rt = ctx.types.byKind(m.apiVersion, m.kind);
  return rt ? typeKey(rt.group, rt.resource) : undefined;
}

/** Whether every field the manifest sets has that value live (what a client-side apply would leave unchanged). */
export function covers(want: unknown, have: unknown): boolean {
  if (Array.isArray(want))
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => covers(w, have[i]));
  if (isObj(want)) {
    if (!isObj(have)) return false;
    return Object.entries(want).every(([k, v]) => v === undefined || covers(v, have[k]));
  }
  if (want === null) return have === null || have === undefined;
  return want === have || (have !== undefined && typeof want !== typeof have && String(want) === String(have));
}

const ignoredAnnotation = (k: string) => k === TRACKING_ID || k === LAST_APPLIED;

/** Desired manifest vs live object: Synced when the live object has every value the manifest sets. */
export function inSync(desired: Json, live: KObj | undefined): boolean {
  if (!live) return false;
  const { metadata = {}, status: _status, apiVersion: _a, kind: _k, ...rest } = desired;
  const ann = Object.fromEntries(Object.entries(metadata.annotations ?? {}).filter(([k]) => !ignoredAnnotation(k)));
  return (
    covers(metadata.labels ?? {}, live.metadata.labels ?? {}) &&
    covers(ann, live.metadata.annotations ?? {}) &&
    covers(rest, live)
  );
}

const named = (v: unknown) => isObj(v) && typeof v.name === 'string';

/** The manifest applied over the live object: maps merge, lists of named items merge by name, other lists replace. */
export function mergeInto(base: unknown, over: unknown): unknown {
  if (Array.isArray(over)) {
    if (Array.isArray(base) && over.every(named) && base.every(named))
      return over.map((o: Json) => {
        const b = base.find((x: Json) => x.name === o.name);
        return b ? mergeInto(b, o) : structuredClone(o);
      });
    if (Array.isArray(base) && base.length === over.length && over.every(isObj) && base.every(isObj))
      return over.map((o, i) => mergeInto(base[i], o));
    return structuredClone(over);
  }
  if (isObj(over)) {
    const out: Json = isObj(base) ? { ...base } : {};
    for (const [k, v] of Object.entries(over)) out[k] = mergeInto(out[k], v);
    return out;
  }
  return over;
}

/** The manifest as the controller applies it: with its tracking annotation. */
export function withTracking(app: string, desired: Json): Json {
  const o = structuredClone(desired);
  const { group, version } = splitApiVersion(o.apiVersion);
  o.metadata = {
    ...o.metadata,
    annotations: {
      ...(o.metadata?.annotations ?? {}),
      [TRACKING_ID]: trackingId(app, {
        group,
        version,
        kind: o.kind,
        namespace: o.metadata?.namespace,
        name: o.metadata?.name,
      }),
    },
  };
  return o;
}

/** Health of one live object, after gitops-engine's built-in checks (health/health_*.go). */
export function resourceHealth(o: KObj | undefined): { status: string; message?: string } | undefined {
  if (!o) return { status: 'Missing' };
  const s = o.status ?? {};
  const spec = o.spec ?? {};
  const gen = o.metadata.generation ?? 0;
  switch (o.kind) {
    case 'Deployment': {
      if (spec.paused) return { status: 'Suspended', message: 'Deployment is paused' };
      if (gen > (s.observedGeneration ?? 0))
        return {
          status: 'Progressing',
          message: 'Waiting for rollout to finish: observed deployment generation less than desired generation',
        };
      const progressing = findCondition(s.conditions, 'Progressing');
      if (progressing?.reason === 'ProgressDeadlineExceeded')
        return { status: 'Degraded', message: `Deployment "${o.metadata.name}" exceeded its progress deadline` };
      const want = spec.replicas ?? 1;
      const updated = s.updatedReplicas ?? 0;
      if (updated < want)
        return {
          status: 'Progressing',
          message: `Waiting for rollout to finish: ${updated} out of ${want} new replicas have been updated...`,
        };
      if ((s.replicas ?? 0) > updated)
        return {
          status: 'Progressing',
          message: `Waiting for rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...`,
        };
      if ((s.availableReplicas ?? 0) < updated)
        return {
          status: 'Progressing',
          message: `Waiting for rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...`,
        };
      return { status: 'Healthy' };
    }
    case 'StatefulSet': {
      if (gen > (s.observedGeneration ?? 0))
        return {
          status: 'Progressing',
          message: 'Waiting for statefulset spec update to be observed...',
        };
      const want = spec.replicas ?? 1;
      if ((s.readyReplicas ?? 0) < want)
        return {
          status: 'Progressing',
          message: `Waiting for ${want - (s.readyReplicas ?? 0)} pods to be ready...`,
        };
      if (s.updateRevision && s.currentRevision && s.updateRevision !== s.currentRevision)
        return {
          status: 'Progressing',
          message: `waiting for statefulset rolling update to complete ${s.updatedReplicas ?? 0} pods at revision ${s.updateRevision}...`,
        };
      return {
        status: 'Healthy',
        message: `statefulset rolling update complete ${want} pods at revision ${s.currentRevision ?? ''}...`,
      };
    }
    case 'DaemonSet': {
      if ((s.numberAvailable ?? 0) < (s.desiredNumberScheduled ?? 0))
        return {
          status: 'Progressing',
          message: `Waiting for daemon set "${o.metadata.name}" rollout to finish: ${s.numberAvailable ?? 0} of ${s.desiredNumberScheduled} updated pods are available...`,
        };
      return { status: 'Healthy' };
    }
    case 'ReplicaSet': {
      const want = spec.replicas ?? 1;
      if ((s.availableReplicas ?? 0) < want)
        return {
          status: 'Progressing',
          message: `Waiting for rollout to finish: ${s.availableReplicas ?? 0} out of ${want} new replicas are available...`,
        };
      return { status: 'Healthy' };
    }
    case 'Service':
      if (spec.type === 'LoadBalancer' && !(s.loadBalancer?.ingress ?? []).length) return { status: 'Progressing' };
      return { status: 'Healthy' };
    case 'PersistentVolumeClaim':
      if (s.phase === 'Lost') return { status: 'Degraded' };
      if (s.phase === 'Pending') return { status: 'Progressing' };
      return { status: 'Healthy' };
    case 'Pod': {
      if (s.phase === 'Succeeded') return { status: 'Healthy', message: s.message };
      if (s.phase === 'Failed') return { status: 'Degraded', message: s.message };
      for (const c of s.containerStatuses ?? []) {
        const w = c.state?.waiting;
        if (w && /Err|BackOff|Invalid|CrashLoop/.test(w.reason ?? ''))
          return { status: 'Degraded', message: w.message ?? w.reason };
      }
      if (s.phase === 'Running' && findCondition(s.conditions, 'Ready')?.status === 'True')
        return { status: 'Healthy' };
      return { status: 'Progressing', message: s.message };
    }
    case 'Job': {
      const failed = findCondition(s.conditions, 'Failed');
      if (failed?.status === 'True') return { status: 'Degraded', message: failed.message };
      if (findCondition(s.conditions, 'Complete')?.status === 'True') return { status: 'Healthy' };
      return { status: 'Progressing' };
    }
    default:
      return undefined; // ConfigMaps, Secrets, RBAC…: no health
  }
}

export function worstHealth(hs: Array<string | undefined>): string {
  let worst = 'Healthy';
  for (const h of hs) if (h && HEALTH_ORDER.indexOf(h) > HEALTH_ORDER.indexOf(worst)) worst = h;
  return worst;
}

/** Live objects of the destination namespace that carry this app's tracking id. */
function trackedLive(ctx: SimContext, app: KObj): Array<{ tk: string; o: KObj }> {
  const ns = app.spec?.destination?.namespace;
  const prefix = `${app.metadata.name}:`;
  const out: Array<{ tk: string; o: KObj }> = [];
  if (!ns) return out;
  for (const tk of PRUNABLE_TKS)
    for (const o of ctx.store.iterate(tk, ns))
      if ((o.metadata.annotations?.[TRACKING_ID] ?? '').startsWith(prefix) && !o.metadata.deletionTimestamp)
        out.push({ tk, o });
  return out;
}

/** Renders the app at `revision` (default: its target revision) and compares every resource with the cluster. */
export function compareApp(ctx: SimContext, app: KObj, revision?: string, source?: Json): Comparison {
  const src = source ?? app.spec?.source;
  let rendered: Rendered;
  try {
    rendered = render(ctx, src, revision ?? src?.targetRevision, app.spec?.destination?.namespace);
  } catch (e) {
    if (e instanceof GitError) return { error: e.message, resources: [] };
    throw e;
  }
  const resources: ManagedResource[] = [];
  const seen = new Set<string>();
  for (const m of rendered.manifests) {
    const { group, version } = splitApiVersion(m.apiVersion ?? '');
    const ref: ResourceRef = { group, version, kind: m.kind, namespace: m.metadata?.namespace, name: m.metadata?.name };
    seen.add(refKey(ref));
    const tk = tkOfManifest(ctx, m);
    const live = tk ? ctx.store.get(tk, ref.namespace, ref.name) : undefined;
    resources.push({
      ...ref,
      tk,
      desired: m,
      live,
      status: !tk ? 'Unknown' : inSync(m, live) ? 'Synced' : 'OutOfSync',
      health: tk ? resourceHealth(live) : undefined,
    });
  }
  for (const { tk, o } of trackedLive(ctx, app)) {
    const { group, version } = splitApiVersion(o.apiVersion);
    const ref: ResourceRef = { group, version, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
    if (seen.has(refKey(ref))) continue;
    resources.push({ ...ref, tk, live: o, status: 'OutOfSync', requiresPruning: true, health: resourceHealth(o) });
  }
  return { rendered, resources };
}

const resultMessage = (r: ResourceRef, verb: string, dryRun: boolean) =>
  `${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}/${r.name} ${verb}${dryRun ? ' (dry run)' : ''}`;

interface Task {
  ref: ResourceRef;
  tk?: string;
  desired?: Json;
  prune: boolean;
}

interface Running {
  uid: string;
  tasks: Task[];
  next: number;
  dryRun: boolean;
  prune: boolean;
  results: Json[];
}

const kindRank = (k: string) => {
  const i = KIND_ORDER.indexOf(k);
  return i < 0 ? KIND_ORDER.length : i;
};

export function installArgoCd(r: Runtime): void {
  const ctx = r.ctx;
  const running = new Map<string, Running>();
  /** Destination namespace → apps deploying there, so live changes reach only the apps they concern. */
  const byNamespace = new Map<string, Set<string>>();
  const appKey = (o: KObj) => `${o.metadata.namespace}/${o.metadata.name}`;
  const track = (o: KObj, gone: boolean) => {
    const key = appKey(o);
    for (const s of byNamespace.values()) s.delete(key);
    const ns = o.spec?.destination?.namespace;
    if (!gone && ns) {
      if (!byNamespace.has(ns)) byNamespace.set(ns, new Set());
      byNamespace.get(ns)!.add(key);
    }
  };
  for (const a of ctx.store.iterate(APP_TK)) track(a, false);

  r.on(APP_TK, (e) => {
    track(e.object, e.type === 'DELETED');
    if (e.type !== 'DELETED') r.enqueue('argocd-app', appKey(e.object));
  });
  r.on('*', (e) => {
    if (e.tk === APP_TK || e.tk === 'events' || !byNamespace.size) return;
    const apps = byNamespace.get(e.object.metadata.namespace ?? '');
    if (apps) for (const k of apps) r.enqueue('argocd-app', k);
  });
  r.tick(RECONCILE_MS, 1000, () => {
    for (const a of ctx.store.iterate(APP_TK)) r.enqueue('argocd-app', appKey(a));
  });
  r.handle('argocd-app', (key) => reconcile(key));
  for (const a of ctx.store.iterate(APP_TK)) r.enqueue('argocd-app', appKey(a));

  function write(app: KObj): KObj {
    return r.update(APP_TK, app);
  }

  function reconcile(key: string): void {
    const app = r.byKey(APP_TK, key);
    if (!app) return;
    if (app.metadata.deletionTimestamp) return void finalize(app);
    const next = structuredClone(app);
    let force = false;
    const ann = next.metadata.annotations ?? {};
    if (ann[REFRESH]) {
      // Normal and hard refresh alike compare again now; hard would also drop the repo-server's manifest cache,
      // which the simulator does not keep.
      delete ann[REFRESH];
      delete ann[REFRESH_TS];
      force = true;
    }
    if (next.operation && !running.has(key)) {
      start(next, key);
      return;
    }
    const status = statusOf(next, compareApp(ctx, next), force);
    next.status = status;
    if (force || stableJson(next) !== stableJson(app)) write(next);
    if (!next.operation && !running.has(key)) maybeAutoSync(next, key);
  }

  /** status.sync, resources, health, conditions and summary from a comparison; the rest of the status is kept. */
  function statusOf(app: KObj, cmp: Comparison, refreshed: boolean): Json {
    const prev: Json = app.status ?? {};
    const src = app.spec?.source ?? {};
    const now = nowIso();
    const conditions = (prev.conditions ?? []).filter((c: Json) => c.type !== 'ComparisonError');
    const status: Json = {
      ...prev,
      sourceType: 'Directory',
      resourceHealthSource: 'appTree',
      controllerNamespace: prev.controllerNamespace ?? 'argocd',
    };
    if (cmp.error) {
      conditions.push({
        type: 'ComparisonError',
        message: `Failed to load target state: failed to generate manifest for source 1 of 1: ${cmp.error}`,
        lastTransitionTime: prev.conditions?.find((c: Json) => c.type === 'ComparisonError')?.lastTransitionTime ?? now,
      });
      status.sync = { status: 'Unknown', comparedTo: { source: src, destination: app.spec?.destination ?? {} } };
      status.health = healthWithTime(prev.health, 'Unknown', undefined, now);
    } else {
      const res = cmp.resources;
      status.sync = {
        status: res.every((x) => x.status === 'Synced') ? 'Synced' : 'OutOfSync',
        revision: cmp.rendered!.commit.sha,
        comparedTo: { source: src, destination: app.spec?.destination ?? {} },
      };
      status.resources = res.map((x) => ({
        ...(x.group ? { group: x.group } : {}),
        version: x.version,
        kind: x.kind,
        ...(x.namespace ? { namespace: x.namespace } : {}),
        name: x.name,
        status: x.status,
        ...(x.requiresPruning ? { requiresPruning: true } : {}),
      }));
      const healths = res.filter((x) => !x.requiresPruning).map((x) => x.health);
      const worst = worstHealth(healths.map((h) => h?.status));
      const why = healths.find((h) => h?.status === worst && h.message)?.message;
      status.health = healthWithTime(prev.health, worst, worst === 'Healthy' ? undefined : why, now);
      status.summary = {
        images: [
          ...new Set(
            res.flatMap((x) =>
              (x.live?.spec?.template?.spec?.containers ?? x.live?.spec?.containers ?? []).map((c: Json) => c.image),
            ),
          ),
        ].sort(),
      };
    }
    if (conditions.length) status.conditions = conditions;
    else delete status.conditions;
    if (
      refreshed ||
      !prev.reconciledAt ||
      stableJson({ ...status, reconciledAt: 0, observedAt: 0 }) !==
        stableJson({ ...prev, reconciledAt: 0, observedAt: 0 })
    )
      status.reconciledAt = status.observedAt = now;
    return status;
  }

  function healthWithTime(prev: Json | undefined, s: string, message: string | undefined, now: string): Json {
    return {
      status: s,
      ...(message ? { message } : {}),
      lastTransitionTime: prev?.status === s && prev.lastTransitionTime ? prev.lastTransitionTime : now,
    };
  }

  function maybeAutoSync(app: KObj, key: string): void {
    const auto = app.spec?.syncPolicy?.automated;
    if (!auto || auto.enabled === false || app.status?.sync?.status !== 'OutOfSync') return;
    const sha = app.status?.sync?.revision;
    if (!sha) return;
    const last = app.status?.operationState;
    // gitops-engine: no retry of a revision whose automated sync failed, and without selfHeal no re-sync of a
    // revision already synced (drift then stays until someone syncs).
    if (last && last.phase !== 'Succeeded' && last.syncResult?.revision === sha) return;
    const history: Json[] = app.status?.history ?? [];
    const synced = history[history.length - 1]?.revision === sha;
    if (synced && !auto.selfHeal) return;
    if (synced) {
      const wait = (Date.parse(last?.finishedAt ?? '') || 0) + SELF_HEAL_MS - Date.parse(nowIso());
      if (wait > 0) return void r.after(wait * ctx.clock.speed, () => r.enqueue('argocd-app', key));
    }
    const next = structuredClone(app);
    next.operation = {
      sync: {
        revision: sha,
        prune: Boolean(auto.prune),
        ...(app.spec?.syncPolicy?.syncOptions ? { syncOptions: app.spec.syncPolicy.syncOptions } : {}),
      },
      initiatedBy: { automated: true },
      retry: app.spec?.syncPolicy?.retry ?? {},
    };
    write(next);
  }

  function start(app: KObj, key: string): void {
    const op: Json = app.operation;
    const sync: Json = op.sync ?? {};
    const now = nowIso();
    const source = sync.source ?? app.spec?.source;
    const cmp = compareApp(ctx, app, sync.revision || undefined, source);
    if (cmp.error) {
      app.status = {
        ...(app.status ?? {}),
        operationState: {
          operation: op,
          phase: 'Error',
          message: `ComparisonError: ${cmp.error}`,
          startedAt: now,
          finishedAt: now,
        },
      };
      delete app.operation;
      write(app);
      return;
    }
    const only: Json[] | undefined = sync.resources?.length ? sync.resources : undefined;
    const wanted = (x: ResourceRef) =>
      !only ||
      only.some(
        (s) =>
          (s.group ?? '') === x.group &&
          s.kind === x.kind &&
          s.name === x.name &&
          (!s.namespace || s.namespace === x.namespace),
      );
    const tasks: Task[] = cmp.resources
      .filter(wanted)
      .map((x) => ({ ref: x, tk: x.tk, desired: x.desired, prune: Boolean(x.requiresPruning) }));
    tasks.sort(
      (a, b) =>
        Number(a.prune) - Number(b.prune) ||
        kindRank(a.ref.kind) - kindRank(b.ref.kind) ||
        a.ref.name.localeCompare(b.ref.name),
    );
    const destNs = app.spec?.destination?.namespace;
    const createNs =
      destNs &&
      !ctx.store.get('namespaces', undefined, destNs) &&
      [...(sync.syncOptions ?? []), ...(app.spec?.syncPolicy?.syncOptions ?? [])].includes('CreateNamespace=true');
    if (createNs)
      tasks.unshift({
        ref: { group: '', version: 'v1', kind: 'Namespace', name: destNs },
        tk: 'namespaces',
        desired: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: destNs } },
        prune: false,
      });
    const run: Running = {
      uid: app.metadata.uid!,
      tasks,
      next: 0,
      dryRun: Boolean(sync.dryRun),
      prune: Boolean(sync.prune),
      results: [],
    };
    running.set(key, run);
    app.status = {
      ...(app.status ?? {}),
      operationState: {
        operation: op,
        phase: 'Running',
        message: tasks.length ? 'one or more tasks are running' : 'successfully synced (no more tasks)',
        startedAt: now,
        syncResult: { revision: cmp.rendered!.commit.sha, source, resources: [] },
      },
    };
    write(app);
    r.after(TASK_MS, () => step(key));
  }

  function step(key: string): void {
    const run = running.get(key);
    if (!run) return;
    const app = r.byKey(APP_TK, key);
    if (!app || app.metadata.uid !== run.uid) return void running.delete(key);
    const st = app.status?.operationState;
    if (!app.operation || !st || st.phase === 'Terminating') return finish(app, key, 'terminated');
    const t = run.tasks[run.next++];
    if (t) run.results.push(runTask(app, t, run));
    const next = structuredClone(app);
    next.status.operationState = {
      ...st,
      syncResult: { ...st.syncResult, resources: run.results },
      message:
        run.next < run.tasks.length
          ? `one or more tasks are running (${run.next} of ${run.tasks.length} done)`
          : st.message,
    };
    if (run.next < run.tasks.length) {
      write(next);
      r.after(TASK_MS, () => step(key));
    } else finish(next, key, 'done');
  }

  function runTask(app: KObj, t: Task, run: Running): Json {
    const base = {
      ...(t.ref.group ? { group: t.ref.group } : {}),
      version: t.ref.version,
      kind: t.ref.kind,
      ...(t.ref.namespace ? { namespace: t.ref.namespace } : {}),
      name: t.ref.name,
      hookPhase: 'Running',
      syncPhase: 'Sync',
    };
    try {
      if (!t.tk) throw new Error(`the server could not find the requested resource (${t.ref.kind})`);
      const live = ctx.store.get(t.tk, t.ref.namespace, t.ref.name);
      if (t.prune) {
        if (!run.prune) return { ...base, status: 'PruneSkipped', message: 'ignored (requires pruning)' };
        if (live && !run.dryRun) r.remove(t.tk, t.ref.namespace, t.ref.name);
        return { ...base, status: 'Pruned', message: run.dryRun ? 'pruned (dry run)' : 'pruned' };
      }
      const desired = withTracking(app.metadata.name, t.desired!);
      if (!live) {
        if (!run.dryRun) {
          const rt = r.rt(t.tk);
          applyDefaults(rt, desired as KObj);
          r.create(t.tk, desired as KObj);
        }
        return { ...base, status: 'Synced', message: resultMessage(t.ref, 'created', run.dryRun) };
      }
      const merged = mergeInto(live, desired) as KObj;
      if (stableJson(merged) === stableJson(live))
        return { ...base, status: 'Synced', message: resultMessage(t.ref, 'unchanged', run.dryRun) };
      if (!run.dryRun) r.update(t.tk, merged);
      return { ...base, status: 'Synced', message: resultMessage(t.ref, 'configured', run.dryRun) };
    } catch (e) {
      const msg = e instanceof StatusError ? e.message : e instanceof Error ? e.message : String(e);
      return { ...base, status: 'SyncFailed', message: msg, hookPhase: 'Failed' };
    }
  }

  function finish(app: KObj, key: string, how: 'done' | 'terminated'): void {
    const run = running.get(key);
    running.delete(key);
    const st: Json = app.status?.operationState ?? {};
    const now = nowIso();
    const failed = (run?.results ?? []).filter((x) => x.status === 'SyncFailed');
    const phase = how === 'terminated' ? 'Failed' : failed.length ? 'Failed' : 'Succeeded';
    const message =
      how === 'terminated'
        ? 'Operation terminated'
        : failed.length
          ? `one or more objects failed to apply, reason: ${failed[0].message}${run?.dryRun ? ' (dry run)' : ''}`
          : 'successfully synced (all tasks run)';
    const next = structuredClone(app);
    next.status = { ...(next.status ?? {}), operationState: { ...st, phase, message, finishedAt: now } };
    delete next.operation;
    if (phase === 'Succeeded' && !run?.dryRun) {
      const history: Json[] = [...(next.status.history ?? [])];
      const id = history.reduce((m, h) => Math.max(m, Number(h.id) + 1), 0);
      history.push({
        id,
        revision: st.syncResult?.revision,
        deployedAt: now,
        deployStartedAt: st.startedAt,
        source: st.syncResult?.source ?? next.spec?.source,
        initiatedBy: st.operation?.initiatedBy ?? {},
      });
      next.status.history = history.slice(-(next.spec?.revisionHistoryLimit ?? HISTORY_LIMIT));
    }
    next.status = statusOf(next, compareApp(ctx, next), true);
    write(next);
  }

  /** The resources finalizer: delete what the app deployed, then let the Application go. */
  function finalize(app: KObj): void {
    const fins: string[] = app.metadata.finalizers ?? [];
    if (!fins.includes(FINALIZER)) return;
    const cmp = compareApp(ctx, app);
    for (const x of cmp.resources)
      if (x.live && x.tk && x.kind !== 'Namespace') r.guard(() => r.remove(x.tk!, x.namespace, x.name));
    const next = structuredClone(app);
    next.metadata.finalizers = fins.filter((f) => f !== FINALIZER);
    running.delete(appKey(app));
    write(next);
  }
}
