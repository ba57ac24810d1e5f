// PodDisruptionBudgets: status kept from the pods each budget selects, and the check the eviction
// subresource asks before deleting a pod.
import type { SimContext } from '../context';
import { labelSelectorMatches } from '../selectors';
import type { KObj } from '../store';
import type { Runtime } from './runtime';
import { intOrPercent, isReady, isTerminal, keyOf, setCondition } from './runtime';

export interface Budget {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

/** A pod being deleted no longer counts as healthy, so evictions granted moments ago are already spent. */
const healthy = (p: KObj) => isReady(p) && !p.metadata.deletionTimestamp;

export function computeBudget(ctx: SimContext, pdb: KObj): Budget {
  const pods = [...ctx.store.iterate('pods', pdb.metadata.namespace)].filter(
    (p) => !isTerminal(p) && labelSelectorMatches(pdb.spec?.selector, p.metadata.labels),
  );
  const expectedPods = pods.length;
  const currentHealthy = pods.filter(healthy).length;
  let desiredHealthy: number;
  if (pdb.spec?.minAvailable !== undefined) desiredHealthy = intOrPercent(pdb.spec.minAvailable, expectedPods, 0, true);
  else desiredHealthy = Math.max(0, expectedPods - intOrPercent(pdb.spec?.maxUnavailable ?? 0, expectedPods, 0, true));
  return {
    expectedPods,
    currentHealthy,
    desiredHealthy,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}

/**
 * Whether evicting this pod keeps every budget that selects it. The server answers 429 with `message`
 * (and `cause` as the DisruptionBudget cause) when it does not.
 */
export function evictionAllowed(ctx: SimContext, pod: KObj): { allowed: boolean; message?: string; cause?: string } {
  const pdbs = [...ctx.store.iterate('policy/poddisruptionbudgets', pod.metadata.namespace)].filter((b) =>
    labelSelectorMatches(b.spec?.selector, pod.metadata.labels),
  );
  if (pdbs.length === 0 || isTerminal(pod) || pod.metadata.deletionTimestamp) return { allowed: true };
  if (pdbs.length > 1)
    return {
      allowed: false,
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    };
  const pdb = pdbs[0];
  const b = computeBudget(ctx, pdb);
  // Unhealthy pods may go whenever the budget is otherwise met (unhealthyPodEvictionPolicy IfHealthyBudget).
  if (
    !healthy(pod) &&
    (b.currentHealthy >= b.desiredHealthy ||
      pod.status?.phase === 'Pending' ||
      pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow')
  )
    return { allowed: true };
  if (b.disruptionsAllowed > 0) return { allowed: true };
  return {
    allowed: false,
    message: "Cannot evict pod as it would violate the pod's disruption budget.",
    cause: `The disruption budget ${pdb.metadata.name} needs ${b.desiredHealthy} healthy pods and has ${b.currentHealthy} currently`,
  };
}

export function installPdbs(r: Runtime): void {
  r.on('policy/poddisruptionbudgets', (e) => e.type !== 'DELETED' && r.enqueue('pdb', keyOf(e.object)));
  r.on('pods', (e) => {
    for (const b of r.ctx.store.iterate('policy/poddisruptionbudgets', e.object.metadata.namespace))
      if (labelSelectorMatches(b.spec?.selector, e.object.metadata.labels)) r.enqueue('pdb', keyOf(b));
  });
  r.handle('pdb', (key) => {
    const pdb = r.byKey('policy/poddisruptionbudgets', key);
    if (!pdb) return;
    const b = computeBudget(r.ctx, pdb);
    const conds = setCondition(
      pdb.status?.conditions,
      b.disruptionsAllowed > 0
        ? {
            type: 'DisruptionAllowed',
            status: 'True',
            reason: 'SufficientPods',
            message: '',
            observedGeneration: pdb.metadata.generation,
          }
        : {
            type: 'DisruptionAllowed',
            status: 'False',
            reason: 'InsufficientPods',
            message: '',
            observedGeneration: pdb.metadata.generation,
          },
    );
    r.setStatus('policy/poddisruptionbudgets', pdb, {
      ...b,
      observedGeneration: pdb.metadata.generation,
      conditions: conds,
    });
  });
}
