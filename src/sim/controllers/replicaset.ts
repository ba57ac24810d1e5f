// ReplicaSet controller: keeps spec.replicas active pods, preferring to delete the least useful ones.
import type { KObj } from '../store';
import type { Runtime } from './runtime';
import { createPod, isActive, isReady, ownedPods, podFromTemplate } from './runtime';

/** Pods to give up first: unscheduled, then pending, then not ready, then the youngest. */
function deletionRank(p: KObj): number[] {
  return [
    p.spec?.nodeName ? 1 : 0,
    p.status?.phase === 'Running' ? 1 : 0,
    isReady(p) ? 1 : 0,
    -Date.parse(p.metadata.creationTimestamp ?? ''),
  ];
}

export function installReplicaSets(r: Runtime): void {
  r.on('apps/replicasets', (e) => e.type !== 'DELETED' && r.enqueue('replicaset', e.object.metadata.uid!));
  r.on('pods', (e) => {
    const ref = e.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'ReplicaSet');
    if (ref) r.enqueue('replicaset', ref.uid);
  });
  r.handle('replicaset', (uid) => {
    const rs = r.ctx.store.getByUid(uid)?.object;
    if (!rs || rs.metadata.deletionTimestamp) return;
    const pods = ownedPods(r, rs);
    const active = pods.filter(isActive);
    const want = rs.spec?.replicas ?? 1;
    if (active.length < want) {
      for (let i = active.length; i < want; i++) {
        const pod = createPod(
          r,
          rs,
          'replicaset-controller',
          podFromTemplate(rs, rs.spec.template, { generateName: `${rs.metadata.name}-` }),
        );
        if (!pod) break;
        r.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'replicaset-controller');
      }
    } else if (active.length > want) {
      const victims = [...active].sort((a, b) => cmp(deletionRank(a), deletionRank(b))).slice(0, active.length - want);
      for (const v of victims) {
        r.remove('pods', v.metadata.namespace, v.metadata.name);
        r.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${v.metadata.name}`, 'replicaset-controller');
      }
    }
    const now = ownedPods(r, rs).filter(isActive);
    const ready = now.filter(isReady).length;
    r.setStatus('apps/replicasets', r.ctx.store.getByUid(uid)!.object, {
      replicas: now.length,
      fullyLabeledReplicas: now.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    });
  });
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
