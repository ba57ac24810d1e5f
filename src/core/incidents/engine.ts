// The incident engine coordinates: detection per context (watcher + detector) feeds the incident lifecycle
// (lifecycle.ts); incidents are built and enriched with evidence, preceding change and ranked fixes (enrichment.ts);
// fixes are previewed, applied, undone and verified (fixRuns.ts); auto-remediation acts under a policy
// (remediation.ts); feedback re-ranks fixes (feedback.ts); runbooks are shipped or edited (runbooks.ts). Learning
// lives in learning.ts.
import type {
  ChangeRecord,
  Execution,
  Feedback,
  FixPreview,
  Incident,
  IncidentDetail,
  IncidentList,
  IncidentSummary,
  IncidentType,
  RecommendedFix,
  RemediationPolicy,
  RemediationStatus,
  Runbook,
} from '../../shared/incidents';
import type { KubeEngine } from '../kube/engine';
import { Emitter } from '../kube/emitter';
import { KubeError } from '../kube/errors';
import type { KubeGrafStore } from '../store/store';
import type { Detector } from './detector';
import { buildIncident, Enricher, type MetricsFacts } from './enrichment';
import { Executions } from './executions';
import { recordFeedback } from './feedback';
import { parseQuantity } from '../../shared/quantity';
import { rankedFixes } from './fixes';
import { FixRunner } from './fixRuns';
import { similarIncidents } from './learning';
import { IncidentRecords, type IncidentEngineEvents, type IncidentQuery } from './lifecycle';
import { Remediation } from './remediation';
import { DEFAULT_RULE_OPTIONS, type RuleOptions } from './rules';
import { allRunbooks, editRunbook, resetRunbook, runbookFor } from './runbooks';
import { Verifications } from './verification';
import { ContextWatcher } from './watcher';

export type { IncidentEngineEvents } from './lifecycle';
export type { MetricsFacts } from './enrichment';
export { DEFAULT_POLICY } from './remediation';
export { signatureOf } from './enrichment';

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

export class IncidentEngine {
  readonly events = new Emitter<IncidentEngineEvents>();
  readonly executions: Executions;
  /** Fixes applied and being watched for their outcome. */
  readonly verifications: Verifications;
  private readonly watchers = new Map<string, ContextWatcher>();
  private readonly starting = new Map<string, Promise<ContextWatcher>>();
  /** Every incident we know (open and resolved), by id. */
  private readonly records: IncidentRecords;
  private readonly enricher: Enricher;
  private readonly fixes: FixRunner;
  private readonly remediation: Remediation;
  private readonly opts: RuleOptions;
  private closed = false;

  constructor(private readonly o: IncidentEngineOptions) {
    this.opts = { ...DEFAULT_RULE_OPTIONS, ...(o.rules ?? {}) };
    this.executions = new Executions(o.store);
    this.verifications = new Verifications({
      store: o.store,
      record: (id) => this.records.get(id),
      decided: (v) => this.fixes.onVerified(v),
    });
    this.records = new IncidentRecords(o.store, this.events);
    const fixesFor = (w: ContextWatcher, inc: Incident) => this.fixesFor(w, inc);
    this.enricher = new Enricher({ kube: o.kube, metrics: o.metrics, logs: o.logs, records: this.records, fixesFor });
    const shared = {
      store: o.store,
      records: this.records,
      events: this.events,
      executions: this.executions,
      verifications: this.verifications,
    };
    this.fixes = new FixRunner({
      ...shared,
      kube: o.kube,
      watcher: (c) => this.watchers.get(c),
      verifyWindowSeconds: o.verifyWindowSeconds,
      fixesFor,
      notResolved: (w, inc) => void this.remediation.consider(w, inc),
    });
    this.remediation = new Remediation({
      ...shared,
      watchers: () => this.watchers.values(),
      applyFix: (id, fixId, initiator) => this.applyFix(id, fixId, initiator),
    });
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
      await this.records.resolveMissing(context, new Set(watcher.detector.openIncidents().map((i) => i.id)));
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
      // Opened and resolved between two drains: nobody saw it, and there is nothing to build a record from.
      if (ch.what === 'resolved' && !this.records.get(ch.incident.id)) continue;
      const inc = buildIncident(w, ch.incident, this.records.get(ch.incident.id), (i) => this.fixesFor(w, i));
      this.records.changed(inc, ch.what);
      if (ch.what !== 'resolved') {
        void this.enricher.enrich(w, inc.id);
        void this.remediation.consider(w, inc);
      }
    }
    if (this.verifications.forContext(w.context)) void this.verifications.check(w).catch(() => undefined);
  }

  /** Rebuilds open incidents whose fixes or root cause changed because other caches caught up. */
  rebuildOpen(w: ContextWatcher): void {
    for (const live of w.detector.openIncidents()) {
      const prev = this.records.get(live.id);
      const next = buildIncident(w, live, prev, (i) => this.fixesFor(w, i));
      if (
        prev &&
        JSON.stringify(prev.recommendedFixes) === JSON.stringify(next.recommendedFixes) &&
        prev.rootCause === next.rootCause &&
        JSON.stringify(prev.evidence.events) === JSON.stringify(next.evidence.events)
      )
        continue;
      if (prev) next.evidence = { ...next.evidence, logs: prev.evidence.logs };
      void this.records.persist(next, 'updated', 'evidence, fixes or root cause refined').catch(() => undefined);
    }
  }

  /** Ranked by feedback and verified outcomes, each with its track record. */
  private fixesFor(w: ContextWatcher, inc: Pick<Incident, 'type' | 'resource' | 'evidence'>): RecommendedFix[] {
    return rankedFixes(this.o.store, w.view, inc);
  }

  // ---------------- queries ----------------

  incident(id: string): Incident | undefined {
    return this.records.incident(id);
  }

  list(q: IncidentQuery = {}): IncidentList {
    const context = q.context ?? this.o.kube.currentContext();
    return this.records.list(context, q, this.watchers.get(context)?.synced ?? false);
  }

  summary(context?: string): IncidentSummary {
    return this.records.summary(context ?? this.o.kube.currentContext());
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
    return this.records.all();
  }

  /** A full rescan of the cache (not the API server): what the user gets from "refresh". */
  async refresh(context?: string): Promise<IncidentList> {
    const c = context ?? this.o.kube.currentContext();
    const w = await this.start(c);
    w.fullScan();
    return this.list({ context: c });
  }

  // ---------------- fixes ----------------

  previewFix(id: string, fixId?: string): Promise<FixPreview> {
    return this.fixes.previewFix(id, fixId);
  }

  /** Applies a fix as an execution: permission check, the call, a read-back. Throws forbidden before any change. */
  applyFix(id: string, fixId: string | undefined, initiator: Execution['initiator'] = 'user'): Promise<Execution> {
    return this.fixes.applyFix(id, fixId, initiator);
  }

  /** Re-applies what an execution recorded as its undo. */
  undo(executionId: string): Promise<Execution> {
    return this.fixes.undo(executionId);
  }

  // ---------------- auto-remediation ----------------

  policy(): RemediationPolicy {
    return this.remediation.policy();
  }

  setPolicy(p: Partial<RemediationPolicy>): Promise<RemediationPolicy> {
    return this.remediation.setPolicy(p);
  }

  remediationStatus(): RemediationStatus {
    return this.remediation.status();
  }

  // ---------------- feedback and runbooks ----------------

  feedback(f: Omit<Feedback, 'time'>): Promise<Feedback> {
    return recordFeedback({ store: this.o.store, records: this.records, watcher: (c) => this.watchers.get(c) }, f);
  }

  runbook(type: IncidentType): Runbook {
    return runbookFor(this.o.store, type);
  }

  runbooks(): Runbook[] {
    return allRunbooks(this.o.store);
  }

  editRunbook(r: Omit<Runbook, 'edited' | 'updatedAt'>): Promise<Runbook> {
    return editRunbook(this.o.store, r);
  }

  resetRunbook(type: IncidentType): Promise<Runbook> {
    return resetRunbook(this.o.store, type);
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

export { parseQuantity };
