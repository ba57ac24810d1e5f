// Deployment controller: one ReplicaSet per pod template (named by its hash), rolling or recreate updates,
// revisions for `rollout undo`, history pruning, and the status `rollout status` reads.
import type { KObj } from '../store';
import type { Runtime } from './runtime';
import type { Condition } from './runtime';
import { findCondition, intOrPercent, owned, ownerRef, setCondition, shortHash, stableJson } from './runtime';

const REVISION = 'deployment.kubernetes.io/revision';
const HASH = 'pod-template-hash';

const revisionOf = (rs: KObj) => Number(rs.metadata.annotations?.[REVISION] ?? 0);
const withoutHash = (template: KObj['spec']) => {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels[HASH];
  return t;
};
const sameTemplate = (a: KObj['spec'], b: KObj['spec']) => stableJson(withoutHash(a)) === stableJson(withoutHash(b));

export function installDeployments(r: Runtime): void {
  /** Simulated time of each deployment's last progress, for the progress deadline. */
  const progressAt = new Map<string, number>();
  r.on('apps/deployments', (e) =>
    e.type === 'DELETED' ? progressAt.delete(e.object.metadata.uid!) : r.enqueue('deployment', e.object.metadata.uid!),
  );
  r.on('apps/replicasets', (e) => {
    const ref = e.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment');
    if (ref) r.enqueue('deployment', ref.uid);
  });
  // Progress deadlines pass without any store change; a slow tick notices them.
  r.tick(5000, 1000, () => {
    for (const uid of progressAt.keys()) r.enqueue('deployment', uid);
  });

  r.handle('deployment', (uid) => {
    const d = r.ctx.store.getByUid(uid)?.object;
    if (!d || d.kind !== 'Deployment' || d.metadata.deletionTimestamp) return;
    const all = owned(r, d, 'apps/replicasets');
    const maxRev = Math.max(0, ...all.map(revisionOf));
    let newRs = all.find((rs) => sameTemplate(rs.spec?.template, d.spec?.template));
    const olds = () => all.filter((rs) => rs !== newRs && r.ctx.store.getByUid(rs.metadata.uid!));
    const want = d.spec?.replicas ?? 1;
    let progressed = false;
    let createdNew = false;

    if (!newRs) {
      const hash = shortHash(d.spec.template);
      const template = structuredClone(d.spec.template);
      template.metadata = {
        ...(template.metadata ?? {}),
        labels: { ...(template.metadata?.labels ?? {}), [HASH]: hash },
      };
      newRs = r.create('apps/replicasets', {
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          labels: template.metadata.labels,
          annotations: {
            [REVISION]: String(maxRev + 1),
            'deployment.kubernetes.io/desired-replicas': String(want),
            'deployment.kubernetes.io/max-replicas': String(want + surge(d)),
          },
          ownerReferences: [ownerRef(d)],
        },
        spec: {
          replicas: 0,
          minReadySeconds: d.spec.minReadySeconds ?? 0,
          selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), [HASH]: hash } },
          template,
        },
      });
      all.push(newRs);
      progressed = createdNew = true;
    } else if (revisionOf(newRs) < maxRev) {
      // Rolling back to an old template makes its ReplicaSet the newest revision again.
      newRs = r.update('apps/replicasets', {
        ...newRs,
        metadata: { ...newRs.metadata, annotations: { ...newRs.metadata.annotations, [REVISION]: String(maxRev + 1) } },
      });
      progressed = true;
    }

    const scale = (rs: KObj, to: number) => {
      const from = rs.spec?.replicas ?? 0;
      if (from === to) return rs;
      progressed = true;
      const cur = r.ctx.store.getByUid(rs.metadata.uid!)!.object;
      const next = r.update('apps/replicasets', {
        ...cur,
        metadata: {
          ...cur.metadata,
          annotations: {
            ...cur.metadata.annotations,
            'deployment.kubernetes.io/desired-replicas': String(want),
            'deployment.kubernetes.io/max-replicas': String(want + surge(d)),
          },
        },
        spec: { ...cur.spec, replicas: to },
      });
      r.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`,
        'deployment-controller',
      );
      return next;
    };

    if (!d.spec.paused) {
      const oldSets = olds();
      const spec = (rs: KObj) => rs.spec?.replicas ?? 0;
      const avail = (rs: KObj) => rs.status?.availableReplicas ?? 0;
      if (d.spec.strategy?.type === 'Recreate') {
        for (const o of oldSets) scale(o, 0);
        const oldPods = oldSets.reduce(
          (n, o) => n + (r.ctx.store.getByUid(o.metadata.uid!)?.object.status?.replicas ?? 0),
          0,
        );
        if (oldPods === 0) newRs = scale(newRs, want);
      } else if (oldSets.every((o) => spec(o) === 0)) {
        newRs = scale(newRs, want);
      } else {
        const maxUnavailable = unavailable(d);
        const total = () =>
          spec(newRs!) + oldSets.reduce((n, o) => n + spec(r.ctx.store.getByUid(o.metadata.uid!)?.object ?? o), 0);
        // Scale up the new set within the surge budget.
        const room = want + surge(d) - total();
        if (room > 0 && spec(newRs) < want) newRs = scale(newRs, Math.min(want, spec(newRs) + room));
        // Scale down old sets: first their unavailable pods, then as availability allows.
        const minAvailable = want - maxUnavailable;
        const newUnavailable = spec(newRs) - avail(newRs);
        let budget = total() - minAvailable - newUnavailable;
        const sorted = [...oldSets].sort((a, b) => revisionOf(a) - revisionOf(b));
        for (const o of sorted) {
          if (budget <= 0) break;
          const cur = r.ctx.store.getByUid(o.metadata.uid!)!.object;
          const k = Math.min(budget, spec(cur) - avail(cur));
          if (k > 0) {
            scale(cur, spec(cur) - k);
            budget -= k;
          }
        }
        let down = oldSets.reduce((n, o) => n + avail(o), 0) + avail(newRs) - minAvailable;
        for (const o of sorted) {
          if (down <= 0) break;
          const cur = r.ctx.store.getByUid(o.metadata.uid!)!.object;
          const k = Math.min(down, spec(cur));
          if (k > 0) {
            scale(cur, spec(cur) - k);
            down -= k;
          }
        }
      }
    } else if (createdNew) {
      newRs = scale(newRs, 0);
    }

    // History: keep revisionHistoryLimit old, empty ReplicaSets.
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const empties = olds()
      .map((o) => r.ctx.store.getByUid(o.metadata.uid!)!.object)
      .filter((o) => (o.spec?.replicas ?? 0) === 0 && (o.status?.replicas ?? 0) === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const o of empties.slice(0, Math.max(0, empties.length - limit)))
      r.remove('apps/replicasets', o.metadata.namespace, o.metadata.name);

    writeStatus(r, uid, newRs.metadata.uid!, progressed, progressAt, createdNew);
  });
}

function surge(d: KObj): number {
  const want = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type === 'Recreate') return 0;
  const s = intOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge, want, '25%', true);
  const u = intOrPercent(d.spec?.strategy?.rollingUpdate?.maxUnavailable, want, '25%', false);
  return s === 0 && u === 0 ? 0 : s;
}

function unavailable(d: KObj): number {
  const want = d.spec?.replicas ?? 1;
  const s = intOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge, want, '25%', true);
  const u = Math.min(intOrPercent(d.spec?.strategy?.rollingUpdate?.maxUnavailable, want, '25%', false), want);
  return s === 0 && u === 0 ? 1 : u;
}

function writeStatus(
  r: Runtime,
  uid: string,
  newUid: string,
  progressed: boolean,
  progressAt: Map<string, number>,
  createdNew: boolean,
): void {
  const d = r.ctx.store.getByUid(uid)?.object;
  const newRs = r.ctx.store.getByUid(newUid)?.object;
  if (!d || !newRs) return;
  const sets = r.ctx.store
    .dependents(uid)
    .filter((x) => x.tk === 'apps/replicasets')
    .map((x) => x.object);
  const sum = (f: (rs: KObj) => number) => sets.reduce((n, rs) => n + f(rs), 0);
  const want = d.spec?.replicas ?? 1;
  const replicas = sum((rs) => rs.status?.replicas ?? 0);
  const updated = newRs.status?.replicas ?? 0;
  const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
  const available = sum((rs) => rs.status?.availableReplicas ?? 0);
  const specTotal = sum((rs) => rs.spec?.replicas ?? 0);
  const complete =
    updated === want && replicas === want && available === want && (newRs.status?.availableReplicas ?? 0) === want;

  const now = r.ctx.clock.now();
  const prevStatus = d.status ?? {};
  const progressChanged =
    progressed ||
    (prevStatus.updatedReplicas ?? 0) !== updated ||
    (prevStatus.availableReplicas ?? 0) !== available ||
    (prevStatus.replicas ?? 0) !== replicas;
  if (progressChanged || !progressAt.has(uid)) progressAt.set(uid, now);
  if (complete) progressAt.delete(uid);

  let conds = prevStatus.conditions ?? [];
  const minAvailable = want - unavailable(d);
  conds = setCondition(
    conds,
    available >= minAvailable
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
    ['lastUpdateTime'],
  );
  const deadline = (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
  const prevProgress = findCondition(conds, 'Progressing');
  let progressing;
  if (complete)
    progressing = {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${newRs.metadata.name}" has successfully progressed.`,
    };
  else if (prevProgress?.reason === 'ProgressDeadlineExceeded' && !progressChanged) progressing = prevProgress;
  else if (!progressChanged && now - (progressAt.get(uid) ?? now) > deadline) {
    progressing = {
      type: 'Progressing',
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${newRs.metadata.name}" has timed out progressing.`,
    };
    r.event(
      d,
      'Warning',
      'ProgressDeadlineExceeded',
      `Deployment "${d.metadata.name}" has timed out progressing.`,
      'deployment-controller',
    );
  } else if (createdNew)
    progressing = {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "${newRs.metadata.name}"`,
    };
  else if (progressChanged || !prevProgress)
    progressing = {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${newRs.metadata.name}" is progressing.`,
    };
  else progressing = prevProgress;
  conds = setCondition(conds, progressing, progressing === prevProgress ? [] : ['lastUpdateTime']);
  if (progressing === prevProgress) conds = conds.map((c: Condition) => (c.type === 'Progressing' ? prevProgress : c));

  const status = {
    observedGeneration: d.metadata.generation,
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    ...(specTotal - available > 0 ? { unavailableReplicas: specTotal - available } : {}),
    conditions: conds,
  };
  for (const k of ['readyReplicas', 'availableReplicas', 'updatedReplicas', 'replicas'] as const)
    if (!status[k]) delete (status as Record<string, unknown>)[k];
  const rev = newRs.metadata.annotations?.[REVISION];
  let cur = d;
  if (rev && d.metadata.annotations?.[REVISION] !== rev) {
    cur = r.update('apps/deployments', {
      ...d,
      metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [REVISION]: rev } },
    });
  }
  r.setStatus('apps/deployments', cur, status);
}
