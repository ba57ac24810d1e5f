// default-scheduler: binds pending pods to nodes that pass the usual filters, or records why none did
// in the same words the real scheduler uses.
import type { KObj } from '../store';
import type { NodeIndex } from './nodeIndex';
import { podRequests } from './quantity';
import { parseQuantity } from './quantity';
import type { Runtime } from './runtime';
import { keyOf, setCondition } from './runtime';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}
interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export function tolerates(tols: Toleration[] | undefined, t: Taint): boolean {
  return (tols ?? []).some(
    (x) =>
      (!x.effect || x.effect === t.effect) &&
      ((x.operator === 'Exists' && (!x.key || x.key === t.key)) ||
        (x.key === t.key && (x.value ?? '') === (t.value ?? ''))),
  );
}

interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const vs = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && vs.includes(value);
    case 'NotIn':
      return value === undefined || !vs.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(vs[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(vs[0]);
    default:
      return false;
  }
}

/** nodeSelector plus required node affinity (matchExpressions on labels, matchFields on metadata.name). */
export function nodeMatches(pod: KObj, node: KObj): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries((pod.spec?.nodeSelector ?? {}) as Record<string, string>))
    if (labels[k] !== v) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as
    Array<{ matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }> | undefined;
  if (!terms?.length) return true;
  return terms.some(
    (t) =>
      (t.matchExpressions ?? []).every((r) => requirementMatches(r, labels[r.key])) &&
      (t.matchFields ?? []).every((r) =>
        requirementMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined),
      ),
  );
}

/** Why this node cannot take the pod (empty when it can), phrased like the scheduler's filter plugins. */
export function unfitReasons(pod: KObj, node: KObj, idx: NodeIndex): string[] {
  if (
    node.spec?.unschedulable &&
    !tolerates(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
  )
    return ['node(s) were unschedulable'];
  for (const t of (node.spec?.taints ?? []) as Taint[]) {
    if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod.spec?.tolerations, t))
      return [`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`];
  }
  if (!nodeMatches(pod, node)) return ["node(s) didn't match Pod's node affinity/selector"];
  const alloc = (node.status?.allocatable ?? {}) as Record<string, string>;
  const used = idx.requested(node.metadata.name);
  const out: string[] = [];
  if (alloc.pods !== undefined && idx.podsOn(node.metadata.name).size + 1 > parseQuantity(alloc.pods))
    out.push('Too many pods');
  for (const [res, need] of Object.entries(podRequests(pod.spec))) {
    if (need <= 0 || res === 'ephemeral-storage') continue;
    if ((used[res] ?? 0) + need > parseQuantity(alloc[res] ?? '0') + 1e-9) out.push(`Insufficient ${res}`);
  }
  return out;
}

export function installScheduler(r: Runtime, idx: NodeIndex): { retryAll(): void } {
  const unschedulable = new Set<string>();
  let retryPending = false;
  const retryAll = () => {
    if (retryPending || unschedulable.size === 0) return;
    retryPending = true;
    r.after(1000, () => {
      retryPending = false;
      for (const k of unschedulable) r.enqueue('schedule', k);
    });
  };

  r.on('pods', (e) => {
    const p = e.object;
    if (e.type === 'DELETED') {
      unschedulable.delete(keyOf(p));
      if (p.spec?.nodeName) retryAll();
      return;
    }
    if (!p.spec?.nodeName && !p.metadata.deletionTimestamp) r.enqueue('schedule', keyOf(p));
    else unschedulable.delete(keyOf(p));
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') retryAll();
  });
  r.on('nodes', retryAll);
  r.on('persistentvolumeclaims', retryAll);

  r.handle('schedule', (key) => {
    const pod = r.byKey('pods', key);
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) return;
    if (pod.spec?.schedulerName && pod.spec.schedulerName !== 'default-scheduler') return;
    const nodes = [...r.ctx.store.iterate('nodes')];
    let message = volumeProblem(r, pod);
    let best: KObj | undefined;
    if (!message) {
      const reasons = new Map<string, number>();
      let bestScore = Infinity;
      for (const n of nodes) {
        const why = unfitReasons(pod, n, idx);
        for (const w of why) reasons.set(w, (reasons.get(w) ?? 0) + 1);
        if (why.length) continue;
        const s = score(pod, n, idx);
        if (s < bestScore) [best, bestScore] = [n, s];
      }
      if (!best) {
        const parts = [...reasons.entries()].map(([w, c]) => `${c} ${w}`).sort();
        message = `0/${nodes.length} nodes are available: ${parts.join(', ')}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
        if (nodes.length === 0) message = 'no nodes available to schedule pods';
      }
    }
    if (!best) {
      unschedulable.add(key);
      const conds = setCondition(pod.status?.conditions, {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message,
        lastProbeTime: null,
      });
      r.setStatus('pods', pod, { ...(pod.status ?? {}), phase: 'Pending', conditions: conds });
      r.event(pod, 'Warning', 'FailedScheduling', message!, 'default-scheduler');
      return;
    }
    unschedulable.delete(key);
    const bound = r.update('pods', { ...pod, spec: { ...pod.spec, nodeName: best.metadata.name } });
    idx.track(bound);
    const conds = setCondition(bound.status?.conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null });
    r.setStatus('pods', bound, { ...(bound.status ?? {}), phase: 'Pending', conditions: conds });
    r.event(
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${best.metadata.name}`,
      'default-scheduler',
    );
  });
  return { retryAll };
}

/** Least-allocated scoring: the node left with the most free CPU and memory wins. */
function score(pod: KObj, node: KObj, idx: NodeIndex): number {
  const alloc = node.status?.allocatable ?? {};
  const used = idx.requested(node.metadata.name);
  const need = podRequests(pod.spec);
  const frac = (r: string) => ((used[r] ?? 0) + (need[r] ?? 0)) / Math.max(parseQuantity(alloc[r] ?? '1'), 1e-9);
  return frac('cpu') + frac('memory') + idx.podsOn(node.metadata.name).size * 1e-6;
}

function volumeProblem(r: Runtime, pod: KObj): string | undefined {
  for (const v of pod.spec?.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName as string | undefined;
    if (!claim) continue;
    const pvc = r.get('persistentvolumeclaims', pod.metadata.namespace, claim);
    if (!pvc)
      return `0/${r.ctx.store.count('nodes')} nodes are available: persistentvolumeclaim "${claim}" not found. preemption: 0/${r.ctx.store.count('nodes')} nodes are available: ${r.ctx.store.count('nodes')} Preemption is not helpful for scheduling.`;
    if (pvc.status?.phase !== 'Bound')
      return `0/${r.ctx.store.count('nodes')} nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/${r.ctx.store.count('nodes')} nodes are available: ${r.ctx.store.count('nodes')} Preemption is not helpful for scheduling.`;
  }
  return undefined;
}
