// The incremental core of detection: each source object's findings are recomputed when it changes, and incidents are
// the union of findings sharing a key (a workload's pods share one incident). No I/O here, so it runs in benchmarks.
import type { KObject } from '../kube/descriptors';
import type { ObjectRef, Severity } from '../../shared/incidents';
import { NONE, RULES, type ClusterView, type Finding, type RuleOptions, type WatchedKind } from './rules';

export class LiveIncident {
  /** Findings by the source object that produced them. */
  readonly sources = new Map<string, Finding>();
  /** Count of (re)openings, new affected objects and new restarts: how often the problem was seen again. */
  occurrences = 1;
  open = true;
  resolvedAt?: number;
  lastSeen: number;
  private idCache?: string;

  constructor(
    readonly context: string,
    readonly key: string,
    readonly firstSeen: number,
  ) {
    this.lastSeen = firstSeen;
  }

  /** Stable across restarts and relists; hashed when first asked for (a full scan of a big cluster never needs it). */
  get id(): string {
    return (this.idCache ??= incidentId(this.context, this.key));
  }
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

// Joined in one step: a flat string, cheaper to build and hash than a chain of concatenations.
export const findingKey = (f: Finding): string =>
  [f.type, f.subject.kind, f.subject.namespace ?? '', f.subject.name, f.container ?? ''].join('|');
export const sourceKey = (kind: string, namespace: string | undefined, name: string): string =>
  [kind, namespace ?? '', name].join('/');
/** Stable across restarts and clusters' relists: the finding's key (which starts with its type) hashed with its context. */
export const incidentId = (context: string, key: string): string =>
  `inc-${key.slice(0, key.indexOf('|'))}-${hash(`${context}|${key}`)}`;

/** What one object with findings holds in the detector. */
interface Source {
  kind: WatchedKind;
  namespace?: string;
  name: string;
  uid?: string;
  /** Keys of the findings it contributes to incidents now. */
  keys: readonly string[];
  /** When each held finding (by key) was first seen, to promote it after its hold time. */
  held?: Map<string, number>;
  /** Its findings depend on time (stability windows, holds): sweep() re-checks it. */
  timed: boolean;
  /** The relist that last saw it with findings. */
  generation: number;
}

const NO_KEYS: readonly string[] = Object.freeze([]);

/** The rule of a kind, for objects the caches hold under that kind (where a KObject takes its kind's type). */
const ruleOf = (kind: WatchedKind) =>
  RULES[kind] as ((o: KObject, view: ClusterView, opts: RuleOptions) => readonly Finding[]) | undefined;

export class Detector {
  readonly incidents = new Map<string, LiveIncident>();
  /** Objects that have findings (contributed or held), by source key. */
  private readonly sources = new Map<string, Source>();
  /** Their uids: lets the healthy path of a watch event skip building a key string. */
  private readonly failingUids = new Set<string>();
  private changes: DetectorChange[] = [];
  /** Counts relists; set while one runs. */
  private generation = 0;
  private relisting = false;

  constructor(
    readonly context: string,
    readonly view: ClusterView,
    readonly opts: RuleOptions,
  ) {}

  /** Findings of one object now (rules only, nothing applied). */
  findings(kind: WatchedKind, o: KObject): readonly Finding[] {
    const rule = ruleOf(kind);
    return rule ? rule(o, this.view, this.opts) : NONE;
  }

  /** Re-evaluates one object: its findings replace what it contributed before. */
  evaluate(kind: WatchedKind, o: KObject): void {
    const rule = ruleOf(kind);
    if (!rule) return;
    const found = rule(o, this.view, this.opts);
    const uid = o.metadata.uid;
    if (found.length === 0) {
      // A relist lets go of the sources it did not see with findings at its end, so a healthy object costs no lookup.
      if (this.relisting) return;
      // The common case at scale: healthy and never failing. Watches deliver deletes before re-creations, so a uid
      // not in the set means this object holds nothing.
      if (uid !== undefined && !this.failingUids.has(uid)) return;
      const sk = sourceKey(kind, o.metadata.namespace, o.metadata.name);
      const s = this.sources.get(sk);
      if (s) this.apply(sk, s, NONE);
      return;
    }
    const sk = sourceKey(kind, o.metadata.namespace, o.metadata.name);
    let s = this.sources.get(sk);
    if (!s)
      this.sources.set(
        sk,
        (s = {
          kind,
          namespace: o.metadata.namespace,
          name: o.metadata.name,
          keys: NO_KEYS,
          timed: false,
          generation: 0,
        }),
      );
    if (s.uid !== uid) {
      if (s.uid !== undefined) this.failingUids.delete(s.uid);
      if (uid !== undefined) this.failingUids.add(uid);
      s.uid = uid;
    }
    s.generation = this.generation;
    this.apply(sk, s, found);
  }

  remove(kind: WatchedKind, namespace: string | undefined, name: string): void {
    const sk = sourceKey(kind, namespace, name);
    const s = this.sources.get(sk);
    if (s) this.apply(sk, s, NONE);
  }

  /** A kind was relisted: objects not in `objects` are gone; every listed one is re-evaluated. */
  reset(kind: WatchedKind, objects: Iterable<KObject>): void {
    const generation = ++this.generation;
    this.relisting = true;
    try {
      for (const o of objects) this.evaluate(kind, o);
    } finally {
      this.relisting = false;
    }
    // Sources of this kind the relist did not see with findings recovered or are gone.
    for (const [sk, s] of this.sources) if (s.kind === kind && s.generation !== generation) this.apply(sk, s, NONE);
  }

  /** Sources (by kind) that currently contribute findings of a type, e.g. pods with missing references. */
  sourcesWith(kind: WatchedKind, type: string, namespace?: string): Array<{ namespace?: string; name: string }> {
    const out: Array<{ namespace?: string; name: string }> = [];
    const prefix = `${type}|`;
    for (const s of this.sources.values()) {
      if (
        s.kind !== kind ||
        (namespace !== undefined && (s.namespace ?? '') !== namespace) ||
        !s.keys.some((k) => k.startsWith(prefix))
      )
        continue;
      out.push({ namespace: s.namespace, name: s.name });
    }
    return out;
  }

  /** How many sources sweep() re-checks. */
  timedCount(): number {
    let n = 0;
    for (const s of this.sources.values()) if (s.timed) n++;
    return n;
  }

  private apply(sk: string, s: Source, found: readonly Finding[]): void {
    const now = this.view.now();
    const prev = s.keys;
    let next = NO_KEYS as string[];
    let timed = false;
    for (const f of found) {
      if (f.timed) timed = true;
      const key = findingKey(f);
      if (f.holdMs) {
        const held = (s.held ??= new Map());
        const since = held.get(key) ?? now;
        if (since === now) held.set(key, now);
        const inc = this.incidents.get(key);
        if (now - since < f.holdMs && !(inc?.open && inc.sources.has(sk))) {
          timed = true;
          continue;
        }
      }
      if (next === NO_KEYS) next = [];
      next.push(key);
      this.upsert(key, sk, f, now);
    }
    for (const key of prev) if (!next.includes(key)) this.detach(key, sk, now);
    // Held findings that disappeared start their hold again next time.
    if (s.held) {
      for (const key of s.held.keys()) if (!found.some((f) => findingKey(f) === key)) s.held.delete(key);
      if (!s.held.size) s.held = undefined;
    }
    s.keys = next;
    s.timed = timed;
    if (!found.length) {
      this.sources.delete(sk);
      if (s.uid !== undefined) this.failingUids.delete(s.uid);
    }
  }

  private upsert(key: string, sk: string, f: Finding, now: number): void {
    let inc = this.incidents.get(key);
    if (!inc) {
      inc = new LiveIncident(this.context, key, now);
      inc.sources.set(sk, f);
      this.incidents.set(key, inc);
      this.changes.push({ incident: inc, what: 'opened' });
      return;
    }
    // The source's previous finding carries its restart count: a new crash counts as an occurrence.
    const before = inc.sources.get(sk);
    inc.sources.set(sk, f);
    inc.lastSeen = now;
    if (!inc.open) {
      inc.open = true;
      inc.resolvedAt = undefined;
      inc.occurrences++;
      this.changes.push({ incident: inc, what: 'reopened' });
      return;
    }
    const restarts = f.evidence.restartCount ?? 0;
    const prevRestarts = before?.evidence.restartCount ?? 0;
    if (!before) inc.occurrences++;
    else if (restarts > prevRestarts) inc.occurrences += restarts - prevRestarts;
    if (
      !before ||
      before.rootCause !== f.rootCause ||
      before.severity !== f.severity ||
      before.evidence.restartCount !== f.evidence.restartCount ||
      before.evidence.reason !== f.evidence.reason
    ) {
      this.changes.push({ incident: inc, what: 'updated' });
    }
  }

  private detach(key: string, sk: string, now: number): void {
    const inc = this.incidents.get(key);
    if (!inc) return;
    inc.sources.delete(sk);
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
      if (!prev || c.what !== 'updated' || prev.what === 'updated')
        out.set(c.incident.key, prev && c.what === 'updated' ? prev : c);
    }
    this.changes = [];
    return [...out.values()];
  }

  /** Re-evaluates time-dependent sources (stability windows, holds) with fresh objects from the view. */
  sweep(): void {
    for (const s of [...this.sources.values()]) {
      if (!s.timed) continue;
      const o = this.view.get(s.kind, s.namespace, s.name);
      if (o) this.evaluate(s.kind, o);
      else this.remove(s.kind, s.namespace, s.name);
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
