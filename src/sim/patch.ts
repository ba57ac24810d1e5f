// PATCH bodies, applied as the API server applies them: JSON merge patch, strategic merge patch,
// JSON patch and server-side apply. Pure: takes the live object, returns the next one.
import { applyPatch as applyJsonPatch, JsonPatchError } from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { parse as loadYaml } from 'yaml';
import type { KObj } from './store';
import { nowIso } from './store';
import type { ResourceType } from './kinds';
import { BUILTIN_TYPES, apiVersionOf } from './kinds';
import { StatusError, badRequest, internalError, notFound } from './status';

export interface PatchOptions {
  fieldManager?: string;
  force?: boolean;
  /** Timestamp for managedFields; defaults to wall time. */
  now?: string;
}

// JSON bodies are open-ended; every reader below narrows what it touches.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type JMap = Record<string, Json>;

const isMap = (v: unknown): v is JMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
}

// ---------------------------------------------------------------------------------------------
// Patch metadata: which lists merge element-wise, and by which key. Mirrors the patchStrategy /
// patchMergeKey tags of the built-in Go types; every other list is atomic (replaced whole).

export interface ListMeta {
  /** Merge elements whose `key` field is equal. */
  key?: string;
  /** A list of primitives merged as a set. */
  set?: boolean;
}

const MERGE_BY: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  imagePullSecrets: 'name',
  volumes: 'name',
  env: 'name',
  schedulingGates: 'name',
  resourceClaims: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  podIPs: 'ip',
  hostIPs: 'ip',
  topologySpreadConstraints: 'topologyKey',
  conditions: 'type',
};
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Patch metadata of the list at `path` (field names from the root, list indices left out) in `kind`. */
export function listMeta(kind: string, path: readonly string[]): ListMeta | undefined {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  if (parent === 'metadata')
    return field === 'finalizers' ? { set: true } : field === 'ownerReferences' ? { key: 'uid' } : undefined;
  if (field === 'ports') {
    if (CONTAINER_LISTS.has(parent)) return { key: 'containerPort' };
    return kind === 'Service' && path.length === 2 ? { key: 'port' } : undefined;
  }
  if (kind === 'Node' && path.join('.') === 'status.addresses') return { key: 'type' };
  if (kind === 'Node' && path.join('.') === 'spec.podCIDRs') return { set: true };
  if (field === 'env' && !CONTAINER_LISTS.has(parent)) return undefined;
  return field in MERGE_BY ? { key: MERGE_BY[field] } : undefined;
}

const isBuiltin = (rt: ResourceType) => BUILTIN_TYPES.some((b) => b.group === rt.group && b.resource === rt.resource);

// ---------------------------------------------------------------------------------------------
// Entry point.

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

function unsupported(rt: ResourceType): StatusError {
  // Custom resources have no Go types to carry patch metadata, so the server never offers strategic merge for them.
  const accepted = isBuiltin(rt) ? [JSON_PATCH, MERGE_PATCH, STRATEGIC, APPLY] : [JSON_PATCH, MERGE_PATCH, APPLY];
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** Applies a PATCH body to `current` (undefined: the object does not exist) and returns the new object. */
export function applyPatch(
  current: KObj | undefined,
  body: Buffer,
  contentType: string,
  rt: ResourceType,
  opts: PatchOptions = {},
): KObj {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const text = body.toString('utf8');
  if (type === APPLY) return serverSideApply(current, text, rt, opts);
  if (type !== JSON_PATCH && type !== MERGE_PATCH && (type !== STRATEGIC || !isBuiltin(rt))) throw unsupported(rt);
  if (!current) throw notFound(rt.resource, rt.group, '');
  if (type === JSON_PATCH) return jsonPatch(current, text);
  if (type === MERGE_PATCH) {
    const patch = parseJson(text, (m) => badRequest(`error decoding patch: ${m}`));
    if (!isMap(patch)) throw badRequest('Invalid JSON Patch');
    return mergePatch(clone(current), patch) as KObj;
  }
  const patch = parseJson(text, (m) => badRequest(m));
  if (!isMap(patch))
    throw badRequest(`json: cannot unmarshal ${goTypeName(patch)} into Go value of type map[string]interface {}`);
  return stripDirectives(smpMap(clone(current), patch, rt.kind, [])) as KObj;
}

// ---------------------------------------------------------------------------------------------
// RFC 7386 JSON merge patch.

function mergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return clone(patch);
  const out: JMap = isMap(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// RFC 6902 JSON patch, with the server's status codes: undecodable → 400, failing operation → 422.

function jsonPatch(current: KObj, text: string): KObj {
  const ops = parseJson(text, (m) => badRequest(m));
  if (!Array.isArray(ops))
    throw badRequest(`json: cannot unmarshal ${goTypeName(ops)} into Go value of type jsonpatch.Patch`);
  const bad = ops.find((o) => !isMap(o));
  if (bad !== undefined)
    throw badRequest(`json: cannot unmarshal ${goTypeName(bad)} into Go value of type jsonpatch.Operation`);
  try {
    const out = applyJsonPatch(clone(current), ops as Operation[], true, true).newDocument;
    if (!isMap(out)) throw new Error('the patched document is not an object');
    return out as KObj;
  } catch (e) {
    // The server wraps the failure in NewGenericServerResponse, whose Status keeps only a generic message
    // and empty details; the library's own words stay server-side, here as the error's cause.
    throw Object.assign(
      new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {}),
      { cause: jsonPatchMessage(e) },
    );
  }
}

/** fast-json-patch's errors, reworded as the server's Go json-patch library words them. */
function jsonPatchMessage(e: unknown): string {
  if (!(e instanceof JsonPatchError)) return e instanceof Error ? e.message : String(e);
  const op = (e.operation ?? {}) as { op?: string; path?: string; from?: string };
  switch (e.name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${op.path} failed: test failed`;
    case 'OPERATION_OP_INVALID':
      return `Unexpected kind: ${op.op}`;
    case 'OPERATION_PATH_UNRESOLVABLE':
    case 'OPERATION_PATH_CANNOT_ADD':
      return `${op.op} operation does not apply: doc is missing path: "${op.path}": missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${op.op} operation does not apply: doc is missing from path: "${op.from}": missing value`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `${op.op} operation does not apply: doc is missing path: "${op.path}": invalid index referenced`;
    case 'OPERATION_VALUE_REQUIRED':
      return `${op.op} operation does not apply: missing value`;
    default:
      return e.message.split('\n')[0];
  }
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch.

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';
const isDirectiveKey = (k: string) =>
  k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE);

function smpMap(orig: JMap, patch: JMap, kind: string, path: string[]): JMap {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') return stripDirectives(omit(patch, DIRECTIVE));
  if (directive === 'delete') return {};
  if (directive !== undefined && directive !== 'merge')
    throw internalError(`Unknown patch type: ${directive} in map: ${goMap(patch)}`);

  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw badRequest('invalid patch format of retainKeys');
    for (const k of Object.keys(orig)) if (!retain.includes(k)) delete orig[k];
  }
  for (const [k, values] of Object.entries(patch)) {
    if (!k.startsWith(DELETE_PRIMITIVE)) continue;
    const field = k.slice(DELETE_PRIMITIVE.length);
    if (!Array.isArray(values)) throw badRequest('invalid patch format of primitive list');
    if (Array.isArray(orig[field])) orig[field] = orig[field].filter((x: Json) => !values.some((v) => deepEqual(v, x)));
  }
  for (const [k, pv] of Object.entries(patch)) {
    if (isDirectiveKey(k)) continue;
    if (pv === null) {
      delete orig[k];
      continue;
    }
    const ov = orig[k];
    const sub = [...path, k];
    if (isMap(pv)) orig[k] = smpMap(isMap(ov) ? ov : {}, pv, kind, sub);
    else if (Array.isArray(pv)) orig[k] = smpList(Array.isArray(ov) ? ov : [], pv, kind, sub);
    else orig[k] = pv;
  }
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    const field = k.slice(SET_ORDER.length);
    if (!Array.isArray(order)) throw badRequest('invalid patch format of setElementOrder list');
    if (Array.isArray(orig[field])) orig[field] = reorder(orig[field], order, listMeta(kind, [...path, field])?.key);
  }
  return orig;
}

function smpList(orig: Json[], patch: Json[], kind: string, path: string[]): Json[] {
  const meta = listMeta(kind, path);
  const replaceAll = patch.some((p) => isMap(p) && p[DIRECTIVE] === 'replace');
  if (replaceAll) return stripDirectives(patch.filter((p) => !(isMap(p) && p[DIRECTIVE] === 'replace')));
  if (meta?.set) return [...orig, ...patch.filter((p) => !orig.some((o) => deepEqual(o, p)))];
  const key = meta?.key;
  if (!key) return stripDirectives(patch.filter((p) => !(isMap(p) && p[DIRECTIVE] === 'delete')));
  const out = [...orig];
  for (const p of patch) {
    if (!isMap(p)) throw internalError(`Unable to merge a primitive into a list of maps keyed by ${key}`);
    if (!(key in p)) throw internalError(`map: ${goMap(p)} does not contain declared merge key: ${key}`);
    const at = out.findIndex((o) => isMap(o) && deepEqual(o[key], p[key]));
    if (p[DIRECTIVE] === 'delete') {
      for (let i = out.length - 1; i >= 0; i--) if (isMap(out[i]) && deepEqual(out[i][key], p[key])) out.splice(i, 1);
    } else if (at >= 0) out[at] = smpMap(out[at], p, kind, path);
    else out.push(smpMap({}, p, kind, path));
  }
  return out;
}

/** Puts the elements named in `order` into that order, leaving elements it does not name in their slots. */
function reorder(list: Json[], order: Json[], key: string | undefined): Json[] {
  const rank = (x: Json) =>
    order.findIndex((o) => (key && isMap(o) && isMap(x) ? deepEqual(o[key], x[key]) : deepEqual(o, x)));
  const slots = list.map((x, i) => ({ x, i, r: rank(x) })).filter((s) => s.r >= 0);
  const sorted = [...slots].sort((a, b) => a.r - b.r);
  const out = [...list];
  slots.forEach((s, j) => (out[s.i] = sorted[j].x));
  return out;
}

/** Removes patch directives at every depth, so that none is ever stored. */
function stripDirectives<T extends Json>(v: T): T {
  if (Array.isArray(v))
    return v.filter((x) => !(isMap(x) && Object.keys(x).length === 1 && DIRECTIVE in x)).map(stripDirectives) as T;
  if (!isMap(v)) return v;
  const out: JMap = {};
  for (const [k, x] of Object.entries(v)) if (!isDirectiveKey(k)) out[k] = stripDirectives(x);
  return out as T;
}

const omit = (m: JMap, key: string): JMap => Object.fromEntries(Object.entries(m).filter(([k]) => k !== key));

// ---------------------------------------------------------------------------------------------
// Server-side apply: the applied configuration is merged into the live object; the manager's field
// set is recorded in managedFields, fields it applied before and no longer applies are removed, and
// fields another applier owns with a different value conflict unless forced.

export type FieldSet = { [seg: string]: FieldSet };

export interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldSet;
  subresource?: string;
}

function serverSideApply(current: KObj | undefined, text: string, rt: ResourceType, opts: PatchOptions): KObj {
  let applied: Json;
  try {
    applied = loadYaml(text) as Json;
  } catch (e) {
    throw badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isMap(applied))
    throw badRequest(`error decoding YAML: cannot unmarshal ${goTypeName(applied)} into map[string]interface {}`);
  const apiVersion = apiVersionOf(rt);
  if (applied.apiVersion !== apiVersion || applied.kind !== rt.kind) {
    throw badRequest(
      `invalid object type: ${applied.apiVersion ?? ''}, Kind=${applied.kind ?? ''}; expected ${apiVersion}, Kind=${rt.kind}`,
    );
  }
  const manager = opts.fieldManager;
  if (!manager) throw badRequest('PATCH requests with apply content type must specify a fieldManager');
  if (!isMap(applied.metadata)) applied.metadata = {};
  if (current && applied.metadata.name !== undefined && applied.metadata.name !== current.metadata.name) {
    throw badRequest(
      `the name of the object (${applied.metadata.name}) does not match the name on the URL (${current.metadata.name})`,
    );
  }
  if (
    current &&
    applied.metadata.resourceVersion &&
    applied.metadata.resourceVersion !== current.metadata.resourceVersion
  ) {
    throw new StatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${rt.group ? `${rt.resource}.${rt.group}` : rt.resource} "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name: current.metadata.name, group: rt.group, kind: rt.resource },
    );
  }
  // The applier states intent for the main resource only: status and server-owned metadata are not its to set.
  const config = dropNulls(omit(applied, 'status')) as JMap;
  for (const k of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'deletionTimestamp'])
    delete config.metadata[k];

  const entries: ManagedFieldsEntry[] =
    clone(current?.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
  const others = entries.filter((e) => e !== mine);
  const fields = fieldSet(omitIdentity(config), rt.kind, []);

  const live: JMap = current ? clone(current) : {};
  if (current) {
    const conflicts = findConflicts(fields, config, live, others);
    if (conflicts.length && !opts.force) throw conflictError(conflicts);
    for (const c of conflicts) for (const o of others) if (o.fieldsV1) removePath(o.fieldsV1, c.segs);
  }
  const merged = applyMerge(live, config, rt.kind, []) as KObj;
  if (mine?.fieldsV1)
    prune(
      merged,
      mine.fieldsV1,
      fields,
      others.map((o) => o.fieldsV1 ?? {}),
    );

  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion,
    time: opts.now ?? nowIso(),
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  };
  merged.metadata.managedFields = [...others.filter((o) => !o.fieldsV1 || Object.keys(o.fieldsV1).length), entry];
  return merged;
}

/** name and namespace identify the object; like the API server, they are not recorded as owned fields. */
function omitIdentity(config: JMap): JMap {
  const metadata = omit(omit(config.metadata ?? {}, 'name'), 'namespace');
  const out = omit(omit(config, 'apiVersion'), 'kind');
  if (Object.keys(metadata).length) out.metadata = metadata;
  else delete out.metadata;
  return out;
}

function dropNulls(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(dropNulls);
  if (!isMap(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, dropNulls(x)]),
  );
}

function applyMerge(live: Json, config: Json, kind: string, path: string[]): Json {
  if (isMap(config)) {
    const out: JMap = isMap(live) ? live : {};
    for (const [k, v] of Object.entries(config)) out[k] = applyMerge(out[k], v, kind, [...path, k]);
    return out;
  }
  if (!Array.isArray(config)) return config;
  const meta = listMeta(kind, path);
  if (!Array.isArray(live) || !meta) return clone(config);
  if (meta.set) return [...live, ...config.filter((c) => !live.some((l) => deepEqual(l, c)))];
  const key = meta.key!;
  const out = [...live];
  for (const item of config) {
    const at = out.findIndex((l) => isMap(l) && isMap(item) && deepEqual(l[key], item[key]));
    if (at >= 0) out[at] = applyMerge(out[at], item, kind, path);
    else out.push(clone(item));
  }
  return out;
}

const keySeg = (item: JMap, key: string) => `k:${JSON.stringify({ [key]: item[key] })}`;

/** The managedFields (FieldsV1) set of the fields a configuration sets. */
export function fieldSet(config: JMap, kind: string, path: string[]): FieldSet {
  const out: FieldSet = {};
  for (const [k, v] of Object.entries(config)) {
    const sub = [...path, k];
    const meta = Array.isArray(v) ? listMeta(kind, sub) : undefined;
    if (isMap(v)) out[`f:${k}`] = fieldSet(v, kind, sub);
    else if (meta?.set) out[`f:${k}`] = Object.fromEntries(v.map((x: Json) => [`v:${JSON.stringify(x)}`, {}]));
    else if (meta?.key) {
      out[`f:${k}`] = Object.fromEntries(
        v.filter(isMap).map((x: JMap) => [keySeg(x, meta.key!), { '.': {}, ...fieldSet(x, kind, sub) }]),
      );
    } else out[`f:${k}`] = {};
  }
  return out;
}

/** Follows one FieldsV1 segment into a value: `f:` a field, `k:` a keyed list element, `v:` a set member. */
function step(v: Json, seg: string): { found: boolean; value?: Json; remove?: () => void } {
  if (seg.startsWith('f:') && isMap(v)) {
    const k = seg.slice(2);
    return { found: k in v, value: v[k], remove: () => delete v[k] };
  }
  if ((seg.startsWith('k:') || seg.startsWith('v:')) && Array.isArray(v)) {
    const want = JSON.parse(seg.slice(2));
    const match = (x: Json) =>
      seg[0] === 'v' ? deepEqual(x, want) : isMap(x) && Object.entries(want).every(([k, w]) => deepEqual(x[k], w));
    const at = v.findIndex(match);
    return { found: at >= 0, value: v[at], remove: () => v.splice(at, 1) };
  }
  return { found: false };
}

export function resolve(v: Json, segs: string[]): { found: boolean; value?: Json } {
  let cur: { found: boolean; value?: Json } = { found: true, value: v };
  for (const s of segs) {
    if (!cur.found) break;
    cur = step(cur.value, s);
  }
  return cur;
}

export function leaves(set: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [seg, child] of Object.entries(set)) {
    if (seg === '.') continue;
    const kids = Object.keys(child).filter((k) => k !== '.');
    if (kids.length) out.push(...leaves(child, [...prefix, seg]));
    else out.push([...prefix, seg]);
  }
  return out;
}

export const hasPath = (set: FieldSet | undefined, segs: string[]) =>
  segs.reduce<FieldSet | undefined>((s, seg) => s?.[seg], set) !== undefined;

/** Removes one owned field and every ancestor it leaves empty (a keyed element's '.' marker does not count). */
export function removePath(set: FieldSet, segs: string[]): void {
  const chain: FieldSet[] = [set];
  for (const seg of segs.slice(0, -1)) {
    const next = chain[chain.length - 1][seg];
    if (!next) return;
    chain.push(next);
  }
  delete chain[chain.length - 1][segs[segs.length - 1]];
  for (let i = chain.length - 1; i > 0; i--) {
    if (Object.keys(chain[i]).some((k) => k !== '.')) break;
    delete chain[i - 1][segs[i - 1]];
  }
}

interface Conflict {
  entry: ManagedFieldsEntry;
  segs: string[];
}

function findConflicts(fields: FieldSet, config: JMap, live: JMap, others: ManagedFieldsEntry[]): Conflict[] {
  const out: Conflict[] = [];
  const cfg = omitIdentity(config);
  for (const segs of leaves(fields)) {
    const want = resolve(cfg, segs).value;
    const have = resolve(live, segs);
    if (have.found && deepEqual(have.value, want)) continue;
    for (const o of others) if (hasPath(o.fieldsV1, segs)) out.push({ entry: o, segs });
  }
  return out;
}

/** `.spec.template.spec.containers[name="c"].image`, as the API server prints field paths. */
function pathString(segs: string[]): string {
  return segs
    .map((s) => {
      if (s.startsWith('f:')) return `.${s.slice(2)}`;
      if (s.startsWith('v:')) return `[=${s.slice(2)}]`;
      const key = JSON.parse(s.slice(2)) as JMap;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

/** A manager as the server names it in conflicts: `"kubectl" with subresource "scale" using apps/v1`. */
function printManager(e: ManagedFieldsEntry): string {
  return `${JSON.stringify(e.manager)}${e.subresource ? ` with subresource ${JSON.stringify(e.subresource)}` : ''} using ${e.apiVersion ?? ''}`;
}

function conflictError(conflicts: Conflict[]): StatusError {
  const who = conflicts.map((c) => ({ ...c, m: printManager(c.entry) }));
  const message =
    who.length === 1
      ? `Apply failed with 1 conflict: conflict with ${who[0].m}: ${pathString(who[0].segs)}`
      : `Apply failed with ${who.length} conflicts: ${[...new Set(who.map((c) => c.m))]
          .sort()
          .map(
            (m) =>
              `conflicts with ${m}:\n${who
                .filter((c) => c.m === m)
                .map((c) => `- ${pathString(c.segs)}`)
                .join('\n')}`,
          )
          .join('\n')}`;
  return new StatusError(409, 'Conflict', message, {
    causes: who.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${c.m}`,
      field: pathString(c.segs),
    })),
  });
}

/** Removes fields the manager applied before but no longer applies, unless another manager owns them. */
function prune(live: Json, prev: FieldSet, next: FieldSet, others: FieldSet[]): void {
  for (const [seg, child] of Object.entries(prev)) {
    if (seg === '.') continue;
    const at = step(live, seg);
    if (!at.found) continue;
    const owners = others.map((o) => o[seg]).filter((o): o is FieldSet => o !== undefined);
    if (next[seg] === undefined && owners.length === 0) at.remove?.();
    else if (Object.keys(child).some((k) => k !== '.')) prune(at.value, child, next[seg] ?? {}, owners);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON decoding with the Go encoding/json error messages the API server returns.

function parseJson(text: string, err: (message: string) => StatusError): Json {
  try {
    return JSON.parse(text);
  } catch {
    throw err(goJsonError(text));
  }
}

function goTypeName(v: Json): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

function goMap(m: JMap): string {
  return `map[${Object.keys(m)
    .sort()
    .map((k) => `${k}:${isMap(m[k]) ? goMap(m[k]) : String(m[k])}`)
    .join(' ')}]`;
}

/** Locates the first syntax error in `s` and words it like Go's encoding/json scanner. */
export function goJsonError(s: string): string {
  let i = 0;
  const ch = (c: string) =>
    c === "'" ? "'\\''" : c === '\n' ? "'\\n'" : c === '\t' ? "'\\t'" : c === '\r' ? "'\\r'" : `'${c}'`;
  const fail = (context: string): never => {
    throw new Error(i >= s.length ? 'unexpected end of JSON input' : `invalid character ${ch(s[i])} ${context}`);
  };
  const ws = () => {
    while (i < s.length && ' \t\r\n'.includes(s[i])) i++;
  };
  const str = () => {
    i++;
    while (i < s.length && s[i] !== '"') {
      if (s[i] < ' ') fail('in string literal');
      i += s[i] === '\\' ? 2 : 1;
    }
    if (i >= s.length) fail('');
    i++;
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') return void i++;
      for (;;) {
        ws();
        if (s[i] !== '"') fail('looking for beginning of object key string');
        str();
        ws();
        if (s[i] !== ':') fail('after object key');
        i++;
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === '}') return void i++;
        else fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === ']') return void i++;
        else fail('after array element');
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) {
      i++;
      while (i < s.length && /[0-9.eE+-]/.test(s[i])) i++;
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (c !== lit[0]) continue;
      for (let k = 0; k < lit.length; k++, i++)
        if (s[i] !== lit[k]) fail(`in literal ${lit} (expecting ${ch(lit[k])})`);
      return;
    }
    fail('looking for beginning of value');
  };
  try {
    value();
    ws();
    if (i < s.length) fail('after top-level value');
    return 'invalid JSON';
  } catch (e) {
    return (e as Error).message;
  }
}
