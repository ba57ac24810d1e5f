// The simulator's object store: one global revision, per-type tables with sorted keys for cheap paging,
// a bounded event log for watches from a resourceVersion, an owner index for garbage collection
// (the collector itself is a controller: src/sim/controllers/gc.ts).
import { randomUUID } from 'node:crypto';
import type { TypeRegistry, ResourceType } from './kinds';
import { typeKey, apiVersionOf } from './kinds';
import { alreadyExists, conflict, expired, invalid, notFound } from './status';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
  finalizers?: string[];
  generateName?: string;
  [k: string]: unknown;
}

export interface KObj {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // Resource bodies are open-ended JSON; each reader narrows what it needs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [k: string]: any;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface StoreEvent {
  type: EventType;
  tk: string;
  object: KObj;
  rev: number;
}

export interface WatchFilter {
  namespace?: string;
  match?: (o: KObj) => boolean;
}

export const nowIso = (d = new Date()) => d.toISOString().replace(/\.\d+Z$/, 'Z');

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

interface Table {
  objs: Map<string, KObj>;
  sorted?: string[];
}

const objKey = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);

function sortedIndexOf(a: string[], k: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ListOptions {
  namespace?: string;
  match?: (o: KObj) => boolean;
  limit?: number;
  /** Resume after this key (from a continue token). */
  after?: string;
}

export interface ListResult {
  items: KObj[];
  rev: number;
  lastKey?: string;
  remaining?: number;
}

export class Store {
  rev = 1;
  /** Watches from a resourceVersion older than this get 410 Expired. */
  compactedRev = 1;
  private tables = new Map<string, Table>();
  private log: StoreEvent[] = [];
  private readonly logCapacity: number;
  private watchers = new Set<{ tk: string; filter: WatchFilter; cb: (e: StoreEvent) => void }>();
  private owners = new Map<string, Set<string>>(); // owner uid -> "tk|key"
  private uidIndex = new Map<string, string>(); // uid -> "tk|key"
  /** Hook for controllers: every committed change, after watchers. */
  private listeners = new Set<(e: StoreEvent) => void>();

  constructor(
    readonly types: TypeRegistry,
    opts: { logCapacity?: number } = {},
  ) {
    this.logCapacity = opts.logCapacity ?? 20000;
  }

  typeOf(tk: string): ResourceType | undefined {
    for (const rt of this.types.all()) if (typeKey(rt.group, rt.resource) === tk && !rt.virtual) return rt;
    return undefined;
  }

  private table(tk: string): Table {
    let t = this.tables.get(tk);
    if (!t) {
      t = { objs: new Map() };
      this.tables.set(tk, t);
    }
    return t;
  }

  get(tk: string, ns: string | undefined, name: string): KObj | undefined {
    return this.tables.get(tk)?.objs.get(objKey(ns, name));
  }

  getByUid(uid: string): { tk: string; object: KObj } | undefined {
    const ref = this.uidIndex.get(uid);
    if (!ref) return undefined;
    const [tk, key] = ref.split('|');
    const object = this.tables.get(tk)?.objs.get(key);
    return object ? { tk, object } : undefined;
  }

  count(tk: string): number {
    return this.tables.get(tk)?.objs.size ?? 0;
  }

  /** All objects of a type (optionally one namespace), in key order. */
  *iterate(tk: string, namespace?: string): IterableIterator<KObj> {
    const t = this.tables.get(tk);
    if (!t) return;
    const keys = this.sortedKeys(t);
    let i = namespace ? sortedIndexOf(keys, namespace + '/') : 0;
    for (; i < keys.length; i++) {
      if (namespace && !keys[i].startsWith(namespace + '/')) break;
      const o = t.objs.get(keys[i]);
      if (o) yield o;
    }
  }

  list(tk: string, opts: ListOptions = {}): ListResult {
    const t = this.tables.get(tk);
    const rev = this.rev;
    if (!t) return { items: [], rev };
    const keys = this.sortedKeys(t);
    const prefix = opts.namespace ? opts.namespace + '/' : '';
    let i =
      opts.after !== undefined ? sortedIndexOf(keys, opts.after + '\0') : prefix ? sortedIndexOf(keys, prefix) : 0;
    const items: KObj[] = [];
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    for (; i < keys.length; i++) {
      const k = keys[i];
      if (prefix && !k.startsWith(prefix)) break;
      const o = t.objs.get(k)!;
      if (opts.match && !opts.match(o)) continue;
      if (items.length === limit) {
        // Count what is left only cheaply: the rest of the key range is an upper bound, as the API server's estimate is.
        let end = keys.length;
        if (prefix) end = sortedIndexOf(keys, prefix.slice(0, -1) + '0');
        return {
          items,
          rev,
          lastKey: objKey(items[items.length - 1].metadata.namespace, items[items.length - 1].metadata.name),
          remaining: end - i,
        };
      }
      items.push(o);
    }
    return { items, rev };
  }

  private sortedKeys(t: Table): string[] {
    if (!t.sorted) t.sorted = [...t.objs.keys()].sort();
    return t.sorted;
  }

  private commit(tk: string, type: EventType, object: KObj, rev: number): void {
    const e: StoreEvent = { type, tk, object, rev };
    this.log.push(e);
    if (this.log.length > this.logCapacity) {
      const drop = this.log.length - this.logCapacity;
      this.compactedRev = this.log[drop - 1].rev;
      this.log.splice(0, drop);
    }
    for (const w of this.watchers) {
      if (w.tk !== tk) continue;
      if (w.filter.namespace && object.metadata.namespace !== w.filter.namespace) continue;
      w.cb(e);
    }
    for (const l of this.listeners) l(e);
  }

  onChange(l: (e: StoreEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private validateName(rt: ResourceType, obj: KObj): void {
    const name = obj.metadata?.name;
    if (!name)
      throw invalid(rt.kind, rt.group, '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ]);
    if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
      throw invalid(rt.kind, rt.group, name, [
        {
          field: 'metadata.name',
          message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        },
      ]);
    }
  }

  private unindexOwners(tk: string, key: string, o: KObj): void {
    for (const r of o.metadata.ownerReferences ?? []) {
      const s = this.owners.get(r.uid);
      s?.delete(`${tk}|${key}`);
      if (s?.size === 0) this.owners.delete(r.uid);
    }
  }

  private index(tk: string, key: string, o: KObj, prev?: KObj): void {
    if (prev) this.unindexOwners(tk, key, prev);
    for (const r of o.metadata.ownerReferences ?? []) {
      let s = this.owners.get(r.uid);
      if (!s) this.owners.set(r.uid, (s = new Set()));
      s.add(`${tk}|${key}`);
    }
    this.uidIndex.set(o.metadata.uid!, `${tk}|${key}`);
  }

  /** Objects whose ownerReferences name this uid. */
  dependents(uid: string): Array<{ tk: string; object: KObj }> {
    const out: Array<{ tk: string; object: KObj }> = [];
    for (const ref of this.owners.get(uid) ?? []) {
      const [tk, key] = ref.split('|');
      const object = this.tables.get(tk)?.objs.get(key);
      if (object) out.push({ tk, object });
    }
    return out;
  }

  create(rt: ResourceType, input: KObj, opts: { dryRun?: boolean } = {}): KObj {
    const tk = typeKey(rt.group, rt.resource);
    const obj: KObj = structuredClone(input);
    obj.apiVersion = apiVersionOf(rt);
    obj.kind = rt.kind;
    obj.metadata ??= { name: '' };
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randomSuffix();
    this.validateName(rt, obj);
    if (!rt.namespaced) delete obj.metadata.namespace;
    const key = objKey(obj.metadata.namespace, obj.metadata.name);
    const t = this.table(tk);
    if (t.objs.has(key)) throw alreadyExists(rt.resource, rt.group, obj.metadata.name);
    if (opts.dryRun)
      return {
        ...obj,
        metadata: { ...obj.metadata, uid: obj.metadata.uid ?? randomUUID(), creationTimestamp: nowIso() },
      };
    const rev = ++this.rev;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = nowIso();
    obj.metadata.resourceVersion = String(rev);
    if (hasSpec(obj)) obj.metadata.generation = 1;
    delete obj.metadata.deletionTimestamp;
    t.objs.set(key, obj);
    if (t.sorted) t.sorted.splice(sortedIndexOf(t.sorted, key), 0, key);
    this.index(tk, key, obj);
    this.commit(tk, 'ADDED', obj, rev);
    return obj;
  }

  /** Seeds many objects without watch events (scenario load). Objects must be complete. */
  bulkLoad(tk: string, objs: KObj[]): void {
    const t = this.table(tk);
    for (const o of objs) {
      o.metadata.uid ??= randomUUID();
      o.metadata.creationTimestamp ??= nowIso();
      o.metadata.resourceVersion = String(++this.rev);
      const key = objKey(o.metadata.namespace, o.metadata.name);
      t.objs.set(key, o);
      this.index(tk, key, o);
    }
    t.sorted = undefined;
    this.compactedRev = this.rev;
  }

  /**
   * Replaces an object. `expectRV` enforces optimistic concurrency (409 on mismatch).
   * Spec changes bump metadata.generation, as the API server does.
   */
  update(
    rt: ResourceType,
    input: KObj,
    opts: { dryRun?: boolean; expectRV?: string; subresource?: string; markDeleting?: boolean } = {},
  ): KObj {
    const tk = typeKey(rt.group, rt.resource);
    const ns = rt.namespaced ? input.metadata?.namespace : undefined;
    const name = input.metadata?.name;
    const prev = name ? this.get(tk, ns, name) : undefined;
    if (!prev) throw notFound(rt.resource, rt.group, name ?? '');
    if (opts.expectRV && opts.expectRV !== prev.metadata.resourceVersion) {
      throw conflict(
        rt.resource,
        rt.group,
        name!,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const obj: KObj = structuredClone(input);
    obj.apiVersion = apiVersionOf(rt);
    obj.kind = rt.kind;
    // Fields the server owns.
    obj.metadata.uid = prev.metadata.uid;
    obj.metadata.creationTimestamp = prev.metadata.creationTimestamp;
    obj.metadata.namespace = prev.metadata.namespace;
    if (!rt.namespaced) delete obj.metadata.namespace;
    // Only a DELETE (graceful deletion) may set deletionTimestamp, and nothing may clear it.
    if (prev.metadata.deletionTimestamp) {
      obj.metadata.deletionTimestamp = prev.metadata.deletionTimestamp;
      obj.metadata.deletionGracePeriodSeconds = prev.metadata.deletionGracePeriodSeconds;
    } else if (!opts.markDeleting) {
      delete obj.metadata.deletionTimestamp;
      delete obj.metadata.deletionGracePeriodSeconds;
    }
    if (opts.subresource === 'status') {
      // The status subresource changes status only.
      for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata') obj[k] = prev[k];
      for (const k of Object.keys(prev)) if (!(k in obj)) obj[k] = prev[k];
      obj.metadata = { ...prev.metadata };
    } else if (hasSubresource(rt, 'status') && 'status' in prev && !opts.markDeleting) {
      // Writes to the main resource leave status alone; a DELETE's own write may set it (a namespace's Terminating).
      obj.status = prev.status;
    }
    obj.metadata.generation = prev.metadata.generation;
    if (hasSpec(obj) && JSON.stringify(specOf(obj)) !== JSON.stringify(specOf(prev)))
      obj.metadata.generation = (prev.metadata.generation ?? 0) + 1;
    if (
      JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: '' } }) ===
      JSON.stringify({ ...prev, metadata: { ...prev.metadata, resourceVersion: '' } })
    ) {
      return prev; // no-op writes do not bump the revision
    }
    if (opts.dryRun) return obj;
    const rev = ++this.rev;
    obj.metadata.resourceVersion = String(rev);
    const key = objKey(obj.metadata.namespace, obj.metadata.name);
    this.table(tk).objs.set(key, obj);
    this.index(tk, key, obj, prev);
    if (prev.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length === 0) {
      this.commit(tk, 'MODIFIED', obj, rev);
      return this.remove(rt, obj.metadata.namespace, obj.metadata.name) ?? obj;
    }
    this.commit(tk, 'MODIFIED', obj, rev);
    return obj;
  }

  /**
   * Removes now (finalizers permitting). `finalizers` are added first (the garbage collector's
   * `foregroundDeletion` or `orphan`, from the delete's propagationPolicy), so the object then stays, marked
   * for deletion, until they are released. Returns the final object.
   */
  remove(
    rt: ResourceType,
    ns: string | undefined,
    name: string,
    opts: { dryRun?: boolean; finalizers?: string[] } = {},
  ): KObj | undefined {
    const tk = typeKey(rt.group, rt.resource);
    const key = objKey(rt.namespaced ? ns : undefined, name);
    const t = this.tables.get(tk);
    const prev = t?.objs.get(key);
    if (!t || !prev) throw notFound(rt.resource, rt.group, name);
    if (opts.dryRun) return prev;
    const finalizers = [...new Set([...(prev.metadata.finalizers ?? []), ...(opts.finalizers ?? [])])];
    if (finalizers.length > 0) {
      if (prev.metadata.deletionTimestamp && finalizers.length === (prev.metadata.finalizers ?? []).length) return prev;
      const o = structuredClone(prev);
      o.metadata.deletionTimestamp ??= nowIso();
      o.metadata.deletionGracePeriodSeconds ??= 0;
      o.metadata.finalizers = finalizers;
      const rev = ++this.rev;
      o.metadata.resourceVersion = String(rev);
      t.objs.set(key, o);
      this.commit(tk, 'MODIFIED', o, rev);
      return o;
    }
    t.objs.delete(key);
    if (t.sorted) {
      const i = sortedIndexOf(t.sorted, key);
      if (t.sorted[i] === key) t.sorted.splice(i, 1);
    }
    this.unindexOwners(tk, key, prev);
    this.uidIndex.delete(prev.metadata.uid!);
    const rev = ++this.rev;
    const gone = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(rev) } };
    // Dependents stay indexed under the gone owner's uid until the garbage collector has dealt with them.
    this.commit(tk, 'DELETED', gone, rev);
    return gone;
  }

  /**
   * Subscribes to changes of one type. `fromRev` undefined: live only. A number: replay logged events after it
   * first (410 if it is older than the log holds).
   */
  watch(tk: string, filter: WatchFilter, fromRev: number | undefined, cb: (e: StoreEvent) => void): () => void {
    if (fromRev !== undefined) {
      if (fromRev < this.compactedRev) throw expired(`too old resource version: ${fromRev} (${this.compactedRev})`);
      let i = this.log.length;
      while (i > 0 && this.log[i - 1].rev > fromRev) i--;
      for (; i < this.log.length; i++) {
        const e = this.log[i];
        if (e.tk === tk && (!filter.namespace || e.object.metadata.namespace === filter.namespace)) cb(e);
      }
    }
    const w = { tk, filter, cb };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  /** Fault injection: every resourceVersion seen so far becomes too old. */
  expireAll(): void {
    this.compactedRev = ++this.rev;
    this.log = [];
  }
}

function hasSpec(o: KObj): boolean {
  return specOf(o) !== undefined;
}

/** The part whose changes bump generation: spec, or the whole body for spec-less kinds like ConfigMap. */
function specOf(o: KObj): unknown {
  if ('spec' in o) return o.spec;
  if (o.kind === 'CustomResourceDefinition') return o.spec;
  return undefined;
}

function hasSubresource(rt: ResourceType, name: string): boolean {
  return (rt.subresources ?? []).some((s) => s.name === name);
}

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[Math.floor(Math.random() * ALNUM.length)];
  return s;
}
