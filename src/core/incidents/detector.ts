// The incremental core of detection: each source object's findings are recomputed when it changes, and incidents are
// the union of findings sharing a key (a workload's pods share one incident). No I/O here, so it runs in benchmarks.
import type { KObject } from '../kube/descriptors';
import type { ObjectRef, Severity } from '../../shared/incidents';
import { NONE, RULES, type ClusterView, type Finding, type RuleOptions, type WatchedKind } from './rules';

export interface LiveIncident {
  key: string;
  id: string;
  /** Findings by the source object that produced them. */
  sources: Map<string, Finding>;
  firstSeen: number;
  lastSeen: number;
  /** Count of (re)openings, new affected objects and new restarts: how often the problem was seen again. */
  occurrences: number;
  open: boolean;
  resolvedAt?: number;
  /** Restart counts per source, to count a new crash as an occurrence. */
  restarts: Map<string, number>;
}

export type DetectorChange = { incident: LiveIncident; what: 'opened' | 'reopened' | 'updated' | 'resolved' };

const SEV: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
export const maxSeverity = (a: Severity, b: Severity): Severity => (SEV[a] >= SEV[b] ? a : b);

/** FNV-1a, hex: a short stable hash for ids. */
export function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  let h2 = 0x01000193;
  for (let i = s.length - 1; i >= 0; i--) h2 = Math.imul(h2 ^ s.charCodeAt(i), 0x811c9dc5);
  return (h >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

export const findingKey = (f: Finding): string => `${f.type}|${f.subject.kind}|${f.subject.namespace ?? ''}|${f.subject.name}|${f.container ?? ''}`;
export const sourceKey = (kind: string, namespace: string | undefined, name: string): string => `${kind}/${namespace ?? ''}/${name}`;
/** Stable across restarts and clusters' relists: the finding's key hashed with its context. */
export const incidentId = (context: string, f: Finding, key = findingKey(f)): string => `inc-${f.type}-${hash(`${context}|${key}`)}`;

export class Detector {
  readonly incidents = new Map<string, LiveIncident>();
  /** Keys of the findings each source currently contributes. */
  private readonly bySource = new Map<string, string[]>();
  /** Per source, when each held finding (by key) was first seen, to promote it after its hold time. */
  private readonly heldSince = new Map<string, Map<string, number>>();
  /** Sources whose findings depend on time: re-checked by sweep(). */
  readonly timed = new Map<string, { kind: WatchedKind; namespace?: string; name: string }>();
  private changes: DetectorChange[] = [];
  /** Uids of objects that contribute findings: lets the healthy path skip building a key string. */
  private readonly failingUids = new Set<string>();
  private readonly uidOf = new Map<string, string>();
  /** During reset(): the sources evaluated with findings before or after, so the rest can be dropped. */
  private touched?: Set<string>;

  constructor(
    readonly context: string,
    readonly view: ClusterView,
    readonly opts: RuleOptions,
  ) {}

  /** Findings of one object now (rules only, nothing applied). */
  findings(kind: WatchedKind, o: KObject): readonly Finding[] {
    const rule = RULES[kind];
    return rule ? rule(o, this.view, this.opts) : NONE;
  }

  /** Re-evaluates one object: its findings replace what it contributed before. */
  evaluate(kind: WatchedKind, o: KObject): void {
    const rule = RULES[kind];
    if (!rule) return;
    const found = rule(o, this.view, this.opts);
    const uid = o.metadata.uid;
    // The common case at scale: healthy and never failing. Watches deliver deletes before re-creations, so a uid
    // not in the set means this object contributes nothing.
    if (found.length === 0 && uid !== undefined && !this.failingUids.has(uid)) return;
    const sk = sourceKey(kind, o.metadata.namespace, o.metadata.name);
    if (found.length === 0 && !this.bySource.has(sk)) {
      if (this.timed.size && this.timed.has(sk)) this.timed.delete(sk);
      return;
    }
    this.touched?.add(sk);
    if (uid !== undefined && found.length) {
      this.failingUids.add(uid);
      this.uidOf.set(sk, uid);
    }
    this.apply(sk, kind, o, found);
  }

  remove(kind: WatchedKind, namespace: string | undefined, name: string): void {
    const sk = sourceKey(kind, namespace, name);
    this.timed.delete(sk);
    if (this.bySource.has(sk)) this.apply(sk, kind, undefined, NONE);
  }

  /** A kind was relisted: objects not in `objects` are gone; every listed one is re-evaluated. */
  reset(kind: WatchedKind, objects: Iterable<KObject>): void {
    const prefix = `${kind}/`;
    const prior: string[] = [];
    for (const sk of this.bySource.keys()) if (sk.startsWith(prefix)) prior.push(sk);
    this.touched = new Set();
    try {
      for (const o of objects) this.evaluate(kind, o);
      // Sources that had findings and were not evaluated again are gone from the list.
      for (const sk of prior) {
        if (this.touched.has(sk)) continue;
        this.timed.delete(sk);
        this.apply(sk, kind, undefined, NONE);
      }
    } finally {
      this.touched = undefined;
    }
  }

  /** Sources (by kind) that currently contribute findings of a type, e.g. pods with missing references. */
  sourcesWith(kind: WatchedKind, type: string, namespace?: string): Array<{ namespace?: string; name: string }> {
    const out: Array<{ namespace?: string; name: string }> = [];
    for (const [sk, keys] of this.bySource) {
      if (!sk.startsWith(`${kind}/`) || !keys.some((k) => k.startsWith(`${type}|`))) continue;
      const [, ns, ...rest] = sk.split('/');
      if (namespace !== undefined && ns !== namespace) continue;
      out.push({ namespace: ns || undefined, name: rest.join('/') });
    }
    return out;
  }

  private apply(sk: string, kind: WatchedKind, o: KObject | undefined, found: readonly Finding[]): void {
    const now = this.view.now();
    const prev = this.bySource.get(sk) ?? [];
    const next: string[] = [];
    let timed = false;
    for (const f of found) {
      if (f.timed) timed = true;
      const key = findingKey(f);
      if (f.holdMs) {
        let held = this.heldSince.get(sk);
        if (!held) this.heldSince.set(sk, (held = new Map()));
        const since = held.get(key) ?? now;
        held.set(key, since);
        const inc = this.incidents.get(key);
        if (now - since < f.holdMs && !(inc?.open && inc.sources.has(sk))) {
          timed = true;
          continue;
        }
      }
      next.push(key);
      this.upsert(key, sk, f, now);
    }
    for (const key of prev) {
      if (next.includes(key)) continue;
      this.detach(key, sk, now);
    }
    // Held findings that disappeared start their hold again next time.
    const held = this.heldSince.get(sk);
    if (held) {
      for (const key of held.keys()) if (!found.some((f) => findingKey(f) === key)) held.delete(key);
      if (!held.size) this.heldSince.delete(sk);
    }
    if (next.length) this.bySource.set(sk, next);
    else this.bySource.delete(sk);
    if (!found.length) {
      const uid = this.uidOf.get(sk);
      if (uid !== undefined) {
        this.failingUids.delete(uid);
        this.uidOf.delete(sk);
      }
    }
    if (timed && o) this.timed.set(sk, { kind, namespace: o.metadata.namespace, name: o.metadata.name });
    else this.timed.delete(sk);
  }

  private upsert(key: string, sk: string, f: Finding, now: number): void {
    let inc = this.incidents.get(key);
    const restarts = f.evidence.restartCount ?? 0;
    if (!inc) {
      inc = { key, id: incidentId(this.context, f, key), sources: new Map(), firstSeen: now, lastSeen: now, occurrences: 1, open: true, restarts: new Map() };
      inc.sources.set(sk, f);
      inc.restarts.set(sk, restarts);
      this.incidents.set(key, inc);
      this.changes.push({ incident: inc, what: 'opened' });
      return;
    }
    const before = inc.sources.get(sk);
    inc.sources.set(sk, f);
    inc.lastSeen = now;
    if (!inc.open) {
      inc.open = true;
      inc.resolvedAt = undefined;
      inc.occurrences++;
      inc.restarts.set(sk, restarts);
      this.changes.push({ incident: inc, what: 'reopened' });
      return;
    }
    const prevRestarts = inc.restarts.get(sk);
    if (!before) inc.occurrences++;
    else if (prevRestarts !== undefined && restarts > prevRestarts) inc.occurrences += restarts - prevRestarts;
    inc.restarts.set(sk, restarts);
    if (!before || before.rootCause !== f.rootCause || before.severity !== f.severity || before.evidence.restartCount !== f.evidence.restartCount || before.evidence.reason !== f.evidence.reason) {
      this.changes.push({ incident: inc, what: 'updated' });
    }
  }

  private detach(key: string, sk: string, now: number): void {
    const inc = this.incidents.get(key);
    if (!inc) return;
    inc.sources.delete(sk);
    inc.restarts.delete(sk);
    if (inc.sources.size === 0 && inc.open) {
      inc.open = false;
      inc.resolvedAt = now;
      this.changes.push({ incident: inc, what: 'resolved' });
    } else if (inc.open) this.changes.push({ incident: inc, what: 'updated' });
  }

  /** Changes since the last call, each incident once with its latest state. */
  drain(): DetectorChange[] {
    if (!this.changes.length) return [];
    const out = new Map<string, DetectorChange>();
    for (const c of this.changes) {
      const prev = out.get(c.incident.key);
      // opened/reopened/resolved matter more than updated; keep the last transition.
      if (!prev || c.what !== 'updated' || prev.what === 'updated') out.set(c.incident.key, prev && c.what === 'updated' ? prev : c);
    }
    this.changes = [];
    return [...out.values()];
  }

  /** Re-evaluates time-dependent sources (stability windows, holds) with fresh objects from the view. */
  sweep(): void {
    for (const [sk, t] of [...this.timed]) {
      const o = this.view.get(t.kind, t.namespace, t.name);
      if (o) this.evaluate(t.kind, o);
      else this.remove(t.kind, t.namespace, t.name);
      void sk;
    }
  }

  /** Forgets an incident's resolved state (used when history was trimmed). */
  forget(key: string): void {
    const inc = this.incidents.get(key);
    if (inc && !inc.open) this.incidents.delete(key);
  }

  openIncidents(): LiveIncident[] {
    return [...this.incidents.values()].filter((i) => i.open);
  }

  static subjectOf(inc: LiveIncident): ObjectRef {
    return inc.sources.values().next().value?.subject ?? { kind: 'Unknown', name: inc.key };
  }
}
