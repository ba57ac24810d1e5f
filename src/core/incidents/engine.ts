// The incident engine: detection per context (watcher + detector), incidents as DTOs with evidence, root cause,
// preceding change and ranked fixes, persisted with their history; fix preview/apply as executions; auto-remediation
// under a policy with a decision log; notifications. Learning lives in learning.ts.
import { randomUUID } from 'node:crypto';
import type {
  ChangeRecord,
  Evidence,
  EvidenceEvent,
  Execution,
  FixPreview,
  Incident,
  IncidentDetail,
  IncidentList,
  IncidentSummary,
  RemediationDecision,
  RemediationPolicy,
  RemediationStatus,
  Runbook,
  Severity,
  FixAction,
  IncidentType,
  Feedback,
  FixVerification,
  RecommendedFix,
} from '../../shared/incidents';
import type { KubeEngine } from '../kube/engine';
import type { KObject } from '../kube/descriptors';
import { Emitter } from '../kube/emitter';
import { KubeError, toKubeError } from '../kube/errors';
import type { KubeGrafStore } from '../store/store';
import { Detector, maxSeverity, type LiveIncident } from './detector';
import { Executions } from './executions';
import { notAllowed, parseQuantity, planFix, previewPlan, recommendFixes, revisionsOf } from './fixes';
import { DEFAULT_RULE_OPTIONS, type Finding, type RuleOptions } from './rules';
import { SHIPPED_RUNBOOKS } from './runbooks';
import { ContextWatcher } from './watcher';
import { similarIncidents } from './learning';
import { DEFAULT_VERIFY_WINDOW_SECONDS, nextSteps, Verifications } from './verification';

/** What the metrics engine tells incidents (peaks for OOM fixes and insights, series for predictions). */
export interface MetricsFacts {
  peakMemory(context: string, namespace: string, pods: string[], container: string): number | undefined;
  containerSeries(context: string): Array<{
    namespace: string;
    pod: string;
    container: string;
    points: Array<{ t: number; cpu: number; mem: number }>;
  }>;
}

export interface IncidentEngineOptions {
  kube: KubeEngine;
  store: KubeGrafStore;
  metrics?: MetricsFacts;
  rules?: Partial<RuleOptions>;
  /** How often held and time-dependent findings are re-checked against the cache. */
  sweepMs?: number;
  /** Read container logs as evidence (default true). */
  logs?: boolean;
  /**
   * How long (seconds) a fixed condition must stay clear before the fix counts as resolved; read when a fix is
   * applied (the dashboard's "fix verification window" setting). Default 300.
   */
  verifyWindowSeconds?: number | (() => number | undefined | Promise<number | undefined>);
}

export interface IncidentEngineEvents extends Record<string, unknown> {
  incident: { what: 'opened' | 'reopened' | 'updated' | 'resolved'; incident: Incident };
  decision: RemediationDecision;
}

export const DEFAULT_POLICY: RemediationPolicy = {
  enabled: false,
  allowedActions: ['delete_pod', 'restart', 'increase_memory_limit'],
  namespaces: [],
  protectedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  maxActionsPerHour: 3,
  minOpenSeconds: 120,
};

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];
const POD_TYPES = new Set<IncidentType>([
  'pod_crash_loop',
  'oom_killed',
  'image_pull_error',
  'invalid_image',
  'container_config_error',
  'container_create_error',
  'run_container_error',
  'lifecycle_hook_failed',
  'readiness_probe_failed',
  'high_restart_count',
  'pod_failed',
]);

export class IncidentEngine {
  readonly events = new Emitter<IncidentEngineEvents>();
  readonly executions: Executions;
  /** Fixes applied and being watched for their outcome. */
  readonly verifications: Verifications;
  private readonly watchers = new Map<string, ContextWatcher>();
  private readonly starting = new Map<string, Promise<ContextWatcher>>();
  /** Every incident we know (open and resolved), by id. */
  private readonly records = new Map<string, Incident>();
  private readonly enriching = new Map<string, number>();
  private readonly declinedLogged = new Set<string>();
  private readonly remediating = new Set<string>();
  private readonly opts: RuleOptions;
  private closed = false;

  constructor(private readonly o: IncidentEngineOptions) {
    this.opts = { ...DEFAULT_RULE_OPTIONS, ...(o.rules ?? {}) };
    this.executions = new Executions(o.store);
    this.verifications = new Verifications({
      store: o.store,
      record: (id) => this.records.get(id),
      decided: (v) => this.onVerified(v),
    });
    for (const i of o.store.incidents({ limit: 5000 })) this.records.set(i.id, i);
  }

  get store(): KubeGrafStore {
    return this.o.store;
  }

  // ---------------- lifecycle ----------------

  /** Starts detection on a context (idempotent); resolves after the cold-start scan. */
  start(context: string = this.o.kube.currentContext()): Promise<ContextWatcher> {
    const w = this.watchers.get(context);
    if (w) return Promise.resolve(w);
    let p = this.starting.get(context);
    if (p) return p;
    p = (async () => {
      this.o.kube.context(context); // notFound for an unknown context
      let sweeps = 0;
      const watcher = new ContextWatcher(
        this.o.kube,
        context,
        this.opts,
        {
          onChanges: (x) => this.onChanges(x),
          onSweep: (x) => ++sweeps % 10 === 0 && this.rebuildOpen(x),
          onChangeRecord: (c) => void this.o.store.addChange(c).catch(() => undefined),
        },
        this.o.sweepMs ?? 5000,
      );
      this.watchers.set(context, watcher);
      watcher.start();
      await watcher.whenSynced();
      watcher.fullScan();
      // Caches list in parallel: incidents opened before their workload's cache synced get their fixes now.
      this.rebuildOpen(watcher);
      // Incidents stored as open that the cold scan no longer finds resolved while we were away.
      const live = new Set(watcher.detector.openIncidents().map((i) => i.id));
      for (const i of [...this.records.values()]) {
        if (i.context === context && i.status === 'open' && !live.has(i.id)) {
          i.status = 'resolved';
          i.resolvedAt = new Date().toISOString();
          await this.persist(i, 'resolved', 'no longer detected when KubeGraf started');
        }
      }
      return watcher;
    })().finally(() => this.starting.delete(context));
    this.starting.set(context, p);
    return p;
  }

  watcher(context: string): ContextWatcher | undefined {
    return this.watchers.get(context);
  }

  async stop(context: string): Promise<void> {
    const w = this.watchers.get(context);
    this.watchers.delete(context);
    await w?.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.watchers.keys()].map((c) => this.stop(c)));
  }

  // ---------------- detection → incidents ----------------

  private onChanges(w: ContextWatcher): void {
    if (this.closed) return;
    for (const ch of w.detector.drain()) {
      const inc = this.build(w, ch.incident);
      const detail =
        ch.what === 'resolved'
          ? 'the condition cleared'
          : ch.what === 'updated'
            ? `${inc.evidence.reason ?? ''} ${inc.evidence.restartCount !== undefined ? `restarts=${inc.evidence.restartCount}` : ''}`.trim()
            : inc.rootCause;
      void this.persist(inc, ch.what, detail).catch(() => undefined);
      if (ch.what === 'opened' || ch.what === 'reopened') {
        if (inc.severity === 'critical' || inc.severity === 'high') {
          void this.o.store
            .addNotification({
              severity: inc.severity,
              title: inc.title,
              message: inc.rootCause,
              source: 'incidents',
              incidentId: inc.id,
              context: inc.context,
            })
            .catch(() => undefined);
        }
      } else if (
        ch.what === 'resolved' &&
        (inc.severity === 'critical' || inc.severity === 'high') &&
        inc.fixVerification?.outcome !== 'verifying'
      ) {
        // While a fix is being verified its verdict is the notification: a clear right after a fix may not last.
        void this.o.store
          .addNotification({
            severity: 'info',
            title: `Resolved: ${inc.title}`,
            message: 'The condition cleared by itself or after a fix.',
            source: 'incidents',
            incidentId: inc.id,
            context: inc.context,
          })
          .catch(() => undefined);
      }
      if (ch.what !== 'resolved') {
        void this.enrich(w, inc.id);
        void this.considerRemediation(w, inc);
      }
    }
    if (this.verifications.forContext(w.context)) void this.verifications.check(w).catch(() => undefined);
  }

  /** Rebuilds open incidents whose fixes or root cause changed because other caches caught up. */
  rebuildOpen(w: ContextWatcher): void {
    for (const live of w.detector.openIncidents()) {
      const prev = this.records.get(live.id);
      const next = this.build(w, live);
      if (
        prev &&
        JSON.stringify(prev.recommendedFixes) === JSON.stringify(next.recommendedFixes) &&
        prev.rootCause === next.rootCause &&
        JSON.stringify(prev.evidence.events) === JSON.stringify(next.evidence.events)
      )
        continue;
      if (prev) next.evidence = { ...next.evidence, logs: prev.evidence.logs };
      void this.persist(next, 'updated', 'evidence, fixes or root cause refined').catch(() => undefined);
    }
  }

  private async persist(
    inc: Incident,
    what: 'opened' | 'reopened' | 'updated' | 'resolved',
    detail: string,
  ): Promise<void> {
    this.records.set(inc.id, inc);
    this.events.emit('incident', { what, incident: inc });
    await this.o.store.saveIncident(inc);
    await this.o.store.addHistory({ incidentId: inc.id, time: new Date().toISOString(), event: what, detail });
  }

  /** The DTO from the live state: merged evidence of every source, root cause, preceding change, fixes. */
  private build(w: ContextWatcher, live: LiveIncident): Incident {
    const prev = this.records.get(live.id);
    const findings = [...live.sources.values()];
    const f: Finding | undefined = findings[0];
    if (!f) {
      // Resolved: keep what we knew, mark the status.
      const r: Incident = prev ? { ...prev } : ({ id: live.id, context: w.context } as Incident);
      r.status = 'resolved';
      r.resolvedAt = new Date(live.resolvedAt ?? Date.now()).toISOString();
      r.lastSeen = new Date(live.lastSeen).toISOString();
      r.occurrences = live.occurrences;
      return r;
    }
    let severity: Severity = f.severity;
    const objects = new Map<string, { kind: string; namespace?: string; name: string }>();
    let restartCount: number | undefined;
    for (const x of findings) {
      severity = maxSeverity(severity, x.severity);
      for (const ob of x.evidence.objects ?? []) objects.set(`${ob.kind}/${ob.namespace ?? ''}/${ob.name}`, ob);
      if (x.evidence.restartCount !== undefined) restartCount = Math.max(restartCount ?? 0, x.evidence.restartCount);
    }
    const evidence: Evidence = {
      ...f.evidence,
      objects: [...objects.values()],
      events: prev?.status === 'open' ? (prev.evidence.events ?? []) : [],
      logs: prev?.status === 'open' ? (prev.evidence.logs ?? []) : [],
    } as Evidence;
    if (restartCount !== undefined) evidence.restartCount = restartCount;
    if (prev?.evidence.observedPeakBytes) evidence.observedPeakBytes = prev.evidence.observedPeakBytes;
    this.addEvents(w, evidence);
    const firstSeen =
      prev?.firstSeen && Date.parse(prev.firstSeen) < live.firstSeen
        ? prev.firstSeen
        : new Date(live.firstSeen).toISOString();
    const reopened = prev && prev.status === 'resolved';
    const inc: Incident = {
      id: live.id,
      context: w.context,
      type: f.type,
      severity,
      status: 'open',
      title:
        findings.length > 1 && f.subject.kind !== 'Pod'
          ? `${f.title.replace(/ in [^ ]+$/, '')}${f.title.includes(' in ') ? ` in ${f.subject.namespace}/${f.subject.name}` : ''}`
          : f.title,
      description: findings.length > 1 ? `${f.description} (${findings.length} objects affected)` : f.description,
      signature: signatureOf(f),
      resource: f.subject,
      evidence,
      rootCause: f.rootCause,
      recommendedFixes: [],
      firstSeen,
      lastSeen: new Date(live.lastSeen).toISOString(),
      occurrences: Math.max(live.occurrences, reopened ? (prev!.occurrences ?? 0) + 1 : (prev?.occurrences ?? 0)),
      timestamp: reopened || !prev ? new Date(live.lastSeen).toISOString() : prev.timestamp,
    };
    live.occurrences = inc.occurrences;
    if (prev?.fixVerification) inc.fixVerification = prev.fixVerification;
    const change = this.precedingChange(w, inc);
    if (change) {
      inc.precedingChange = change;
      if (change.category === 'rollout' || change.category === 'config')
        inc.rootCause += ` It started after a change: ${change.summary} (${change.time}).`;
    }
    inc.recommendedFixes = this.fixesFor(w, inc);
    return inc;
  }

  /** Ranked by feedback and verified outcomes, each with its track record. */
  private fixesFor(w: ContextWatcher, inc: Pick<Incident, 'type' | 'resource' | 'evidence'>): RecommendedFix[] {
    return recommendFixes(inc, w.view, this.o.store.fixScores(inc.type), this.o.store.fixTrackRecords(inc.type));
  }

  /** Warning events about the incident's objects, newest last, as evidence. */
  private addEvents(w: ContextWatcher, ev: Evidence): void {
    const out: EvidenceEvent[] = [];
    for (const ob of ev.objects) {
      const kindId =
        ob.kind === 'Pod'
          ? 'pods'
          : ob.kind === 'Node'
            ? 'nodes'
            : ob.kind === 'Deployment'
              ? 'deployments'
              : ob.kind === 'PersistentVolumeClaim'
                ? 'persistentvolumeclaims'
                : ob.kind === 'Job'
                  ? 'jobs'
                  : ob.kind === 'HorizontalPodAutoscaler'
                    ? 'horizontalpodautoscalers'
                    : undefined;
      if (!kindId) continue;
      const o = w.view.get(kindId as never, ob.namespace, ob.name);
      if (!o?.metadata.uid) continue;
      for (const e of w.view.eventsFor(o.metadata.uid)) {
        if (
          e.type !== 'Warning' &&
          !['Killing', 'BackOff', 'SuccessfulRescale', 'ScalingReplicaSet'].includes(String(e.reason))
        )
          continue;
        out.push({
          time: String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? ''),
          type: String(e.type),
          reason: String(e.reason),
          message: String(e.message ?? ''),
          ...(e.count ? { count: Number(e.count) } : {}),
          object: ob,
        });
      }
    }
    out.sort((a, b) => String(a.time).localeCompare(String(b.time)));
    // The same message from several pods or repeats is one line with a count, so distinct proof is not pushed out.
    const byText = new Map<string, EvidenceEvent>();
    for (const e of out) {
      const k = `${e.reason}|${e.message}`;
      const prev = byText.get(k);
      if (prev) {
        byText.delete(k);
        byText.set(k, { ...e, count: (prev.count ?? 1) + (e.count ?? 1) });
      } else byText.set(k, e);
    }
    const distinct = [...byText.values()];
    if (distinct.length) {
      ev.events = distinct.slice(-10);
      ev.lastEvent = out[out.length - 1].message;
    }
  }

  /** The most recent change before the incident that touches its workload, its config, or its node. */
  private precedingChange(w: ContextWatcher, inc: Incident): ChangeRecord | undefined {
    const r = inc.resource;
    const first = Date.parse(inc.firstSeen);
    const related = new Set<string>([`${r.kind}/${r.namespace ?? ''}/${r.name}`]);
    if (inc.evidence.nodeName) related.add(`Node//${inc.evidence.nodeName}`);
    const wl =
      r.kind === 'Deployment'
        ? w.view.get('deployments', r.namespace, r.name)
        : r.kind === 'StatefulSet'
          ? w.view.get('statefulsets', r.namespace, r.name)
          : r.kind === 'DaemonSet'
            ? w.view.get('daemonsets', r.namespace, r.name)
            : undefined;
    const spec =
      wl?.spec?.template?.spec ?? (r.kind === 'Pod' ? w.view.get('pods', r.namespace, r.name)?.spec : undefined);
    if (spec) for (const ref of configRefs(spec)) related.add(`${ref.kind}/${r.namespace ?? ''}/${ref.name}`);
    for (let i = w.changes.length - 1; i >= 0; i--) {
      const c = w.changes[i];
      const t = Date.parse(c.time);
      if (t > first + 5000 || first - t > 3600_000) continue;
      if (related.has(`${c.kind}/${c.namespace ?? ''}/${c.name}`)) return c;
    }
    // Cold start: a deployment whose current revision is newer than its previous one changed at its RS's creation.
    if (wl && r.kind === 'Deployment') {
      const revs = revisionsOf(w.view, wl);
      if (revs.length >= 2) {
        const [cur, prev] = revs;
        const imgs = (o: KObject) =>
          ((o.spec?.template?.spec?.containers as Array<{ name: string; image?: string }> | undefined) ?? [])
            .map((c) => `${c.name}=${c.image}`)
            .join(', ');
        const t = cur.rs.metadata.creationTimestamp;
        if (t && Date.parse(t) <= first + 5000) {
          const same = imgs(cur.rs) === imgs(prev.rs);
          return {
            id: `chg-rev-${cur.rs.metadata.uid ?? cur.rs.metadata.name}`,
            context: w.context,
            time: t,
            kind: 'Deployment',
            namespace: r.namespace,
            name: r.name,
            category: 'rollout',
            summary: same
              ? `Deployment ${r.namespace}/${r.name} rollout to revision ${cur.revision} (pod template changed)`
              : `Deployment ${r.namespace}/${r.name} rollout to revision ${cur.revision}: ${imgs(prev.rs)} → ${imgs(cur.rs)}`,
          };
        }
      }
    }
    return undefined;
  }

  /** Logs and metrics peaks: slower evidence, added after detection and throttled per incident. */
  private async enrich(w: ContextWatcher, id: string): Promise<void> {
    const last = this.enriching.get(id) ?? 0;
    if (Date.now() - last < 10_000) return;
    this.enriching.set(id, Date.now());
    const inc = this.records.get(id);
    if (!inc || inc.status !== 'open') return;
    let changed = false;
    let fixes: Incident['recommendedFixes'] | undefined;
    const pods = inc.evidence.objects.filter((x) => x.kind === 'Pod').map((x) => x.name);
    if (inc.type === 'oom_killed' && this.o.metrics && inc.evidence.containerName && inc.resource.namespace) {
      const peak = this.o.metrics.peakMemory(w.context, inc.resource.namespace, pods, inc.evidence.containerName);
      if (peak && peak !== inc.evidence.observedPeakBytes) {
        inc.evidence.observedPeakBytes = peak;
        fixes = this.fixesFor(w, inc);
        changed = true;
      }
    }
    if (
      this.o.logs !== false &&
      POD_TYPES.has(inc.type) &&
      inc.evidence.podName &&
      inc.evidence.containerName &&
      inc.resource.namespace !== undefined
    ) {
      const previous = inc.type === 'pod_crash_loop' || inc.type === 'oom_killed' || inc.type === 'high_restart_count';
      try {
        const lines = await this.o.kube.actions(w.context).logs(
          {
            kind: 'pods',
            namespace: inc.evidence.namespace ?? inc.resource.namespace!,
            name: inc.evidence.podName,
            container: inc.evidence.containerName,
          },
          { tailLines: 20, previous },
        );
        if (lines.length) {
          inc.evidence.logs = [
            {
              pod: inc.evidence.podName,
              container: inc.evidence.containerName,
              previous,
              lines: lines.map((l) => l.text),
            },
          ];
          changed = true;
        }
      } catch {
        // No logs (container never started, or no permission): the other evidence stands.
      }
    }
    const cur = this.records.get(id);
    if (changed && cur && cur.status === 'open') {
      cur.evidence = {
        ...cur.evidence,
        logs: inc.evidence.logs,
        ...(inc.evidence.observedPeakBytes ? { observedPeakBytes: inc.evidence.observedPeakBytes } : {}),
      };
      if (fixes) cur.recommendedFixes = fixes;
      this.records.set(id, cur);
      this.events.emit('incident', { what: 'updated', incident: cur });
      await this.o.store.saveIncident(cur).catch(() => undefined);
    }
  }

  // ---------------- queries ----------------

  incident(id: string): Incident | undefined {
    return this.records.get(id) ?? this.o.store.incident(id);
  }

  list(
    q: {
      context?: string;
      status?: 'open' | 'resolved' | 'all';
      severity?: Severity;
      namespace?: string;
      type?: string;
    } = {},
  ): IncidentList {
    const context = q.context ?? this.o.kube.currentContext();
    const all = [...this.records.values()].filter((i) => i.context === context);
    const status = q.status ?? 'open';
    const incidents = all
      .filter(
        (i) =>
          (status === 'all' || i.status === status) &&
          (!q.severity || i.severity === q.severity) &&
          (!q.namespace || i.resource.namespace === q.namespace) &&
          (!q.type || i.type === q.type),
      )
      .sort(
        (a, b) =>
          SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.lastSeen.localeCompare(a.lastSeen),
      );
    return { incidents, summary: summarize(all), synced: this.watchers.get(context)?.synced ?? false, context };
  }

  summary(context?: string): IncidentSummary {
    const c = context ?? this.o.kube.currentContext();
    return summarize([...this.records.values()].filter((i) => i.context === c));
  }

  detail(id: string): IncidentDetail {
    const inc = this.incident(id);
    if (!inc) throw new KubeError('notFound', `no incident with id "${id}"`);
    return {
      ...inc,
      history: this.o.store.history(id),
      verifications: this.o.store.fixOutcomes({ incidentId: id, limit: 50 }),
      runbook: this.runbook(inc.type),
      similar: similarIncidents(inc, this.allIncidents(), this.o.store.feedbackBySignature()).slice(0, 10),
    };
  }

  allIncidents(): Incident[] {
    const m = new Map<string, Incident>();
    for (const i of this.o.store.incidents({ limit: 20000 })) m.set(i.id, i);
    for (const i of this.records.values()) m.set(i.id, i);
    return [...m.values()];
  }

  /** A full rescan of the cache (not the API server): what the user gets from "refresh". */
  async refresh(context?: string): Promise<IncidentList> {
    const c = context ?? this.o.kube.currentContext();
    const w = await this.start(c);
    w.fullScan();
    return this.list({ context: c });
  }

  // ---------------- fixes ----------------

  private fixOf(id: string, fixId?: string): { inc: Incident; fix: Incident['recommendedFixes'][number] } {
    const inc = this.incident(id);
    if (!inc) throw new KubeError('notFound', `no incident with id "${id}"`);
    if (!inc.recommendedFixes.length)
      throw new KubeError('notFound', `incident ${id} has no recommended fix (see its runbook)`);
    const fix = fixId
      ? inc.recommendedFixes.find((f) => f.id === fixId || f.action === fixId)
      : inc.recommendedFixes[0];
    if (!fix)
      throw new KubeError(
        'notFound',
        `incident ${id} has no fix "${fixId}"; it has: ${inc.recommendedFixes.map((f) => f.id).join(', ')}`,
      );
    return { inc, fix };
  }

  async previewFix(id: string, fixId?: string): Promise<FixPreview> {
    const { inc, fix } = this.fixOf(id, fixId);
    const actions = this.o.kube.actions(inc.context);
    const plan = await planFix(fix, inc, actions, inc.evidence.observedPeakBytes);
    return previewPlan(plan, inc, actions);
  }

  /** Applies a fix as an execution: permission check, the call, a read-back. Throws forbidden before any change. */
  async applyFix(
    id: string,
    fixId: string | undefined,
    initiator: Execution['initiator'] = 'user',
  ): Promise<Execution> {
    const { inc, fix } = this.fixOf(id, fixId);
    const actions = this.o.kube.actions(inc.context);
    let plan = await planFix(fix, inc, actions, inc.evidence.observedPeakBytes);
    const allowed = await actions.canI(plan.permission);
    if (!allowed)
      throw new KubeError('forbidden', `cannot apply "${fix.description}": ${notAllowed(plan.permission)}`, {
        permission: plan.permission,
      });
    const w = this.watchers.get(inc.context);
    const baseline = this.verifications.baseline(w, fix.target.namespace ?? inc.resource.namespace);
    const ex = await this.executions.start({
      context: inc.context,
      action: fix.action,
      incidentId: inc.id,
      fixId: fix.id,
      target: fix.target,
      initiator,
    });
    this.executions.line(ex, `$ ${plan.describe}`);
    this.executions.line(
      ex,
      `permission ${plan.permission.verb} ${plan.permission.group ? `${plan.permission.resource}.${plan.permission.group}` : plan.permission.resource}: allowed (SelfSubjectAccessReview)`,
    );
    try {
      // Controllers write the target's status all the time: a replace refused as stale is planned again on the
      // fresh object (the same change), as kubectl retries on conflict.
      for (let attempt = 1; ; attempt++) {
        try {
          await plan.run(actions);
          break;
        } catch (e) {
          if (toKubeError(e).code !== 'conflict' || attempt >= 5) throw e;
          plan = await planFix(fix, inc, actions, inc.evidence.observedPeakBytes);
        }
      }
      this.executions.line(ex, `applied: ${fix.preview}`);
      const check = await plan.verify(actions);
      this.executions.line(ex, `read back: ${check}`);
      if (plan.undo) this.executions.line(ex, `undo: ${plan.undo.description}`);
      const window = await this.windowSeconds();
      if (w)
        this.executions.line(
          ex,
          `verify: KubeGraf watches ${fix.target.kind} ${fix.target.namespace ? `${fix.target.namespace}/` : ''}${fix.target.name} and reports whether the fix helped (the condition must stay clear for ${window} s)`,
        );
      const done = await this.executions.finish(ex, true, {
        resourcesChanged: 1,
        ...(plan.undo
          ? { undo: { description: plan.undo.description, yaml: plan.undo.yaml, target: fix.target } }
          : {
              undo: {
                description: 'a deleted pod cannot be brought back; its controller replaces it',
                target: fix.target,
              },
            }),
      });
      await this.o.store.addHistory({
        incidentId: inc.id,
        time: new Date().toISOString(),
        event: 'fix_applied',
        detail: `${fix.description} (execution ${ex.id}, by ${initiator})`,
      });
      if (w) await this.beginVerification(done, inc, fix, window, baseline);
      return done;
    } catch (e) {
      const k = toKubeError(e);
      this.executions.line(ex, `error: ${k.message}`, 'stderr');
      return this.executions.finish(ex, false, { error: k.message });
    }
  }

  /** Re-applies what an execution recorded as its undo. */
  async undo(executionId: string): Promise<Execution> {
    const prev = this.executions.get(executionId);
    if (!prev) throw new KubeError('notFound', `no execution "${executionId}"`);
    if (!prev.undo?.yaml)
      throw new KubeError(
        'unsupported',
        `execution ${executionId} cannot be undone: ${prev.undo?.description ?? 'no undo recorded'}`,
      );
    const actions = this.o.kube.actions(prev.context);
    if (prev.incidentId && this.verifications.get(prev.id))
      await this.verifications.supersede(prev.incidentId, 'The fix was undone before a verdict.');
    const ex = await this.executions.start({
      context: prev.context,
      action: `undo:${prev.action}`,
      incidentId: prev.incidentId,
      target: prev.target,
      initiator: 'user',
    });
    this.executions.line(ex, `$ ${prev.undo.description}`);
    try {
      // The recorded object carries no resourceVersion: take the live one so the replace is not refused as stale.
      const t = prev.undo.target;
      const { parse, stringify } = await import('yaml');
      const obj = parse(prev.undo.yaml) as KObject;
      // Controllers write status all the time: a replace refused as stale is tried again with the new version.
      for (let attempt = 1; ; attempt++) {
        obj.metadata.resourceVersion = (await actions.get(t.kind, t.namespace, t.name)).metadata.resourceVersion;
        try {
          await actions.apply(stringify(obj), t.namespace);
          break;
        } catch (e) {
          if (toKubeError(e).code !== 'conflict' || attempt >= 5) throw e;
        }
      }
      this.executions.line(ex, `re-applied ${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`);
      return this.executions.finish(ex, true, { resourcesChanged: 1 });
    } catch (e) {
      const k = toKubeError(e);
      this.executions.line(ex, `error: ${k.message}`, 'stderr');
      return this.executions.finish(ex, false, { error: k.message });
    }
  }

  // ---------------- auto-remediation ----------------

  policy(): RemediationPolicy {
    return { ...DEFAULT_POLICY, ...(this.o.store.getSetting<Partial<RemediationPolicy>>('remediation.policy') ?? {}) };
  }

  async setPolicy(p: Partial<RemediationPolicy>): Promise<RemediationPolicy> {
    const next = { ...this.policy(), ...p };
    await this.o.store.setSetting('remediation.policy', next);
    this.declinedLogged.clear();
    if (next.enabled)
      for (const w of this.watchers.values())
        for (const i of this.records.values())
          if (i.context === w.context && i.status === 'open') void this.considerRemediation(w, i);
    return next;
  }

  remediationStatus(): RemediationStatus {
    const decisions = this.o.store.decisions(500);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const s: RemediationStatus = {
      policy: this.policy(),
      actionsLastHour: decisions.filter((d) => d.decision === 'taken' && d.time >= hourAgo).length,
      decisions: this.o.store.decisionCount(),
    };
    if (decisions[0]) s.lastDecision = decisions[0];
    return s;
  }

  private async decide(
    w: ContextWatcher,
    inc: Incident,
    decision: 'taken' | 'declined',
    reason: string,
    action?: FixAction,
    executionId?: string,
  ): Promise<void> {
    const d: RemediationDecision = {
      id: randomUUID(),
      time: new Date().toISOString(),
      context: w.context,
      incidentId: inc.id,
      incidentType: inc.type,
      decision,
      reason,
    };
    if (action) d.action = action;
    const fix = inc.recommendedFixes.find((f) => f.action === action);
    if (fix) d.target = fix.target;
    if (executionId) d.executionId = executionId;
    await this.o.store.addDecision(d);
    this.events.emit('decision', d);
  }

  private protectedNamespace(w: ContextWatcher, ns: string | undefined, p: RemediationPolicy): boolean {
    if (!ns) return false;
    if (p.protectedNamespaces.includes(ns)) return true;
    return w.view.get('namespaces', undefined, ns)?.metadata.labels?.['kubegraf.io/protected'] === 'true';
  }

  private async considerRemediation(w: ContextWatcher, inc: Incident): Promise<void> {
    const p = this.policy();
    if (!p.enabled || inc.status !== 'open') return;
    // A decline is logged once per incident and reason; a deferral (too young) is retried on later updates.
    const decline = async (reason: string, action?: FixAction) => {
      const k = `${inc.id}|${reason}`;
      if (this.declinedLogged.has(k)) return;
      this.declinedLogged.add(k);
      await this.decide(w, inc, 'declined', reason, action);
    };
    const ns = inc.resource.namespace;
    if (this.protectedNamespace(w, ns, p)) return decline(`namespace ${ns} is protected`);
    if (p.namespaces.length && (!ns || !p.namespaces.includes(ns)))
      return decline(
        `namespace ${ns ?? '(cluster-scoped)'} is not in the policy's namespaces (${p.namespaces.join(', ')})`,
      );
    const allowed = inc.recommendedFixes.filter((f) => p.allowedActions.includes(f.action));
    if (!allowed.length)
      return decline(
        inc.recommendedFixes.length
          ? `no recommended fix is allowed by policy (recommended: ${inc.recommendedFixes.map((f) => f.action).join(', ')}; allowed: ${p.allowedActions.join(', ')})`
          : 'no automatic fix exists for this incident type',
      );
    // A fix being verified gets its verdict first; a fix type that did not help on this target is not retried.
    if (this.executions.list({ incidentId: inc.id, limit: 5 }).some((e) => this.verifications.get(e.id))) return;
    const failed = (f: RecommendedFix) =>
      this.o.store
        .fixOutcomes({ context: w.context, target: f.target, action: f.action, limit: 50 })
        .find((o) => o.outcome === 'did_not_help' || o.outcome === 'made_worse');
    const fix = allowed.find((f) => !failed(f));
    if (!fix) {
      const o = failed(allowed[0])!;
      return decline(
        `${allowed[0].action} ${o.outcome === 'made_worse' ? 'made things worse' : 'did not help'} on ${o.target.kind} ${o.target.namespace ? `${o.target.namespace}/` : ''}${o.target.name} (execution ${o.executionId}): a fix that did not help is not retried automatically`,
        allowed[0].action,
      );
    }
    const age = (Date.now() - Date.parse(inc.timestamp)) / 1000;
    if (age < p.minOpenSeconds) {
      const again = Math.ceil(p.minOpenSeconds - age) * 1000 + 100;
      setTimeout(() => {
        const cur = this.records.get(inc.id);
        if (cur && cur.status === 'open') void this.considerRemediation(w, cur);
      }, again).unref();
      return;
    }
    if (
      this.executions
        .list({ incidentId: inc.id, limit: 20 })
        .some((e) => e.initiator === 'auto-remediation' && Date.now() - Date.parse(e.startedAt) < 3600_000)
    )
      return decline('already remediated automatically within the last hour', fix.action);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const taken = this.o.store.decisions(500).filter((d) => d.decision === 'taken' && d.time >= hourAgo).length;
    if (taken >= p.maxActionsPerHour)
      return decline(
        `rate limit: ${taken} automatic actions in the last hour (max ${p.maxActionsPerHour})`,
        fix.action,
      );
    // One attempt at a time per incident: detector updates arrive while the fix is being planned and applied.
    if (this.remediating.has(inc.id)) return;
    this.remediating.add(inc.id);
    this.declinedLogged.add(`${inc.id}|taken`);
    try {
      const ex = await this.applyFix(inc.id, fix.id, 'auto-remediation');
      await this.decide(
        w,
        inc,
        'taken',
        ex.status === 'succeeded'
          ? `policy allows ${fix.action} in ${ns ?? 'the cluster'}; applied`
          : `policy allows ${fix.action}; the attempt failed: ${ex.error}`,
        fix.action,
        ex.id,
      );
    } catch (e) {
      await decline(`could not apply ${fix.action}: ${toKubeError(e).message}`, fix.action);
    } finally {
      this.remediating.delete(inc.id);
    }
  }

  // ---------------- verified fixes ----------------

  private async windowSeconds(): Promise<number> {
    const o = this.o.verifyWindowSeconds;
    const v = typeof o === 'function' ? await Promise.resolve(o()).catch(() => undefined) : o;
    return v && Number.isFinite(v) && v > 0 ? Math.round(v) : DEFAULT_VERIFY_WINDOW_SECONDS;
  }

  private async beginVerification(
    ex: Execution,
    inc: Incident,
    fix: RecommendedFix,
    windowSeconds: number,
    baseline: ReturnType<Verifications['baseline']>,
  ): Promise<void> {
    const v: FixVerification = {
      executionId: ex.id,
      incidentId: inc.id,
      context: inc.context,
      incidentType: inc.type,
      fixId: fix.id,
      action: fix.action,
      description: fix.description,
      target: fix.target,
      initiator: ex.initiator,
      appliedAt: ex.finishedAt ?? new Date().toISOString(),
      windowSeconds,
      outcome: 'verifying',
      summary: `Watching ${fix.target.kind} ${fix.target.namespace ? `${fix.target.namespace}/` : ''}${fix.target.name}: the fix counts as resolved once the condition has cleared and stayed clear for ${windowSeconds} s.`,
      evidence: [],
      nextSteps: [],
    };
    // In this order, so a verdict that comes at once is the last word on the incident and the execution.
    await this.verifications.supersede(inc.id, 'Another fix was applied to this incident before a verdict.');
    ex.verification = v;
    await this.o.store.saveExecution(ex);
    const cur = this.records.get(inc.id);
    if (cur) {
      cur.fixVerification = v;
      this.events.emit('incident', { what: 'updated', incident: cur });
      await this.o.store.saveIncident(cur);
    }
    await this.verifications.begin(v, baseline);
  }

  /** A verdict: on the incident, in the execution's history, as a notification; then learning and the policy use it. */
  private async onVerified(v: FixVerification): Promise<void> {
    const w = this.watchers.get(v.context);
    const cur = this.records.get(v.incidentId);
    const ex = this.executions.get(v.executionId);
    // Learned first, so the fixes on offer now (the target changed too) carry this verdict in their track record.
    await this.o.store.saveFixOutcome(v);
    if (w && cur?.status === 'open') cur.recommendedFixes = this.fixesFor(w, cur);
    if (v.outcome === 'did_not_help' || v.outcome === 'made_worse') {
      v.nextSteps = nextSteps(v, cur?.status === 'open' ? cur.recommendedFixes : [], ex?.undo);
      await this.o.store.saveFixOutcome(v);
    }
    if (cur) {
      cur.fixVerification = v;
      this.events.emit('incident', { what: 'updated', incident: cur });
    }
    if (ex) await this.executions.verified(ex, v);
    if (cur) await this.o.store.saveIncident(cur);
    const words = {
      resolved: 'resolved',
      did_not_help: 'did not help',
      made_worse: 'made it worse',
      superseded: 'superseded',
      verifying: 'verifying',
    }[v.outcome];
    await this.o.store.addHistory({
      incidentId: v.incidentId,
      time: v.decidedAt ?? new Date().toISOString(),
      event: 'fix_verified',
      detail: `${v.description}: ${words}. ${v.summary}`,
    });
    if (v.outcome === 'superseded') return;
    const title = cur?.title ?? v.incidentId;
    const next = v.nextSteps.length ? ` Next: ${v.nextSteps.map((n) => n.label).join('; or ')}.` : '';
    await this.o.store.addNotification({
      severity: v.outcome === 'resolved' ? 'info' : v.outcome === 'made_worse' ? 'critical' : 'high',
      title:
        v.outcome === 'resolved'
          ? `Fix worked: ${title}`
          : v.outcome === 'made_worse'
            ? `Fix made it worse: ${title}`
            : `Fix did not help: ${title}`,
      message: `${v.description}. ${v.summary}${next}`,
      source: 'incidents',
      incidentId: v.incidentId,
      context: v.context,
    });
    if (v.outcome !== 'resolved' && w && cur?.status === 'open') void this.considerRemediation(w, cur);
  }

  // ---------------- feedback and runbooks ----------------

  async feedback(f: Omit<Feedback, 'time'>): Promise<Feedback> {
    const inc = this.incident(f.incidentId);
    if (!inc) throw new KubeError('notFound', `no incident with id "${f.incidentId}"`);
    const fix = f.fixId ? inc.recommendedFixes.find((x) => x.id === f.fixId || x.action === f.fixId) : undefined;
    if (f.fixId && !fix) throw new KubeError('notFound', `incident ${inc.id} has no fix "${f.fixId}"`);
    const full: Feedback = { ...f, time: new Date().toISOString() };
    await this.o.store.addFeedback({
      ...full,
      signature: inc.signature,
      type: inc.type,
      ...(fix ? { action: fix.action } : {}),
    });
    await this.o.store.addHistory({
      incidentId: inc.id,
      time: full.time,
      event: 'feedback',
      detail: `${f.verdict}${fix ? ` on fix ${fix.action}` : ''}${f.comment ? `: ${f.comment}` : ''}`,
    });
    // Re-rank the open incidents of this type now, so the feedback shows at once.
    const scores = this.o.store.fixScores(inc.type);
    for (const i of this.records.values()) {
      if (i.type !== inc.type) continue;
      const w = this.watchers.get(i.context);
      i.recommendedFixes =
        w && i.status === 'open'
          ? recommendFixes(i, w.view, scores, this.o.store.fixTrackRecords(i.type))
          : i.recommendedFixes
              .map((x) => ({
                ...x,
                score:
                  Math.round(
                    (x.score + (x.action === fix?.action ? (f.verdict === 'helpful' ? 0.1 : -0.1) : 0)) * 100,
                  ) / 100,
              }))
              .sort((a, b) => b.score - a.score);
      await this.o.store.saveIncident(i);
    }
    return full;
  }

  runbook(type: IncidentType): Runbook {
    const edit = this.o.store.runbookEdit(type);
    if (edit) return edit;
    const s = SHIPPED_RUNBOOKS[type];
    if (!s) throw new KubeError('notFound', `no runbook for incident type "${type}"`);
    return { type, ...s, edited: false };
  }

  runbooks(): Runbook[] {
    return (Object.keys(SHIPPED_RUNBOOKS) as IncidentType[]).map((t) => this.runbook(t));
  }

  async editRunbook(r: Omit<Runbook, 'edited' | 'updatedAt'>): Promise<Runbook> {
    if (!SHIPPED_RUNBOOKS[r.type]) throw new KubeError('notFound', `no runbook for incident type "${r.type}"`);
    const full: Runbook = { ...r, edited: true, updatedAt: new Date().toISOString() };
    await this.o.store.saveRunbook(full);
    return full;
  }

  async resetRunbook(type: IncidentType): Promise<Runbook> {
    if (!SHIPPED_RUNBOOKS[type]) throw new KubeError('notFound', `no runbook for incident type "${type}"`);
    await this.o.store.resetRunbook(type);
    return this.runbook(type);
  }

  changes(context: string, sinceMs: number): ChangeRecord[] {
    const since = new Date(Date.now() - sinceMs).toISOString();
    const w = this.watchers.get(context);
    const m = new Map<string, ChangeRecord>();
    for (const c of this.o.store.changes(context, since)) m.set(c.id, c);
    for (const c of w?.changes ?? []) if (c.time >= since) m.set(c.id, c);
    return [...m.values()].sort((a, b) => b.time.localeCompare(a.time));
  }

  detectorFor(context: string): Detector | undefined {
    return this.watchers.get(context)?.detector;
  }

  get metrics(): MetricsFacts | undefined {
    return this.o.metrics;
  }

  get kube(): KubeEngine {
    return this.o.kube;
  }
}

export function signatureOf(f: Pick<Finding, 'type' | 'evidence' | 'container'>): string {
  // Same failure anywhere: type, container name and the reason words, without names, numbers or hashes.
  const reason = (f.evidence.terminationReason ?? f.evidence.reason ?? '').replace(/[0-9a-f]{6,}|\d+/g, '#');
  return `${f.type}|${f.container ?? ''}|${reason}`;
}

function summarize(all: Incident[]): IncidentSummary {
  const s: IncidentSummary = {
    total: 0,
    open: 0,
    resolved: 0,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    byType: {},
    byNamespace: {},
  };
  for (const i of all) {
    if (i.status === 'resolved') {
      s.resolved++;
      continue;
    }
    s.open++;
    s.total++;
    s.bySeverity[i.severity]++;
    s.byType[i.type] = (s.byType[i.type] ?? 0) + 1;
    const ns = i.resource.namespace ?? '(cluster)';
    s.byNamespace[ns] = (s.byNamespace[ns] ?? 0) + 1;
  }
  return s;
}

function configRefs(spec: KObject['spec']): Array<{ kind: string; name: string }> {
  const out: Array<{ kind: string; name: string }> = [];
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])] as Array<{
    env?: Array<{ valueFrom?: { configMapKeyRef?: { name: string }; secretKeyRef?: { name: string } } }>;
    envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  }>) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) out.push({ kind: 'ConfigMap', name: e.valueFrom.configMapKeyRef.name });
      if (e.valueFrom?.secretKeyRef?.name) out.push({ kind: 'Secret', name: e.valueFrom.secretKeyRef.name });
    }
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef?.name) out.push({ kind: 'ConfigMap', name: e.configMapRef.name });
      if (e.secretRef?.name) out.push({ kind: 'Secret', name: e.secretRef.name });
    }
  }
  for (const v of (spec?.volumes ?? []) as Array<{ configMap?: { name: string }; secret?: { secretName: string } }>) {
    if (v.configMap?.name) out.push({ kind: 'ConfigMap', name: v.configMap.name });
    if (v.secret?.secretName) out.push({ kind: 'Secret', name: v.secret.secretName });
  }
  return out;
}

export { parseQuantity };
