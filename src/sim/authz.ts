// Who may do what, and the access reviews (`kubectl auth can-i`) that ask it. kubectl 1.32+ sends
// the reviews as protobuf; they are decoded here with a small wire-format reader and answered in JSON.
import type { ServerResponse } from 'node:http';
import type { ResourceRequest, SimContext, User } from './context';
import { StatusError, badRequest, invalid } from './status';

export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const READ_VERBS = ['get', 'list', 'watch'];
/** Subresources that act on a running pod: a viewer may look, not touch. */
const POD_ACTIONS = new Set(['exec', 'attach', 'portforward', 'eviction']);
const REVIEWS = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews']);

const isSelfReview = (a: AccessAttributes) =>
  a.group === 'authorization.k8s.io' && REVIEWS.has(a.resource) && a.verb === 'create';

/** Admin may do anything; a viewer may read everything but secrets, and may always ask what it may do. */
export function can(user: User, a: AccessAttributes): boolean {
  if (user.role === 'admin' || isSelfReview(a)) return true;
  if (!READ_VERBS.includes(a.verb)) return false;
  if (a.resource === '*' || (a.group === '' && a.resource === 'secrets')) return false;
  return !(a.subresource && POD_ACTIONS.has(a.subresource));
}

/** Every authenticated user may read discovery, version, health and OpenAPI; only admin may do more. */
export function canNonResource(user: User, verb: string, path: string): boolean {
  if (user.role === 'admin') return true;
  return (
    verb === 'get' && NON_RESOURCE_READ.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p))
  );
}

const NON_RESOURCE_READ = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/readyz',
  '/version',
  '/version/',
  '/openapi',
  '/openapi/*',
];

// ---------------------------------------------------------------------------------------------
// Protobuf: just enough of the wire format to read the k8s envelope and the review specs.

interface Field {
  num: number;
  wire: number;
  bytes?: Buffer;
  int?: number;
}

function readVarint(buf: Buffer, at: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = at; i < buf.length; i++) {
    const b = buf[i];
    v += (b & 0x7f) * mul;
    mul *= 128;
    if (!(b & 0x80)) return [v, i + 1];
  }
  throw new Error('truncated varint');
}

function decodeMessage(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const [tag, next] = readVarint(buf, at);
    at = next;
    const num = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      const [v, n] = readVarint(buf, at);
      out.push({ num, wire, int: v });
      at = n;
    } else if (wire === 2) {
      const [len, n] = readVarint(buf, at);
      if (n + len > buf.length) throw new Error('truncated field');
      out.push({ num, wire, bytes: buf.subarray(n, n + len) });
      at = n + len;
    } else if (wire === 1 || wire === 5) {
      at += wire === 1 ? 8 : 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  if (at > buf.length) throw new Error('truncated field');
  return out;
}

const sub = (fields: Field[], num: number): Field[] | undefined => {
  const f = fields.find((x) => x.num === num && x.bytes);
  return f ? decodeMessage(f.bytes!) : undefined;
};
const str = (fields: Field[], num: number): string =>
  fields.find((x) => x.num === num && x.bytes)?.bytes!.toString('utf8') ?? '';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Unwraps `k8s\0` + runtime.Unknown{typeMeta=1{apiVersion=1, kind=2}, raw=2}. */
export function decodeEnvelope(body: Buffer): { apiVersion: string; kind: string; raw: Field[] } {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('missing k8s protobuf magic');
  const unknown = decodeMessage(body.subarray(4));
  const typeMeta = sub(unknown, 1) ?? [];
  return { apiVersion: str(typeMeta, 1), kind: str(typeMeta, 2), raw: sub(unknown, 2) ?? [] };
}

interface ReviewSpec {
  resourceAttributes?: Record<string, string>;
  nonResourceAttributes?: { path: string; verb: string };
  namespace?: string;
}

const RESOURCE_FIELDS = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'] as const;

/** SelfSubjectAccessReview or SelfSubjectRulesReview spec (field 2 of the object) from protobuf. */
export function decodeReviewSpec(kind: string, raw: Field[]): ReviewSpec {
  const spec = sub(raw, 2) ?? [];
  if (kind === 'SelfSubjectRulesReview') return { namespace: str(spec, 1) };
  const out: ReviewSpec = {};
  const ra = sub(spec, 1);
  if (ra) out.resourceAttributes = Object.fromEntries(RESOURCE_FIELDS.map((k, i) => [k, str(ra, i + 1)]));
  const nra = sub(spec, 2);
  if (nra) out.nonResourceAttributes = { path: str(nra, 1), verb: str(nra, 2) };
  return out;
}

// ---------------------------------------------------------------------------------------------
// The review endpoints.

function readReview(r: ResourceRequest, body: Buffer, kind: string): ReviewSpec {
  const ct = String(r.req.headers['content-type'] ?? 'application/json')
    .split(';')[0]
    .trim();
  if (ct === 'application/vnd.kubernetes.protobuf') {
    try {
      const env = decodeEnvelope(body);
      if (env.kind && env.kind !== kind) throw new Error(`expected ${kind}, got ${env.kind}`);
      return decodeReviewSpec(kind, env.raw);
    } catch (e) {
      throw badRequest(`unable to decode protobuf ${kind}: ${(e as Error).message}`);
    }
  }
  if (ct !== 'application/json' && ct !== '') {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  }
  let obj: { kind?: string; spec?: ReviewSpec };
  try {
    obj = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
  return obj.spec ?? {};
}

function send(res: ServerResponse, obj: unknown): void {
  const s = JSON.stringify(obj);
  res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(s) });
  res.end(s);
}

function accessReview(r: ResourceRequest, res: ServerResponse, body: Buffer): void {
  const spec = readReview(r, body, 'SelfSubjectAccessReview');
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (!ra === !nra) {
    throw invalid('SelfSubjectAccessReview', 'authorization.k8s.io', '', [
      {
        field: 'spec.resourceAttributes',
        message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  }
  const allowed = ra
    ? can(r.user, {
        verb: ra.verb ?? '',
        group: ra.group ?? '',
        resource: ra.resource ?? '',
        subresource: ra.subresource || undefined,
        namespace: ra.namespace || undefined,
        name: ra.name || undefined,
      })
    : canNonResource(r.user, nra!.verb, nra!.path);
  const reason = allowed
    ? `RBAC: allowed by ClusterRoleBinding "kubegraf-${r.user.role}" of ClusterRole "${r.user.role === 'admin' ? 'cluster-admin' : 'view'}" to User "${r.user.name}"`
    : undefined;
  send(res, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: ra ? { resourceAttributes: ra } : { nonResourceAttributes: nra },
    status: { allowed, ...(reason ? { reason } : {}) },
  });
}

function rulesReview(ctx: SimContext) {
  return (r: ResourceRequest, res: ServerResponse, body: Buffer): void => {
    const spec = readReview(r, body, 'SelfSubjectRulesReview');
    const status =
      r.user.role === 'admin'
        ? {
            resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
            nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
            incomplete: false,
          }
        : {
            resourceRules: viewerRules(ctx),
            nonResourceRules: [{ verbs: ['get'], nonResourceURLs: NON_RESOURCE_READ }],
            incomplete: false,
          };
    send(res, {
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { namespace: spec.namespace ?? '' },
      status,
    });
  };
}

/** The viewer's rules spelled out per group, since RBAC rules cannot say "everything but secrets". */
function viewerRules(ctx: SimContext) {
  const viewer: User = { name: '', groups: [], role: 'viewer' };
  // verbs -> group -> resources; subresources only answer get, so they get rules of their own.
  const rules = new Map<string, Map<string, string[]>>();
  const add = (verbs: string[], group: string, resource: string) => {
    if (!verbs.length) return;
    const byGroup = rules.get(verbs.join(' ')) ?? new Map<string, string[]>();
    byGroup.set(group, [...(byGroup.get(group) ?? []), resource]);
    rules.set(verbs.join(' '), byGroup);
  };
  for (const rt of ctx.types.all()) {
    const readable = (verbs: string[], subresource?: string) =>
      READ_VERBS.filter(
        (v) => verbs.includes(v) && can(viewer, { verb: v, group: rt.group, resource: rt.resource, subresource }),
      );
    add(readable(rt.verbs), rt.group, rt.resource);
    for (const s of rt.subresources ?? []) add(readable(s.verbs, s.name), rt.group, `${rt.resource}/${s.name}`);
  }
  const out = [{ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: [...REVIEWS] }];
  for (const [verbs, byGroup] of rules) {
    for (const [group, resources] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) {
      out.push({ verbs: verbs.split(' '), apiGroups: [group], resources: [...new Set(resources)].sort() });
    }
  }
  return out;
}

/** Registers the SelfSubjectAccessReview and SelfSubjectRulesReview endpoints. */
export function installAccessReviews(ctx: SimContext): void {
  ctx.virtual.set('authorization.k8s.io/selfsubjectaccessreviews', accessReview);
  ctx.virtual.set('authorization.k8s.io/selfsubjectrulesreviews', rulesReview(ctx));
}
