// Builds the whole local server: a KubeEngine over the kubeconfig, the stores in the data dir, the handlers, the
// HTTP/WebSocket server. `kubegraf web` and the tests start it the same way.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { AccountStore } from '../core/store/accounts';
import { openDeps, type ApiDeps, type OpenDepsOptions } from '../core/api/deps';
import { ALL_HANDLERS, type HandlerMap } from '../core/api/handlers';
import type { KubeEngine } from '../core/kube/engine';
import { isLoopback } from './auth';
import { startServer, type RunningServer } from './server';

export interface AppOptions {
  kubeconfigFiles: string[];
  context?: string;
  dataDir: string;
  host?: string;
  port?: number;
  token?: string;
  demo?: boolean;
  tls?: { key: string | Buffer; cert: string | Buffer };
  version?: string;
  /** Handlers of engines wired elsewhere (incidents, metrics), merged over the kube ones. */
  extraHandlers?: HandlerMap;
  webviewDir?: string;
  probeTimeoutMs?: number;
  /** Connector delivery settings (tests shorten the retry schedule). */
  connectors?: OpenDepsOptions['connectors'];
}

export interface App {
  server: RunningServer;
  engine: KubeEngine;
  deps: ApiDeps;
  token: string;
  /** The URL to open: carries the token once, the page then keeps it in a cookie. */
  launchUrl: string;
  close(): Promise<void>;
}

export async function startApp(o: AppOptions): Promise<App> {
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const host = o.host ?? '127.0.0.1';
  const { close: closeEngines, ...deps } = await openDeps({
    kubeconfigFiles: o.kubeconfigFiles,
    dataDir: o.dataDir,
    context: o.context,
    demo: o.demo,
    version: o.version,
    accounts: isLoopback(host) ? undefined : new AccountStore(o.dataDir),
    kube: { probeTimeoutMs: o.probeTimeoutMs ?? 8000 },
    connectors: o.connectors,
  });
  const engine = deps.kube;
  const token = o.token ?? randomBytes(32).toString('base64url');
  let server: RunningServer;
  try {
    server = await startServer({
      host,
      port: o.port,
      token,
      deps,
      handlers: { ...ALL_HANDLERS, ...(o.extraHandlers ?? {}) },
      tls: o.tls,
      webviewDir: o.webviewDir,
    });
  } catch (e) {
    await closeEngines();
    throw e;
  }
  return {
    server,
    engine,
    deps,
    token,
    launchUrl: `${server.url}/?token=${encodeURIComponent(token)}`,
    close: async () => {
      await server.close();
      await closeEngines();
    },
  };
}
