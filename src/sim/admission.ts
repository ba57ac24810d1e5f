// What happens to an object between decoding and storage, in the API server's order: unknown fields (per the
// request's fieldValidation), defaults, validation, then managedFields for the writer.
import type { ServerResponse } from 'node:http';
import type { ResourceRequest, SimContext } from './context';
import type { KObj } from './store';
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
