// `kubegraf sim` as a library: start a simulated cluster over HTTPS and write a kubeconfig for it.
import https from 'node:https';
import type { ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SimContext, User } from './context';
import { TypeRegistry } from './kinds';
import { Store } from './store';
import { makeClock } from './clock';
import { makePki } from './tls';
import { renderKubeconfig, ADMIN_CONTEXT, VIEWER_CONTEXT } from './kubeconfig';
import { ApiHandler } from './server';
import { Faults, type FaultRequest } from './faults';
import { badRequest, notFound } from './status';
import { installLogs } from './logs';
import { installEphemeralContainers } from './ephemeral';
import { installExec } from './exec';
import { installPortForward } from './portforward';
import { installAccessReviews } from './authz';
import { installMetrics } from './metrics';
import { startControllers } from './controllers/run';
import { loadScenario } from './scenarios/load';
import { FAULT_ANNOTATION } from './controllers/faults';

export type Scenario = 'demo' | 'empty' | 'scale';

export interface SimOptions {
  port?: number;
  host?: string;
  scenario?: Scenario;
  pods?: number;
  nodes?: number;
  kubeMinor?: number;
  kubeconfigOut?: string;
  speed?: number;
}

export interface Sim {
  /** https://127.0.0.1:PORT */
  server: string;
  port: number;
  kubeconfig: string;
  caPem: string;
  tokens: { admin: string; viewer: string };
  contexts: { admin: string; viewer: string };
  ctx: SimContext;
  faults: Faults;
  close(): Promise<void>;
}

export async function startSim(opts: SimOptions = {}): Promise<Sim> {
  const host = opts.host ?? '127.0.0.1';
  const types = new TypeRegistry();
  const store = new Store(types);
  const closers: Array<() => void | Promise<void>> = [];
  const ctx: SimContext = {
    store,
    types,
    clock: makeClock(opts.speed ?? 1),
    kubeMinor: opts.kubeMinor ?? 32,
    subresources: new Map(),
    upgrades: new Map(),
    virtual: new Map(),
    onClose: (fn) => closers.push(fn),
  };
  installLogs(ctx);
  installExec(ctx);
  installPortForward(ctx);
  installAccessReviews(ctx);
  installEphemeralContainers(ctx);
  installMetrics(ctx);
  loadScenario(ctx, { scenario: opts.scenario ?? 'demo', pods: opts.pods, nodes: opts.nodes });
  startControllers(ctx);

  const tokens = { admin: randomBytes(24).toString('hex'), viewer: randomBytes(24).toString('hex') };
  const users: Array<[Buffer, User]> = [
    [Buffer.from(tokens.admin), { name: 'admin', groups: ['system:masters', 'system:authenticated'], role: 'admin' }],
    [Buffer.from(tokens.viewer), { name: 'viewer', groups: ['system:authenticated'], role: 'viewer' }],
  ];
  const authenticate = (req: { headers: Record<string, string | string[] | undefined> }): User | undefined => {
    const m = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!m) return undefined;
    const given = Buffer.from(m[1].trim());
    return users.find(([t]) => t.length === given.length && timingSafeEqual(t, given))?.[1];
  };

  const watches = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const faults = new Faults(
    ctx,
    watches,
    (f) => applyFault(ctx, f),
    async (downMs) => {
      for (const w of watches) w.destroy();
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
      await new Promise((r) => setTimeout(r, downMs));
      await listen(port);
    },
  );
  let address = '';
  const api = new ApiHandler(ctx, {
    authenticate,
    serverAddress: () => address,
    admin: (req, res, url, user) => faults.admin(req, res, url, user),
    intercept: (req, res) => faults.intercept(req, res),
    watches,
  });

  const pki = await makePki([host, 'localhost']);
  const server = https.createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => void api.onRequest(req, res));
  server.on('upgrade', (req, socket, head) => api.onUpgrade(req, socket, head));
  server.keepAliveTimeout = 60_000;
  // Every TCP connection, upgraded ones included, so a restart can cut them all.
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(opts.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const url = `https://${host}:${port}`;

  const kubeconfig = opts.kubeconfigOut ?? join(mkdtempSync(join(tmpdir(), 'kubegraf-sim-')), 'kubeconfig');
  mkdirSync(dirname(kubeconfig), { recursive: true });
  writeFileSync(kubeconfig, renderKubeconfig(url, pki.caPem, tokens), { mode: 0o600 });

  return {
    server: url,
    port,
    kubeconfig,
    caPem: pki.caPem,
    tokens,
    contexts: { admin: ADMIN_CONTEXT, viewer: VIEWER_CONTEXT },
    ctx,
    faults,
    async close() {
      for (const w of watches) w.destroy();
      for (const c of closers.splice(0)) await c();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Turns a fault request into a change of the object, which the controllers then act out. */
function applyFault(ctx: SimContext, f: FaultRequest): import('./store').KObj {
  const rt =
    f.kind === 'pod'
      ? ctx.types.get('', 'v1', 'pods')
      : f.kind === 'node'
        ? ctx.types.get('', 'v1', 'nodes')
        : f.kind === 'deployment'
          ? ctx.types.get('apps', 'v1', 'deployments')
          : undefined;
  if (!rt || !f.name || typeof f.fault !== 'string')
    throw badRequest('fault needs kind (pod|node|deployment), name, fault');
  const tk = rt.group ? `${rt.group}/${rt.resource}` : rt.resource;
  const cur = ctx.store.get(tk, rt.namespaced ? f.namespace : undefined, f.name);
  if (!cur) throw notFound(rt.resource, rt.group, f.name);
  const next = structuredClone(cur);
  const target = f.kind === 'deployment' ? (next.spec.template.metadata ??= {}) : next.metadata;
  target.annotations = { ...(target.annotations ?? {}) };
  if (f.fault === 'none' || f.fault === 'ready') delete target.annotations[FAULT_ANNOTATION];
  else target.annotations[FAULT_ANNOTATION] = f.fault;
  return ctx.store.update(rt, next);
}
