// What happens to an object between decoding and storage, in the API server's order: unknown fields (per the
// request's fieldValidation), defaults, validation, then managedFields for the writer.
import type { ServerResponse } from 'node:http';
import type { ResourceRequest, SimContext } from './context';
import type { KObj } from './store';
import { qosClass } from './controllers/quantity';
import { applyDefaults } from './defaults';
import { checkFields } from './fieldValidation';
import { managerOf, recordUpdate } from './managedFields';
import { validate } from './validate';
import type { Store } from './store';
import { StatusError } from './status';

export type WriteKind = 'create' | 'update' | 'patch' | 'apply';

export function admit(
  ctx: SimContext,
  r: ResourceRequest,
  res: ServerResponse,
  o: KObj,
  prev: KObj | undefined,
  how: WriteKind,
): void {
  checkFields(ctx, r, res, o, how === 'create' || how === 'update' ? 'decode' : how);
  applyDefaults(r.rt, o);
  validate(r.rt, o);
  // The pod strategy's PrepareForCreate: a new pod's status is Pending with its QoS class, whatever the client sent.
  if (how === 'create' && r.rt.group === '' && r.rt.resource === 'pods')
    o.status = { phase: 'Pending', qosClass: qosClass(o.spec?.containers ?? []) };
  if (!prev && r.rt.resource === 'pods' && !r.rt.group) checkServiceAccount(ctx.store, o);
  // Server-side apply records its own (Apply) entry while merging.
  if (how !== 'apply')
    recordUpdate(r.rt, prev, o, managerOf(r.url, r.req), {
      statusSubresource: (r.rt.subresources ?? []).some((s) => s.name === 'status'),
    });
}

/** managedFields for a write through the scale or status subresource. */
export function admitSubresource(r: ResourceRequest, prev: KObj, next: KObj, subresource: 'scale' | 'status'): void {
  recordUpdate(r.rt, prev, next, managerOf(r.url, r.req), { subresource });
}

/**
 * The ServiceAccount admission plugin: a pod naming a ServiceAccount that does not exist is refused (403), worded as
 * kube-apiserver words it. `default` is exempt: the simulator's namespaces always have it.
 */
export function checkServiceAccount(store: Store, pod: KObj): void {
  const sa: string = pod.spec?.serviceAccountName || pod.spec?.serviceAccount || 'default';
  const ns = pod.metadata.namespace ?? 'default';
  if (sa === 'default' || store.get('serviceaccounts', ns, sa)) return;
  const name = pod.metadata.name || pod.metadata.generateName || 'Unknown';
  throw new StatusError(
    403,
    'Forbidden',
    `pods "${name}" is forbidden: error looking up service account ${ns}/${sa}: serviceaccount "${sa}" not found`,
    { name, kind: 'pods' },
  );
}
