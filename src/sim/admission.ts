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
