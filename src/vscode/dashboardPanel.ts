// The dashboard webview panel: the Solid app from dist/webview.
// Requests from the page come over postMessage and go through the route table (no HTTP round trip).
import * as vscode from 'vscode';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handlerTables } from '../server/dispatch';
import { appHtml, makeNonce, missingAppHtml } from './dashboardHtml';
import type { KubeGrafHost } from './host';
import { WebviewBridge } from './webviewBridge';
import type { HandlerTables } from '../server/dispatch';
import type { BridgeFromHost } from '../shared/client';

export class DashboardPanel implements vscode.Disposable {
  private static current?: DashboardPanel;
  private readonly disposables: vscode.Disposable[] = [];

  static show(host: KubeGrafHost, page?: string): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
      if (page) void DashboardPanel.current.panel.webview.postMessage({ type: 'app.navigate', page });
      return DashboardPanel.current;
    }
    const root = host.ext.extensionUri;
    const panel = vscode.window.createWebviewPanel(
      'kubegraf.dashboard',
      'KubeGraf Dashboard',
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        retainContextWhenHidden: false,
        localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media')],
      },
    );
    panel.iconPath = vscode.Uri.joinPath(root, 'media', 'kubegraf.svg');
    DashboardPanel.current = new DashboardPanel(host, panel, handlerTables(), page);
    return DashboardPanel.current;
  }

  private readonly bridge: WebviewBridge;

  private constructor(
    private readonly host: KubeGrafHost,
    readonly panel: vscode.WebviewPanel,
    tables: HandlerTables,
    page?: string,
  ) {
    this.bridge = new WebviewBridge({
      post: (m) => void panel.webview.postMessage(m),
      deps: () => host.apiDeps(),
      tables,
      onReady: () => {
        if (page) void panel.webview.postMessage({ type: 'app.navigate', page });
      },
      saveFile: (name, content) => void this.saveFile(name, content),
      // One scope: namespaces chosen in the panel scope the side bar, the status bar and commands too.
      onScope: (namespaces) => {
        const ctx = host.currentContext();
        if (ctx) host.setScope(ctx, namespaces);
      },
    });
    let shown = host.currentContext();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => void this.onMessage(m)),
      // The app shows one context (its header, its live socket): after a switch in VS Code it starts over on the new
      // one instead of showing the old context's state.
      host.onDidChangeContexts(() => {
        if (host.currentContext() === shown) return;
        shown = host.currentContext();
        this.bridge.dispose();
        panel.webview.html = this.html();
      }),
      host.onDidChangeNamespace((e) => {
        if (e.context === host.currentContext())
          void panel.webview.postMessage({ type: 'app.scope', namespaces: e.namespaces } satisfies BridgeFromHost);
      }),
    );
    panel.webview.html = this.html();
  }

  private html(): string {
    const w = this.panel.webview;
    const nonce = makeNonce();
    const appDir = join(this.host.ext.extensionUri.fsPath, 'dist', 'webview');
    const index = join(appDir, 'index.html');
    if (existsSync(index)) {
      const base = vscode.Uri.joinPath(this.host.ext.extensionUri, 'dist', 'webview');
      const context = this.host.currentContext();
      return appHtml(
        readFileSync(index, 'utf8'),
        (rel) => w.asWebviewUri(vscode.Uri.joinPath(base, rel)).toString(),
        w.cspSource,
        nonce,
        { transport: 'webview', context, namespaces: context ? this.host.scope(context) : [] },
      );
    }
    return missingAppHtml(w.cspSource);
  }

  private async saveFile(name: string, content: string): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(join(process.env.HOME ?? '', name)),
    });
    if (target) await vscode.workspace.fs.writeFile(target, Buffer.from(content, 'utf8'));
  }

  private async onMessage(m: unknown): Promise<void> {
    await this.bridge.receive(m);
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    this.disposables.forEach((d) => d.dispose());
    this.bridge.dispose();
  }
}
