// Verified fixes: after a fix is applied, its target is watched until the verdict. The verdict is a pure function of
// what the detector sees (judge); Verifications keeps the pending ones, builds observations from a context's watch
// cache and hands each verdict to the engine, which reports it (incident, execution, notification, learning, policy).
import type { EvidenceEvent, FixVerification, Incident, ObjectRef, RecommendedFix } from '../../shared/incidents';
import type { KubeGrafStore } from '../store/store';
import type { LiveIncident } from './detector';
import type { Finding } from './rules';
import type { ContextWatcher } from './watcher';

/** Five minutes clear counts as fixed unless the verification window setting says otherwise. */
export const DEFAULT_VERIFY_WINDOW_SECONDS = 300;

/** What the detector shows about a fix's incident and target now. */
export interface Observation {
  /** The incident's condition is present now. */
  open: boolean;
  /** When it cleared (ms), while it is not present. */
  clearedAt?: number;
  /** The same failure on objects made after the fix (the pods the fix created). */
  recurrences: EvidenceEvent[];
  /** Other failures on the target's objects made after the fix. */
  worse: EvidenceEvent[];
}

export type Verdict = Pick<FixVerification, 'outcome' | 'summary' | 'evidence'> & { clearedAt?: string };

const fmtWindow = (s: number) => (s % 60 === 0 && s >= 60 ? `${s / 60} min` : `${s} s`);
const refText = (r: ObjectRef) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/**
 * The verdict on a fix being verified, or undefined while it is too early to say. Recurrence on objects the fix made
 * decides at once; otherwise the condition must clear within the window after the fix and then stay clear for the
 * window.
 */
export function judge(v: FixVerification, o: Observation, now: number): Verdict | { clearedAt: string } | undefined {
  const w = v.windowSeconds * 1000;
  const applied = Date.parse(v.appliedAt);
  if (o.worse.length) {
    return {
      outcome: 'made_worse',
      summary: `After the fix, new failures appeared on ${refText(v.target)}: ${o.worse[0].message}.`,
      evidence: [...o.worse, ...o.recurrences].slice(0, 10),
    };
  }
  if (o.recurrences.length) {
    return {
      outcome: 'did_not_help',
      summary: `It happened again after the fix: ${o.recurrences[0].message}.`,
      evidence: o.recurrences.slice(0, 10),
    };
  }
  if (o.open && v.clearedAt) {
    return {
      outcome: 'did_not_help',
      summary: `The condition cleared at ${v.clearedAt.slice(11, 19)} UTC but came back within ${fmtWindow(v.windowSeconds)}.`,
      evidence: [
        {
          time: new Date(now).toISOString(),
          type: 'Warning',
          reason: 'Recurred',
          message: 'the incident reopened during verification',
          object: v.target,
        },
      ],
    };
  }
  if (o.open) {
    if (now - applied < w) return undefined;
    return {
      outcome: 'did_not_help',
      summary: `The condition was still present ${fmtWindow(v.windowSeconds)} after the fix.`,
      evidence: [
        {
          time: new Date(now).toISOString(),
          type: 'Warning',
          reason: 'StillPresent',
          message: `still detected ${fmtWindow(v.windowSeconds)} after the fix`,
          object: v.target,
        },
      ],
    };
  }
  const cleared = v.clearedAt ? Date.parse(v.clearedAt) : Math.max(o.clearedAt ?? now, applied);
  const clearedAt = new Date(cleared).toISOString();
  if (now - cleared < w) return v.clearedAt ? undefined : { clearedAt };
  return {
    outcome: 'resolved',
    summary: `The condition cleared at ${clearedAt.slice(11, 19)} UTC and stayed clear for ${fmtWindow(v.windowSeconds)}.`,
    evidence: [],
    clearedAt,
  };
}

interface Pending {
  v: FixVerification;
  /** The detector key of the incident (found once). */
  key?: string;
  /** What was there when the fix was applied (absent after a restart of KubeGraf: creation times stand in). */
  baseline?: Baseline;
}

export interface Baseline {
  /** Pod uids of the namespace: anything else failing was made after the fix. */
  pods: Set<string>;
  /** Incidents open then: failures they report on new pods are the old problem, not a new one. */
  incidents: Set<string>;
}

export interface VerificationHost {
  store: KubeGrafStore;
  record(id: string): Incident | undefined;
  decided(v: FixVerification): Promise<void>;
}

export class Verifications {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly host: VerificationHost) {
    for (const v of host.store.fixOutcomes({ outcome: 'verifying', limit: 1000 }))
      this.pending.set(v.executionId, { v });
  }

  /** The namespace's pods and the open incidents, taken before the fix changes anything. */
  baseline(w: ContextWatcher | undefined, namespace: string | undefined): Baseline | undefined {
    if (!w) return undefined;
    const pods = new Set<string>();
    if (namespace !== undefined) for (const p of w.view.inNamespace('pods', namespace)) pods.add(p.metadata.uid ?? '');
    return { pods, incidents: new Set(w.detector.openIncidents().map((i) => i.id)) };
  }

  /** Starts watching an applied fix (supersede the one being verified on the same incident first). */
  async begin(v: FixVerification, baseline: Baseline | undefined): Promise<void> {
    await this.host.store.saveFixOutcome(v);
    this.pending.set(v.executionId, { v, ...(baseline ? { baseline } : {}) });
  }

  async supersede(incidentId: string, why: string): Promise<void> {
    for (const p of [...this.pending.values()]) {
      if (p.v.incidentId !== incidentId) continue;
      await this.decide(p, { outcome: 'superseded', summary: why, evidence: [] });
    }
  }

  get(executionId: string): FixVerification | undefined {
    return this.pending.get(executionId)?.v;
  }

  forContext(context: string): number {
    let n = 0;
    for (const p of this.pending.values()) if (p.v.context === context) n++;
    return n;
  }

  /** Checks every pending verification of a context against its watcher. */
  async check(w: ContextWatcher, now = Date.now()): Promise<void> {
    for (const p of [...this.pending.values()]) {
      if (p.v.context !== w.context || !this.pending.has(p.v.executionId)) continue;
      const r = judge(p.v, this.observe(w, p), now);
      if (!r) continue;
      if (!('outcome' in r)) {
        p.v = { ...p.v, clearedAt: r.clearedAt };
        await this.host.store.saveFixOutcome(p.v);
        continue;
      }
      await this.decide(p, r);
    }
  }

  private async decide(p: Pending, r: Verdict): Promise<void> {
    this.pending.delete(p.v.executionId);
    const v: FixVerification = {
      ...p.v,
      outcome: r.outcome,
      summary: r.summary,
      evidence: r.evidence,
      decidedAt: new Date().toISOString(),
    };
    if (r.clearedAt) v.clearedAt = r.clearedAt;
    await this.host.decided(v);
  }

  private observe(w: ContextWatcher, p: Pending): Observation {
    const live = this.live(w, p);
    const o: Observation = { open: !!live?.open, recurrences: [], worse: [] };
    if (live && !live.open && live.resolvedAt) o.clearedAt = live.resolvedAt;
    const inc = this.host.record(p.v.incidentId);
    const related = (r: ObjectRef) => sameRef(r, p.v.target) || (inc !== undefined && sameRef(r, inc.resource));
    if (live?.open) for (const f of live.sources.values()) this.afterFix(w, p, f, o.recurrences);
    for (const other of w.detector.incidents.values()) {
      if (!other.open || other === live) continue;
      const old = p.baseline ? p.baseline.incidents.has(other.id) : false;
      for (const f of other.sources.values())
        if (related(f.subject)) this.afterFix(w, p, f, old ? o.recurrences : o.worse);
    }
    return o;
  }

  /** Adds the finding as evidence when it is about a pod made after the fix. */
  private afterFix(w: ContextWatcher, p: Pending, f: Finding, out: EvidenceEvent[]): void {
    const ns = f.evidence.namespace ?? f.subject.namespace;
    const name = f.evidence.podName;
    if (!name || ns === undefined) return;
    const pod = w.view.get('pods', ns, name);
    if (!pod) return;
    const created = Date.parse(pod.metadata.creationTimestamp ?? '');
    const made = p.baseline
      ? !p.baseline.pods.has(pod.metadata.uid ?? '')
      : created >= Date.parse(p.v.appliedAt) - 1000;
    if (!made) return;
    const status = (pod.status?.containerStatuses ?? []) as Array<{
      name: string;
      lastState?: { terminated?: { finishedAt?: string } };
      state?: { terminated?: { finishedAt?: string } };
    }>;
    const cs = status.find((c) => c.name === f.evidence.containerName);
    const time = cs?.lastState?.terminated?.finishedAt ?? cs?.state?.terminated?.finishedAt ?? new Date().toISOString();
    const what = f.evidence.terminationReason ?? f.evidence.reason ?? f.type;
    out.push({
      time,
      type: 'Warning',
      reason: what,
      message: `pod ${name}, started after the fix, ${describe(f)}`,
      object: { kind: 'Pod', namespace: ns, name },
    });
  }

  private live(w: ContextWatcher, p: Pending): LiveIncident | undefined {
    if (p.key) return w.detector.incidents.get(p.key);
    for (const [key, i] of w.detector.incidents) {
      if (i.id === p.v.incidentId) {
        p.key = key;
        return i;
      }
    }
    return undefined;
  }
}

function describe(f: Finding): string {
  const e = f.evidence;
  if (f.type === 'oom_killed')
    return `was OOMKilled again${e.memoryLimit ? ` at its ${e.memoryLimit} limit` : ''} (exit code ${e.exitCode ?? 137})${e.containerName ? `, container ${e.containerName}` : ''}`;
  const cause = f.rootCause.replace(/\.$/, '');
  // "Pod crash loop in ns/pod" or "Image cannot be pulled: ns/name (c)": the kind of failure, without the names.
  const what = f.title
    .split(':')[0]
    .replace(/ in \S+$/, '')
    .toLowerCase();
  return `${what}: ${cause.charAt(0).toLowerCase()}${cause.slice(1)}`;
}

const sameRef = (a: ObjectRef, b: ObjectRef) =>
  a.kind === b.kind && (a.namespace ?? '') === (b.namespace ?? '') && a.name === b.name;

/** The steps offered when a fix did not help or made things worse: the incident's best fix now, and undoing this one. */
export function nextSteps(
  v: FixVerification,
  fixes: RecommendedFix[],
  undo: { description: string; yaml?: string } | undefined,
): FixVerification['nextSteps'] {
  const out: FixVerification['nextSteps'] = [];
  const fix = fixes[0];
  if (fix) out.push({ kind: 'fix', fixId: fix.id, label: fix.description });
  if (undo?.yaml) out.push({ kind: 'undo', executionId: v.executionId, label: `Undo the fix (${undo.description})` });
  return v.outcome === 'made_worse' ? out.reverse() : out;
}
