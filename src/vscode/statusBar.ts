// Status bar: current context and namespace, connection state, open incident count. Click to switch context.
import * as vscode from 'vscode';
import type { KubeGrafHost } from './host';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private incidents = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly host: KubeGrafHost) {
    this.item = vscode.window.createStatusBarItem('kubegraf.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'KubeGraf';
    this.item.command = 'kubegraf.switchContext';
    this.disposables.push(
      this.item,
      host.onDidChangeContexts(() => this.update()),
      host.onDidChangeNamespace(() => this.update()),
      host.onDidChangeEngine(() => this.update()),
    );
    this.update();
  }

  setIncidentCount(n: number): void {
    this.incidents = n;
    this.update();
  }

  update(): void {
    const ctx = this.host.currentContext();
    if (!ctx) {
      this.item.text = '$(cloud) KubeGraf: no context';
      this.item.tooltip = 'No Kubernetes context. Click to choose one, or run "KubeGraf: Start Demo Cluster".';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const info = this.host.engine.contexts().find((c) => c.name === ctx);
    const state = info?.connection.state ?? 'idle';
    const scope = this.host.scope(ctx);
    const ns = scope.length === 0 ? 'all namespaces' : scope.length === 1 ? scope[0] : `${scope.length} namespaces`;
    const icon =
      state === 'connected'
        ? '$(vm-active)'
        : state === 'unreachable'
          ? '$(vm-outline)'
          : state === 'idle'
            ? '$(vm)'
            : '$(sync~spin)';
    const word = state === 'connected' ? '' : ` (${state})`;
    this.item.text = `${icon} ${ctx} · ${ns}${word}${this.incidents ? ` $(warning) ${this.incidents}` : ''}`;
    const reason = info && 'reason' in info.connection ? `\n${info.connection.reason}` : '';
    this.item.tooltip = `KubeGraf context ${ctx}, namespace ${ns}: ${state}${reason}${this.incidents ? `\n${this.incidents} open incident(s)` : ''}\nClick to switch context`;
    this.item.backgroundColor =
      state === 'unreachable'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : state === 'reconnecting'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
