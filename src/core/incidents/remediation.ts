// Auto-remediation: the policy (off by default; which actions, where, how often) and each decision under it, taken or
// declined, logged with its reason. Fixes that did not help are not retried automatically.
import { randomUUID } from 'node:crypto';
import type {
  Execution,
  FixAction,
  Incident,
  RecommendedFix,
  RemediationDecision,
  RemediationPolicy,
  RemediationStatus,
} from '../../shared/incidents';
import type { Emitter } from '../kube/emitter';
import { toKubeError } from '../kube/errors';
import type { KubeGrafStore } from '../store/store';
import type { Executions } from './executions';
import type { IncidentEngineEvents, IncidentRecords } from './lifecycle';
import type { Verifications } from './verification';
import type { ContextWatcher } from './watcher';

export const DEFAULT_POLICY: RemediationPolicy = {
  enabled: false,
  allowedActions: ['delete_pod', 'restart', 'increase_memory_limit'],
  namespaces: [],
  protectedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  maxActionsPerHour: 3,
  minOpenSeconds: 120,
};

export interface RemediationHost {
  store: KubeGrafStore;
  records: IncidentRecords;
  events: Emitter<IncidentEngineEvents>;
  executions: Executions;
  verifications: Verifications;
  /** The contexts being watched. */
  watchers(): Iterable<ContextWatcher>;
  applyFix(id: string, fixId: string | undefined, initiator: Execution['initiator']): Promise<Execution>;
}

export class Remediation {
  private readonly declinedLogged = new Set<string>();
  private readonly remediating = new Set<string>();

  constructor(private readonly host: RemediationHost) {}

  policy(): RemediationPolicy {
    return {
      ...DEFAULT_POLICY,
      ...(this.host.store.getSetting<Partial<RemediationPolicy>>('remediation.policy') ?? {}),
    };
  }

  async setPolicy(p: Partial<RemediationPolicy>): Promise<RemediationPolicy> {
    const next = { ...this.policy(), ...p };
    await this.host.store.setSetting('remediation.policy', next);
    this.declinedLogged.clear();
    if (next.enabled)
      for (const w of this.host.watchers())
        for (const i of this.host.records.values())
          if (i.context === w.context && i.status === 'open') void this.consider(w, i);
    return next;
  }

  status(): RemediationStatus {
    const decisions = this.host.store.decisions(500);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const s: RemediationStatus = {
      policy: this.policy(),
      actionsLastHour: decisions.filter((d) => d.decision === 'taken' && d.time >= hourAgo).length,
      decisions: this.host.store.decisionCount(),
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
    await this.host.store.addDecision(d);
    this.host.events.emit('decision', d);
  }

  private protectedNamespace(w: ContextWatcher, ns: string | undefined, p: RemediationPolicy): boolean {
    if (!ns) return false;
    if (p.protectedNamespaces.includes(ns)) return true;
    return w.view.get('namespaces', undefined, ns)?.metadata.labels?.['kubegraf.io/protected'] === 'true';
  }

  async consider(w: ContextWatcher, inc: Incident): Promise<void> {
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
    if (this.host.executions.list({ incidentId: inc.id, limit: 5 }).some((e) => this.host.verifications.get(e.id)))
      return;
    const failed = (f: RecommendedFix) =>
      this.host.store
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
        const cur = this.host.records.get(inc.id);
        if (cur && cur.status === 'open') void this.consider(w, cur);
      }, again).unref();
      return;
    }
    if (
      this.host.executions
        .list({ incidentId: inc.id, limit: 20 })
        .some((e) => e.initiator === 'auto-remediation' && Date.now() - Date.parse(e.startedAt) < 3600_000)
    )
      return decline('already remediated automatically within the last hour', fix.action);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const taken = this.host.store.decisions(500).filter((d) => d.decision === 'taken' && d.time >= hourAgo).length;
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
      const ex = await this.host.applyFix(inc.id, fix.id, 'auto-remediation');
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
}
