// The garbage collector: dependents follow their owners (metadata.ownerReferences) as kube-controller-manager's
// garbage collector has them follow.
// - Background (the default): the owner goes at once; then each dependent whose owners are all gone is deleted.
// - Foreground: the owner stays, marked for deletion with the `foregroundDeletion` finalizer, while its dependents
//   are deleted (foreground too); the finalizer is released once no dependent with `blockOwnerDeletion` is left.
// - Orphan: the owner stays with the `orphan` finalizer until every dependent's ownerReference to it is removed.
import type { KObj } from '../store';
import { invalid } from '../status';
import type { Runtime } from './runtime';

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';
const POLICIES = ['Foreground', 'Background', 'Orphan'];

export interface DeleteOptions {
  propagationPolicy?: string;
  orphanDependents?: boolean;
}

/**
 * The finalizer a delete adds for its propagation policy, as the API server's registry decides it: the policy,
 * else the deprecated orphanDependents, else the object's own finalizers decide (none: Background).
 */
export function deletionFinalizers(opts: DeleteOptions): string[] {
  const { propagationPolicy: policy, orphanDependents: orphan } = opts;
  if (policy !== undefined && orphan !== undefined && orphan !== null)
    throw invalid('DeleteOptions', 'meta.k8s.io', '', [
      {
        field: 'orphanDependents',
        message: `Invalid value: ${orphan}: orphanDependents and deletionPropagation cannot be both set`,
      },
    ]);
  if (policy !== undefined && !POLICIES.includes(policy))
    throw invalid('DeleteOptions', 'meta.k8s.io', '', [
      {
        reason: 'FieldValueNotSupported',
        field: 'propagationPolicy',
        message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
      },
    ]);
  if (policy === 'Foreground') return [FOREGROUND];
  if (policy === 'Orphan' || orphan === true) return [ORPHAN];
  return [];
}

type Ref = NonNullable<KObj['metadata']['ownerReferences']>[number];

export function installGc(r: Runtime): void {
  const store = r.ctx.store;
  const key = (tk: string, o: KObj) => `${tk}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
  const deletingOwner = (o: KObj) =>
    !!o.metadata.deletionTimestamp && (o.metadata.finalizers ?? []).some((f) => f === FOREGROUND || f === ORPHAN);

  r.on('*', (e) => {
    const o = e.object;
    const uid = o.metadata.uid!;
    if (e.type === 'DELETED') {
      if (store.dependents(uid).length) r.enqueue('gc-orphans', uid);
    } else if (deletingOwner(o)) r.enqueue('gc-owner', key(e.tk, o));
    // A dependent gone (or going) may be what a foreground deletion of its owner waits for.
    if (e.type === 'DELETED' || o.metadata.deletionTimestamp)
      for (const ref of o.metadata.ownerReferences ?? []) {
        const owner = store.getByUid(ref.uid);
        if (owner && deletingOwner(owner.object)) r.enqueue('gc-owner', key(owner.tk, owner.object));
      }
  });

  /** Deletes a dependent as the collector does: with the propagation its owners' deletion asks for. */
  const collect = (tk: string, d: KObj, foreground: boolean) => {
    if (d.metadata.deletionTimestamp && !foreground) return;
    const rt = r.rt(tk);
    const isPod = tk === 'pods';
    const finalizers = foreground ? [FOREGROUND] : [];
    // Scheduled pods end gracefully: the kubelet stops them, then they go.
    if (isPod && d.spec?.nodeName && !d.metadata.deletionTimestamp) {
      const grace = d.spec?.terminationGracePeriodSeconds ?? 30;
      if (grace > 0) {
        const marked = structuredClone(d);
        marked.metadata.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
        marked.metadata.deletionGracePeriodSeconds = grace;
        store.update(rt, marked, { markDeleting: true });
        return;
      }
    }
    if (foreground && d.metadata.deletionTimestamp && d.metadata.finalizers?.includes(FOREGROUND)) return;
    store.remove(rt, d.metadata.namespace, d.metadata.name, { finalizers });
  };

  /** Removes the ownerReferences `drop` says to from a dependent. */
  const dropRefs = (tk: string, d: KObj, drop: (ref: Ref) => boolean) => {
    const refs = d.metadata.ownerReferences ?? [];
    const keep = refs.filter((ref) => !drop(ref));
    if (keep.length === refs.length) return;
    const next = structuredClone(d);
    if (keep.length) next.metadata.ownerReferences = keep;
    else delete next.metadata.ownerReferences;
    store.update(r.rt(tk), next);
  };

  /**
   * A dependent of an owner that is gone or deleting in the foreground: kept (without the references to such
   * owners) while another owner is solid, else deleted.
   */
  const attemptToDelete = (tk: string, d: KObj) => {
    const refs = d.metadata.ownerReferences ?? [];
    const owners = refs.map((ref) => ({ ref, owner: store.getByUid(ref.uid)?.object }));
    const waiting = (o?: KObj) => !!o?.metadata.deletionTimestamp && !!o.metadata.finalizers?.includes(FOREGROUND);
    const solid = owners.filter(({ owner }) => owner && !waiting(owner));
    if (solid.length) {
      dropRefs(tk, d, (ref) => !solid.some((s) => s.ref.uid === ref.uid));
      return;
    }
    const foreground = owners.some(({ ref, owner }) => waiting(owner) && ref.blockOwnerDeletion);
    collect(tk, d, foreground);
  };

  // An owner is gone: its dependents follow (Background).
  r.handle('gc-orphans', (uid) => {
    if (store.getByUid(uid)) return;
    for (const d of store.dependents(uid)) r.guard(() => attemptToDelete(d.tk, d.object));
  });

  // An owner marked for deletion with a garbage-collector finalizer.
  r.handle('gc-owner', (k) => {
    const [tk, ns, name] = k.split('|');
    const owner = r.get(tk, ns || undefined, name);
    if (!owner?.metadata.deletionTimestamp) return;
    const fins = owner.metadata.finalizers ?? [];
    const uid = owner.metadata.uid!;
    const release = (f: string) => {
      const cur = r.get(tk, ns || undefined, name);
      if (!cur || cur.metadata.uid !== uid) return;
      r.update(tk, {
        ...cur,
        metadata: { ...cur.metadata, finalizers: (cur.metadata.finalizers ?? []).filter((x) => x !== f) },
      });
    };
    if (fins.includes(ORPHAN)) {
      for (const d of store.dependents(uid)) r.guard(() => dropRefs(d.tk, d.object, (ref) => ref.uid === uid));
      if (store.dependents(uid).length === 0) release(ORPHAN);
      return;
    }
    if (!fins.includes(FOREGROUND)) return;
    const deps = store.dependents(uid);
    for (const d of deps) r.guard(() => attemptToDelete(d.tk, d.object));
    const blocking = store
      .dependents(uid)
      .some((d) => d.object.metadata.ownerReferences?.some((ref) => ref.uid === uid && ref.blockOwnerDeletion));
    if (!blocking) release(FOREGROUND);
  });
}
