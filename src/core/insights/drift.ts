// Drift: live objects against what was declared for them, as `kubectl diff`, Argo CD's diff and `helm get manifest`
// tell it, in one pass over the watch cache:
//  - `kubectl apply`: the last-applied-configuration annotation kubectl keeps on every object it applied;
//  - Helm: the manifest of the release's deployed revision, decoded from its release Secret;
//  - Argo CD: the rendered Git state of an Application's out-of-sync resources (argocd-server's managed-resources).
// Only fields the declared state sets are compared (a desired-state subset, the way a three-way merge sees them), so
// server defaults, controllers' status and labels added by others never show as drift; quantities are compared by
// value (`1000m` = `1`), scalars by their text (`8080` = "8080"), and `spec.replicas` of an autoscaled workload is the
// autoscaler's. Who changed each drifted field and when comes from managedFields, read fresh for drifted objects only
// (the watch cache drops them to save memory).
import { createTwoFilesPatch } from 'diff';
import type { Finding, FindingSeverity } from '../../shared/insights';
import {
  DRIFT_SOURCE_TITLES,
  managerLabel,
  type DriftDiff,
  type DriftField,
  type DriftObject,
  type DriftReport,
  type DriftSource,
} from '../../shared/drift';
import { parseQuantity } from '../../shared/quantity';
import type { ApiDeps } from '../api/deps';
import { contextOf, objects } from '../api/common';
import { notFound } from '../api/errors';
import { kindId, type KObject } from '../kube/descriptors';
import { KubeError, toKubeError } from '../kube/errors';
import { parseManifests } from '../kube/manifests';
import type { ArgoApplication } from '../kube/objects';
import { toYaml } from '../kube/writes';
import { ARGO, argoServer, type ManagedResource } from '../integrations/argocd';
import { decodeRelease, isReleaseSecret, type ReleaseJson } from '../integrations/helmStorage';
import { pluginSwitches } from '../integrations/plugins';
import { findingId, type InsightAnalysis, type Scores } from './analysis';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const HELM_RELEASE = 'meta.helm.sh/release-name';
const HELM_RELEASE_NS = 'meta.helm.sh/release-namespace';

/** Kinds whose objects people `kubectl apply` (Secrets left out: their last-applied copy is a leak of its own). */
const APPLIED_KINDS = [
  'deployments.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'cronjobs.batch',
  'jobs.batch',
  'pods',
  'services',
  'configmaps',
  'serviceaccounts',
  'persistentvolumeclaims',
  'ingresses.networking.k8s.io',
  'networkpolicies.networking.k8s.io',
  'poddisruptionbudgets.policy',
  'horizontalpodautoscalers.autoscaling',
  'roles.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'resourcequotas',
  'limitranges',
] as const;

const CHECK: Record<DriftSource, string> = {
  lastApplied: 'lastApplied',
  helmManifest: 'helmManifest',
  argocd: 'argocd',
};
const REVERT: Record<DriftSource, string> = {
  lastApplied: 'Revert to the applied state',
  helmManifest: 'Revert to the Helm state',
  argocd: 'Revert to the Git state',
};
const WHY: Record<DriftSource, string> = {
  lastApplied:
    'A change made by hand after `kubectl apply` is in no manifest or review, and the next apply of the file silently undoes it.',
  helmManifest:
    'A change made by hand to an object of a Helm release is in no chart or values, and the next `helm upgrade` or rollback silently undoes it.',
  argocd:
    'The cluster no longer matches Git: the change is in no commit or review, and the next sync (or self-heal) undoes it.',
};

// ---------------------------------------------------------------- paths and comparison

type Json = unknown;
type JMap = Record<string, unknown>;
/** A step into an object: a map key, a keyed list element (`{name: 'api'}`), or an index into an unkeyed list. */
type Seg = string | { key: JMap } | number;

const isMap = (v: unknown): v is JMap => !!v && typeof v === 'object' && !Array.isArray(v);

/** Strategic-merge keys of the lists objects carry (the patchMergeKey of the Go types). */
function mergeKeyOf(field: string, sample: JMap): string[] | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return ['name'];
    case 'volumeMounts':
      return ['mountPath'];
    case 'volumeDevices':
      return ['devicePath'];
    case 'ports':
      return 'containerPort' in sample ? ['containerPort'] : 'port' in sample ? ['port'] : undefined;
    default:
      return undefined;
  }
}

const keyOf = (el: JMap, keys: string[]): JMap => Object.fromEntries(keys.map((k) => [k, el[k]]));
const keyMatches = (el: unknown, key: JMap) =>
  isMap(el) && Object.entries(key).every(([k, v]) => String(el[k]) === String(v));

export function pathText(segs: Seg[]): string {
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string') out += /^[A-Za-z0-9_-]+$/.test(s) ? `${out ? '.' : ''}${s}` : `["${s}"]`;
    else
      out += `[${Object.entries(s.key)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',')}]`;
  }
  return out;
}

/** Paths under which values are quantities: `resources.requests.cpu`, a quota's `hard`, a volume's `sizeLimit`. */
const QUANTITY_PARENTS = new Set(['requests', 'limits', 'hard', 'capacity', 'sizeLimit', 'storage']);

function sameScalar(desired: Json, live: Json, segs: Seg[]): boolean {
  if (desired === live) return true;
  if (live === undefined || live === null) return false;
  if (typeof desired === 'object' || typeof live === 'object') return false;
  if (String(desired) === String(live)) return true;
  const parent = segs[segs.length - 2];
  const last = segs[segs.length - 1];
  if (
    (typeof parent === 'string' && QUANTITY_PARENTS.has(parent)) ||
    (typeof last === 'string' && QUANTITY_PARENTS.has(last))
  ) {
    const a = parseQuantity(desired);
    const b = parseQuantity(live);
    return Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  }
  return false;
}

/** An empty value the server drops (`{}`, `[]`, `""`, null): setting it is the same as not setting it. */
const isEmptyValue = (v: Json) =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (isMap(v) && Object.keys(v).length === 0);

const IGNORED_ANNOTATIONS = new Set([
  LAST_APPLIED,
  'deployment.kubernetes.io/revision',
  'argocd.argoproj.io/tracking-id',
  'argocd.argoproj.io/sync-options',
  'argocd.argoproj.io/compare-options',
]);

export interface RawDrift {
  segs: Seg[];
  desired?: Json;
  live?: Json;
}

interface CompareOpts {
  /** Extra keyed-list elements on the live side count (not for pods: admission adds sidecars to them). */
  extras: boolean;
  ignore?: (segs: Seg[]) => boolean;
}

function compareValue(desired: Json, live: Json, segs: Seg[], o: CompareOpts, out: RawDrift[]): void {
  if (o.ignore?.(segs)) return;
  if (desired === null || desired === undefined) return;
  if (isMap(desired)) {
    if (!isMap(live)) {
      if (live === undefined && isEmptyValue(desired)) return;
      out.push({ segs, desired, live });
      return;
    }
    for (const [k, v] of Object.entries(desired)) compareValue(v, live[k], [...segs, k], o, out);
    return;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) {
      if (live === undefined && isEmptyValue(desired)) return;
      out.push({ segs, desired, live });
      return;
    }
    const field = segs[segs.length - 1];
    const sample = desired.find(isMap) ?? live.find(isMap);
    const keys = typeof field === 'string' && sample ? mergeKeyOf(field, sample) : undefined;
    if (keys && desired.every((d) => isMap(d) && keys.every((k) => k in d))) {
      for (const d of desired as JMap[]) {
        const key = keyOf(d, keys);
        const l = live.find((x) => keyMatches(x, key));
        if (l === undefined) out.push({ segs: [...segs, { key }], desired: d, live: undefined });
        else compareValue(d, l, [...segs, { key }], o, out);
      }
      if (o.extras)
        for (const l of live)
          if (isMap(l) && !desired.some((d) => keyMatches(d, keyOf(l, keys))))
            out.push({ segs: [...segs, { key: keyOf(l, keys) }], desired: undefined, live: l });
      return;
    }
    if (desired.length !== live.length) {
      out.push({ segs, desired, live });
      return;
    }
    if (desired.every((d) => !isMap(d) && !Array.isArray(d))) {
      if (!desired.every((d, i) => sameScalar(d, live[i], [...segs, i]))) out.push({ segs, desired, live });
      return;
    }
    desired.forEach((d, i) => compareValue(d, live[i], [...segs, i], o, out));
    return;
  }
  if (live === undefined && desired === '') return;
  if (!sameScalar(desired, live, segs)) out.push({ segs, desired, live });
}

/** Fields the declared object sets whose live value differs (metadata: labels and annotations only). */
export function compareObjects(desired: KObject, live: KObject, o: CompareOpts): RawDrift[] {
  const out: RawDrift[] = [];
  const d = desired as unknown as JMap;
  const l = live as unknown as JMap;
  const dm = (desired.metadata ?? {}) as JMap;
  compareValue(dm.labels, live.metadata?.labels ?? {}, ['metadata', 'labels'], o, out);
  if (isMap(dm.annotations)) {
    const ann = Object.fromEntries(Object.entries(dm.annotations).filter(([k]) => !IGNORED_ANNOTATIONS.has(k)));
    compareValue(ann, live.metadata?.annotations ?? {}, ['metadata', 'annotations'], o, out);
  }
  for (const [k, v] of Object.entries(d)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata' || k === 'status') continue;
    compareValue(v, l[k], [k], o, out);
  }
  return out;
}

// ---------------------------------------------------------------- setting paths (the revert)

function stepInto(at: unknown, seg: Seg, create: boolean, next: Seg | undefined): unknown {
  if (typeof seg === 'string') {
    if (!isMap(at)) return undefined;
    if (at[seg] === undefined && create) at[seg] = typeof next === 'object' || typeof next === 'number' ? [] : {};
    return at[seg];
  }
  if (!Array.isArray(at)) return undefined;
  if (typeof seg === 'number') return at[seg];
  let el = at.find((x) => keyMatches(x, seg.key));
  if (el === undefined && create) {
    el = { ...seg.key };
    at.push(el);
  }
  return el;
}

/** Sets (or, for `undefined`, removes) the value at a path, creating maps and keyed elements on the way. */
export function setPath(obj: JMap, segs: Seg[], value: unknown): void {
  let at: unknown = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    at = stepInto(at, segs[i], value !== undefined, segs[i + 1]);
    if (at === undefined) return;
  }
  const last = segs[segs.length - 1];
  if (typeof last === 'string' && isMap(at)) {
    if (value === undefined) delete at[last];
    else at[last] = structuredClone(value);
  } else if (Array.isArray(at) && typeof last !== 'string') {
    const i = typeof last === 'number' ? last : at.findIndex((x) => keyMatches(x, last.key));
    if (value === undefined) {
      if (i >= 0) at.splice(i, 1);
    } else if (i >= 0) at[i] = structuredClone(value);
    else at.push(structuredClone(value));
  }
}

/** The live object with every drifted field set back to its declared value. */
export function reverted(live: KObject, drift: RawDrift[]): KObject {
  const o = structuredClone(live) as unknown as JMap;
  for (const d of drift) setPath(o, d.segs, d.desired);
  return o as unknown as KObject;
}

// ---------------------------------------------------------------- managedFields: who changed a field

interface ManagedEntry {
  manager?: string;
  operation?: string;
  time?: string;
  subresource?: string;
  fieldsV1?: JMap;
}

/** How deep an entry owns this path: the whole path, or an atomic ancestor (a leaf of its field set). */
function owns(set: JMap | undefined, segs: Seg[], live: Json): boolean {
  let node: JMap | undefined = set;
  let value: Json = live;
  for (const seg of segs) {
    if (!node) return false;
    const kids = Object.keys(node).filter((k) => k !== '.');
    if (!kids.length && node !== set) return true;
    if (typeof seg === 'string') {
      node = node[`f:${seg}`] as JMap | undefined;
      value = isMap(value) ? value[seg] : undefined;
    } else if (typeof seg === 'number') {
      // An unkeyed list is atomic: whoever owns the list owns its elements.
      return node !== set && kids.length === 0;
    } else {
      const hit = kids.find((k) => {
        if (!k.startsWith('k:')) return false;
        try {
          return keyMatches(seg.key, JSON.parse(k.slice(2)) as JMap);
        } catch {
          return false;
        }
      });
      node = hit ? (node[hit] as JMap) : undefined;
      value = Array.isArray(value) ? value.find((x) => keyMatches(x, seg.key)) : undefined;
    }
  }
  return node !== undefined;
}

function attribute(fields: RawDrift[], managed: ManagedEntry[] | undefined, live: KObject): DriftField[] {
  return fields.map((f) => {
    const out: DriftField = { path: pathText(f.segs) };
    if (f.desired !== undefined) out.desired = f.desired;
    if (f.live !== undefined) out.live = f.live;
    const owners = (managed ?? []).filter((e) => e.fieldsV1 && owns(e.fieldsV1, f.segs, live));
    // Removed fields have no owner left; the newest Update that is not an apply is the likeliest remover.
    const pick =
      owners.sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))[0] ??
      (f.live === undefined
        ? (managed ?? [])
            .filter((e) => e.operation === 'Update' && !/apply/i.test(e.manager ?? ''))
            .sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))[0]
        : undefined);
    if (pick?.manager) {
      out.manager = pick.manager;
      out.operation = `${pick.operation ?? 'Update'}${pick.subresource ? ` (${pick.subresource})` : ''}`;
      if (pick.time) out.time = pick.time;
      out.by = managerLabel(pick.manager, pick.subresource);
    }
    return out;
  });
}

// ---------------------------------------------------------------- declared states

interface Tracked {
  source: DriftSource;
  kind: string;
  apiVersion: string;
  owner: string;
  declaredAt?: string;
  /** Cache kind id (`deployments.apps`). */
  kindKey: string;
  desired?: KObject;
  live: KObject;
  note?: string;
  /** Argo CD said OutOfSync but its desired state could not be read. */
  outOfSync?: boolean;
}

const memo = new Map<string, { rv: string; value: unknown }>();
function memoized<T>(key: string, rv: string | undefined, make: () => T): T {
  const hit = memo.get(key);
  if (hit && rv && hit.rv === rv) return hit.value as T;
  const value = make();
  if (rv) {
    if (memo.size > 250_000) memo.clear();
    memo.set(key, { rv, value });
  }
  return value;
}

function parseLastApplied(o: KObject): KObject | undefined {
  const raw = o.metadata.annotations?.[LAST_APPLIED];
  if (!raw) return undefined;
  return memoized(`la|${o.metadata.uid ?? ''}`, o.metadata.resourceVersion, () => {
    try {
      const v = JSON.parse(raw) as unknown;
      return isMap(v) ? (v as unknown as KObject) : undefined;
    } catch {
      return undefined;
    }
  });
}

interface Ctx {
  deps: ApiDeps;
  ctx: string;
  namespace?: string;
  notes: string[];
}

const inScope = (c: Ctx, ns: string | undefined) => !c.namespace || ns === c.namespace;

async function kindObjects(c: Ctx, kind: string): Promise<KObject[]> {
  try {
    return ((await objects(c.deps, c.ctx, kind, c.namespace)) ?? []) as KObject[];
  } catch (e) {
    const k = toKubeError(e);
    if (k.code === 'forbidden' || k.code === 'notFound') return [];
    throw e;
  }
}

/** The cache's copy of an object of any kind, or undefined (kind not served, object absent). */
async function cachedLive(c: Ctx, kind: string, apiVersion: string, ns: string | undefined, name: string) {
  const d = c.deps.kube.actions(c.ctx).kindOf(kind, apiVersion);
  if (!d) return undefined;
  const key = kindId(d);
  const { cache } = await c.deps.lists.cache(c.ctx, key, d.namespaced ? ns : undefined);
  return {
    key,
    kind: d.kind,
    apiVersion: d.group ? `${d.group}/${d.version}` : d.version,
    live: cache.index.get(d.namespaced ? ns : undefined, name),
    namespaced: d.namespaced,
  };
}

/** The deployed revision of every Helm release (the newest `deployed` record). */
async function deployedReleases(c: Ctx): Promise<ReleaseJson[]> {
  let cache;
  try {
    ({ cache } = await c.deps.lists.cache(c.ctx, 'secrets', c.namespace));
  } catch (e) {
    if (toKubeError(e).code !== 'forbidden') throw e;
    c.notes.push('Helm releases could not be read (no permission to list Secrets)');
    return [];
  }
  const best = new Map<string, ReleaseJson>();
  for (const s of cache.list()) {
    if (!isReleaseSecret(s) || s.metadata.labels?.status !== 'deployed') continue;
    const r = memoized(`helm|${s.metadata.uid ?? ''}`, s.metadata.resourceVersion, () => decodeRelease(s));
    if (!r || r.info?.status !== 'deployed') continue;
    const key = `${r.namespace ?? s.metadata.namespace}/${r.name}`;
    const cur = best.get(key);
    if (!cur || r.version > cur.version) best.set(key, { ...r, namespace: r.namespace ?? s.metadata.namespace ?? '' });
  }
  return [...best.values()];
}

function manifestObjects(r: ReleaseJson): KObject[] {
  return memoized(`helmManifest|${r.namespace}/${r.name}`, String(r.version), () => {
    try {
      return parseManifests(r.manifest ?? '')
        .map((m) => m.obj)
        .filter((o) => o && o.kind && o.metadata?.name);
    } catch {
      return [];
    }
  });
}

async function helmTracked(c: Ctx, out: Tracked[], seen: Set<string>): Promise<void> {
  for (const r of await deployedReleases(c)) {
    for (const desired of manifestObjects(r)) {
      const ns = desired.metadata.namespace ?? r.namespace;
      const hit = await cachedLive(c, desired.kind ?? '', desired.apiVersion ?? '', ns, desired.metadata.name).catch(
        () => undefined,
      );
      if (!hit?.live) continue;
      if (!inScope(c, hit.namespaced ? ns : undefined) || (c.namespace && !hit.namespaced)) continue;
      seen.add(`${hit.key}/${hit.live.metadata.namespace ?? ''}/${hit.live.metadata.name}`);
      out.push({
        source: 'helmManifest',
        kind: hit.kind,
        apiVersion: hit.apiVersion,
        owner: `Helm release ${r.namespace}/${r.name} (revision ${r.version}${r.chart?.metadata?.name ? `, chart ${r.chart.metadata.name}-${r.chart.metadata.version ?? ''}` : ''})`,
        declaredAt: r.info?.last_deployed,
        kindKey: hit.key,
        desired,
        live: hit.live,
      });
    }
  }
}

const argoTargets = new Map<string, { rv: string; at: number; items?: ManagedResource[]; error?: string }>();

async function managedResources(c: Ctx, app: ArgoApplication): Promise<{ items?: ManagedResource[]; error?: string }> {
  const key = `${c.ctx}|${app.metadata.namespace}/${app.metadata.name}`;
  const rv = app.metadata.resourceVersion ?? '';
  const hit = argoTargets.get(key);
  if (hit && hit.rv === rv && Date.now() - hit.at < 30_000) return hit;
  try {
    const reply = await argoServer<{ items?: ManagedResource[] }>(
      c.deps,
      c.ctx,
      `/api/v1/applications/${encodeURIComponent(app.metadata.name)}/managed-resources`,
      { appNamespace: app.metadata.namespace ?? '' },
      8_000,
    );
    const v = { rv, at: Date.now(), items: reply.items ?? [] };
    argoTargets.set(key, v);
    return v;
  } catch (e) {
    const v = { rv, at: Date.now(), error: (e as Error).message };
    argoTargets.set(key, v);
    return v;
  }
}

const parseState = (s: string | undefined): KObject | undefined => {
  if (!s || s === 'null') return undefined;
  try {
    const v = JSON.parse(s) as unknown;
    return isMap(v) ? (v as unknown as KObject) : undefined;
  } catch {
    return undefined;
  }
};

async function argoTracked(c: Ctx, out: Tracked[], seen: Set<string>, apps: DriftReport['apps']): Promise<void> {
  const all = (await objects(c.deps, c.ctx, ARGO).catch(() => undefined)) as ArgoApplication[] | undefined;
  if (!all) return;
  for (const app of all) {
    const res = (app.status?.resources ?? []).filter((r) => inScope(c, r.namespace || undefined));
    if (!res.length) continue;
    const appName = `${app.metadata.namespace}/${app.metadata.name}`;
    const drifting = res.filter((r) => r.status === 'OutOfSync');
    if (app.status?.sync?.status && app.status.sync.status !== 'Synced')
      apps.push({
        name: app.metadata.name,
        namespace: app.metadata.namespace ?? '',
        syncStatus: app.status.sync.status,
        healthStatus: app.status?.health?.status ?? 'Unknown',
      });
    const targets = drifting.length ? await managedResources(c, app) : undefined;
    if (targets?.error)
      c.notes.push(`Argo CD application ${appName}: its Git state could not be read (${targets.error})`);
    for (const r of res) {
      const hit = await cachedLive(
        c,
        r.kind,
        r.group ? `${r.group}/${r.version ?? 'v1'}` : (r.version ?? 'v1'),
        r.namespace,
        r.name,
      ).catch(() => undefined);
      // A resource only Git has (missing live) is Argo CD's to create, not drift of a live object.
      if (!hit?.live) continue;
      const id = `${hit.key}/${hit.live.metadata.namespace ?? ''}/${hit.live.metadata.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const t: Tracked = {
        source: 'argocd',
        kind: hit.kind,
        apiVersion: hit.apiVersion,
        owner: `Argo CD application ${appName}${app.status?.sync?.revision ? ` at ${app.status.sync.revision.slice(0, 7)}` : ''}`,
        declaredAt: app.status?.operationState?.finishedAt ?? app.status?.reconciledAt,
        kindKey: hit.key,
        live: hit.live,
      };
      if (r.status === 'OutOfSync') {
        const m = targets?.items?.find(
          (x) => x.kind === r.kind && (x.namespace ?? '') === (r.namespace ?? '') && x.name === r.name,
        );
        const desired = parseState(m?.targetState);
        if (desired) t.desired = desired;
        else {
          t.outOfSync = true;
          t.note = desired === undefined && m ? 'not in Git any more (Argo CD would prune it)' : targets?.error;
        }
      }
      out.push(t);
    }
  }
}

async function appliedTracked(c: Ctx, out: Tracked[], seen: Set<string>): Promise<void> {
  for (const kind of APPLIED_KINDS) {
    let d;
    try {
      d = c.deps.kube.descriptor(c.ctx, kind);
    } catch {
      continue;
    }
    const apiVersion = d.group ? `${d.group}/${d.version}` : d.version;
    for (const o of await kindObjects(c, kind)) {
      const ann = o.metadata.annotations;
      if (!ann?.[LAST_APPLIED]) continue;
      if (seen.has(`${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)) continue;
      // Helm or Argo CD own it: their own source says whether it drifted.
      if (ann[HELM_RELEASE] && ann[HELM_RELEASE_NS]) continue;
      const desired = parseLastApplied(o);
      if (!desired) continue;
      out.push({
        source: 'lastApplied',
        kind: d.kind,
        apiVersion,
        owner: 'kubectl apply',
        kindKey: kind,
        desired,
        live: o,
      });
    }
  }
}

// ---------------------------------------------------------------- the analysis

/** Workloads whose replica count an autoscaler sets (HPA scale targets), as `Kind/namespace/name`. */
async function autoscaled(c: Ctx): Promise<Set<string>> {
  const out = new Set<string>();
  for (const h of await kindObjects(c, 'horizontalpodautoscalers.autoscaling')) {
    const t = (h.spec as { scaleTargetRef?: { kind?: string; name?: string } } | undefined)?.scaleTargetRef;
    if (t?.kind && t.name) out.add(`${t.kind}/${h.metadata.namespace ?? ''}/${t.name}`);
  }
  return out;
}

interface Compared {
  t: Tracked;
  drift: RawDrift[];
}

function compareTracked(t: Tracked, scaled: Set<string>): Compared {
  if (!t.desired) return { t, drift: [] };
  const live = t.live;
  const hpa = scaled.has(`${t.kind}/${live.metadata.namespace ?? ''}/${live.metadata.name}`);
  const drift = memoized(
    `cmp|${t.source}|${live.metadata.uid ?? ''}|${hpa}`,
    `${live.metadata.resourceVersion ?? ''}|${t.desired.metadata?.resourceVersion ?? ''}|${t.owner}`,
    () =>
      compareObjects(t.desired!, live, {
        extras: t.kind !== 'Pod',
        ignore: hpa ? (segs) => segs.length === 2 && segs[0] === 'spec' && segs[1] === 'replicas' : undefined,
      }),
  );
  return { t, drift };
}

async function scan(deps: ApiDeps, context: string | undefined, namespace?: string) {
  const c: Ctx = { deps, ctx: contextOf(deps, context), namespace: namespace || undefined, notes: [] };
  const tracked: Tracked[] = [];
  const seen = new Set<string>();
  const apps: DriftReport['apps'] = [];
  // A plugin turned off in this workbench is not asked: its source is left out, and the report says so.
  const on = await pluginSwitches(deps);
  if (on.argocd !== false) await argoTracked(c, tracked, seen, apps);
  else c.notes.push("The Argo CD plugin is off: objects are not compared with Argo CD's Git state");
  if (on.helm !== false) await helmTracked(c, tracked, seen);
  else c.notes.push('The Helm plugin is off: objects are not compared with their Helm release manifest');
  await appliedTracked(c, tracked, seen);
  const scaled = await autoscaled(c);
  const compared = tracked.map((t) => compareTracked(t, scaled));
  return { c, compared, apps };
}

const drifted = (x: Compared) => x.drift.length > 0 || Boolean(x.t.outOfSync);

/** managedFields of an object, read fresh (the cache drops them); memoised per resourceVersion. */
async function managedFieldsOf(c: Ctx, t: Tracked): Promise<{ entries?: ManagedEntry[]; live?: KObject }> {
  const o = t.live;
  return memoizedAsync(`mf|${o.metadata.uid ?? ''}`, o.metadata.resourceVersion, async () => {
    try {
      const fresh = await c.deps.kube.actions(c.ctx).get(t.kindKey, o.metadata.namespace, o.metadata.name);
      return { entries: fresh.metadata.managedFields as ManagedEntry[] | undefined, live: fresh };
    } catch {
      return {};
    }
  });
}

const pending = new Map<string, Promise<unknown>>();
async function memoizedAsync<T>(key: string, rv: string | undefined, make: () => Promise<T>): Promise<T> {
  const hit = memo.get(key);
  if (hit && rv && hit.rv === rv) return hit.value as T;
  const p = pending.get(`${key}@${rv}`);
  if (p) return p as Promise<T>;
  const run = make().then((v) => {
    pending.delete(`${key}@${rv}`);
    if (rv) memo.set(key, { rv, value: v });
    return v;
  });
  pending.set(`${key}@${rv}`, run);
  return run;
}

const SECRET_MASK = '(hidden)';
function masked(kind: string, f: DriftField): DriftField {
  if (kind !== 'Secret' || !/^(data|stringData)/.test(f.path)) return f;
  return {
    ...f,
    ...(f.desired !== undefined ? { desired: SECRET_MASK } : {}),
    ...(f.live !== undefined ? { live: SECRET_MASK } : {}),
  };
}

async function toObject(c: Ctx, x: Compared, withManagers: boolean): Promise<DriftObject> {
  const { t } = x;
  const o: DriftObject = {
    kind: t.kind,
    apiVersion: t.apiVersion,
    ...(t.live.metadata.namespace ? { namespace: t.live.metadata.namespace } : {}),
    name: t.live.metadata.name,
    source: t.source,
    owner: t.owner,
    ...(t.declaredAt ? { declaredAt: t.declaredAt } : {}),
    inSync: !drifted(x),
    fields: [],
    ...(t.note ? { note: t.note } : {}),
  };
  if (!o.inSync) {
    o.finding = findingOf(x);
    if (x.drift.length) {
      const mf = withManagers ? await managedFieldsOf(c, t) : {};
      o.fields = attribute(x.drift, mf.entries, mf.live ?? t.live).map((f) => masked(o.kind, f));
    }
  }
  return o;
}

const targetOf = (t: Tracked) => ({
  kind: t.kind,
  ...(t.live.metadata.namespace ? { namespace: t.live.metadata.namespace } : {}),
  name: t.live.metadata.name,
});

/** Runs `fn` over items, at most `n` at once. */
const MAX_ATTRIBUTED = 1000;

async function pool<T, R>(items: T[], n: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

function scoresOf(compared: Compared[]): Scores {
  const per = new Map<string, { tracked: number; ok: number }>();
  let tracked = 0;
  let ok = 0;
  for (const x of compared) {
    const ns = x.t.live.metadata.namespace ?? '';
    const s = per.get(ns) ?? { tracked: 0, ok: 0 };
    s.tracked++;
    tracked++;
    if (!drifted(x)) {
      s.ok++;
      ok++;
    }
    per.set(ns, s);
  }
  const pct = (a: number, b: number) => (b ? Math.round((100 * a) / b) : 100);
  return {
    cluster: pct(ok, tracked),
    namespaces: Object.fromEntries([...per].filter(([ns]) => ns).map(([ns, s]) => [ns, pct(s.ok, s.tracked)])),
  };
}

/** GET /api/drift/analysis. */
export async function driftReport(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
): Promise<DriftReport> {
  const { c, compared, apps } = await scan(deps, context, namespace);
  const bad = compared.filter(drifted);
  // Who changed what needs each drifted object read once (the cache has no managedFields); past this many, the rest
  // are listed without their managers.
  const detailed = await pool(bad, 8, (x, i) => toObject(c, x, i < MAX_ATTRIBUTED));
  if (bad.length > MAX_ATTRIBUTED)
    c.notes.push(`${bad.length} drifted objects: who changed the fields is shown for the first ${MAX_ATTRIBUTED}`);
  const all = await Promise.all(compared.map((x) => (drifted(x) ? undefined : toObject(c, x, false))));
  const byKey = (o: DriftObject) => `${o.source}|${o.namespace ?? ''}|${o.kind}|${o.name}`;
  const sort = (a: DriftObject, b: DriftObject) => byKey(a).localeCompare(byKey(b));
  const objectsOut = [...detailed, ...all.filter((x): x is DriftObject => !!x)].sort(sort);
  const bySource = (['lastApplied', 'helmManifest', 'argocd'] as const).map((source) => ({
    source,
    tracked: compared.filter((x) => x.t.source === source).length,
    drifted: bad.filter((x) => x.t.source === source).length,
  }));
  return {
    drifted: detailed.sort(sort),
    total: compared.length,
    message: `${bad.length} of ${compared.length} tracked object(s) differ from their declared state${
      namespace ? ` in ${namespace}` : ''
    } (${bySource.map((s) => `${DRIFT_SOURCE_TITLES[s.source]}: ${s.drifted}/${s.tracked}`).join(', ')})`,
    objects: objectsOut,
    bySource,
    scores: scoresOf(compared),
    apps: apps.sort((a, b) => a.name.localeCompare(b.name)),
    notes: [...new Set(c.notes)],
  };
}

// ---------------------------------------------------------------- one object: diff and revert

function forReview(o: KObject | undefined): KObject | undefined {
  if (!o) return o;
  const x = structuredClone(o) as KObject & { status?: unknown };
  delete x.status;
  for (const k of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'] as const)
    delete (x.metadata as JMap)[k];
  const ann = x.metadata.annotations;
  if (ann) {
    delete ann[LAST_APPLIED];
    if (!Object.keys(ann).length) delete x.metadata.annotations;
  }
  return x;
}

/** The tracked object of a source for one live object, found with the same rules the scan uses. */
async function trackedOne(
  deps: ApiDeps,
  context: string | undefined,
  kind: string,
  namespace: string | undefined,
  name: string,
  source: DriftSource,
): Promise<{ c: Ctx; x: Compared }> {
  const { c, compared } = await scan(deps, context, namespace);
  const x = compared.find(
    (y) =>
      y.t.source === source &&
      y.t.kind === kind &&
      y.t.live.metadata.name === name &&
      (y.t.live.metadata.namespace ?? '') === (namespace ?? ''),
  );
  if (!x)
    throw notFound(
      `${kind} ${namespace ? `${namespace}/` : ''}${name} is not tracked by ${DRIFT_SOURCE_TITLES[source]}`,
    );
  return { c, x };
}

/** GET /api/drift/diff: the declared manifest, the live object, and live → reverted as a unified diff. */
export async function driftDiff(
  deps: ApiDeps,
  p: { context?: string; kind: string; namespace?: string; name: string; source: DriftSource },
): Promise<DriftDiff> {
  const { c, x } = await trackedOne(deps, p.context, p.kind, p.namespace, p.name, p.source);
  const mf = await managedFieldsOf(c, x.t);
  const live = mf.live ?? x.t.live;
  const label = `${p.kind}/${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
  const secret = p.kind === 'Secret';
  const y = (o: KObject | undefined) =>
    o ? toYaml(secret ? { ...forReview(o), data: SECRET_MASK } : forReview(o)) : '';
  const drift = x.t.desired ? compareObjects(x.t.desired, live, { extras: x.t.kind !== 'Pod' }) : [];
  const liveYaml = y(live);
  const after = y(reverted(live, drift));
  return {
    kind: p.kind,
    ...(p.namespace ? { namespace: p.namespace } : {}),
    name: p.name,
    source: p.source,
    owner: x.t.owner,
    desired: y(x.t.desired),
    live: liveYaml,
    diff:
      liveYaml === after
        ? ''
        : createTwoFilesPatch(`${label} (live)`, `${label} (${DRIFT_SOURCE_TITLES[p.source]})`, liveYaml, after),
    fields: attribute(drift, mf.entries, live).map((f) => masked(p.kind, f)),
  };
}

function severityOf(drift: RawDrift[]): FindingSeverity {
  const paths = drift.map((d) => pathText(d.segs));
  if (
    paths.some((p) =>
      /containers\[.*\]\.(image|securityContext|command|args)|securityContext|hostNetwork|hostPID|privileged/.test(p),
    )
  )
    return 'high';
  if (paths.every((p) => p.startsWith('metadata.'))) return 'low';
  return 'medium';
}

function titleOf(x: Compared): string {
  if (!x.drift.length) return x.t.note ? `Out of sync with Git: ${x.t.note}` : 'Out of sync with Git';
  const names = x.drift.map((d) =>
    pathText(d.segs)
      .replace(/^spec\.template\.spec\./, '')
      .replace(/^spec\./, ''),
  );
  const shown = names.slice(0, 3).join(', ');
  const more = names.length > 3 ? ` and ${names.length - 3} more` : '';
  const src =
    x.t.source === 'lastApplied' ? 'the applied state' : x.t.source === 'helmManifest' ? 'its Helm release' : 'Git';
  return `Differs from ${src}: ${shown}${more}`;
}

function findingOf(x: Compared): Finding {
  const target = targetOf(x.t);
  return {
    id: findingId('drift', CHECK[x.t.source], target),
    source: 'drift',
    check: CHECK[x.t.source],
    family: DRIFT_SOURCE_TITLES[x.t.source],
    severity: x.drift.length ? severityOf(x.drift) : 'medium',
    target,
    title: titleOf(x),
    why: WHY[x.t.source],
    ...(x.drift.length ? { fix: { description: REVERT[x.t.source], type: 'patch' as const } } : {}),
  };
}

/** Tracked objects per namespace at the last scan of every namespace (scores get findings only). */
const lastTracked = new Map<string, number>();

export const driftInsights: InsightAnalysis = {
  source: 'drift',
  async findings(deps, context, namespace) {
    const { compared } = await scan(deps, context, namespace);
    if (!namespace) {
      lastTracked.clear();
      for (const x of compared) {
        const ns = x.t.live.metadata.namespace ?? '';
        lastTracked.set(ns, (lastTracked.get(ns) ?? 0) + 1);
      }
    }
    return compared.filter(drifted).map(findingOf);
  },
  scores(findings, namespaces) {
    // The share of tracked objects in sync needs the tracked count, which findings alone do not carry: the last scan's
    // counts are kept per namespace, and findings decide what drifted.
    const bad = new Map<string, number>();
    for (const f of findings) bad.set(f.target.namespace ?? '', (bad.get(f.target.namespace ?? '') ?? 0) + 1);
    const out: Scores = { cluster: 100, namespaces: {} };
    let tracked = 0;
    let drift = 0;
    for (const ns of namespaces) {
      const t = Math.max(lastTracked.get(ns) ?? 0, bad.get(ns) ?? 0);
      const d = bad.get(ns) ?? 0;
      tracked += t;
      drift += d;
      out.namespaces[ns] = t ? Math.round((100 * (t - d)) / t) : 100;
    }
    out.cluster = tracked ? Math.round((100 * (tracked - drift)) / tracked) : 100;
    return out;
  },
  async fixObject(finding, live, deps, context) {
    const source = (Object.keys(CHECK) as DriftSource[]).find((s) => CHECK[s] === finding.check);
    if (!source) throw new KubeError('invalid', `not a drift check: ${finding.check}`);
    const { x } = await trackedOne(
      deps,
      context,
      finding.target.kind,
      finding.target.namespace,
      finding.target.name,
      source,
    );
    if (!x.t.desired)
      throw new KubeError(
        'invalid',
        `the declared state of ${finding.target.name} could not be read: ${x.t.note ?? ''}`,
      );
    const drift = compareObjects(x.t.desired, live, { extras: x.t.kind !== 'Pod' });
    if (!drift.length)
      throw new KubeError('invalid', `${finding.target.name} no longer differs from its declared state`);
    const out = reverted(live, drift);
    delete out.metadata.managedFields;
    return out;
  },
};
