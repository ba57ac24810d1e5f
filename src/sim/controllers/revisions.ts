// ControllerRevisions, as the StatefulSet and DaemonSet controllers keep them: one per distinct pod template, holding
// the strategic-merge patch that puts that template back (`kubectl rollout undo` applies `data` as it is), numbered
// in order of use, owned by the workload, pruned past spec.revisionHistoryLimit.
import type { KObj } from '../store';
import type { Runtime } from './runtime';
import { owned, ownerRef, shortHash } from './runtime';

/** The label the history package puts on every ControllerRevision (pods carry `controller-revision-hash`). */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

export interface CurrentRevision {
  /** `<owner>-<hash>`: the ControllerRevision's name (and a StatefulSet pod's controller-revision-hash). */
  name: string;
  /** The bare hash (a DaemonSet pod's controller-revision-hash). */
  hash: string;
  revision: number;
}

/** What the controllers store in `data`: the template under spec, marked to replace the live one whole. */
export function revisionData(template: KObj['spec']): KObj['spec'] {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

const revisionOf = (cr: KObj) => Number(cr.revision ?? 0);

/**
 * Makes sure the owner's current template has a ControllerRevision that is the newest one: creates it, or — when a
 * rollback brought an old template back — renumbers the old revision above all others, as the real controllers do.
 * `inUse`: revision names live pods still run, never pruned.
 */
export function syncRevisions(r: Runtime, owner: KObj, inUse: Iterable<string> = []): CurrentRevision {
  const hash = shortHash(owner.spec?.template);
  const name = `${owner.metadata.name}-${hash}`;
  const all = owned(r, owner, 'apps/controllerrevisions');
  const max = all.reduce((m, cr) => Math.max(m, revisionOf(cr)), 0);
  let cur = all.find((cr) => cr.metadata.name === name);
  if (!cur) {
    cur = r.create('apps/controllerrevisions', {
      metadata: {
        name,
        namespace: owner.metadata.namespace,
        labels: { ...(owner.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
        ...(owner.metadata.annotations ? { annotations: { ...owner.metadata.annotations } } : {}),
        ownerReferences: [ownerRef(owner)],
      },
      data: revisionData(owner.spec?.template),
      revision: max + 1,
    });
    all.push(cur);
  } else if (revisionOf(cur) < max) {
    cur = r.update('apps/controllerrevisions', { ...cur, revision: max + 1 });
  }
  // History beyond the limit goes, oldest first, except revisions live pods still run.
  const limit = owner.spec?.revisionHistoryLimit ?? 10;
  const keep = new Set<string>([name, ...inUse]);
  const old = all
    .filter((cr) => !keep.has(cr.metadata.name) && r.ctx.store.getByUid(cr.metadata.uid!))
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const cr of old.slice(0, Math.max(0, old.length - limit)))
    r.remove('apps/controllerrevisions', cr.metadata.namespace, cr.metadata.name);
  return { name, hash, revision: revisionOf(cur) };
}
