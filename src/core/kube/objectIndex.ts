// In-memory objects of one kind in one scope, with secondary indexes so common questions are lookups, not scans.
import type { KObject } from './descriptors';

export type LabelSelector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
};

const EMPTY: ReadonlySet<string> = new Set();

function addTo(m: Map<string, Set<string>>, k: string, key: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(key);
}

function removeFrom(m: Map<string, Set<string>>, k: string, key: string): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(key);
  if (s.size === 0) m.delete(k);
}

export const objectKey = (namespace: string | undefined, name: string): string =>
  namespace ? `${namespace}/${name}` : name;

/** Does a label set match a selector (matchLabels AND matchExpressions)? */
export function matchesSelector(labels: Record<string, string> | undefined, sel: LabelSelector): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !(e.values ?? []).includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && (e.values ?? []).includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Objects by key (`ns/name`), plus indexes by namespace, owner uid, node (`spec.nodeName`), label pair,
 * uid, and — for events — the involved object's uid.
 */
export class ObjectIndex {
  private readonly objects = new Map<string, KObject>();
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly byNode = new Map<string, Set<string>>();
  private readonly byLabel = new Map<string, Set<string>>();
  private readonly byInvolved = new Map<string, Set<string>>();
  private readonly byUid = new Map<string, string>();

  get size(): number {
    return this.objects.size;
  }

  get(namespace: string | undefined, name: string): KObject | undefined {
    return this.objects.get(objectKey(namespace, name));
  }

  getByKey(key: string): KObject | undefined {
    return this.objects.get(key);
  }

  getByUid(uid: string): KObject | undefined {
    const k = this.byUid.get(uid);
    return k === undefined ? undefined : this.objects.get(k);
  }

  values(): IterableIterator<KObject> {
    return this.objects.values();
  }

  keys(): IterableIterator<string> {
    return this.objects.keys();
  }

  /** Inserts or replaces; returns the previous object if there was one. */
  upsert(o: KObject): KObject | undefined {
    const key = objectKey(o.metadata.namespace, o.metadata.name);
    const prev = this.objects.get(key);
    this.objects.set(key, o);
    if (prev) this.reindex(key, prev, o);
    else this.index(key, o);
    return prev;
  }

  /** Most updates change status only: touch just the index entries whose source fields changed. */
  private reindex(key: string, prev: KObject, o: KObject): void {
    const pm = prev.metadata;
    const m = o.metadata;
    if (pm.uid !== m.uid) {
      if (pm.uid && this.byUid.get(pm.uid) === key) this.byUid.delete(pm.uid);
      if (m.uid) this.byUid.set(m.uid, key);
    }
    const po = pm.ownerReferences;
    const no = m.ownerReferences;
    if (po !== no && JSON.stringify(po) !== JSON.stringify(no)) {
      if (po) for (const r of po) removeFrom(this.byOwner, r.uid, key);
      if (no) for (const r of no) addTo(this.byOwner, r.uid, key);
    }
    const pn = prev.spec?.nodeName;
    const nn = o.spec?.nodeName;
    if (pn !== nn) {
      if (typeof pn === 'string' && pn) removeFrom(this.byNode, pn, key);
      if (typeof nn === 'string' && nn) addTo(this.byNode, nn, key);
    }
    const pl = pm.labels;
    const nl = m.labels;
    if (pl) for (const k in pl) if (!nl || nl[k] !== pl[k]) removeFrom(this.byLabel, `${k}=${pl[k]}`, key);
    if (nl) for (const k in nl) if (!pl || pl[k] !== nl[k]) addTo(this.byLabel, `${k}=${nl[k]}`, key);
    const pi =
      (prev.involvedObject as { uid?: string } | undefined)?.uid ??
      (prev.regarding as { uid?: string } | undefined)?.uid;
    const ni =
      (o.involvedObject as { uid?: string } | undefined)?.uid ?? (o.regarding as { uid?: string } | undefined)?.uid;
    if (pi !== ni) {
      if (pi) removeFrom(this.byInvolved, pi, key);
      if (ni) addTo(this.byInvolved, ni, key);
    }
  }

  remove(namespace: string | undefined, name: string): KObject | undefined {
    const key = objectKey(namespace, name);
    const prev = this.objects.get(key);
    if (!prev) return undefined;
    this.objects.delete(key);
    this.unindex(key, prev);
    return prev;
  }

  clear(): void {
    this.objects.clear();
    this.byNamespace.clear();
    this.byOwner.clear();
    this.byNode.clear();
    this.byLabel.clear();
    this.byInvolved.clear();
    this.byUid.clear();
  }

  private index(key: string, o: KObject): void {
    const m = o.metadata;
    if (m.namespace) addTo(this.byNamespace, m.namespace, key);
    if (m.uid) this.byUid.set(m.uid, key);
    const owners = m.ownerReferences;
    if (owners) for (const r of owners) addTo(this.byOwner, r.uid, key);
    const node = o.spec?.nodeName;
    if (typeof node === 'string' && node) addTo(this.byNode, node, key);
    const labels = m.labels;
    if (labels) for (const k in labels) addTo(this.byLabel, `${k}=${labels[k]}`, key);
    const inv =
      (o.involvedObject as { uid?: string } | undefined)?.uid ?? (o.regarding as { uid?: string } | undefined)?.uid;
    if (inv) addTo(this.byInvolved, inv, key);
  }

  private unindex(key: string, prev: KObject): void {
    const m = prev.metadata;
    if (m.namespace) removeFrom(this.byNamespace, m.namespace, key);
    if (m.uid && this.byUid.get(m.uid) === key) this.byUid.delete(m.uid);
    const owners = m.ownerReferences;
    if (owners) for (const r of owners) removeFrom(this.byOwner, r.uid, key);
    const node = prev.spec?.nodeName;
    if (typeof node === 'string' && node) removeFrom(this.byNode, node, key);
    const labels = m.labels;
    if (labels) for (const k in labels) removeFrom(this.byLabel, `${k}=${labels[k]}`, key);
    const inv =
      (prev.involvedObject as { uid?: string } | undefined)?.uid ??
      (prev.regarding as { uid?: string } | undefined)?.uid;
    if (inv) removeFrom(this.byInvolved, inv, key);
  }

  private resolve(keys: ReadonlySet<string> | undefined): KObject[] {
    const out: KObject[] = [];
    if (!keys) return out;
    for (const k of keys) {
      const o = this.objects.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  inNamespace(ns: string): KObject[] {
    return this.resolve(this.byNamespace.get(ns));
  }

  namespaces(): string[] {
    return [...this.byNamespace.keys()];
  }

  ownedBy(uid: string): KObject[] {
    return this.resolve(this.byOwner.get(uid));
  }

  onNode(node: string): KObject[] {
    return this.resolve(this.byNode.get(node));
  }

  /** Events whose involvedObject (or `regarding`) has this uid. */
  involving(uid: string): KObject[] {
    return this.resolve(this.byInvolved.get(uid));
  }

  /** Objects matching a selector, optionally within a namespace. Starts from the smallest label set. */
  matching(sel: LabelSelector, namespace?: string): KObject[] {
    const pairs = Object.entries(sel.matchLabels ?? {});
    let candidates: ReadonlySet<string> | undefined;
    for (const [k, v] of pairs) {
      const s = this.byLabel.get(`${k}=${v}`) ?? EMPTY;
      if (!candidates || s.size < candidates.size) candidates = s;
    }
    if (!candidates) candidates = namespace ? (this.byNamespace.get(namespace) ?? EMPTY) : new Set(this.objects.keys());
    const out: KObject[] = [];
    for (const k of candidates) {
      const o = this.objects.get(k);
      if (!o) continue;
      if (namespace && o.metadata.namespace !== namespace) continue;
      if (matchesSelector(o.metadata.labels, sel)) out.push(o);
    }
    return out;
  }
}
