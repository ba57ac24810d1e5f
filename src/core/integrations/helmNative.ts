// Helm 3 rollback and uninstall without the helm binary, following helm/helm v3 pkg/action/rollback.go and
// uninstall.go: the same release records (new revision, statuses, descriptions, labels), the target manifest applied
// (server-side apply, forced: the chart owns these objects) and the objects only the current manifest has deleted
// unless they carry `helm.sh/resource-policy: keep`; uninstall deletes in Helm's uninstall order. Hooks are not run,
// and every result says which ones were skipped. A dry run answers the same plan with per-object diffs.
import { createTwoFilesPatch } from 'diff';
import type { KubeActions } from '../kube/actions';
import type { KubeEngine } from '../kube/engine';
import { kindId, type KObject, type KindDescriptor } from '../kube/descriptors';
import { toKubeError } from '../kube/errors';
import { parseManifests } from '../kube/manifests';
import { toYaml } from '../kube/writes';
import type { HelmChangeResult, HelmObjectChange, HelmRevisionDiff } from '../../shared/routes/integrations';
import { ApiError, badRequest, notFound } from '../api/errors';
import {
  createRecord,
  deleteRecord,
  releaseRecords,
  updateRecord,
  type HookJson,
  type ReleaseJson,
  type ReleaseRecord,
} from './helmStorage';
import { coalesceValues, isMap, maskManifest, maskValues } from './helmValues';

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Helm's `chartutil.ValidateReleaseName` (53 characters, DNS-1123 subdomain), and a namespace name. */
export function checkRelease(name: string, namespace: string): void {
  if (name.length > 53 || !RELEASE_NAME.test(name))
    throw badRequest(`"${name.slice(0, 80)}" is not a valid Helm release name`);
  if (namespace.length > 63 || !NAMESPACE.test(namespace))
    throw badRequest(`"${namespace.slice(0, 80)}" is not a valid namespace name`);
}

/** `releaseutil.UninstallOrder`: kinds deleted first come first; kinds not listed go last, by name. */
const UNINSTALL_ORDER = [
  'APIService',
  'Ingress',
  'IngressClass',
  'Service',
  'CronJob',
  'Job',
  'StatefulSet',
  'HorizontalPodAutoscaler',
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
  'DaemonSet',
  'RoleBindingList',
  'RoleBinding',
  'RoleList',
  'Role',
  'ClusterRoleBindingList',
  'ClusterRoleBinding',
  'ClusterRoleList',
  'ClusterRole',
  'CustomResourceDefinition',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'ConfigMap',
  'SecretList',
  'Secret',
  'ServiceAccount',
  'PodDisruptionBudget',
  'PodSecurityPolicy',
  'LimitRange',
  'ResourceQuota',
  'NetworkPolicy',
  'Namespace',
  'PriorityClass',
];

/** Stable sort by kind in `order` (Helm's `sortManifestsByKind`): unknown kinds last, alphabetically among them. */
export function sortByKind<T extends { kind: string }>(items: T[], order: readonly string[] = UNINSTALL_ORDER): T[] {
  const rank = new Map(order.map((k, i) => [k, i]));
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => {
      const ra = rank.get(a.it.kind);
      const rb = rank.get(b.it.kind);
      if (ra === undefined && rb === undefined)
        return a.it.kind === b.it.kind ? a.i - b.i : a.it.kind < b.it.kind ? -1 : 1;
      if (ra === undefined) return 1;
      if (rb === undefined) return -1;
      return ra - rb || a.i - b.i;
    })
    .map((x) => x.it);
}

const KEEP_ANNOTATION = 'helm.sh/resource-policy';
const keeps = (o: KObject | undefined) =>
  (o?.metadata.annotations?.[KEEP_ANNOTATION] ?? '').trim().toLowerCase() === 'keep';

/** An object of a release's manifest, placed: its kind in this cluster (if served) and its namespace. */
interface Placed {
  obj: KObject;
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
  d?: KindDescriptor;
  key: string;
}

function manifestObjects(a: KubeActions, manifest: string, releaseNs: string, what: string): Placed[] {
  let items;
  try {
    items = parseManifests(manifest);
  } catch (e) {
    throw new ApiError(
      'helmCorrupted',
      `unable to build kubernetes objects from ${what} manifest: ${toKubeError(e).message}`,
      422,
    );
  }
  return items.map(({ obj }) => {
    const kind = String(obj.kind);
    const apiVersion = String(obj.apiVersion);
    const d = a.kindOf(kind, apiVersion);
    const namespace = d?.namespaced === false ? undefined : (obj.metadata.namespace ?? releaseNs);
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    return {
      obj,
      kind,
      apiVersion,
      name: obj.metadata.name,
      namespace,
      d,
      key: `${group}/${kind}/${namespace ?? ''}/${obj.metadata.name}`,
    };
  });
}

const change = (p: Placed, action: HelmObjectChange['action'], extra: Partial<HelmObjectChange> = {}) => {
  const c: HelmObjectChange = { kind: p.kind, apiVersion: p.apiVersion, name: p.name, action, ...extra };
  if (p.namespace) c.namespace = p.namespace;
  return c;
};

/** The live object, or undefined when it is gone. */
async function live(a: KubeActions, p: Placed): Promise<KObject | undefined> {
  try {
    return await a.get(kindId(p.d!), p.namespace, p.name);
  } catch (e) {
    if (toKubeError(e).code === 'notFound') return undefined;
    throw e;
  }
}

/**
 * Deletes (or, dryRun, checks the delete of) one object of a release: `absent` when it is already gone, `kept` when
 * `keepBy` says so, else `deleted`; a failure is reported on the object.
 */
async function deleteOne(
  a: KubeActions,
  p: Placed,
  dryRun: boolean,
  keepBy: (liveObj: KObject) => boolean,
): Promise<HelmObjectChange> {
  if (!p.d)
    return change(p, 'failed', {
      error: `the cluster serves no ${p.apiVersion} ${p.kind}: delete it by hand if it still exists`,
    });
  try {
    const o = await live(a, p);
    if (!o) return change(p, 'absent', { note: 'already gone' });
    if (keepBy(o)) return change(p, 'kept', { note: `${KEEP_ANNOTATION}: keep` });
    await a.delete(kindId(p.d), p.namespace, p.name, { propagation: 'Background', dryRun });
    return change(p, 'deleted');
  } catch (e) {
    if (toKubeError(e).code === 'notFound') return change(p, 'absent', { note: 'already gone' });
    return change(p, 'failed', { error: toKubeError(e).message });
  }
}

/** Hooks of these events, as `name (Kind, event)`. */
function hooksFor(hooks: HookJson[] | undefined, events: string[]): string[] {
  return (hooks ?? [])
    .filter((h) => (h.events ?? []).some((e) => events.includes(e)))
    .map(
      (h) => `${h.name ?? '?'} (${h.kind ?? '?'}, ${(h.events ?? []).filter((e) => events.includes(e)).join(', ')})`,
    );
}

const count = (objs: HelmObjectChange[], action: HelmObjectChange['action']) =>
  objs.filter((o) => o.action === action).length;

function tally(objs: HelmObjectChange[]): string {
  const parts = (['created', 'configured', 'unchanged', 'deleted', 'kept', 'absent', 'failed'] as const)
    .map((k) => [k, count(objs, k)] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k === 'absent' ? 'already gone' : k}`);
  return parts.length ? parts.join(', ') : 'no objects';
}

const hooksNote = (skipped: string[], action: string) =>
  skipped.length ? `; ${action} hooks were not run (KubeGraf does not run Helm hooks): ${skipped.join('; ')}` : '';

/** Adds what Helm's `setMetadataVisitor` adds to every object it applies: managed-by and the release annotations. */
function withHelmMetadata(obj: KObject, release: string, namespace: string): KObject {
  const o = structuredClone(obj);
  o.metadata.labels = { ...(o.metadata.labels ?? {}), 'app.kubernetes.io/managed-by': 'Helm' };
  o.metadata.annotations = {
    ...(o.metadata.annotations ?? {}),
    'meta.helm.sh/release-name': release,
    'meta.helm.sh/release-namespace': namespace,
  };
  return o;
}

/** Map paths the current object sets and the target does not (lists are compared whole; identity is kept). */
function removedIn(current: unknown, target: unknown, path: string[] = []): string[][] {
  if (!isMap(current) || !isMap(target)) return [];
  const out: string[][] = [];
  for (const [k, v] of Object.entries(current)) {
    const p = [...path, k];
    if (path.length === 1 && path[0] === 'metadata' && (k === 'name' || k === 'namespace')) continue;
    if (!(k in target)) out.push(p);
    else out.push(...removedIn(v, target[k], p));
  }
  return out;
}

function withoutPaths(obj: KObject, paths: string[][]): KObject {
  if (!paths.length) return obj;
  const o = structuredClone(obj) as unknown as Record<string, unknown>;
  for (const p of paths) {
    let at: unknown = o;
    for (const seg of p.slice(0, -1)) at = isMap(at) ? at[seg] : undefined;
    if (isMap(at)) delete at[p[p.length - 1]];
  }
  return o as unknown as KObject;
}

async function recordsOf(a: KubeActions, namespace: string, name: string): Promise<ReleaseRecord[]> {
  const recs = await releaseRecords(a, namespace, name);
  if (!recs.length) throw notFound(`no Helm release "${name}" in namespace ${namespace}`);
  return recs;
}

/** `storage.DeployedAll` → superseded, each through Update (modifiedAt). */
async function supersedeDeployed(a: KubeActions, recs: ReleaseRecord[], except?: number): Promise<void> {
  for (const r of recs) {
    if (r.rel.version === except || r.rel.info?.status !== 'deployed') continue;
    r.rel.info.status = 'superseded';
    await updateRecord(a, r);
  }
}

export interface RollbackOptions {
  namespace: string;
  name: string;
  /** Default: the current revision − 1. */
  revision?: number;
  dryRun?: boolean;
}

/** `helm rollback NAME [REVISION]` without the binary; with dryRun, what it would do (server dry runs). */
export async function nativeRollback(
  engine: KubeEngine,
  context: string,
  o: RollbackOptions,
): Promise<HelmChangeResult> {
  checkRelease(o.name, o.namespace);
  const a = engine.actions(context);
  const recs = await recordsOf(a, o.namespace, o.name);
  const current = recs[recs.length - 1];
  const targetRev = o.revision ?? current.rel.version - 1;
  const prev = recs.find((r) => r.rel.version === targetRev);
  if (!prev)
    throw new ApiError(
      'notFound',
      targetRev < 1 ? `release ${o.name} has no previous revision` : `release ${o.name} has no ${targetRev} version`,
      404,
    );
  const dryRun = o.dryRun === true;
  const newRev = current.rel.version + 1;
  const ns = o.namespace;
  const label = `${ns}/${o.name}`;
  const hooksSkipped = hooksFor(prev.rel.hooks, ['pre-rollback', 'post-rollback']);

  const target = manifestObjects(a, prev.rel.manifest ?? '', ns, 'the target revision');
  const currentObjs = manifestObjects(a, current.rel.manifest ?? '', ns, 'the current release');
  const targetKeys = new Set(target.map((t) => t.key));
  const stale = currentObjs.filter((c) => !targetKeys.has(c.key));
  const targetYaml = target.map((t) => toYaml(withHelmMetadata(t.obj, o.name, ns))).join('---\n');

  const result = (objects: HelmObjectChange[], message: string): HelmChangeResult => ({
    ok: true,
    message,
    dryRun,
    release: o.name,
    namespace: ns,
    fromRevision: current.rel.version,
    targetRevision: targetRev,
    newRevision: newRev,
    objects,
    hooksSkipped,
    kept: objects.filter((x) => x.action === 'kept').map((x) => `[${x.kind}] ${x.name}`),
  });

  // The new revision, as `prepareRollback` builds it: the target's chart, values, manifest, hooks and notes.
  const info: NonNullable<ReleaseJson['info']> = {
    first_deployed: current.rel.info?.first_deployed ?? '',
    last_deployed: new Date().toISOString(),
    deleted: '',
    description: `Rollback to ${targetRev}`,
    status: 'pending-rollback',
  };
  if (prev.rel.info?.notes) info.notes = prev.rel.info.notes;
  const next: ReleaseJson = { name: o.name, info } as ReleaseJson;
  if (prev.rel.chart) next.chart = prev.rel.chart;
  if (prev.rel.config && Object.keys(prev.rel.config as object).length) next.config = prev.rel.config;
  if (prev.rel.manifest) next.manifest = prev.rel.manifest;
  if (prev.rel.hooks?.length) next.hooks = prev.rel.hooks;
  next.version = newRev;
  next.namespace = current.rel.namespace ?? ns;

  // Helm 3 merges three ways: what the current revision set and the target does not is removed. With server-side
  // apply the same follows from ownership: the objects both revisions have are first applied as the current revision
  // renders them (so the `helm` manager owns exactly those fields), then as the target renders them, and the server
  // prunes what the target no longer sets; fields other managers set stay.
  const currentByKey = new Map(currentObjs.map((c) => [c.key, c]));
  const both = target.filter((t) => currentByKey.has(t.key));
  const claimYaml = both.map((t) => toYaml(withHelmMetadata(currentByKey.get(t.key)!.obj, o.name, ns))).join('---\n');
  const removedPaths = new Map(both.map((t) => [t.key, removedIn(currentByKey.get(t.key)!.obj, t.obj)]));
  const keyOf = (obj: KObject) => target.find((t) => t.obj.metadata.name === obj.metadata.name && t.kind === obj.kind);
  const applyOpts = { defaultNamespace: ns, force: true, fieldManager: 'helm' };
  const applyTarget = async (dry: boolean): Promise<HelmObjectChange[]> => {
    if (!target.length) return [];
    if (!dry && both.length) await a.applyManifests(claimYaml, { ...applyOpts, claim: true });
    const applied = await a.applyManifests(targetYaml, {
      ...applyOpts,
      dryRun: dry,
      adjustDryRun: (obj, out) => {
        const t = keyOf(obj);
        return t ? withoutPaths(out, removedPaths.get(t.key) ?? []) : out;
      },
    });
    return applied.results.map((r) => {
      const c: HelmObjectChange = { kind: r.kind, apiVersion: r.apiVersion, name: r.name, action: r.action };
      if (r.namespace) c.namespace = r.namespace;
      if (r.diff) c.diff = r.diff;
      if (r.note) c.note = r.note;
      if (r.error) c.error = r.error.message;
      return c;
    });
  };
  const deleteStale = (dry: boolean) => Promise.all(stale.map((s) => deleteOne(a, s, dry, keeps)));

  if (dryRun) {
    const objects = [...(await applyTarget(true)), ...(await deleteStale(true))];
    return result(
      objects,
      `would roll back ${label} from revision ${current.rel.version} to ${targetRev} as revision ${newRev}: ${tally(objects)}${hooksNote(hooksSkipped, 'rollback')}`,
    );
  }

  const created = await createRecord(a, ns, next, prev.userLabels);
  let objects = await applyTarget(false);
  // Helm deletes what only the current manifest has once every target object is applied.
  const failed = objects.filter((x) => x.action === 'failed');
  if (failed.length) {
    // As Helm: the current record superseded, the new one failed, nothing deleted.
    const why = failed.map((f) => `${f.kind} ${f.name}: ${f.error ?? 'failed'}`).join(' && ');
    const msg = `Rollback "${o.name}" failed: ${why}`;
    current.rel.info = { ...(current.rel.info ?? {}), status: 'superseded' };
    await updateRecord(a, current);
    created.rel.info = { ...info, status: 'failed', description: msg };
    await updateRecord(a, created);
    throw new ApiError('helmRollbackFailed', msg, 502, result(objects, msg));
  }
  objects = [...objects, ...(await deleteStale(false))];
  await supersedeDeployed(a, recs);
  created.rel.info = { ...info, status: 'deployed' };
  await updateRecord(a, created);
  const deleteFailures = objects.filter((x) => x.action === 'failed');
  return result(
    objects,
    `rolled back ${label} to revision ${targetRev} (now revision ${newRev}): ${tally(objects)}${deleteFailures.length ? ' (Helm also goes on when a delete fails)' : ''}${hooksNote(hooksSkipped, 'rollback')}`,
  );
}

export interface UninstallOptions {
  namespace: string;
  name: string;
  keepHistory?: boolean;
  dryRun?: boolean;
}

/** `helm uninstall NAME [--keep-history]` without the binary; with dryRun, what it would delete and keep. */
export async function nativeUninstall(
  engine: KubeEngine,
  context: string,
  o: UninstallOptions,
): Promise<HelmChangeResult> {
  checkRelease(o.name, o.namespace);
  const a = engine.actions(context);
  const recs = await recordsOf(a, o.namespace, o.name);
  const rel = recs[recs.length - 1];
  const ns = o.namespace;
  const label = `${ns}/${o.name}`;
  const dryRun = o.dryRun === true;
  const keepHistory = o.keepHistory === true;
  const hooksSkipped = hooksFor(rel.rel.hooks, ['pre-delete', 'post-delete']);
  const result = (objects: HelmObjectChange[], kept: string[], message: string): HelmChangeResult => ({
    ok: true,
    message,
    dryRun,
    release: o.name,
    namespace: ns,
    fromRevision: rel.rel.version,
    objects,
    hooksSkipped,
    kept,
    keptHistory: keepHistory,
  });

  if (rel.rel.info?.status === 'uninstalled') {
    if (keepHistory) throw new ApiError('conflict', `the release named "${o.name}" is already deleted`, 409);
    if (!dryRun) for (const r of recs) await deleteRecord(a, r);
    return result(
      [],
      [],
      `${dryRun ? 'would purge' : 'purged'} the ${recs.length} kept record(s) of ${label} (it was already uninstalled)`,
    );
  }

  const all = sortByKind(manifestObjects(a, rel.rel.manifest ?? '', ns, 'the release'));
  const keptObjs = all.filter((p) => keeps(p.obj));
  const toDelete = all.filter((p) => !keeps(p.obj));
  const kept = keptObjs.map((p) => `[${p.kind}] ${p.name}`);
  const keptChanges = keptObjs.map((p) => change(p, 'kept', { note: `${KEEP_ANNOTATION}: keep` }));
  const records = keepHistory
    ? `the records are kept (revision ${rel.rel.version} marked uninstalled)`
    : `its ${recs.length} record(s) are deleted`;

  if (dryRun) {
    const objects: HelmObjectChange[] = [];
    for (const p of toDelete) objects.push(await deleteOne(a, p, true, () => false));
    objects.push(...keptChanges);
    return result(
      objects,
      kept,
      `would uninstall ${label}: ${tally(objects)}; ${records}${hooksNote(hooksSkipped, 'delete')}`,
    );
  }

  const info = (rel.rel.info ??= {});
  info.status = 'uninstalling';
  info.deleted = new Date().toISOString();
  info.description = 'Deletion in progress (or silently failed)';
  await updateRecord(a, rel);

  // One at a time, in order: Helm's delete order is part of what the chart relies on.
  const objects: HelmObjectChange[] = [];
  for (const p of toDelete) objects.push(await deleteOne(a, p, false, () => false));
  objects.push(...keptChanges);
  const failed = objects.filter((x) => x.action === 'failed');
  if (failed.length) {
    const msg = `failed to delete release: ${o.name} (${failed.map((f) => `${f.kind} ${f.name}: ${f.error ?? ''}`).join('; ')}); it stays "uninstalling"`;
    throw new ApiError('helmUninstallFailed', msg, 502, result(objects, kept, msg));
  }
  info.status = 'uninstalled';
  info.description = 'Uninstallation complete';
  if (!keepHistory) for (const r of recs) await deleteRecord(a, r);
  else {
    await updateRecord(a, rel);
    await supersedeDeployed(a, recs, rel.rel.version);
  }
  return result(
    objects,
    kept,
    `uninstalled ${label}: ${tally(objects)}; ${records}${kept.length ? `; kept by resource policy: ${kept.join(', ')}` : ''}${hooksNote(hooksSkipped, 'delete')}`,
  );
}

const valuesYaml = (v: unknown) => (isMap(v) && !Object.keys(v).length ? '{}\n' : toYaml(v));

/** Values and manifest of two revisions, each diffed (credentials masked first). */
export async function revisionDiff(
  engine: KubeEngine,
  context: string,
  o: { namespace: string; name: string; from: number; to: number },
): Promise<HelmRevisionDiff> {
  checkRelease(o.name, o.namespace);
  const recs = await recordsOf(engine.actions(context), o.namespace, o.name);
  const get = (v: number) => {
    const r = recs.find((x) => x.rel.version === v);
    if (!r) throw notFound(`release ${o.name} has no revision ${v}`);
    return r.rel;
  };
  const a = get(o.from);
  const b = get(o.to);
  const d = (what: string, x: string, y: string) =>
    x === y ? '' : createTwoFilesPatch(`${what} (revision ${o.from})`, `${what} (revision ${o.to})`, x, y);
  const summary: string[] = [];
  const chartOf = (r: ReleaseJson) => `${r.chart?.metadata?.name ?? ''}-${r.chart?.metadata?.version ?? ''}`;
  if (chartOf(a) !== chartOf(b)) summary.push(`chart: ${chartOf(a)} → ${chartOf(b)}`);
  const app = (r: ReleaseJson) => r.chart?.metadata?.appVersion ?? '';
  if (app(a) !== app(b)) summary.push(`app version: ${app(a) || '(none)'} → ${app(b) || '(none)'}`);
  if ((a.info?.status ?? '') !== (b.info?.status ?? ''))
    summary.push(`status: ${a.info?.status ?? ''} → ${b.info?.status ?? ''}`);
  const manifest = d('manifest', maskManifest(a.manifest ?? ''), maskManifest(b.manifest ?? ''));
  if (!manifest && (a.manifest ?? '') !== (b.manifest ?? ''))
    summary.push('manifest: only Secret values differ (they are masked)');
  return {
    from: o.from,
    to: o.to,
    values: d('values', valuesYaml(maskValues(a.config ?? {})), valuesYaml(maskValues(b.config ?? {}))),
    computed: d(
      'computed values',
      valuesYaml(maskValues(coalesceValues(a.chart?.values ?? {}, a.config ?? {}))),
      valuesYaml(maskValues(coalesceValues(b.chart?.values ?? {}, b.config ?? {}))),
    ),
    manifest,
    summary,
  };
}
