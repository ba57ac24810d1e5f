// managedFields for ordinary writes (create, update, non-apply patch, scale/status subresources): the writer — the
// `fieldManager` parameter, else the User-Agent's product token as the API server takes it — becomes the owner of every
// field it changed, taking it from any other manager; fields it removed leave every manager. Server-side apply keeps
// its own bookkeeping in patch.ts, and conflicts against these entries there.
import type { IncomingMessage } from 'node:http';
import type { ResourceType } from './kinds';
import { apiVersionOf } from './kinds';
import type { KObj } from './store';
import { nowIso } from './store';
import type { FieldSet, ManagedFieldsEntry } from './patch';
import { fieldSet, hasPath, leaves, removePath, resolve } from './patch';

const MAX_MANAGER = 128;

/** `fieldManager`, else the User-Agent up to its first '/' (`kubectl/v1.32.4 (linux/amd64)` → `kubectl`). */
export function managerOf(url: URL, req: IncomingMessage): string {
  const explicit = url.searchParams.get('fieldManager');
  if (explicit) return explicit;
  const ua = String(req.headers['user-agent'] ?? '');
  return ua.split('/')[0].slice(0, MAX_MANAGER);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Server-owned parts of an object that no manager owns. */
function trackable(o: KObj, subresource: string | undefined): Json {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = o;
  void _a;
  void _k;
  const meta: Json = { ...(metadata ?? {}) };
  for (const k of [
    'name',
    'namespace',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'managedFields',
    'selfLink',
  ])
    delete meta[k];
  const out: Json =
    subresource === 'status'
      ? { status: rest.status }
      : subresource === 'scale'
        ? { spec: { replicas: rest.spec?.replicas } }
        : { ...rest };
  if (!subresource && Object.keys(meta).length) out.metadata = meta;
  if (subresource !== 'status' && subresource !== 'scale') delete out.status;
  return out;
}

function addPath(set: FieldSet, segs: string[]): void {
  let cur = set;
  for (const seg of segs) {
    cur[seg] ??= {};
    cur = cur[seg];
    if (seg.startsWith('k:')) cur['.'] ??= {};
  }
}

const isEmpty = (s: FieldSet | undefined) => !s || Object.keys(s).length === 0;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Records an Update by `manager` on `next` (the object about to be stored; `prev` what is stored now, undefined on
 * create). Status writes to a type with a status subresource count only through that subresource.
 */
export function recordUpdate(
  rt: ResourceType,
  prev: KObj | undefined,
  next: KObj,
  manager: string,
  opts: { subresource?: string; statusSubresource?: boolean } = {},
): void {
  const sub = opts.subresource;
  const incoming = next.metadata.managedFields as ManagedFieldsEntry[] | undefined;
  // A body without managedFields keeps the stored ones; an explicit list (even empty) replaces them, as on the server.
  const entries: ManagedFieldsEntry[] = structuredClone(
    incoming !== undefined && !sub
      ? incoming
      : ((prev?.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? []),
  );
  const after = trackable(next, sub);
  const before = prev ? trackable(prev, sub) : {};
  if (!sub && !opts.statusSubresource && next.status !== undefined) after.status = next.status;
  if (!sub && !opts.statusSubresource && prev?.status !== undefined) before.status = prev.status;
  const nextSet = fieldSet(after, rt.kind, []);
  const prevSet = fieldSet(before, rt.kind, []);
  const changed = leaves(nextSet).filter((segs) => {
    const was = resolve(before, segs);
    return !was.found || !same(was.value, resolve(after, segs).value);
  });
  const removed = leaves(prevSet).filter((segs) => !resolve(after, segs).found);
  if (!changed.length && !removed.length && prev) {
    // Nothing changed hands; a write that only rewrote managedFields (kubectl's client-side-apply migration) keeps it.
    const keep = incoming !== undefined && !sub ? incoming : prev.metadata.managedFields;
    if (keep === undefined) delete next.metadata.managedFields;
    else next.metadata.managedFields = keep;
    return;
  }
  const apiVersion = apiVersionOf(rt);
  let mine = entries.find(
    (e) => e.manager === manager && e.operation === 'Update' && (e.subresource ?? '') === (sub ?? ''),
  );
  if (!mine) {
    mine = {
      manager,
      operation: 'Update',
      apiVersion,
      fieldsType: 'FieldsV1',
      fieldsV1: {},
      ...(sub ? { subresource: sub } : {}),
    };
    entries.push(mine);
  }
  mine.time = nowIso();
  mine.apiVersion = apiVersion;
  mine.fieldsV1 ??= {};
  for (const e of entries) {
    if (!e.fieldsV1) continue;
    for (const segs of removed) if (hasPath(e.fieldsV1, segs)) removePath(e.fieldsV1, segs);
    if (e !== mine) for (const segs of changed) if (hasPath(e.fieldsV1, segs)) removePath(e.fieldsV1, segs);
  }
  for (const segs of changed) addPath(mine.fieldsV1, segs);
  const kept = entries.filter((e) => e === mine || !isEmpty(e.fieldsV1));
  // Field order as the server writes it: manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource.
  next.metadata.managedFields = kept.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(e.time ? { time: e.time } : {}),
    fieldsType: e.fieldsType ?? 'FieldsV1',
    fieldsV1: e.fieldsV1 ?? {},
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}
