// StatefulSet controller: stable names NAME-0..N-1 created in order (or all at once for Parallel), a PVC
// per volumeClaimTemplate per ordinal, rolling updates from the highest ordinal down, and ControllerRevisions
// (currentRevision/updateRevision) for `rollout history`/`rollout undo`.
import type { KObj } from '../store';
import type { Runtime } from './runtime';
import { isActive, isReady, ownedPods, podFromTemplate, createPod } from './runtime';
import { syncRevisions } from './revisions';

const REV = 'controller-revision-hash';

export function installStatefulSets(r: Runtime): void {
  r.on('apps/statefulsets', (e) => e.type !== 'DELETED' && r.enqueue('statefulset', e.object.metadata.uid!));
  r.handle('statefulset', (uid) => {
    const s = r.ctx.store.getByUid(uid)?.object;
    if (!s || s.kind !== 'StatefulSet' || s.metadata.deletionTimestamp) return;
    const name = s.metadata.name;
    const ns = s.metadata.namespace;
    const want = s.spec?.replicas ?? 1;
    const parallel = s.spec?.podManagementPolicy === 'Parallel';
    const pods = new Map(ownedPods(r, s).map((p) => [p.metadata.name, p]));
    const running = [...pods.values()].map((p) => p.metadata.labels?.[REV]).filter((x): x is string => !!x);
    const revision = syncRevisions(r, s, [
      ...running,
      ...(s.status?.currentRevision ? [s.status.currentRevision] : []),
    ]).name;

    for (let i = 0; i < want; i++) {
      const podName = `${name}-${i}`;
      const p = pods.get(podName);
      if (p) {
        if (!parallel && !(isReady(p) && isActive(p))) break;
        continue;
      }
      const volumes = [...(s.spec.template?.spec?.volumes ?? [])];
      for (const t of s.spec.volumeClaimTemplates ?? []) {
        const claim = `${t.metadata.name}-${podName}`;
        if (!r.get('persistentvolumeclaims', ns, claim)) {
          r.create('persistentvolumeclaims', {
            metadata: { name: claim, namespace: ns, labels: { ...(s.spec.selector?.matchLabels ?? {}) } },
            spec: { volumeMode: 'Filesystem', ...structuredClone(t.spec) },
            status: { phase: 'Pending' },
          });
          r.event(
            s,
            'Normal',
            'SuccessfulCreate',
            `create Claim ${claim} Pod ${podName} in StatefulSet ${name} success`,
            'statefulset-controller',
          );
        }
        volumes.push({ name: t.metadata.name, persistentVolumeClaim: { claimName: claim } });
      }
      const pod = podFromTemplate(s, s.spec.template, {
        name: podName,
        labels: {
          [REV]: revision,
          'statefulset.kubernetes.io/pod-name': podName,
          'apps.kubernetes.io/pod-index': String(i),
        },
      });
      pod.spec.volumes = volumes;
      pod.spec.hostname = podName;
      if (s.spec.serviceName) pod.spec.subdomain = s.spec.serviceName;
      if (!createPod(r, s, 'statefulset-controller', pod)) break;
      r.event(
        s,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${podName} in StatefulSet ${name} successful`,
        'statefulset-controller',
      );
      if (!parallel) break;
    }
    // Scale down from the highest ordinal, one at a time unless Parallel.
    const extra = [...pods.values()]
      .filter((p) => ordinal(p) >= want && isActive(p))
      .sort((a, b) => ordinal(b) - ordinal(a));
    for (const p of parallel ? extra : extra.slice(0, 1)) {
      r.remove('pods', ns, p.metadata.name);
      r.event(
        s,
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`,
        'statefulset-controller',
      );
    }
    // Rolling update: replace the highest outdated pod once every other pod is ready.
    const current = [...pods.values()].filter((p) => ordinal(p) < want && isActive(p));
    if (s.spec?.updateStrategy?.type !== 'OnDelete' && current.length === want && current.every(isReady)) {
      const partition = s.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
      const stale = current
        .filter((p) => p.metadata.labels?.[REV] !== revision && ordinal(p) >= partition)
        .sort((a, b) => ordinal(b) - ordinal(a))[0];
      if (stale) {
        r.remove('pods', ns, stale.metadata.name);
        r.event(
          s,
          'Normal',
          'SuccessfulDelete',
          `delete Pod ${stale.metadata.name} in StatefulSet ${name} successful`,
          'statefulset-controller',
        );
      }
    }
    const live = ownedPods(r, s).filter(isActive);
    const updated = live.filter((p) => p.metadata.labels?.[REV] === revision).length;
    const ready = live.filter(isReady).length;
    const prev = s.status ?? {};
    const currentRevision = updated === want && ready === want ? revision : (prev.currentRevision ?? revision);
    r.setStatus('apps/statefulsets', s, {
      observedGeneration: s.metadata.generation,
      replicas: live.length,
      readyReplicas: ready,
      currentReplicas: live.filter((p) => p.metadata.labels?.[REV] === currentRevision).length,
      updatedReplicas: updated,
      availableReplicas: ready,
      currentRevision,
      updateRevision: revision,
      collisionCount: 0,
    });
  });
  r.on('pods', (e) => {
    const ref = e.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'StatefulSet');
    if (ref) r.enqueue('statefulset', ref.uid);
  });
}

const ordinal = (p: KObj) => Number(/-(\d+)$/.exec(p.metadata.name)?.[1] ?? -1);
