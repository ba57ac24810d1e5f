// Fixes carried out: a recommended fix previewed or applied as an execution (permission check, the call with retries on
// conflict, a read-back, the undo it leaves), undone on request, then watched until a verdict says whether it helped.
import type { Execution, FixPreview, FixVerification, Incident, RecommendedFix } from '../../shared/incidents';
import { OUTCOME_WORDS } from '../../shared/incidents';
import type { KObject } from '../kube/descriptors';
import type { Emitter } from '../kube/emitter';
import type { KubeEngine } from '../kube/engine';
import { KubeError, toKubeError } from '../kube/errors';
import type { KubeGrafStore } from '../store/store';
import type { Executions } from './executions';
import { notAllowed, planFix, previewPlan } from './fixes';
import type { IncidentEngineEvents, IncidentRecords } from './lifecycle';
import { DEFAULT_VERIFY_WINDOW_SECONDS, nextSteps, type Verifications } from './verification';
import type { ContextWatcher } from './watcher';

export interface FixRunnerHost {
  kube: KubeEngine;
  store: KubeGrafStore;
  records: IncidentRecords;
  events: Emitter<IncidentEngineEvents>;
  executions: Executions;
  verifications: Verifications;
  watcher(context: string): ContextWatcher | undefined;
  /** Seconds a fixed condition must stay clear (or where to read them when a fix is applied); default 300. */
  verifyWindowSeconds?: number | (() => number | undefined | Promise<number | undefined>);
  fixesFor(w: ContextWatcher, inc: Incident): RecommendedFix[];
  /** A verdict other than "resolved" on an incident still open: the remediation policy may try another fix. */
  notResolved(w: ContextWatcher, inc: Incident): void;
}

/** The server refused a write made on an object version that is no longer the latest. */
export const isConflict = (message: string | undefined): boolean =>
  !!message && /the object has been modified|conflict/i.test(message);

export class FixRunner {
  constructor(private readonly host: FixRunnerHost) {}

  private fixOf(id: string, fixId?: string): { inc: Incident; fix: Incident['recommendedFixes'][number] } {
    const inc = this.host.records.incident(id);
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
    const actions = this.host.kube.actions(inc.context);
    // A controller may write the target between the read and the dry run: plan again on the fresh object, as the
    // apply does, rather than report the server's conflict as the fix's verdict.
    for (let attempt = 1; ; attempt++) {
      const plan = await planFix(fix, inc, actions, inc.evidence.observedPeakBytes);
      const p = await previewPlan(plan, inc, actions);
      if (p.validated || attempt >= 5 || !isConflict(p.validationError)) return p;
    }
  }

  /** Applies a fix as an execution: permission check, the call, a read-back. Throws forbidden before any change. */
  async applyFix(
    id: string,
    fixId: string | undefined,
    initiator: Execution['initiator'] = 'user',
  ): Promise<Execution> {
    const { inc, fix } = this.fixOf(id, fixId);
    const actions = this.host.kube.actions(inc.context);
    let plan = await planFix(fix, inc, actions, inc.evidence.observedPeakBytes);
    const allowed = await actions.canI(plan.permission);
    if (!allowed)
      throw new KubeError('forbidden', `cannot apply "${fix.description}": ${notAllowed(plan.permission)}`, {
        permission: plan.permission,
      });
    const w = this.host.watcher(inc.context);
    const baseline = this.host.verifications.baseline(w, fix.target.namespace ?? inc.resource.namespace);
    const ex = await this.host.executions.start({
      context: inc.context,
      action: fix.action,
      incidentId: inc.id,
      fixId: fix.id,
      target: fix.target,
      initiator,
    });
    this.host.executions.line(ex, `$ ${plan.describe}`);
    this.host.executions.line(
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
      this.host.executions.line(ex, `applied: ${fix.preview}`);
      const check = await plan.verify(actions);
      this.host.executions.line(ex, `read back: ${check}`);
      if (plan.undo) this.host.executions.line(ex, `undo: ${plan.undo.description}`);
      const window = await this.windowSeconds();
      if (w)
        this.host.executions.line(
          ex,
          `verify: KubeGraf watches ${fix.target.kind} ${fix.target.namespace ? `${fix.target.namespace}/` : ''}${fix.target.name} and reports whether the fix helped (the condition must stay clear for ${window} s)`,
        );
      const done = await this.host.executions.finish(ex, true, {
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
      await this.host.store.addHistory({
        incidentId: inc.id,
        time: new Date().toISOString(),
        event: 'fix_applied',
        detail: `${fix.description} (execution ${ex.id}, by ${initiator})`,
      });
      if (w) await this.beginVerification(done, inc, fix, window, baseline);
      return done;
    } catch (e) {
      const k = toKubeError(e);
      this.host.executions.line(ex, `error: ${k.message}`, 'stderr');
      return this.host.executions.finish(ex, false, { error: k.message });
    }
  }

  /** Re-applies what an execution recorded as its undo. */
  async undo(executionId: string): Promise<Execution> {
    const prev = this.host.executions.get(executionId);
    if (!prev) throw new KubeError('notFound', `no execution "${executionId}"`);
    if (!prev.undo?.yaml && !prev.undo?.deletes)
      throw new KubeError(
        'unsupported',
        `execution ${executionId} cannot be undone: ${prev.undo?.description ?? 'no undo recorded'}`,
      );
    const actions = this.host.kube.actions(prev.context);
    if (prev.incidentId && this.host.verifications.get(prev.id))
      await this.host.verifications.supersede(prev.incidentId, 'The fix was undone before a verdict.');
    const ex = await this.host.executions.start({
      context: prev.context,
      action: `undo:${prev.action}`,
      incidentId: prev.incidentId,
      target: prev.target,
      initiator: 'user',
    });
    this.host.executions.line(ex, `$ ${prev.undo.description}`);
    try {
      const t = prev.undo.target;
      if (prev.undo.deletes) {
        await actions.delete(t.kind, t.namespace, t.name);
        this.host.executions.line(ex, `deleted ${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`);
        return this.host.executions.finish(ex, true, { resourcesChanged: 1 });
      }
      // The recorded object carries no resourceVersion: take the live one so the replace is not refused as stale.
      const { parse, stringify } = await import('yaml');
      const obj = parse(prev.undo.yaml!) as KObject;
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
      this.host.executions.line(ex, `re-applied ${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`);
      return this.host.executions.finish(ex, true, { resourcesChanged: 1 });
    } catch (e) {
      const k = toKubeError(e);
      this.host.executions.line(ex, `error: ${k.message}`, 'stderr');
      return this.host.executions.finish(ex, false, { error: k.message });
    }
  }

  private async windowSeconds(): Promise<number> {
    const o = this.host.verifyWindowSeconds;
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
    await this.host.verifications.supersede(inc.id, 'Another fix was applied to this incident before a verdict.');
    ex.verification = v;
    await this.host.store.saveExecution(ex);
    const cur = this.host.records.get(inc.id);
    if (cur) {
      cur.fixVerification = v;
      this.host.events.emit('incident', { what: 'updated', incident: cur });
      await this.host.store.saveIncident(cur);
    }
    await this.host.verifications.begin(v, baseline);
  }

  /** A verdict: on the incident, in the execution's history, as a notification; then learning and the policy use it. */
  async onVerified(v: FixVerification): Promise<void> {
    const w = this.host.watcher(v.context);
    const cur = this.host.records.get(v.incidentId);
    const ex = this.host.executions.get(v.executionId);
    // Learned first, so the fixes on offer now (the target changed too) carry this verdict in their track record.
    await this.host.store.saveFixOutcome(v);
    if (w && cur?.status === 'open') cur.recommendedFixes = this.host.fixesFor(w, cur);
    if (v.outcome === 'did_not_help' || v.outcome === 'made_worse') {
      v.nextSteps = nextSteps(v, cur?.status === 'open' ? cur.recommendedFixes : [], ex?.undo);
      await this.host.store.saveFixOutcome(v);
    }
    if (cur) {
      cur.fixVerification = v;
      this.host.events.emit('incident', { what: 'updated', incident: cur });
    }
    if (ex) await this.host.executions.verified(ex, v);
    if (cur) await this.host.store.saveIncident(cur);
    const words = OUTCOME_WORDS[v.outcome];
    await this.host.store.addHistory({
      incidentId: v.incidentId,
      time: v.decidedAt ?? new Date().toISOString(),
      event: 'fix_verified',
      detail: `${v.description}: ${words}. ${v.summary}`,
    });
    if (v.outcome === 'superseded') return;
    const title = cur?.title ?? v.incidentId;
    const next = v.nextSteps.length ? ` Next: ${v.nextSteps.map((n) => n.label).join('; or ')}.` : '';
    await this.host.store.addNotification({
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
    if (v.outcome !== 'resolved' && w && cur?.status === 'open') this.host.notResolved(w, cur);
  }
}
