// The extension host's hold on the engines: one KubeEngine built lazily from the kubeconfig settings, the optional
// demo cluster (the simulator, started in this process), the current namespace, and how errors reach the user.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { KubeEngine } from '../core/kube/engine';
import { kubeconfigFiles } from '../core/kube/kubeconfig';
import { toKubeError } from '../core/kube/errors';
import type { ContextInfo } from '../shared/kube';
import type { ApiDeps } from '../core/api/deps';

export interface DemoCluster {
  kubeconfig: string;
  server: string;
  close(): Promise<void>;
}

export class KubeGrafHost implements vscode.Disposable {
  private engineInstance?: KubeEngine;
  private engineOff: Array<() => void> = [];
  private demo?: DemoCluster;
  private deps?: Promise<ApiDeps & { close(): Promise<void> }>;
  private server?: {
    url: string;
    launchUrl: string;
    token: string;
    allowExternal(url: string): void;
    close(): Promise<void>;
  };
  private readonly scopes = new Map<string, string[]>();
  readonly output: vscode.OutputChannel;
  private readonly engineChanged = new vscode.EventEmitter<KubeEngine>();
  /** Fires when the engine was (re)built: faces drop what they hold and re-subscribe. */
  readonly onDidChangeEngine = this.engineChanged.event;
  private readonly contextsChanged = new vscode.EventEmitter<ContextInfo[]>();
  readonly onDidChangeContexts = this.contextsChanged.event;
  private readonly namespaceChanged = new vscode.EventEmitter<{ context: string; namespaces: string[] }>();
  readonly onDidChangeNamespace = this.namespaceChanged.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly ext: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('KubeGraf');
    this.disposables.push(
      this.output,
      this.engineChanged,
      this.contextsChanged,
      this.namespaceChanged,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('kubegraf.kubeconfigPaths') || e.affectsConfiguration('kubegraf.probeTimeoutMs'))
          void this.rebuild();
      }),
    );
  }

  config<T>(key: string, fallback: T): T {
    return vscode.workspace.getConfiguration('kubegraf').get<T>(key, fallback);
  }

  /** Kubeconfig files: the setting (with ~ expanded), else $KUBECONFIG / ~/.kube/config; plus the demo cluster's. */
  files(): string[] {
    const home = process.env.HOME ?? '';
    const set = this.config<string[]>('kubeconfigPaths', [])
      .filter(Boolean)
      .map((f) => (f.startsWith('~/') ? join(home, f.slice(2)) : f));
    const base = set.length ? set : kubeconfigFiles();
    return this.demo ? [...base, this.demo.kubeconfig] : base;
  }

  /** The engine, built on first use (activation stays cheap: nothing connects until a view or command needs it). */
  get engine(): KubeEngine {
    if (!this.engineInstance) {
      const e = new KubeEngine({
        files: this.files(),
        probeTimeoutMs: this.config<number>('probeTimeoutMs', 5000),
        approveExec: async (req) => {
          const ok = await vscode.window.showWarningMessage(
            `Context "${req.context}" runs a credential plugin to log in:\n${req.commandLine}\nAllow it to run?`,
            { modal: true },
            'Allow',
          );
          return ok === 'Allow';
        },
      });
      this.engineOff = [
        e.events.on('contexts', (c) => this.contextsChanged.fire(c)),
        e.events.on('kubeconfigError', (p) => this.output.appendLine(`kubeconfig ${p.file}: ${p.message}`)),
      ];
      this.engineInstance = e;
      void vscode.commands.executeCommand('setContext', 'kubegraf.noContexts', e.contextNames().length === 0);
    }
    return this.engineInstance;
  }

  get hasEngine(): boolean {
    return this.engineInstance !== undefined;
  }

  /** Rebuilds the engine (kubeconfig settings changed, demo cluster started or stopped). */
  async rebuild(): Promise<void> {
    const old = this.engineInstance;
    await this.dropDeps();
    this.engineOff.forEach((f) => f());
    this.engineInstance = undefined;
    this.engineChanged.fire(this.engine);
    this.contextsChanged.fire(this.engine.contexts());
    await old?.close();
  }

  /** Where KubeGraf keeps its data: the setting, else the extension's global storage. */
  dataDir(): string {
    const set = this.config<string>('dataDirectory', '').trim();
    const dir = set || join(this.ext.globalStorageUri.fsPath, 'data');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * What the route handlers need over this host's KubeEngine: the incident and metrics engines and their store, opened
   * on first use (the tree needs none of it). Shared by the webview bridge, the Incidents view and the local server.
   */
  apiDeps(): Promise<ApiDeps> {
    if (!this.deps) {
      const p = import('../core/api/deps').then(({ openDeps }) =>
        openDeps({
          engine: this.engine,
          dataDir: this.dataDir(),
          version: String((this.ext.extension.packageJSON as { version?: string }).version ?? '0.0.0'),
          demo: this.demoRunning,
          kubeconfigFiles: this.files(),
          autoRemediation: this.config<boolean>('incidents.autoRemediation', false),
          secrets: {
            where: "VS Code's secret storage (the system keychain)",
            get: async (key) => this.ext.secrets.get(key),
            set: async (key, value) => this.ext.secrets.store(key, value),
            delete: async (key) => this.ext.secrets.delete(key),
          },
        }),
      );
      this.deps = p;
      // A failed start (e.g. the store's WASM file missing) is reported and retried on the next use.
      p.catch((e: Error) => {
        this.output.appendLine(`the incident and metrics engines could not start: ${e.message}`);
        if (this.deps === p) this.deps = undefined;
      });
    }
    return this.deps;
  }

  private async dropDeps(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    await s?.close();
    const d = this.deps;
    this.deps = undefined;
    await (await d?.catch(() => undefined))?.close();
  }

  /** Starts (once) the local server on this host's engines, loopback only, and returns the URL that carries the token. */
  async startServer(): Promise<string> {
    if (this.server) return this.server.launchUrl;
    const [{ startServer }, { randomBytes }, { ALL_HANDLERS }] = await Promise.all([
      import('../server/server'),
      import('node:crypto'),
      import('../core/api/handlers'),
    ]);
    const token = randomBytes(32).toString('base64url');
    const webviewDir = join(this.ext.extensionUri.fsPath, 'dist', 'webview');
    const deps = await this.apiDeps();
    const running = await startServer({
      host: '127.0.0.1',
      port: this.config<number>('server.port', 0),
      token,
      deps,
      handlers: ALL_HANDLERS,
      webviewDir,
      log: (l) => this.output.appendLine(l),
    });
    this.server = {
      url: running.url,
      launchUrl: `${running.url}/?token=${encodeURIComponent(token)}`,
      token,
      allowExternal: (u) => running.allowExternal(u),
      close: () => running.close(),
    };
    this.output.appendLine(`KubeGraf server listening on ${running.url}`);
    return this.server.launchUrl;
  }

  /**
   * The dashboard's address as the user's browser reaches it, with the token. Remote windows (code-server, Codespaces,
   * Remote-SSH) see the server through VS Code's port mapping: another host, port or a path prefix. The server is told
   * to trust exactly that address (its Host and Origin checks refuse anything else).
   */
  async dashboardBrowserUri(report: (message: string) => void = () => undefined): Promise<vscode.Uri> {
    report('starting the local server');
    await this.startServer();
    const s = this.server;
    if (!s)
      throw new Error('the local server stopped while starting (the engines were rebuilt); run the command again');
    report('resolving the address for this window');
    const local = vscode.Uri.parse(`${s.url}/`);
    let mapped: vscode.Uri;
    try {
      mapped = await vscode.env.asExternalUri(local);
    } catch (e) {
      throw new Error(
        `VS Code could not give an address for ${s.url} that your browser can reach: ${(e as Error)?.message ?? e}`,
        { cause: e },
      );
    }
    const external = new URL(mapped.toString(true));
    // The app resolves API calls against its own directory, so the address must end in `/` (code-server's
    // `/proxy/<port>` does not when the local path is `/`).
    if (!external.pathname.endsWith('/')) external.pathname += '/';
    if (external.origin !== new URL(s.url).origin || external.pathname !== '/') {
      s.allowExternal(external.href);
      this.output.appendLine(`KubeGraf server reachable from the browser at ${external.origin}${external.pathname}`);
    }
    // openExternal maps localhost addresses through asExternalUri again: a plain forwarded port (Remote-SSH) would be
    // forwarded twice, so it gets the local address to map; a proxy path or another host (code-server, tunnels) the
    // mapped address itself.
    const forwardedPort = isLocalHost(external.hostname) && external.pathname === '/';
    const open = forwardedPort ? new URL(`${s.url}/`) : external;
    open.search = '';
    open.hash = '';
    open.searchParams.set('token', s.token);
    return vscode.Uri.parse(open.href, true);
  }

  currentContext(): string | undefined {
    return this.engine.currentContext() || undefined;
  }

  /**
   * The namespaces the user looks at in a context (empty: all, the default, as in the dashboard): one scope for the
   * side bar, the status bar, commands and the dashboard panel, chosen in any of them.
   */
  scope(context: string): string[] {
    return this.scopes.get(context) ?? [];
  }

  /** The one namespace in scope, else undefined (all namespaces, or several). */
  namespace(context: string): string | undefined {
    const s = this.scope(context);
    return s.length === 1 ? s[0] : undefined;
  }

  /** The context's namespace in the kubeconfig: where objects without one go, as with kubectl. */
  kubeconfigNamespace(context: string): string | undefined {
    return this.engine.contexts().find((c) => c.name === context)?.namespace;
  }

  setScope(context: string, namespaces: string[]): void {
    const next = [...new Set(namespaces.filter(Boolean))].sort();
    if (JSON.stringify(next) === JSON.stringify(this.scope(context))) return;
    this.scopes.set(context, next);
    this.namespaceChanged.fire({ context, namespaces: next });
  }

  setNamespace(context: string, namespace: string | undefined): void {
    this.setScope(context, namespace ? [namespace] : []);
  }

  // ---------------- the demo cluster ----------------

  get demoRunning(): boolean {
    return this.demo !== undefined;
  }

  async startDemo(): Promise<DemoCluster> {
    if (this.demo) return this.demo;
    const dir = join(this.ext.globalStorageUri.fsPath, 'demo');
    mkdirSync(dir, { recursive: true });
    // The simulator is only loaded when asked for: it is most of the bundle's weight at run time.
    const { startSim } = await import('../sim/index');
    const sim = await startSim({ scenario: 'demo', kubeconfigOut: join(dir, 'kubeconfig'), speed: 1 });
    this.demo = { kubeconfig: sim.kubeconfig, server: sim.server, close: () => sim.close() };
    await vscode.commands.executeCommand('setContext', 'kubegraf.demoRunning', true);
    await this.rebuild();
    const ctx = this.engine.contextNames().find((n) => n === 'kubegraf-sim');
    if (ctx) await this.engine.switchContext(ctx);
    return this.demo;
  }

  async stopDemo(): Promise<void> {
    const d = this.demo;
    if (!d) return;
    this.demo = undefined;
    await vscode.commands.executeCommand('setContext', 'kubegraf.demoRunning', false);
    await this.rebuild();
    await d.close();
  }

  // ---------------- errors and progress ----------------

  /** A clear one-line message, with the details one click away in the KubeGraf output channel. */
  async showError(what: string, e: unknown): Promise<void> {
    const k = toKubeError(e);
    const message = `${what}: ${k.message}`;
    this.output.appendLine(`[${new Date().toISOString()}] ${message}`);
    this.output.appendLine(
      `  code: ${k.code}${k.details !== undefined ? `\n  details: ${JSON.stringify(k.details, null, 2)}` : ''}`,
    );
    const pick = await vscode.window.showErrorMessage(message, 'Show Details');
    if (pick === 'Show Details') this.output.show(true);
  }

  /** Runs a long action with a progress notification; failures become error messages, never exceptions. */
  async progress<T>(
    title: string,
    fn: (report: (message: string) => void) => Promise<T>,
    where: 'notification' | 'statusBar' = 'notification',
  ): Promise<T | undefined> {
    try {
      // Quick actions (scale, delete) show in the status bar; long ones (drain, rollouts, fixes) get a notification.
      const location = where === 'statusBar' ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
      const r = await vscode.window.withProgress({ location, title, cancellable: false }, (p) =>
        fn((message) => p.report({ message })),
      );
      if (where === 'statusBar') vscode.window.setStatusBarMessage(`$(check) ${title.replace(/…$/, '')}: done`, 4000);
      return r;
    } catch (e) {
      await this.showError(title.replace(/…$/, ''), e);
      return undefined;
    }
  }

  async dispose(): Promise<void> {
    this.engineOff.forEach((f) => f());
    await this.dropDeps();
    this.disposables.forEach((d) => d.dispose());
    await this.engineInstance?.close();
    await this.demo?.close();
  }
}

const isLocalHost = (h: string): boolean => h === 'localhost' || h === '127.0.0.1' || h === '[::1]' || h === '::1';
