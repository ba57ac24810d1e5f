// The simulated kube-apiserver's HTTP layer: authentication, routing, content negotiation, CRUD, list, watch.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as loadYaml } from 'yaml';
import type { SimContext, User, ResourceRequest } from './context';
import type { ResourceType } from './kinds';
import { typeKey, apiVersionOf } from './kinds';
import type { KObj } from './store';
import { nowIso } from './store';
import {
  BODY_TYPES,
  StatusError,
  badRequest,
  expired,
  forbidden,
  invalid,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
} from './status';
import { parseFieldSelector, parseLabelSelector, fieldAllowed } from './selectors';
import { aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions } from './discovery';
import { columnDefinitions, columnsFor, tableRow, type IncludeObject } from './table';
import { applyPatch } from './patch';
import { can } from './authz';
import { serveOpenApi } from './openapi';
import { admit, admitSubresource } from './admission';
import { evictionAllowed } from './controllers/pdb';
import { deletionFinalizers } from './controllers/gc';
import { decodeProtobufObject, isProtobuf } from './protobuf';
import { serveProxy } from './serviceProxy';
import { Params, deleteParams, dryRunParam, listParams, type DeleteParams } from './params';

const MAX_BODY = 3 * 1024 * 1024; // the API server's own request size limit

export interface HttpOptions {
  authenticate(req: IncomingMessage): User | undefined;
  serverAddress(): string;
  /** Fault-injection admin API (/_sim/...), answered before normal routing. */
  admin(req: IncomingMessage, res: ServerResponse, url: URL, user: User): Promise<boolean>;
  /** Runs before every cluster request; may delay it or answer it (injected failures). */
  intercept(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Live watch responses, so faults can drop them. */
  watches: Set<ServerResponse>;
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const s = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(s),
    'Cache-Control': 'no-cache, private',
  });
  res.end(s);
}

export function sendStatus(res: ServerResponse, err: unknown): void {
  const e =
    err instanceof StatusError
      ? err
      : new StatusError(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, e.code, e.toStatus());
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Decodes a create/update body: JSON, or YAML as the API server also accepts. */
export function decodeBody(body: Buffer, contentType: string): KObj {
  const ct = contentType.split(';')[0].trim();
  if (isProtobuf(ct)) return decodeProtobufObject(body) as KObj;
  if (ct && ct !== 'application/json' && ct !== 'application/yaml' && ct !== '*/*')
    throw unsupportedMediaType(ct, BODY_TYPES);
  let obj: unknown;
  try {
    obj = ct === 'application/yaml' ? loadYaml(body.toString('utf8')) : JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw badRequest(
      `the object provided is unrecognized (must be of type ${ct || 'application/json'}): ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj))
    throw badRequest('the body of the request must be a JSON object');
  return obj as KObj;
}

interface ParsedPath {
  group: string;
  version: string;
  rest: string[];
}

function parseApiPath(path: string): ParsedPath | undefined {
  const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (segs[0] === 'api' && segs.length >= 2) return { group: '', version: segs[1], rest: segs.slice(2) };
  if (segs[0] === 'apis' && segs.length >= 3) return { group: segs[1], version: segs[2], rest: segs.slice(3) };
  return undefined;
}

// A real server sends `details: {}` here; kubectl debug reads details.name off this 404 (and panics without it).
const NOT_FOUND_PATH = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});

function kubeVerb(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return hasName ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

export class ApiHandler {
  constructor(
    private readonly ctx: SimContext,
    private readonly opts: HttpOptions,
  ) {}

  async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'https://sim');
      const user = this.opts.authenticate(req);
      if (!user) {
        sendJson(res, 401, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'Unauthorized',
          reason: 'Unauthorized',
          code: 401,
        });
        return;
      }
      if (url.pathname.startsWith('/_sim/')) {
        if (await this.opts.admin(req, res, url, user)) return;
        throw NOT_FOUND_PATH();
      }
      if (await this.opts.intercept(req, res)) return;
      if (await serveProxy(this.ctx, req, res, url, user)) return;
      if (await this.nonResource(req, res, url)) return;
      const r = this.resolve(req, url, user);
      if (!r) throw NOT_FOUND_PATH();
      await this.serve(r, req, res);
    } catch (e) {
      sendStatus(res, e);
    }
  }

  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const fail = (code: number, message: string) => {
      socket.end(
        `HTTP/1.1 ${code} ${code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : code === 404 ? 'Not Found' : 'Bad Request'}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n` +
          JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code }),
      );
    };
    try {
      const url = new URL(req.url ?? '/', 'https://sim');
      const user = this.opts.authenticate(req);
      if (!user) return fail(401, 'Unauthorized');
      const r = this.resolve(req, url, user);
      const handler = r && r.subresource ? this.ctx.upgrades.get(`${r.rt.resource}/${r.subresource}`) : undefined;
      if (!r || !handler) return fail(404, 'the server could not find the requested resource');
      // exec/attach/portforward are "create" on the subresource (kubectl can-i create pods/exec).
      if (
        !can(r.user, {
          verb: 'create',
          group: r.rt.group,
          resource: r.rt.resource,
          subresource: r.subresource,
          namespace: r.namespace,
          name: r.name,
        })
      ) {
        const e = forbidden(
          r.user.name,
          'create',
          `${r.rt.resource}/${r.subresource}`,
          r.rt.group,
          r.namespace,
          r.name,
        );
        return fail(403, e.message);
      }
      const pod = this.ctx.store.get(typeKey(r.rt.group, r.rt.resource), r.namespace, r.name!);
      if (!pod) return fail(404, notFound(r.rt.resource, r.rt.group, r.name!).message);
      handler(r, socket, head);
    } catch (e) {
      fail(e instanceof StatusError ? e.code : 500, (e as Error).message);
    }
  }

  private async nonResource(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const accept = String(req.headers.accept ?? '');
    const aggregated = accept.includes('as=APIGroupDiscoveryList');
    const aggVersion = /g=apidiscovery\.k8s\.io;v=v2(;|,|$)/.test(accept) ? 'v2' : 'v2beta1';
    const aggCt = `application/json;g=apidiscovery.k8s.io;v=${aggVersion};as=APIGroupDiscoveryList`;
    switch (p) {
      case '/version':
        sendJson(res, 200, {
          major: '1',
          minor: String(this.ctx.kubeMinor),
          gitVersion: `v1.${this.ctx.kubeMinor}.0`,
          gitCommit: '0000000000000000000000000000000000000000',
          gitTreeState: 'clean',
          buildDate: '2026-01-01T00:00:00Z',
          goVersion: 'go1.23.0',
          compiler: 'gc',
          platform: 'linux/amd64',
          emulationMajor: '1',
          emulationMinor: String(this.ctx.kubeMinor),
        });
        return true;
      case '/healthz':
      case '/livez':
      case '/readyz':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
        return true;
      case '/api':
        if (aggregated) sendJson(res, 200, aggregatedDiscovery(this.ctx.types, true, aggVersion), aggCt);
        else sendJson(res, 200, apiVersions(this.opts.serverAddress()));
        return true;
      case '/apis':
        if (aggregated) sendJson(res, 200, aggregatedDiscovery(this.ctx.types, false, aggVersion), aggCt);
        else sendJson(res, 200, apiGroupList(this.ctx.types));
        return true;
    }
    if (p.startsWith('/openapi/')) {
      if (serveOpenApi(this.ctx, url, res)) return true;
      throw NOT_FOUND_PATH();
    }
    const api = parseApiPath(p);
    if (api && api.rest.length === 0) {
      const doc = apiResourceList(this.ctx.types, api.group, api.version);
      if (!doc) throw NOT_FOUND_PATH();
      sendJson(res, 200, doc);
      return true;
    }
    const m = /^\/apis\/([^/]+)$/.exec(p);
    if (m) {
      const doc = apiGroupDoc(this.ctx.types, m[1]);
      if (!doc) throw NOT_FOUND_PATH();
      sendJson(res, 200, doc);
      return true;
    }
    return false;
  }

  private resolve(req: IncomingMessage, url: URL, user: User): ResourceRequest | undefined {
    const api = parseApiPath(url.pathname);
    if (!api) return undefined;
    let { rest } = api;
    let namespace: string | undefined;
    // /namespaces/NS/RESOURCE/... addresses a namespaced resource; /namespaces/NAME[/status|finalize] the namespace itself.
    if (
      rest[0] === 'namespaces' &&
      rest.length >= 3 &&
      !(api.group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))
    ) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [resource, name, subresource, ...extra] = rest;
    if (extra.length) return undefined;
    const rt = this.ctx.types.get(api.group, api.version, resource);
    if (!rt) return undefined;
    if (namespace && !rt.namespaced) return undefined;
    const watch = Params.of(url).bool('watch');
    return { req, url, user, rt, namespace, name, subresource, verb: kubeVerb(req.method ?? 'GET', !!name, watch) };
  }

  private async serve(r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { rt } = r;
    const attrs = {
      verb: r.verb,
      group: rt.group,
      resource: rt.resource,
      subresource: r.subresource,
      namespace: r.namespace,
      name: r.name,
    };
    if (!can(r.user, attrs)) {
      throw forbidden(
        r.user.name,
        r.verb,
        r.subresource ? `${rt.resource}/${r.subresource}` : rt.resource,
        rt.group,
        r.namespace,
        r.name,
      );
    }
    if (!rt.verbs.includes(r.verb) && !r.subresource) throw methodNotAllowed(r.verb, rt.resource);
    const body = req.method === 'GET' || req.method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
    if (rt.virtual) {
      const v = this.ctx.virtual.get(typeKey(rt.group, rt.resource));
      if (!v) throw NOT_FOUND_PATH();
      return v(r, res, body);
    }
    if (r.subresource) {
      if (['exec', 'attach', 'portforward'].includes(r.subresource)) throw badRequest('Upgrade request required');
      const h =
        this.ctx.subresources.get(`${rt.resource}/${r.subresource}`) ?? this.ctx.subresources.get(`*/${r.subresource}`);
      if (h) return h(r, res, body);
      if (r.subresource === 'status') return this.status(r, res, body);
      if (r.subresource === 'scale' && (rt.subresources ?? []).some((s) => s.name === 'scale'))
        return this.scale(r, res, body);
      if (r.subresource === 'eviction' && rt.resource === 'pods') return this.evict(r, res, body);
      throw NOT_FOUND_PATH();
    }
    switch (r.verb) {
      case 'get':
        return this.get(r, res);
      case 'list':
        return this.list(r, res);
      case 'watch':
        return this.watch(r, res);
      case 'create':
        return this.create(r, res, body);
      case 'update':
        return this.update(r, res, body);
      case 'patch':
        return this.patch(r, res, body);
      case 'delete':
        return this.delete(r, res, body);
      case 'deletecollection':
        return this.deleteCollection(r, res, body);
    }
    throw methodNotAllowed(r.verb, rt.resource);
  }

  private tk(r: ResourceRequest) {
    return typeKey(r.rt.group, r.rt.resource);
  }

  private mustGet(r: ResourceRequest): KObj {
    const o = this.ctx.store.get(this.tk(r), r.rt.namespaced ? r.namespace : undefined, r.name!);
    if (!o) throw notFound(r.rt.resource, r.rt.group, r.name!);
    return o;
  }

  /** Objects go out as the version requested (we store one version per type). */
  private respond(r: ResourceRequest, res: ServerResponse, code: number, o: KObj): void {
    if (wantsTable(r.req)) {
      const cols = this.columns(r);
      sendJson(res, code, {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: o.metadata.resourceVersion },
        columnDefinitions: columnDefinitions(cols),
        rows: [tableRow(cols, o, includeObject(r.url))],
      });
      return;
    }
    sendJson(res, code, o);
  }

  /** kubectl's printers for built-in kinds; a CRD's additionalPrinterColumns for custom ones. */
  private columns(r: ResourceRequest) {
    const crd = r.rt.group
      ? this.ctx.store.get(
          'apiextensions.k8s.io/customresourcedefinitions',
          undefined,
          `${r.rt.resource}.${r.rt.group}`,
        )
      : undefined;
    const printer = crd
      ? (crd.spec?.versions?.find((v: KObj) => v.name === r.rt.version)?.additionalPrinterColumns ?? null)
      : undefined;
    return columnsFor(this.tk(r), printer, this.ctx.kubeMinor);
  }

  private get(r: ResourceRequest, res: ServerResponse): void {
    this.respond(r, res, 200, this.mustGet(r));
  }

  private matcher(r: ResourceRequest): ((o: KObj) => boolean) | undefined {
    const label = parseLabelSelector(r.url.searchParams.get('labelSelector'));
    const field = parseFieldSelector(r.url.searchParams.get('fieldSelector'), fieldAllowed(r.rt.resource));
    if (!label && !field) return undefined;
    return (o) => (!label || label(o.metadata.labels)) && (!field || field(o));
  }

  private list(r: ResourceRequest, res: ServerResponse): void {
    const q = listParams(Params.of(r.url));
    const store = this.ctx.store;
    let after: string | undefined;
    let rev: number | undefined;
    if (q.continue) {
      if (q.resourceVersion && q.resourceVersion !== '0')
        throw badRequest('specifying resource version is not allowed when using continue');
      let t: { rv: number; start: string };
      try {
        t = JSON.parse(Buffer.from(q.continue, 'base64url').toString('utf8'));
        if (!Number.isInteger(t.rv) || typeof t.start !== 'string') throw new Error('malformed');
      } catch {
        throw badRequest('continue key is not valid: illegal base64 data');
      }
      if (t.rv < store.compactedRev) {
        // The snapshot the token continues was compacted away: 410, with a token to go on inconsistently.
        const status = {
          ...expired(CONTINUE_EXPIRED).toStatus(),
          metadata: { continue: continueToken(store.rev, t.start) },
        };
        return sendJson(res, 410, status);
      }
      after = t.start;
      rev = t.rv;
    } else if (q.resourceVersion && q.resourceVersion !== '0') {
      const want = Number(q.resourceVersion);
      if (!/^\d+$/.test(q.resourceVersion)) throw badRequest(`invalid resource version: ${q.resourceVersion}`);
      if (q.resourceVersionMatch === 'Exact' && want < store.compactedRev)
        throw expired('The resourceVersion for the provided list is too old.');
      if (want > store.rev)
        throw new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${want}, current: ${store.rev}`, {
          causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
          retryAfterSeconds: 1,
        });
    }
    const result = store.list(this.tk(r), { namespace: r.namespace, match: this.matcher(r), limit: q.limit, after });
    const meta: Record<string, unknown> = { resourceVersion: String(rev ?? result.rev) };
    if (result.lastKey !== undefined) {
      meta.continue = continueToken(rev ?? result.rev, result.lastKey);
      meta.remainingItemCount = result.remaining;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    // Large lists are streamed a slice at a time rather than built as one string.
    const writeItems = (render: (o: KObj) => string) => {
      const items = result.items;
      for (let i = 0; i < items.length; i += 500) {
        const chunk = items
          .slice(i, i + 500)
          .map(render)
          .join(',');
        res.write(i === 0 ? chunk : ',' + chunk);
      }
    };
    if (wantsTable(r.req)) {
      const cols = this.columns(r);
      const inc = includeObject(r.url);
      res.write(
        `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(meta)},"columnDefinitions":${JSON.stringify(columnDefinitions(cols))},"rows":[`,
      );
      writeItems((o) => JSON.stringify(tableRow(cols, o, inc)));
    } else {
      res.write(
        `{"kind":"${r.rt.kind}List","apiVersion":"${apiVersionOf(r.rt)}","metadata":${JSON.stringify(meta)},"items":[`,
      );
      writeItems((o) => JSON.stringify(o));
    }
    res.end(']}');
  }

  private watch(r: ResourceRequest, res: ServerResponse): void {
    const q = listParams(Params.of(r.url));
    const match = this.matcher(r);
    const rvParam = q.resourceVersion ?? '';
    // Legacy semantics: no resourceVersion, or "0", starts with the current state; sendInitialEvents says so explicitly.
    const initial = q.sendInitialEvents ?? (rvParam === '' || rvParam === '0');
    const bookmarks = q.allowWatchBookmarks;
    const timeout = q.timeoutSeconds ?? 0;
    const table = wantsTable(r.req);
    const cols = table ? this.columns(r) : [];
    const inc = includeObject(r.url);
    let first = true;
    const render = (type: string, o: KObj) => {
      if (!table || type === 'BOOKMARK' || type === 'ERROR') return JSON.stringify({ type, object: o }) + '\n';
      const t: Record<string, unknown> = {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: o.metadata.resourceVersion },
        rows: [tableRow(cols, o, inc)],
      };
      if (first) t.columnDefinitions = columnDefinitions(cols);
      first = false;
      return JSON.stringify({ type, object: t }) + '\n';
    };
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    const store = this.ctx.store;
    const tk = this.tk(r);
    const namespace = r.rt.namespaced ? r.namespace : undefined;
    let fromRev: number | undefined;
    let lastRev = store.rev;
    if (initial) {
      for (const o of store.iterate(tk, namespace)) if (!match || match(o)) res.write(render('ADDED', o));
      // The watch-list stream ends its initial state with an annotated bookmark (to clients that take bookmarks).
      if (q.sendInitialEvents && bookmarks) res.write(render('BOOKMARK', bookmark(r.rt, store.rev, true)));
    } else if (rvParam !== '' && rvParam !== '0') {
      fromRev = Number(rvParam);
      if (!Number.isFinite(fromRev)) {
        res.end(
          render(
            'ERROR',
            new StatusError(400, 'BadRequest', `invalid resource version: ${rvParam}`).toStatus() as KObj,
          ),
        );
        return;
      }
    }
    let stop: () => void;
    try {
      stop = store.watch(tk, { namespace }, fromRev, (e) => {
        lastRev = e.rev;
        if (match && !match(e.object)) return;
        res.write(render(e.type, e.object));
      });
    } catch (e) {
      res.end(render('ERROR', (e as StatusError).toStatus() as KObj));
      return;
    }
    this.opts.watches.add(res);
    const timers: NodeJS.Timeout[] = [];
    if (bookmarks)
      timers.push(
        setInterval(() => res.write(render('BOOKMARK', bookmark(r.rt, Math.max(lastRev, fromRev ?? 0), false))), 5000),
      );
    if (timeout > 0) timers.push(setTimeout(() => res.end(), timeout * 1000));
    const done = () => {
      stop();
      timers.forEach(clearInterval);
      this.opts.watches.delete(res);
    };
    res.on('close', done);
    r.req.on('close', done);
  }

  private dryRun(r: ResourceRequest): boolean {
    const kind = r.verb === 'create' ? 'CreateOptions' : r.verb === 'update' ? 'UpdateOptions' : 'PatchOptions';
    return dryRunParam(Params.of(r.url), r.verb === 'delete' || r.verb === 'deletecollection' ? 'DeleteOptions' : kind);
  }

  private checkNamespace(r: ResourceRequest, o: KObj): void {
    if (!r.rt.namespaced) return;
    const ns = r.namespace;
    if (!ns) throw badRequest('the server could not find the requested resource: a namespace is required');
    if (o.metadata.namespace && o.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    o.metadata.namespace = ns;
    const nsObj = this.ctx.store.get('namespaces', undefined, ns);
    if (!nsObj) throw notFound('namespaces', '', ns);
    if (nsObj.metadata.deletionTimestamp) {
      throw new StatusError(
        403,
        'Forbidden',
        `${r.rt.resource} "${o.metadata.name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      );
    }
  }

  private checkTypeMeta(r: ResourceRequest, o: KObj): void {
    const want = apiVersionOf(r.rt);
    if (o.apiVersion && o.apiVersion !== want)
      throw badRequest(
        `the API version in the data (${o.apiVersion}) does not match the expected API version (${want})`,
      );
    if (o.kind && o.kind !== r.rt.kind)
      throw badRequest(`the kind in the data (${o.kind}) does not match the expected kind (${r.rt.kind})`);
  }

  private create(r: ResourceRequest, res: ServerResponse, body: Buffer): void {
    const o = decodeBody(body, String(r.req.headers['content-type'] ?? 'application/json'));
    this.checkTypeMeta(r, o);
    o.metadata ??= { name: '' };
    this.checkNamespace(r, o);
    admit(this.ctx, r, res, o, undefined, 'create');
    const created = this.ctx.store.create(r.rt, o, { dryRun: this.dryRun(r) });
    this.respond(r, res, 201, created);
  }

  private update(r: ResourceRequest, res: ServerResponse, body: Buffer): void {
    const o = decodeBody(body, String(r.req.headers['content-type'] ?? 'application/json'));
    this.checkTypeMeta(r, o);
    o.metadata ??= { name: r.name! };
    if (o.metadata.name && o.metadata.name !== r.name)
      throw badRequest(`the name of the object (${o.metadata.name}) does not match the name on the URL (${r.name})`);
    o.metadata.name = r.name!;
    if (r.rt.namespaced) o.metadata.namespace = r.namespace;
    const exists = this.ctx.store.get(this.tk(r), r.namespace, r.name!);
    admit(this.ctx, r, res, o, exists, exists ? 'update' : 'create');
    if (!exists) {
      this.checkNamespace(r, o);
      this.respond(r, res, 201, this.ctx.store.create(r.rt, o, { dryRun: this.dryRun(r) }));
      return;
    }
    const updated = this.ctx.store.update(r.rt, o, { dryRun: this.dryRun(r), expectRV: o.metadata.resourceVersion });
    this.respond(r, res, 200, updated);
  }

  private patch(r: ResourceRequest, res: ServerResponse, body: Buffer): void {
    const ct = String(r.req.headers['content-type'] ?? '');
    const current = this.ctx.store.get(this.tk(r), r.namespace, r.name!);
    const isApply = ct.startsWith('application/apply-patch');
    if (!current && !isApply) throw notFound(r.rt.resource, r.rt.group, r.name!);
    const p = Params.of(r.url);
    const opts = { fieldManager: p.string('fieldManager') || undefined, force: p.bool('force') };
    if (p.has('force') && !isApply)
      throw invalid('PatchOptions', 'meta.k8s.io', '', [
        {
          reason: 'FieldValueForbidden',
          field: 'force',
          message: 'Forbidden: may not be specified for non-apply patch',
        },
      ]);
    const next = applyPatch(current, body, ct, r.rt, opts);
    next.metadata ??= { name: r.name! };
    if (next.metadata.name && next.metadata.name !== r.name)
      throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${r.name})`);
    next.metadata.name = r.name!;
    if (r.rt.namespaced) next.metadata.namespace = r.namespace;
    this.checkTypeMeta(r, next);
    admit(this.ctx, r, res, next, current, isApply ? 'apply' : 'patch');
    if (!current) {
      this.checkNamespace(r, next);
      this.respond(r, res, 201, this.ctx.store.create(r.rt, next, { dryRun: this.dryRun(r) }));
      return;
    }
    // A patch may carry a resourceVersion as a precondition; otherwise it applies to the latest.
    const expectRV = patchPrecondition(body, ct);
    this.respond(r, res, 200, this.ctx.store.update(r.rt, next, { dryRun: this.dryRun(r), expectRV }));
  }

  /** DeleteOptions from the body, else from the query (orphanDependents folded into propagationPolicy). */
  private deleteOptions(r: ResourceRequest, body: Buffer): DeleteParams {
    return deleteParams(Params.of(r.url), body);
  }

  /** The garbage collector's finalizers for the delete's propagation policy (orphanDependents already folded in). */
  private gcFinalizers(opts: DeleteParams): string[] {
    return deletionFinalizers({ propagationPolicy: opts.propagationPolicy });
  }

  private delete(r: ResourceRequest, res: ServerResponse, body: Buffer): void {
    const opts = this.deleteOptions(r, body);
    const current = this.mustGet(r);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid)
      throw new StatusError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw new StatusError(
        409,
        'Conflict',
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    const dryRun = opts.dryRun;
    const finalizers = this.gcFinalizers(opts);
    const grace = opts.gracePeriodSeconds;
    if (dryRun) return this.respond(r, res, 200, current);
    this.respond(r, res, 200, this.deleteObject(r.rt, current, grace, finalizers));
  }

  /**
   * Graceful for scheduled pods (the kubelet stops them, then removes them) and for namespaces (the namespace
   * controller empties them first); immediate otherwise. `finalizers` (the garbage collector's, for a Foreground or
   * Orphan propagation) keep the object, marked for deletion, until the collector releases them.
   */
  deleteObject(rt: ResourceType, o: KObj, grace: number | undefined, finalizers: string[] = []): KObj {
    const store = this.ctx.store;
    if (o.metadata.deletionTimestamp) return o;
    const isPod = rt.group === '' && rt.resource === 'pods';
    const isNamespace = rt.group === '' && rt.resource === 'namespaces';
    const gracePeriod = grace ?? (isPod ? (o.spec?.terminationGracePeriodSeconds ?? 30) : 0);
    const graceful = (isPod && o.spec?.nodeName && gracePeriod > 0) || isNamespace;
    if (!graceful) return store.remove(rt, o.metadata.namespace, o.metadata.name, { finalizers }) ?? o;
    // (Pods and namespaces own nothing the collector would wait for, so their graceful path needs no finalizer.)
    const marked = structuredClone(o);
    marked.metadata.deletionTimestamp = nowIso(new Date(Date.now() + gracePeriod * 1000));
    marked.metadata.deletionGracePeriodSeconds = gracePeriod;
    if (isNamespace) marked.status = { ...(marked.status ?? {}), phase: 'Terminating' };
    return store.update(rt, marked, { markDeleting: true });
  }

  private deleteCollection(r: ResourceRequest, res: ServerResponse, body: Buffer): void {
    const opts = this.deleteOptions(r, body);
    const { items } = this.ctx.store.list(this.tk(r), { namespace: r.namespace, match: this.matcher(r) });
    const dryRun = opts.dryRun;
    const finalizers = this.gcFinalizers(opts);
    const out = items.map((o) => (dryRun ? o : this.deleteObject(r.rt, o, opts.gracePeriodSeconds, finalizers)));
    sendJson(res, 200, {
      kind: `${r.rt.kind}List`,
      apiVersion: apiVersionOf(r.rt),
      metadata: { resourceVersion: String(this.ctx.store.rev) },
      items: out,
    });
  }

  private status(r: ResourceRequest, res: ServerResponse, body: Buffer): void {
    const current = this.mustGet(r);
    if (r.verb === 'get') return this.respond(r, res, 200, current);
    const ct = String(r.req.headers['content-type'] ?? '');
    const next = r.verb === 'patch' ? applyPatch(current, body, ct, r.rt) : decodeBody(body, ct || 'application/json');
    next.metadata = {
      ...current.metadata,
      ...(next.metadata ?? {}),
      name: current.metadata.name,
      namespace: current.metadata.namespace,
    };
    const expectRV = r.verb === 'update' ? next.metadata.resourceVersion : undefined;
    admitSubresource(r, current, next, 'status');
    this.respond(
      r,
      res,
      200,
      this.ctx.store.update(r.rt, next, { subresource: 'status', expectRV, dryRun: this.dryRun(r) }),
    );
  }

  private scale(r: ResourceRequest, res: ServerResponse, body: Buffer): void {
    const current = this.mustGet(r);
    const toScale = (o: KObj): KObj => ({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
        resourceVersion: o.metadata.resourceVersion,
        creationTimestamp: o.metadata.creationTimestamp,
      },
      spec: { replicas: o.spec?.replicas ?? 1 },
      status: { replicas: o.status?.replicas ?? 0, selector: selectorText(o.spec?.selector) },
    });
    if (r.verb === 'get') return sendJson(res, 200, toScale(current));
    const scaleRt = { ...r.rt, kind: 'Scale', group: 'autoscaling', version: 'v1' };
    const ct = String(r.req.headers['content-type'] ?? 'application/json');
    const next =
      r.verb === 'patch'
        ? applyPatch(toScale(current), body, ct.includes('strategic') ? 'application/merge-patch+json' : ct, scaleRt)
        : decodeBody(body, ct);
    const replicas = next.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw invalid('Scale', 'autoscaling', r.name!, [
        {
          field: 'spec.replicas',
          message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
        },
      ]);
    }
    const expectRV = r.verb === 'update' ? next.metadata?.resourceVersion : undefined;
    const scaled = { ...current, metadata: { ...current.metadata }, spec: { ...current.spec, replicas } };
    admitSubresource(r, current, scaled, 'scale');
    const updated = this.ctx.store.update(r.rt, scaled, { expectRV, dryRun: this.dryRun(r) });
    sendJson(res, 200, toScale(updated));
  }

  private evict(r: ResourceRequest, res: ServerResponse, body: Buffer): void {
    const pod = this.mustGet(r);
    const ev = body.length ? decodeBody(body, 'application/json') : ({} as KObj);
    const verdict = evictionAllowed(this.ctx, pod);
    if (!verdict.allowed) {
      throw new StatusError(
        429,
        'TooManyRequests',
        verdict.message ?? "Cannot evict pod as it would violate the pod's disruption budget.",
        {
          causes: [{ reason: 'DisruptionBudget', message: verdict.cause ?? verdict.message }],
        },
      );
    }
    if (!this.dryRun(r)) this.deleteObject(r.rt, pod, ev.deleteOptions?.gracePeriodSeconds);
    sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }
}

function selectorText(sel: KObj | undefined): string {
  return Object.entries(sel?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function continueToken(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ rv, start })).toString('base64url');
}

function bookmark(rt: ResourceType, rev: number, initialEnd: boolean): KObj {
  return {
    kind: rt.kind,
    apiVersion: apiVersionOf(rt),
    metadata: {
      name: '',
      resourceVersion: String(rev),
      ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
    },
  };
}

function patchPrecondition(body: Buffer, ct: string): string | undefined {
  if (!ct.includes('merge-patch')) return undefined;
  try {
    return JSON.parse(body.toString('utf8'))?.metadata?.resourceVersion;
  } catch {
    return undefined;
  }
}

function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(String(req.headers.accept ?? ''));
}

function includeObject(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}
