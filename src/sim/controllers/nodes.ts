// Node lifecycle: kubelet heartbeats (Leases in kube-node-lease, node conditions), the `notready` fault,
// taints for unreachable nodes, and readiness propagated to the pods on them.
import type { KObj } from '../store';
import { nowIso } from '../store';
import { FAULT_ANNOTATION } from './faults';
import type { Kubelet } from './kubelet';
import type { NodeIndex } from './nodeIndex';
import type { Condition, Runtime } from './runtime';
import { findCondition } from './runtime';

const MANAGED_TAINTS = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'];
const PRESSURE = [
  ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
] as const;

const LEASES = 'coordination.k8s.io/leases';
const microTime = () => new Date().toISOString().replace(/Z$/, '000Z');

/** The conditions a healthy kubelet posts. */
export function healthyConditions(now = nowIso(), since = now): Condition[] {
  return [
    ...PRESSURE.map(([type, reason, message]) => ({
      type,
      status: 'False',
      lastHeartbeatTime: now,
      lastTransitionTime: since,
      reason,
      message,
    })),
    {
      type: 'Ready',
      status: 'True',
      lastHeartbeatTime: now,
      lastTransitionTime: since,
      reason: 'KubeletReady',
      message: 'kubelet is posting ready status',
    },
  ];
}

export function installNodes(r: Runtime, idx: NodeIndex, kubelet: Kubelet): void {
  const lastReady = new Map<string, boolean>();
  const lastUnschedulable = new Map<string, boolean>();
  /** Nodes this controller took down for the fault annotation, so removing it brings them back. */
  const faulted = new Set<string>();

  r.on('nodes', (e) => {
    if (e.type === 'DELETED') {
      lastReady.delete(e.object.metadata.name);
      r.guard(() => r.remove(LEASES, 'kube-node-lease', e.object.metadata.name));
    } else r.enqueue('node', e.object.metadata.name);
  });

  r.handle('node', (name) => {
    let node = r.get('nodes', undefined, name);
    if (!node) return;
    const wantDown = node.metadata.annotations?.[FAULT_ANNOTATION] === 'notready';
    const ready = findCondition(node.status?.conditions, 'Ready');
    if (wantDown && ready?.status === 'True') {
      faulted.add(name);
      const now = nowIso();
      const conds = (node.status.conditions as Condition[]).map((c) => ({
        ...c,
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastTransitionTime: now,
      }));
      node = r.setStatus('nodes', node, { ...node.status, conditions: conds });
    } else if (!wantDown && faulted.has(name) && ready?.status !== 'True') {
      faulted.delete(name);
      node = r.setStatus('nodes', node, { ...node.status, conditions: healthyConditions() });
    } else if (!ready) {
      node = r.setStatus('nodes', node, { ...(node.status ?? {}), conditions: healthyConditions() });
    }
    const status = findCondition(node.status?.conditions, 'Ready')?.status;
    const isReady = status === 'True';
    // Taints follow readiness, as the node lifecycle controller keeps them.
    const keep = ((node.spec?.taints ?? []) as Array<{ key: string; effect: string }>).filter(
      (t) => !MANAGED_TAINTS.includes(t.key),
    );
    const key = status === 'False' ? 'node.kubernetes.io/not-ready' : 'node.kubernetes.io/unreachable';
    const taints = isReady
      ? keep
      : [
          ...keep,
          { key, effect: 'NoSchedule', timeAdded: nowIso() },
          { key, effect: 'NoExecute', timeAdded: nowIso() },
        ];
    const sameTaints =
      JSON.stringify(taints.map((t) => [t.key, t.effect])) ===
      JSON.stringify(
        ((node.spec?.taints ?? []) as Array<{ key: string; effect: string }>).map((t) => [t.key, t.effect]),
      );
    if (!sameTaints) {
      const spec = { ...(node.spec ?? {}), taints };
      if (!taints.length) delete spec.taints;
      node = r.update('nodes', { ...node, spec });
    }
    if (lastReady.has(name) && lastReady.get(name) !== isReady) {
      if (isReady)
        r.event(node, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`, 'kubelet', { host: name });
      else {
        r.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, 'node-controller');
        for (const k of idx.podsOn(name)) {
          const p = r.byKey('pods', k);
          if (p) r.event(p, 'Warning', 'NodeNotReady', 'Node is not ready', 'node-controller');
        }
      }
      kubelet.refreshNode(name);
    }
    lastReady.set(name, isReady);
    const unsched = !!node.spec?.unschedulable;
    if (lastUnschedulable.has(name) && lastUnschedulable.get(name) !== unsched) {
      r.event(
        node,
        'Normal',
        unsched ? 'NodeNotSchedulable' : 'NodeSchedulable',
        `Node ${name} status is now: ${unsched ? 'NodeNotSchedulable' : 'NodeSchedulable'}`,
        'kubelet',
        { host: name },
      );
    }
    lastUnschedulable.set(name, unsched);
  });

  // Heartbeats: every ready node renews its Lease; node conditions are refreshed less often.
  let beat = 0;
  const heartbeat = () => {
    beat++;
    for (const node of [...r.ctx.store.iterate('nodes')]) {
      const name = node.metadata.name;
      if (findCondition(node.status?.conditions, 'Ready')?.status !== 'True') continue;
      renewLease(r, node);
      if (beat % 4 === 0) {
        const now = nowIso();
        const conds = (node.status.conditions as Condition[]).map((c) => ({ ...c, lastHeartbeatTime: now }));
        r.setStatus('nodes', node, { ...node.status, conditions: conds });
      }
      void name;
    }
  };
  r.tick(r.ctx.store.count('nodes') > 100 ? 40000 : 10000, 1000, heartbeat);
  r.after(0, heartbeat);
}

function renewLease(r: Runtime, node: KObj): void {
  const name = node.metadata.name;
  const lease = r.get(LEASES, 'kube-node-lease', name);
  const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime() };
  if (!r.get('namespaces', undefined, 'kube-node-lease')) return;
  if (lease) r.update(LEASES, { ...lease, spec: { ...lease.spec, ...spec } });
  else
    r.create(LEASES, {
      metadata: {
        name,
        namespace: 'kube-node-lease',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid! }],
      },
      spec,
    });
}
