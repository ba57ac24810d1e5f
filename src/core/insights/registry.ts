// The insight analyses, and what every one of them shares: findings read from the watch cache (of one source or all,
// of one object for the details drawer and the VS Code tree), the daily score kept in the store, and the fix path (a
// server-side dry run diff and an access review before, an execution with its undo after), the same as incident fixes.
import { createTwoFilesPatch } from 'diff';
import type { Execution } from '../../shared/incidents';
import { INSIGHT_SOURCES, type Finding, type InsightFixPreview, type InsightSource } from '../../shared/insights';
import { contextOf } from '../api/common';
import type { ApiDeps } from '../api/deps';
import { ApiError, badRequest, notFound } from '../api/errors';
import type { KObject } from '../kube/descriptors';
import { KubeError, toKubeError } from '../kube/errors';
import { toYaml } from '../kube/writes';
import { notAllowed } from '../incidents/fixes';
import { isConflict } from '../incidents/fixRuns';
import type { InsightAnalysis } from './analysis';
import { costInsights } from './cost';
import { continuityInsights } from './continuity';
import { securityInsights } from './security';
import { driftInsights } from './drift';

/** Every analysis, by source. */
export const INSIGHTS: Partial<Record<InsightSource, InsightAnalysis>> = {
  security: securityInsights,
  cost: costInsights,
  continuity: continuityInsights,
  drift: driftInsights,
};

export type InsightTable = Partial<Record<InsightSource, InsightAnalysis>>;

const today = (now = Date.now()) => new Date(now).toISOString().slice(0, 10);

/** What was last written per context/source/day, so an unchanged score is not written again on every request. */
const written = new WeakMap<ApiDeps['store'], Map<string, string>>();

async function keepScores(
  d: ApiDeps,
  context: string,
  a: InsightAnalysis,
  findings: Finding[],
  namespaces: string[],
): Promise<void> {
  const s = a.scores(findings, namespaces);
  const row: Record<string, number> = { '': s.cluster, ...s.namespaces };
  const day = today();
  const key = `${context}\0${a.source}\0${day}`;
  const sig = JSON.stringify(row);
  let seen = written.get(d.store);
  if (!seen) written.set(d.store, (seen = new Map()));
  if (seen.get(key) === sig) return;
  seen.set(key, sig);
  await d.store.saveScores(context, a.source, day, row);
}

async function namespaceNames(d: ApiDeps, context: string): Promise<string[]> {
  const { cache } = await d.lists.cache(context, 'namespaces');
  return cache.list().map((n) => n.metadata.name);
}

export interface FindingQuery {
  context?: string;
  source?: InsightSource;
  namespace?: string;
  kind?: string;
  name?: string;
}

/**
 * Findings of one source or of all, in a namespace or everywhere, optionally of one object. A whole-cluster read also
 * keeps the day's score of each source it ran.
 */
export async function insightFindings(
  d: ApiDeps,
  q: FindingQuery,
  table: InsightTable = INSIGHTS,
): Promise<{ context: string; findings: Finding[] }> {
  const context = contextOf(d, q.context);
  const sources = q.source ? [q.source] : INSIGHT_SOURCES.filter((s) => table[s]);
  const a0 = q.source && table[q.source];
  if (q.source && !a0) throw new ApiError('notFound', `no ${q.source} analysis in this build`, 404);
  // One object's findings need only its namespace scanned.
  const namespace = q.namespace || undefined;
  const out: Finding[] = [];
  for (const s of sources) {
    const a = table[s]!;
    const found = await a.findings(d, context, namespace);
    if (!namespace) await keepScores(d, context, a, found, await namespaceNames(d, context));
    out.push(...found);
  }
  const kind = q.kind?.toLowerCase();
  return {
    context,
    findings: out.filter(
      (f) =>
        (!kind || f.target.kind.toLowerCase() === kind) &&
        (!q.name || f.target.name === q.name) &&
        (!namespace ||
          f.target.namespace === namespace ||
          (f.target.kind === 'Namespace' && f.target.name === namespace)),
    ),
  };
}

/** The finding with this id, found again in the cache as it is now (a fixed or vanished one is a 404). */
async function findingOf(d: ApiDeps, context: string, id: string, table: InsightTable): Promise<Finding> {
  const source = id.split(':', 1)[0] as InsightSource;
  const a = table[source];
  if (!a) throw badRequest(`"${id}" is not a finding id (it starts with its source: ${INSIGHT_SOURCES.join(', ')})`);
  const ns = id.split(':')[3]?.split('/')[0] || undefined;
  const f = (await a.findings(d, context, ns)).find((x) => x.id === id);
  if (!f) throw notFound(`no finding "${id}" now: it may have been fixed already`);
  return f;
}

interface Plan {
  finding: Finding;
  analysis: InsightAnalysis;
  live: KObject;
  /** Undefined live object of a created one. */
  before?: KObject;
  after: KObject;
  kind: { id: string; group: string; resource: string; namespaced: boolean };
  verb: 'update' | 'create';
}

async function planOf(d: ApiDeps, context: string, id: string, table: InsightTable): Promise<Plan> {
  const finding = await findingOf(d, context, id, table);
  const analysis = table[finding.source]!;
  if (!finding.fix || !analysis.fixObject)
    throw new ApiError('unsupported', `"${finding.title}" has no automatic fix; ${finding.why}`, 422);
  const actions = d.kube.actions(context);
  const t = finding.target;
  const live = await actions.get(t.kind, t.namespace, t.name);
  const after = structuredClone(await analysis.fixObject(finding, structuredClone(live), d, context));
  delete after.metadata.managedFields;
  delete (after as { status?: unknown }).status;
  const desc = d.kube.descriptor(context, after.kind ?? t.kind);
  const namespace = desc.namespaced ? (after.metadata.namespace ?? t.namespace) : undefined;
  if (namespace) after.metadata.namespace = namespace;
  let before: KObject | undefined;
  if (finding.fix.type === 'patch') before = live;
  else {
    try {
      before = await actions.get(desc.kind, namespace, after.metadata.name);
    } catch (e) {
      if (toKubeError(e).code !== 'notFound') throw e;
    }
    if (before)
      throw new ApiError(
        'conflict',
        `${desc.kind} ${namespace ? `${namespace}/` : ''}${after.metadata.name} already exists: the fix would replace it`,
        409,
      );
  }
  return {
    finding,
    analysis,
    live,
    before,
    after,
    kind: { id: desc.plural, group: desc.group, resource: desc.plural, namespaced: desc.namespaced },
    verb: finding.fix.type === 'patch' ? 'update' : 'create',
  };
}

const clean = (o: KObject | undefined): string => {
  if (!o) return '';
  const c = structuredClone(o);
  delete c.metadata.managedFields;
  delete c.metadata.resourceVersion;
  delete (c as { status?: unknown }).status;
  return toYaml(c);
};

function permissionOf(p: Plan): InsightFixPreview['permission'] {
  const ns = p.after.metadata.namespace;
  return {
    verb: p.verb,
    group: p.kind.group,
    resource: p.kind.resource,
    ...(ns ? { namespace: ns } : {}),
    ...(p.verb === 'update' ? { name: p.after.metadata.name } : {}),
  };
}

/** A finding's fix as it would be applied now: the object, its diff from a server dry run, and the permission. */
export async function previewInsightFix(
  d: ApiDeps,
  q: { context?: string; findingId: string },
  table: InsightTable = INSIGHTS,
): Promise<InsightFixPreview> {
  const context = contextOf(d, q.context);
  const actions = d.kube.actions(context);
  let p: Plan;
  let yaml: string;
  let diff: string;
  let validated = false;
  let validationError: string | undefined;
  // A controller may write the target between the read and the dry run: plan again on the fresh object.
  for (let attempt = 1; ; attempt++) {
    p = await planOf(d, context, q.findingId, table);
    yaml = toYaml(p.after);
    const label = `${p.kind.id}/${p.after.metadata.namespace ? `${p.after.metadata.namespace}/` : ''}${p.after.metadata.name}`;
    diff = createTwoFilesPatch(`${label} (live)`, `${label} (after fix)`, clean(p.before), clean(p.after));
    validationError = undefined;
    try {
      const dry = await actions.previewApply(yaml, p.after.metadata.namespace);
      validated = true;
      if (dry.diff) diff = dry.diff;
    } catch (e) {
      validationError = toKubeError(e).message;
    }
    if (validated || attempt >= 5 || !isConflict(validationError)) break;
  }
  const permission = permissionOf(p);
  let allowed = false;
  let reason: string | undefined;
  try {
    allowed = await actions.canI(permission);
    if (!allowed) reason = notAllowed(permission);
  } catch (e) {
    reason = `could not check permission: ${toKubeError(e).message}`;
  }
  return {
    finding: p.finding,
    yaml,
    diff,
    validated,
    ...(validationError ? { validationError } : {}),
    allowed,
    ...(reason ? { reason } : {}),
    permission,
  };
}

/** Applies a finding's fix as an execution: permission first, the apply (again on conflict), a read-back, the undo. */
export async function applyInsightFix(
  d: ApiDeps,
  q: { context?: string; findingId: string; confirm?: boolean },
  table: InsightTable = INSIGHTS,
): Promise<Execution> {
  if (!q.confirm)
    throw badRequest(
      'applying a fix changes the cluster: preview it (POST /api/insights/fix-preview), then send confirm:true',
    );
  const context = contextOf(d, q.context);
  let p = await planOf(d, context, q.findingId, table);
  const actions = d.kube.actions(context);
  const permission = permissionOf(p);
  if (!(await actions.canI(permission)))
    throw new KubeError('forbidden', `cannot apply "${p.finding.fix!.description}": ${notAllowed(permission)}`, {
      permission,
    });
  const target = {
    kind: p.after.kind ?? p.finding.target.kind,
    namespace: p.after.metadata.namespace,
    name: p.after.metadata.name,
  };
  const executions = d.incidents.executions;
  const ex = await executions.start({
    context,
    action: `insight:${p.finding.source}:${p.finding.check}`,
    fixId: p.finding.id,
    target,
    initiator: 'user',
  });
  executions.line(ex, `$ ${p.finding.fix!.description}`);
  executions.line(ex, `finding: ${p.finding.title} (${p.finding.severity}): ${p.finding.why}`);
  executions.line(
    ex,
    `permission ${permission.verb} ${permission.group ? `${permission.resource}.${permission.group}` : permission.resource}: allowed (SelfSubjectAccessReview)`,
  );
  try {
    // Controllers write status all the time: a replace refused as stale is planned again on the fresh object.
    for (let attempt = 1; ; attempt++) {
      try {
        await actions.apply(toYaml(p.after), p.after.metadata.namespace);
        break;
      } catch (e) {
        if (toKubeError(e).code !== 'conflict' || attempt >= 5 || p.verb === 'create') throw e;
        p = await planOf(d, context, q.findingId, table);
      }
    }
    const back = await actions.get(target.kind, target.namespace, target.name);
    executions.line(
      ex,
      `${p.verb === 'create' ? 'created' : 'updated'} ${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name} (resourceVersion ${back.metadata.resourceVersion})`,
    );
    const undo =
      p.verb === 'update'
        ? {
            description: `re-apply ${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name} as it was before the fix`,
            yaml: clean(p.before),
            target,
          }
        : {
            description: `delete ${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name}`,
            target,
            deletes: true,
          };
    executions.line(ex, `undo: ${undo.description}`);
    return await executions.finish(ex, true, { resourcesChanged: 1, undo });
  } catch (e) {
    const k = toKubeError(e);
    executions.line(ex, `error: ${k.message}`, 'stderr');
    return executions.finish(ex, false, { error: k.message });
  }
}

/** Daily scores of a source, the newest day computed now. */
export async function insightScores(
  d: ApiDeps,
  q: { context?: string; source: InsightSource; days?: number; namespace?: string },
  table: InsightTable = INSIGHTS,
) {
  const context = contextOf(d, q.context);
  await insightFindings(d, { context, source: q.source }, table);
  const days = q.days ?? 30;
  const since = today(Date.now() - (days - 1) * 86_400_000);
  const points = d.store
    .scores(context, q.source, since, q.namespace)
    .map((r) => ({ day: r.day, source: q.source, ...(r.namespace ? { namespace: r.namespace } : {}), score: r.score }));
  return { context, source: q.source, days, points };
}
