// DaemonSet controller: one pod per node that the pod template may run on (cordoned nodes included, as
// daemon pods tolerate unschedulable), bound directly to its node; one ControllerRevision per template for rollbacks.
import type { KObj } from '../store';
import { nodeMatches, tolerates } from './scheduler';
import type { Runtime } from './runtime';
import { isActive, isReady, ownedPods, podFromTemplate, createPod } from './runtime';
import { syncRevisions } from './revisions';

const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** Daemon pods already on a node ride out its outages; the node controller's health taints never evict them here. */
const NODE_HEALTH_TAINTS = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'];

function eligible(ds: KObj, node: KObj): boolean {
  const probe = {
    spec: {
      ...ds.spec.template?.spec,
      tolerations: [...(ds.spec.template?.spec?.tolerations ?? []), ...DAEMON_TOLERATIONS],
    },
  } as unknown as KObj;
  if (!nodeMatches(probe, node)) return false;
  return ((node.spec?.taints ?? []) as Array<{ key: string; value?: string; effect: string }>).every(
    (t) =>
      t.effect === 'PreferNoSchedule' || NODE_HEALTH_TAINTS.includes(t.key) || tolerates(probe.spec.tolerations, t),
  );
}

export function installDaemonSets(r: Runtime): void {
  r.on('apps/daemonsets', (e) => e.type !== 'DELETED' && r.enqueue('daemonset', e.object.metadata.uid!));
  r.on('nodes', () => {
    for (const ds of r.ctx.store.iterate('apps/daemonsets')) r.enqueue('daemonset', ds.metadata.uid!);
  });
  r.on('pods', (e) => {
    const ref = e.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'DaemonSet');
    if (ref) r.enqueue('daemonset', ref.uid);
  });
  r.handle('daemonset', (uid) => {
    const ds = r.ctx.store.getByUid(uid)?.object;
    if (!ds || ds.kind !== 'DaemonSet' || ds.metadata.deletionTimestamp) return;
    const running = ownedPods(r, ds)
      .map((p) => p.metadata.labels?.['controller-revision-hash'])
      .filter((x): x is string => !!x);
    const hash = syncRevisions(
      r,
      ds,
      running.map((h) => `${ds.metadata.name}-${h}`),
    ).hash;
    const nodes = [...r.ctx.store.iterate('nodes')].filter((n) => eligible(ds, n));
    const wanted = new Set(nodes.map((n) => n.metadata.name));
    const pods = ownedPods(r, ds).filter(isActive);
    const byNode = new Map<string, KObj>();
    for (const p of pods) {
      const n = p.spec?.nodeName as string;
      const outdated = p.metadata.labels?.['controller-revision-hash'] !== hash;
      if (!wanted.has(n) || byNode.has(n) || (outdated && ds.spec?.updateStrategy?.type !== 'OnDelete')) {
        r.remove('pods', p.metadata.namespace, p.metadata.name);
        r.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
      } else byNode.set(n, p);
    }
    for (const n of nodes) {
      const name = n.metadata.name;
      if (byNode.has(name)) continue;
      const pod = podFromTemplate(ds, ds.spec.template, {
        generateName: `${ds.metadata.name}-`,
        labels: { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
      });
      pod.spec.tolerations = [
        ...(pod.spec.tolerations ?? []).filter(
          (t: { key?: string }) => !DAEMON_TOLERATIONS.some((d) => d.key === t.key),
        ),
        ...DAEMON_TOLERATIONS,
      ];
      pod.spec.affinity = {
        ...(pod.spec.affinity ?? {}),
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }] }],
          },
        },
      };
      pod.spec.nodeName = name;
      const created = createPod(r, ds, 'daemonset-controller', pod);
      if (!created) break;
      r.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, 'daemonset-controller');
    }
    const live = ownedPods(r, ds).filter(isActive);
    const ready = live.filter(isReady).length;
    r.setStatus('apps/daemonsets', ds, {
      currentNumberScheduled: live.length,
      desiredNumberScheduled: nodes.length,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
      updatedNumberScheduled: live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length,
      observedGeneration: ds.metadata.generation,
    });
  });
}
