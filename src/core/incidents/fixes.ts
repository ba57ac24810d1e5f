// Fixes as concrete changes: each recommended fix becomes a plan (the object before, the object after, the call that
// applies it, the permission it needs, how to undo it). Preview diffs the plan and validates it with a server dry run.
import { createTwoFilesPatch } from 'diff';
import type { KubeActions } from '../kube/actions';
import { toYaml } from '../kube/actions';
import type { KObject } from '../kube/descriptors';
import { KubeError, toKubeError } from '../kube/errors';
import type {
  FixAction,
  FixPreview,
  FixTrackRecord,
  Incident,
  ObjectRef,
  RecommendedFix,
} from '../../shared/incidents';
import type { KubeGrafStore } from '../store/store';
import type { ClusterView, WatchedKind } from './rules';
import type { Container, Deployment, Pod, ReplicaSet } from '../kube/objects';
import { parseQuantity } from '../../shared/quantity';

const MI = 1024 * 1024;

export const formatMi = (bytes: number): string =>
  bytes >= 1024 * MI && bytes % (1024 * MI) === 0 ? `${bytes / (1024 * MI)}Gi` : `${Math.round(bytes / MI)}Mi`;

/** The memory sizing rule after an OOM kill, as numbers (see memorySizing). */
export const OOM_SIZING = { factor: 1.5, minStepBytes: 128 * MI, unitBytes: 64 * MI, floorBytes: 256 * MI };

/**
 * A new memory limit for a container that was OOM-killed, and the rule in words. A container killed at its limit was
 * using all of it, so the usage seen before the kill (at most the limit) only says that it needs more than the limit:
 * sizing "from the observed peak" under-estimates. So, as the Vertical Pod Autoscaler does after an OOM, the step is a
 * factor of the memory at the kill with a minimum step; the factor is larger than VPA's 1.2 because a limit change
 * restarts the pods and should take as few attempts as possible. Without a limit (the node ran out of memory) the
 * basis is the highest usage seen.
 */
export function memorySizing(limitBytes: number, peakBytes: number | undefined): { bytes: number; rationale: string } {
  const { factor, minStepBytes, unitBytes, floorBytes } = OOM_SIZING;
  const limit = Number.isFinite(limitBytes) && limitBytes > 0 ? limitBytes : undefined;
  const peak = peakBytes && peakBytes > 0 ? peakBytes : undefined;
  const basis = Math.max(limit ?? 0, peak ?? 0);
  const bytes = Math.max(floorBytes, Math.ceil(Math.max(basis * factor, basis + minStepBytes) / unitBytes) * unitBytes);
  const rule = `${factor}× the memory at the kill, at least +${formatMi(minStepBytes)}, rounded up to ${formatMi(unitBytes)}`;
  const why = limit
    ? peak && peak > limit
      ? `It was seen using ${formatMi(peak)}, more than its current ${formatMi(limit)} limit, so the basis is ${formatMi(peak)}.`
      : `It was OOM-killed at its ${formatMi(limit)} limit: at the kill it used all of it${peak ? ` (the highest usage seen, ${formatMi(peak)}, is the limit itself)` : ''}, so its real need is unknown and above ${formatMi(limit)}.`
    : peak
      ? `It has no memory limit and was killed when the node ran out of memory; the highest usage seen was ${formatMi(peak)}.`
      : `It has no memory limit and no usage was seen; ${formatMi(floorBytes)} is the smallest limit KubeGraf suggests.`;
  return {
    bytes,
    rationale: `${why} Rule (as the Vertical Pod Autoscaler sizes after an OOM kill): ${rule} → ${formatMi(bytes)}. KubeGraf watches the new pods after the change and says whether it helped.`,
  };
}

/** The new memory limit of memorySizing, in bytes. */
export function recommendMemory(limitBytes: number, peakBytes: number | undefined): number {
  return memorySizing(limitBytes, peakBytes).bytes;
}

const KIND_IDS: Record<string, { id: string; group: string; resource: string }> = {
  Deployment: { id: 'deployments', group: 'apps', resource: 'deployments' },
  StatefulSet: { id: 'statefulsets', group: 'apps', resource: 'statefulsets' },
  DaemonSet: { id: 'daemonsets', group: 'apps', resource: 'daemonsets' },
  Pod: { id: 'pods', group: '', resource: 'pods' },
  Node: { id: 'nodes', group: '', resource: 'nodes' },
  CronJob: { id: 'cronjobs', group: 'batch', resource: 'cronjobs' },
  HorizontalPodAutoscaler: {
    id: 'horizontalpodautoscalers',
    group: 'autoscaling',
    resource: 'horizontalpodautoscalers',
  },
};

const PRIOR: Record<FixAction, number> = {
  rollback: 0.9,
  increase_memory_limit: 0.85,
  fix_image_tag: 0.8,
  delete_pod: 0.6,
  restart: 0.5,
  scale: 0.55,
  cordon_node: 0.7,
  resume_cronjob: 0.4,
  raise_hpa_max: 0.6,
};

interface Revision {
  revision: number;
  rs: ReplicaSet;
}

/** A deployment's ReplicaSets by revision, newest first (from the cache). */
export function revisionsOf(view: ClusterView, d: KObject): Revision[] {
  if (!d.metadata.uid) return [];
  return view
    .ownedBy('replicasets', d.metadata.uid)
    .map((rs) => ({ revision: Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0), rs }))
    .filter((r) => r.revision > 0)
    .sort((a, b) => b.revision - a.revision);
}

/** The containers of a pod, or of a workload's pod template. */
function containersOf(o: KObject): Container[] {
  const spec = o.spec as Pod['spec'] & Deployment['spec'];
  return spec?.template?.spec?.containers ?? spec?.containers ?? [];
}

function withFix(
  action: FixAction,
  target: ObjectRef,
  description: string,
  preview: string,
  impact: RecommendedFix['impact'],
  risk: RecommendedFix['risk'],
  scores: Map<string, number>,
  rationale?: string,
): RecommendedFix {
  const f: RecommendedFix = {
    id: `${action}:${target.kind}/${target.namespace ?? ''}/${target.name}`,
    action,
    description,
    impact,
    risk,
    preview,
    target,
    score: Math.round((PRIOR[action] + 0.1 * (scores.get(action) ?? 0)) * 100) / 100,
  };
  if (rationale) f.rationale = rationale;
  return f;
}

/**
 * Recommended fixes for an incident, ranked (prior, moved by user feedback and verified outcomes per incident type and
 * action), each with its track record when one exists.
 */
export function recommendFixes(
  inc: Pick<Incident, 'type' | 'resource' | 'evidence'>,
  view: ClusterView,
  scores: Map<string, number>,
  tracks?: Map<string, FixTrackRecord>,
): RecommendedFix[] {
  const out: RecommendedFix[] = [];
  const ranked = () => {
    for (const f of out) {
      const t = tracks?.get(f.action);
      if (t) f.track = t;
    }
    return out.sort((a, b) => b.score - a.score);
  };
  const r = inc.resource;
  const ev = inc.evidence;
  const workload = ['Deployment', 'StatefulSet', 'DaemonSet'].includes(r.kind) ? r : undefined;
  const wObj = workload
    ? view.get(KIND_IDS[workload.kind].id as WatchedKind, workload.namespace, workload.name)
    : undefined;
  const dep = r.kind === 'Deployment' ? (wObj as Deployment | undefined) : undefined;
  const revs = dep ? revisionsOf(view, dep) : [];
  const current = dep ? Number(dep.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) : 0;
  const previous = revs.find((x) => x.revision < current);
  const podRef = ev.podName ? { kind: 'Pod', namespace: ev.namespace, name: ev.podName } : undefined;

  switch (inc.type) {
    case 'oom_killed': {
      if (wObj && ev.containerName) {
        const c = containersOf(wObj).find((x) => x.name === ev.containerName);
        const limit = parseQuantity(c?.resources?.limits?.memory);
        const size = memorySizing(limit, ev.observedPeakBytes);
        const idx = containersOf(wObj).findIndex((x) => x.name === ev.containerName);
        out.push(
          withFix(
            'increase_memory_limit',
            workload!,
            `Increase memory limit of '${ev.containerName}' to ${formatMi(size.bytes)}${Number.isFinite(limit) ? ` (${formatMi(limit)} × ${OOM_SIZING.factor})` : ''}`,
            `spec.template.spec.containers[${idx}].resources.limits.memory: ${c?.resources?.limits?.memory ?? 'none'} -> ${formatMi(size.bytes)}`,
            'low',
            'low',
            scores,
            size.rationale,
          ),
        );
      }
      // Rolling back to a revision with a lower memory limit (e.g. undoing an increase) cannot cure an OOM kill.
      const lowersLimit = (rs: KObject) =>
        parseQuantity(containersOf(rs).find((x) => x.name === ev.containerName)?.resources?.limits?.memory) <
        parseQuantity(containersOf(dep!).find((x) => x.name === ev.containerName)?.resources?.limits?.memory);
      if (previous && changedSince(previous.rs, dep!) && !lowersLimit(previous.rs))
        out.push(
          withFix(
            'rollback',
            workload!,
            `Roll back to revision ${previous.revision}`,
            `spec.template: revision ${current} -> ${previous.revision}`,
            'medium',
            'medium',
            scores,
          ),
        );
      break;
    }
    case 'pod_crash_loop':
    case 'run_container_error':
    case 'container_create_error':
    case 'container_config_error':
    case 'missing_config_reference':
    case 'lifecycle_hook_failed': {
      if (previous)
        out.push(
          withFix(
            'rollback',
            workload!,
            `Roll back ${r.name} to revision ${previous.revision} (the last revision before the change)`,
            `spec.template: revision ${current} -> ${previous.revision}`,
            'medium',
            'medium',
            scores,
          ),
        );
      if (workload && inc.type === 'pod_crash_loop')
        out.push(
          withFix(
            'restart',
            workload,
            `Restart ${workload.kind} ${workload.name} (rolling)`,
            'spec.template.metadata.annotations.kubectl.kubernetes.io/restartedAt: <now>',
            'low',
            'low',
            scores,
          ),
        );
      if (podRef && workload)
        out.push(
          withFix(
            'delete_pod',
            podRef,
            `Delete pod ${podRef.name}; its controller creates a fresh one`,
            `delete pod ${podRef.namespace}/${podRef.name}`,
            'low',
            'low',
            scores,
          ),
        );
      break;
    }
    case 'image_pull_error':
    case 'invalid_image':
    case 'rollout_stuck': {
      const cname = ev.containerName ?? (dep ? containersOf(dep)[0]?.name : undefined);
      if (dep && previous && cname) {
        const prevImage = containersOf(previous.rs).find((c) => c.name === cname)?.image;
        const curImage = containersOf(dep).find((c) => c.name === cname)?.image;
        if (prevImage && curImage && prevImage !== curImage) {
          const idx = containersOf(dep).findIndex((c) => c.name === cname);
          out.push(
            withFix(
              'fix_image_tag',
              workload!,
              `Set the image of '${cname}' back to ${prevImage}, the last one that ran`,
              `spec.template.spec.containers[${idx}].image: ${curImage} -> ${prevImage}`,
              'medium',
              'low',
              scores,
            ),
          );
        }
      }
      if (dep && previous)
        out.push(
          withFix(
            'rollback',
            workload!,
            `Roll back ${r.name} to revision ${previous.revision}`,
            `spec.template: revision ${current} -> ${previous.revision}`,
            'medium',
            'medium',
            scores,
          ),
        );
      break;
    }
    case 'node_not_ready': {
      const node = view.get('nodes', undefined, r.name);
      if (node && !node.spec?.unschedulable)
        out.push(
          withFix(
            'cordon_node',
            r,
            `Cordon node ${r.name} so nothing new is scheduled onto it`,
            'spec.unschedulable: false -> true',
            'medium',
            'low',
            scores,
          ),
        );
      break;
    }
    case 'pod_stuck_terminating':
    case 'pod_evicted':
    case 'pod_failed':
      if (podRef)
        out.push(
          withFix(
            'delete_pod',
            podRef,
            inc.type === 'pod_stuck_terminating'
              ? `Force-delete pod ${podRef.name} (grace period 0)`
              : `Delete the dead pod ${podRef.name}`,
            `delete pod ${podRef.namespace}/${podRef.name}`,
            'low',
            inc.type === 'pod_stuck_terminating' ? 'medium' : 'low',
            scores,
          ),
        );
      break;
    case 'cronjob_suspended':
      out.push(
        withFix(
          'resume_cronjob',
          r,
          `Resume CronJob ${r.name}`,
          'spec.suspend: true -> false',
          'medium',
          'medium',
          scores,
        ),
      );
      break;
    case 'hpa_at_max': {
      const h = view.get('horizontalpodautoscalers', r.namespace, r.name);
      const max = Number(h?.spec?.maxReplicas ?? 0);
      if (max)
        out.push(
          withFix(
            'raise_hpa_max',
            r,
            `Raise maxReplicas to ${Math.ceil(max * 1.5)}`,
            `spec.maxReplicas: ${max} -> ${Math.ceil(max * 1.5)}`,
            'medium',
            'low',
            scores,
          ),
        );
      break;
    }
    case 'pdb_no_disruptions': {
      const pdb = view.get('poddisruptionbudgets', r.namespace, r.name);
      const sel = pdb?.spec?.selector?.matchLabels as Record<string, string> | undefined;
      if (sel && r.namespace) {
        for (const d of view.inNamespace('deployments', r.namespace)) {
          const labels = d.spec?.template?.metadata?.labels as Record<string, string> | undefined;
          if (labels && Object.entries(sel).every(([k, v]) => labels[k] === v)) {
            const n = Number(d.spec?.replicas ?? 1);
            out.push(
              withFix(
                'scale',
                { kind: 'Deployment', namespace: r.namespace, name: d.metadata.name },
                `Scale ${d.metadata.name} to ${n + 1} so one pod can be disrupted`,
                `spec.replicas: ${n} -> ${n + 1}`,
                'low',
                'low',
                scores,
              ),
            );
            break;
          }
        }
      }
      break;
    }
    case 'service_no_endpoints': {
      const svc = view.get('services', r.namespace, r.name);
      const sel = svc?.spec?.selector as Record<string, string> | undefined;
      if (sel && r.namespace) {
        for (const d of view.inNamespace('deployments', r.namespace)) {
          const labels = d.spec?.template?.metadata?.labels as Record<string, string> | undefined;
          if (labels && Number(d.spec?.replicas ?? 1) === 0 && Object.entries(sel).every(([k, v]) => labels[k] === v)) {
            out.push(
              withFix(
                'scale',
                { kind: 'Deployment', namespace: r.namespace, name: d.metadata.name },
                `Scale ${d.metadata.name} from 0 to 1`,
                'spec.replicas: 0 -> 1',
                'low',
                'low',
                scores,
              ),
            );
          }
        }
      }
      break;
    }
    case 'replicas_unavailable':
      if (previous)
        out.push(
          withFix(
            'rollback',
            workload!,
            `Roll back ${r.name} to revision ${previous.revision}`,
            `spec.template: revision ${current} -> ${previous.revision}`,
            'medium',
            'medium',
            scores,
          ),
        );
      if (workload && workload.kind !== 'DaemonSet')
        out.push(
          withFix(
            'restart',
            workload,
            `Restart ${workload.kind} ${workload.name} (rolling)`,
            'spec.template.metadata.annotations.kubectl.kubernetes.io/restartedAt: <now>',
            'low',
            'low',
            scores,
          ),
        );
      break;
    default:
      break;
  }
  return ranked();
}

/** The fixes for an incident ranked by feedback and verified outcomes, each with its track record. */
export function rankedFixes(
  store: Pick<KubeGrafStore, 'fixScores' | 'fixTrackRecords'>,
  view: ClusterView,
  inc: Pick<Incident, 'type' | 'resource' | 'evidence'>,
): RecommendedFix[] {
  return recommendFixes(inc, view, store.fixScores(inc.type), store.fixTrackRecords(inc.type));
}

function changedSince(prev: ReplicaSet, dep: Deployment): boolean {
  const strip = (t: unknown) => {
    const c = JSON.parse(JSON.stringify(t ?? {}));
    delete c.metadata?.labels?.['pod-template-hash'];
    return JSON.stringify(c.spec ?? {});
  };
  return strip(prev.spec?.template) !== strip(dep.spec?.template);
}

export interface FixPlan {
  fix: RecommendedFix;
  kindId: string;
  permission: FixPreview['permission'];
  before: KObject;
  /** Undefined when the fix deletes the object. */
  after?: KObject;
  /** What the execution prints before calling. */
  describe: string;
  run(actions: KubeActions): Promise<void>;
  /** For fixes without an `after` object (deletes): the same call as a server-side dry run. */
  dryRun?(actions: KubeActions): Promise<void>;
  /** Reads the target back and says what it is now. */
  verify(actions: KubeActions): Promise<string>;
  undo?: { description: string; yaml: string };
}

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;
const forDiff = (o: KObject | undefined): string => {
  if (!o) return '';
  const c = clone(o);
  delete c.metadata.managedFields;
  delete c.metadata.resourceVersion;
  delete c.status;
  return toYaml(c);
};

/**
 * The fields fixes change, across the kinds they target: a workload's pod template and replicas, a cron job's
 * suspend, an HPA's maximum, a node's unschedulable.
 */
type FixTarget = KObject & {
  spec: {
    template: NonNullable<NonNullable<Deployment['spec']>['template']>;
    replicas?: number;
    suspend?: boolean;
    maxReplicas?: number;
    unschedulable?: boolean;
  };
};

/** Builds the concrete change for a fix from the live object (read fresh from the server). */
export async function planFix(
  fix: RecommendedFix,
  inc: Incident,
  actions: KubeActions,
  observedPeak?: number,
): Promise<FixPlan> {
  const t = fix.target;
  const k = KIND_IDS[t.kind];
  if (!k) throw new KubeError('unsupported', `fixes on ${t.kind} are not supported`);
  const before = (await actions.get(k.id, t.namespace, t.name)) as FixTarget;
  const after = clone(before);
  delete after.metadata.managedFields;
  const perm = (verb: string) => ({
    verb,
    group: k.group,
    resource: k.resource,
    ...(t.namespace ? { namespace: t.namespace } : {}),
    name: t.name,
  });
  const undoYaml = () => {
    const u = clone(before);
    delete u.metadata.managedFields;
    delete u.metadata.resourceVersion;
    delete u.status;
    return toYaml(u);
  };
  const replace = (describe: string, verify: (o: KObject) => string): FixPlan => ({
    fix,
    kindId: k.id,
    permission: perm('update'),
    before,
    after,
    describe,
    run: async (a) => {
      await a.apply(toYaml(after), t.namespace);
    },
    verify: async (a) => verify(await a.get(k.id, t.namespace, t.name)),
    undo: {
      description: `re-apply ${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name} as it was before the fix`,
      yaml: undoYaml(),
    },
  });
  const tmpl = (): Container[] => after.spec.template.spec?.containers ?? [];

  switch (fix.action) {
    case 'increase_memory_limit': {
      const c = tmpl().find((x) => x.name === inc.evidence.containerName);
      if (!c)
        throw new KubeError('notFound', `container ${inc.evidence.containerName} is no longer in ${t.kind} ${t.name}`);
      const next = formatMi(
        recommendMemory(parseQuantity(c.resources?.limits?.memory), observedPeak ?? inc.evidence.observedPeakBytes),
      );
      c.resources = { ...(c.resources ?? {}), limits: { ...(c.resources?.limits ?? {}), memory: next } };
      return replace(
        `set memory limit of container ${c.name} to ${next}`,
        (o) =>
          `container ${c.name} memory limit is now ${containersOf(o).find((x) => x.name === c.name)?.resources?.limits?.memory}`,
      );
    }
    case 'fix_image_tag': {
      const m = /-> (.+)$/.exec(fix.preview);
      const idx = Number(/containers\[(\d+)\]/.exec(fix.preview)?.[1] ?? 0);
      if (!m || !tmpl()[idx]) throw new KubeError('invalid', 'the fix no longer matches the workload');
      tmpl()[idx].image = m[1];
      return replace(
        `set image of container ${tmpl()[idx].name} to ${m[1]}`,
        (o) => `container ${containersOf(o)[idx]?.name} image is now ${containersOf(o)[idx]?.image}`,
      );
    }
    case 'rollback': {
      const to = Number(/-> (\d+)$/.exec(fix.preview)?.[1]);
      const revs = await actions.revisions(t.namespace!, t.name);
      const rev = revs.find((r) => r.revision === to);
      if (!rev) throw new KubeError('notFound', `revision ${to} of deployment ${t.name} is gone`);
      const rs = (await actions.get('replicasets', t.namespace, rev.name)) as ReplicaSet;
      const template = clone(rs.spec?.template ?? {});
      delete template.metadata?.labels?.['pod-template-hash'];
      after.spec.template = template;
      return {
        fix,
        kindId: k.id,
        permission: perm('patch'),
        before,
        after,
        describe: `roll back deployment ${t.name} to revision ${to} (${rev.images.join(', ')})`,
        run: async (a) => {
          await a.rollback('deployments', t.namespace!, t.name, to);
        },
        verify: async (a) =>
          `deployment ${t.name} now runs ${containersOf(await a.get('deployments', t.namespace, t.name))
            .map((c) => c.image)
            .join(', ')}`,
        undo: {
          description: `re-apply deployment ${t.namespace}/${t.name} with the template it had before the rollback`,
          yaml: undoYaml(),
        },
      };
    }
    case 'scale': {
      const n = Number(/-> (\d+)$/.exec(fix.preview)?.[1]);
      after.spec.replicas = n;
      return {
        fix,
        kindId: k.id,
        permission: perm('patch'),
        before,
        after,
        describe: `scale ${t.kind} ${t.name} to ${n}`,
        run: async (a) => a.scale(k.id, t.namespace!, t.name, n),
        verify: async (a) =>
          `${t.kind} ${t.name} spec.replicas is now ${(await a.get(k.id, t.namespace, t.name)).spec?.replicas}`,
        undo: { description: `scale ${t.kind} ${t.name} back to ${before.spec?.replicas}`, yaml: undoYaml() },
      };
    }
    case 'restart': {
      const at = new Date();
      after.spec.template.metadata = {
        ...(after.spec.template.metadata ?? {}),
        annotations: {
          ...(after.spec.template.metadata?.annotations ?? {}),
          'kubectl.kubernetes.io/restartedAt': at.toISOString(),
        },
      };
      return {
        fix,
        kindId: k.id,
        permission: perm('patch'),
        before,
        after,
        describe: `rolling restart of ${t.kind} ${t.name}`,
        run: async (a) => a.restart(k.id, t.namespace!, t.name, at),
        verify: async (a) =>
          `${t.kind} ${t.name} restartedAt=${((await a.get(k.id, t.namespace, t.name)) as Deployment).spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']}`,
      };
    }
    case 'delete_pod': {
      const force = inc.type === 'pod_stuck_terminating';
      return {
        fix,
        kindId: k.id,
        permission: perm('delete'),
        before,
        describe: `delete pod ${t.namespace}/${t.name}${force ? ' (grace period 0)' : ''}`,
        run: async (a) => a.delete('pods', t.namespace, t.name, force ? { gracePeriodSeconds: 0 } : {}),
        dryRun: async (a) =>
          a.delete('pods', t.namespace, t.name, { ...(force ? { gracePeriodSeconds: 0 } : {}), dryRun: true }),
        verify: async (a) => {
          try {
            const o = await a.get('pods', t.namespace, t.name);
            return o.metadata.uid === before.metadata.uid
              ? `pod ${t.name} is terminating`
              : `pod ${t.name} was replaced`;
          } catch (e) {
            if (toKubeError(e).code === 'notFound') return `pod ${t.name} is gone`;
            throw e;
          }
        },
      };
    }
    case 'cordon_node': {
      after.spec = { ...(after.spec ?? {}), unschedulable: true };
      return {
        fix,
        kindId: k.id,
        permission: perm('patch'),
        before,
        after,
        describe: `cordon node ${t.name}`,
        run: async (a) => a.cordon(t.name),
        verify: async (a) =>
          `node ${t.name} unschedulable=${(await a.get('nodes', undefined, t.name)).spec?.unschedulable === true}`,
        undo: { description: `uncordon node ${t.name}`, yaml: undoYaml() },
      };
    }
    case 'resume_cronjob':
      after.spec.suspend = false;
      return replace(`resume cronjob ${t.name}`, (o) => `cronjob ${t.name} suspend=${o.spec?.suspend}`);
    case 'raise_hpa_max': {
      const n = Number(/-> (\d+)$/.exec(fix.preview)?.[1]);
      after.spec.maxReplicas = n;
      return replace(
        `set maxReplicas of HPA ${t.name} to ${n}`,
        (o) => `HPA ${t.name} maxReplicas=${o.spec?.maxReplicas}`,
      );
    }
  }
}

/** The exact diff of a plan, validated by a server-side dry run, plus whether the user may apply it. */
export async function previewPlan(plan: FixPlan, inc: Incident, actions: KubeActions): Promise<FixPreview> {
  const t = plan.fix.target;
  const label = `${plan.kindId}/${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
  let diff = createTwoFilesPatch(`${label} (live)`, `${label} (after fix)`, forDiff(plan.before), forDiff(plan.after));
  let validated = false;
  let validationError: string | undefined;
  if (plan.after) {
    try {
      const dry = await actions.previewApply(toYaml(plan.after), t.namespace);
      validated = true;
      if (dry.diff) diff = dry.diff;
    } catch (e) {
      validationError = toKubeError(e).message;
    }
  } else if (plan.dryRun) {
    try {
      await plan.dryRun(actions);
      validated = true;
    } catch (e) {
      validationError = toKubeError(e).message;
    }
  } else {
    validationError = 'this fix has no server-side dry run; checked by permission only';
  }
  let allowed = false;
  let reason: string | undefined;
  try {
    allowed = await actions.canI(plan.permission);
    if (!allowed) reason = notAllowed(plan.permission);
  } catch (e) {
    reason = `could not check permission: ${toKubeError(e).message}`;
  }
  const p: FixPreview = { incidentId: inc.id, fix: plan.fix, diff, validated, allowed, permission: plan.permission };
  if (validationError) p.validationError = validationError;
  if (reason) p.reason = reason;
  return p;
}

export function notAllowed(p: FixPreview['permission']): string {
  return `your user may not ${p.verb} ${p.group ? `${p.resource}.${p.group}` : p.resource}${p.name ? ` "${p.name}"` : ''}${p.namespace ? ` in namespace ${p.namespace}` : ''} (SelfSubjectAccessReview denied)`;
}
