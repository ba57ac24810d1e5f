// An Argo CD application's resource tree as the Argo CD UI draws it: the managed resources of status.resources, each
// with the objects it owns below it (Deployment → ReplicaSet → Pod, StatefulSet → Pod, CronJob → Job → Pod), and the
// health of every node derived from the live object with gitops-engine's built-in checks (Argo CD 3 no longer
// persists per-resource health: `resourceHealthSource: appTree`).
import type { ArgoTreeNode } from '../../shared/routes/integrations';
import { kindId } from '../../shared/kinds';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import type { KObject } from '../kube/descriptors';
import type { ArgoApplication } from '../kube/objects';

type Health = { status: string; message?: string };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** Kinds whose objects hang below a managed resource (by owner reference), in the order they nest. */
const CHILD_KINDS = ['replicasets.apps', 'jobs.batch', 'pods'];
/** The order the Argo CD UI lists kinds in (its sync order), so a tree reads top-down like a manifest. */
const KIND_ORDER = [
  'Namespace',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
  'Ingress',
];
const rank = (k = '') => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
const cond = (o: Loose, type: string) => (o.status?.conditions as Loose[] | undefined)?.find((c) => c.type === type);

export const nodeId = (r: { group?: string; kind: string; namespace?: string; name: string }) =>
  `${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`;

/** gitops-engine's health of one live object; undefined for kinds that have none (ConfigMap, Secret, RBAC). */
export function liveHealth(o: KObject | undefined): Health | undefined {
  if (!o) return { status: 'Missing' };
  const x = o as Loose;
  const s: Loose = x.status ?? {};
  const spec: Loose = x.spec ?? {};
  const gen = Number(o.metadata.generation ?? 0);
  switch (o.kind) {
    case 'Deployment': {
      if (spec.paused) return { status: 'Suspended', message: 'Deployment is paused' };
      if (gen > Number(s.observedGeneration ?? 0))
        return {
          status: 'Progressing',
          message: 'Waiting for rollout to finish: observed deployment generation less than desired generation',
        };
      if (cond(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded')
        return { status: 'Degraded', message: `Deployment "${o.metadata.name}" exceeded its progress deadline` };
      const want = spec.replicas ?? 1;
      const updated = s.updatedReplicas ?? 0;
      if (updated < want)
        return {
          status: 'Progressing',
          message: `Waiting for rollout to finish: ${updated} out of ${want} new replicas have been updated...`,
        };
      if ((s.replicas ?? 0) > updated)
        return {
          status: 'Progressing',
          message: `Waiting for rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...`,
        };
      if ((s.availableReplicas ?? 0) < updated)
        return {
          status: 'Progressing',
          message: `Waiting for rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...`,
        };
      return { status: 'Healthy' };
    }
    case 'StatefulSet': {
      const want = spec.replicas ?? 1;
      if (gen > Number(s.observedGeneration ?? 0))
        return { status: 'Progressing', message: 'Waiting for statefulset spec update to be observed...' };
      if ((s.readyReplicas ?? 0) < want)
        return { status: 'Progressing', message: `Waiting for ${want - (s.readyReplicas ?? 0)} pods to be ready...` };
      if (s.updateRevision && s.currentRevision && s.updateRevision !== s.currentRevision)
        return { status: 'Progressing', message: 'waiting for statefulset rolling update to complete' };
      return { status: 'Healthy' };
    }
    case 'DaemonSet':
      return (s.numberAvailable ?? 0) < (s.desiredNumberScheduled ?? 0)
        ? { status: 'Progressing', message: `${s.numberAvailable ?? 0} of ${s.desiredNumberScheduled} pods available` }
        : { status: 'Healthy' };
    case 'ReplicaSet': {
      const want = spec.replicas ?? 1;
      return (s.availableReplicas ?? 0) < want
        ? {
            status: 'Progressing',
            message: `Waiting for rollout to finish: ${s.availableReplicas ?? 0} out of ${want} new replicas are available...`,
          }
        : { status: 'Healthy' };
    }
    case 'Service':
      return spec.type === 'LoadBalancer' && !(s.loadBalancer?.ingress ?? []).length
        ? { status: 'Progressing', message: 'Waiting for a load balancer address' }
        : { status: 'Healthy' };
    case 'PersistentVolumeClaim':
      return s.phase === 'Lost'
        ? { status: 'Degraded' }
        : s.phase === 'Pending'
          ? { status: 'Progressing' }
          : { status: 'Healthy' };
    case 'Pod': {
      if (s.phase === 'Succeeded') return { status: 'Healthy', message: s.message };
      if (s.phase === 'Failed') return { status: 'Degraded', message: s.message };
      for (const c of (s.containerStatuses ?? []) as Loose[]) {
        const w = c.state?.waiting;
        if (w && /Err|BackOff|Invalid|CrashLoop/.test(w.reason ?? ''))
          return { status: 'Degraded', message: w.message || w.reason };
      }
      if (s.phase === 'Running' && cond(x, 'Ready')?.status === 'True') return { status: 'Healthy' };
      return { status: 'Progressing', message: s.message };
    }
    case 'Job': {
      const failed = cond(x, 'Failed');
      if (failed?.status === 'True') return { status: 'Degraded', message: failed.message };
      return cond(x, 'Complete')?.status === 'True' ? { status: 'Healthy' } : { status: 'Progressing' };
    }
    case 'Ingress':
      return { status: 'Healthy' };
    default:
      return undefined;
  }
}

/** The short facts the Argo CD UI prints under a node. */
function infoOf(o: KObject): string[] {
  const x = o as Loose;
  const s: Loose = x.status ?? {};
  const spec: Loose = x.spec ?? {};
  const rev = o.metadata.annotations?.['deployment.kubernetes.io/revision'];
  const images = (spec.template?.spec?.containers ?? spec.containers ?? []).map((c: Loose) => String(c.image));
  switch (o.kind) {
    case 'Deployment':
      return [...(rev ? [`rev:${rev}`] : []), `${s.readyReplicas ?? 0}/${spec.replicas ?? 1} ready`, ...images];
    case 'StatefulSet':
      return [`${s.readyReplicas ?? 0}/${spec.replicas ?? 1} ready`, ...images];
    case 'ReplicaSet':
      return [...(rev ? [`rev:${rev}`] : []), `${s.readyReplicas ?? 0}/${spec.replicas ?? 0} ready`];
    case 'Pod': {
      const cs = (s.containerStatuses ?? []) as Loose[];
      const waiting = cs.map((c) => c.state?.waiting?.reason).find(Boolean);
      const restarts = cs.reduce((n, c) => n + Number(c.restartCount ?? 0), 0);
      return [
        waiting ?? s.phase ?? 'Pending',
        `${cs.filter((c) => c.ready).length}/${(spec.containers ?? []).length} ready`,
        ...(restarts ? [`${restarts} restart${restarts === 1 ? '' : 's'}`] : []),
        ...images,
      ];
    }
    case 'Service':
      return [
        spec.type ?? 'ClusterIP',
        ...((spec.ports ?? []) as Loose[]).map((p) => `${p.port}${p.targetPort ? `→${p.targetPort}` : ''}`),
      ];
    case 'ConfigMap':
    case 'Secret': {
      const n = Object.keys(x.data ?? {}).length;
      return [`${n} key${n === 1 ? '' : 's'}`];
    }
    default:
      return [];
  }
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** The tree, depth-first: every managed resource, then what it owns (newest ReplicaSet first). */
export async function argoTree(
  deps: ApiDeps,
  context: string | undefined,
  app: ArgoApplication,
): Promise<ArgoTreeNode[]> {
  const ctx = contextOf(deps, context);
  const actions = deps.kube.actions(ctx);
  const byKindNs = new Map<string, Promise<KObject[]>>();
  const list = (id: string, ns?: string): Promise<KObject[]> => {
    const k = `${id}|${ns ?? ''}`;
    let p = byKindNs.get(k);
    if (!p) {
      p = objects(deps, ctx, id, ns).then((x) => (x ?? []) as KObject[]);
      byKindNs.set(k, p);
    }
    return p;
  };
  const managed = [...(app.status?.resources ?? [])].sort(
    (a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name),
  );
  const out: ArgoTreeNode[] = [];
  const seen = new Set<string>();

  const children = async (o: KObject, parentId: string, depth: number): Promise<void> => {
    if (!o.metadata.uid || depth > 4) return;
    const owned: KObject[] = [];
    for (const id of CHILD_KINDS)
      for (const c of await list(id, o.metadata.namespace))
        if (c.metadata.ownerReferences?.some((r) => r.uid === o.metadata.uid)) owned.push(c);
    const revOf = (c: KObject) => Number(c.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    owned.sort(
      (a, b) => rank(a.kind) - rank(b.kind) || revOf(b) - revOf(a) || a.metadata.name.localeCompare(b.metadata.name),
    );
    for (const c of owned) {
      // Old ReplicaSets scaled to zero are history, not state: the Argo CD UI folds them away as well.
      if (
        c.kind === 'ReplicaSet' &&
        !Number((c as Loose).spec?.replicas ?? 0) &&
        !Number((c as Loose).status?.replicas)
      )
        continue;
      const id = nodeId({
        group: groupOf(c.apiVersion ?? ''),
        kind: c.kind ?? '',
        namespace: c.metadata.namespace,
        name: c.metadata.name,
      });
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({
        id,
        parentId,
        depth,
        ...(groupOf(c.apiVersion ?? '') ? { group: groupOf(c.apiVersion ?? '') } : {}),
        kind: c.kind ?? '',
        namespace: c.metadata.namespace,
        name: c.metadata.name,
        health: liveHealth(c),
        info: infoOf(c),
        createdAt: c.metadata.creationTimestamp,
        managed: false,
      });
      await children(c, id, depth + 1);
    }
  };

  for (const r of managed) {
    const apiVersion = r.group ? `${r.group}/${(r as Loose).version ?? 'v1'}` : ((r as Loose).version ?? 'v1');
    const d = actions.kindOf(r.kind, apiVersion);
    const live = d
      ? (await list(kindId(d), d.namespaced ? r.namespace : undefined)).find(
          (o) => o.metadata.name === r.name && (!d.namespaced || o.metadata.namespace === r.namespace),
        )
      : undefined;
    const id = nodeId(r);
    seen.add(id);
    const persisted = r.health?.status ? { status: r.health.status } : undefined;
    out.push({
      id,
      depth: 0,
      ...(r.group ? { group: r.group } : {}),
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      syncStatus: r.status,
      ...((r as Loose).requiresPruning ? { requiresPruning: true } : {}),
      health: live ? (liveHealth(live) ?? persisted) : d && !persisted ? { status: 'Missing' } : persisted,
      info: live ? infoOf(live) : [],
      createdAt: live?.metadata.creationTimestamp,
      ...(live ? {} : { missing: true }),
      managed: true,
    });
    if (live) await children(live, id, 1);
  }
  return out;
}
