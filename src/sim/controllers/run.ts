// Starts every simulated controller on a context. Call after the scenario is loaded: the first pass
// picks up what is already in the store, then store events and timers drive everything.
import type { SimContext } from '../context';
import { installCrds } from '../crd';
import { installArgoCd } from './argocd';
import { installCertManager } from './certManager';
import { installCronJobs } from './cronjob';
import { installDaemonSets } from './daemonset';
import { installDeployments } from './deployment';
import { installEndpoints } from './endpoints';
import { installEphemeralKubelet } from './ephemeral';
import { FAULT_ANNOTATION } from './faults';
import { installGc } from './gc';
import { installHpas } from './hpa';
import { installJobs } from './job';
import { installKubelet } from './kubelet';
import { installKubeflow, kubeflowFirstPass } from './kubeflow';
import { installKserve, kserveFirstPass } from './kserve';
import { installNamespaces } from './namespaces';
import { NodeIndex } from './nodeIndex';
import { installNodes } from './nodes';
import { installPdbs } from './pdb';
import { installVolumes } from './pvc';
import { installReplicaSets } from './replicaset';
import { Runtime } from './runtime';
import { installScheduler } from './scheduler';
import { installStatefulSets } from './statefulset';

const keyOf = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);

export function startControllers(ctx: SimContext): void {
  installCrds(ctx);
  const r = new Runtime(ctx);
  const idx = new NodeIndex();
  // The placement index must see every pod change before any controller reads it.
  r.on('pods', (e) => idx.track(e.object, e.type === 'DELETED'));
  installScheduler(r, idx);
  const kubelet = installKubelet(r, idx);
  installNodes(r, idx, kubelet);
  installNamespaces(r);
  installGc(r);
  installDeployments(r);
  installReplicaSets(r);
  installStatefulSets(r);
  installDaemonSets(r);
  installJobs(r);
  installCronJobs(r);
  installEndpoints(r);
  installVolumes(r);
  installHpas(r);
  installPdbs(r);
  installEphemeralKubelet(r);
  installArgoCd(r);
  installKubeflow(r);
  installKserve(r);
  installCertManager(r);

  // First pass over what the scenario loaded. Pods are walked once (there may be 100k); only those that
  // still need a controller's attention are queued.
  for (const p of ctx.store.iterate('pods')) {
    idx.track(p);
    const key = keyOf(p.metadata.namespace, p.metadata.name);
    if (!p.spec?.nodeName) r.enqueue('schedule', key);
    else if (
      p.status?.phase === 'Pending' ||
      !p.status?.phase ||
      p.metadata.deletionTimestamp ||
      p.metadata.annotations?.[FAULT_ANNOTATION]
    )
      r.enqueue('kubelet', key);
  }
  const byUid: Array<[string, string]> = [
    ['apps/deployments', 'deployment'],
    ['apps/replicasets', 'replicaset'],
    ['apps/statefulsets', 'statefulset'],
    ['apps/daemonsets', 'daemonset'],
    ['batch/jobs', 'job'],
    ['batch/cronjobs', 'cronjob'],
    ['autoscaling/horizontalpodautoscalers', 'hpa'],
  ];
  for (const [tk, q] of byUid) for (const o of ctx.store.iterate(tk)) r.enqueue(q, o.metadata.uid!);
  const byKey: Array<[string, string]> = [
    ['services', 'endpoints'],
    ['persistentvolumeclaims', 'pvc'],
    ['policy/poddisruptionbudgets', 'pdb'],
    ['cert-manager.io/certificates', 'cert-manager'],
  ];
  for (const [tk, q] of byKey)
    for (const o of ctx.store.iterate(tk)) r.enqueue(q, keyOf(o.metadata.namespace, o.metadata.name));
  for (const n of ctx.store.iterate('nodes')) r.enqueue('node', n.metadata.name);
  for (const ns of ctx.store.iterate('namespaces')) r.enqueue('namespace-init', ns.metadata.name);
  for (const pv of ctx.store.iterate('persistentvolumes')) if (!pv.status?.phase) r.enqueue('pv', pv.metadata.name);
  kubeflowFirstPass(r);
  kserveFirstPass(r);
}
