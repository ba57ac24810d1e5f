// The Incidents view (by severity, with a live count badge) and the Port Forwards view.
import * as vscode from 'vscode';
import type { FixPreview, Incident, Severity } from '../shared/incidents';
import type { PortForwardDto } from '../shared/kube';
import type { KubeGrafHost } from './host';
import { currentContextIncidents } from './incidentList';

/** What the Incidents view needs from the incident engine (src/core/incidents); wired in extension.ts. */
export interface IncidentSource {
  list(): Incident[];
  onChange(fn: () => void): () => void;
  previewFix(incidentId: string, fixId: string): Promise<FixPreview>;
  applyFix(incidentId: string, fixId: string): Promise<unknown>;
}

export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

/** What the Incidents view says after a fix (superseded fixes say nothing). */
const FIX_OUTCOME: Partial<Record<NonNullable<Incident['fixVerification']>['outcome'], string>> = {
  verifying: 'checking fix',
  resolved: 'fix worked',
  did_not_help: 'fix did not help',
  made_worse: 'fix made it worse',
};

type IncidentNode =
  | { type: 'severity'; severity: Severity; count: number }
  | { type: 'incident'; incident: Incident }
  | { type: 'message'; text: string };

const SEVERITY_ICON: Record<Severity, vscode.ThemeIcon> = {
  critical: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  high: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.errorForeground')),
  medium: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  low: new vscode.ThemeIcon('info'),
};

export class IncidentsTree implements vscode.TreeDataProvider<IncidentNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private view?: vscode.TreeView<IncidentNode>;
  private off?: () => void;
  private readonly countChanged = new vscode.EventEmitter<number>();
  readonly onDidChangeCount = this.countChanged.event;

  constructor(
    private source: IncidentSource | undefined,
    private unavailableReason: string,
    private readonly shown: (i: Incident) => boolean = () => true,
    private readonly currentContext: () => string | undefined = () => undefined,
    private readonly scope: (context: string) => string[] = () => [],
  ) {}

  attach(view: vscode.TreeView<IncidentNode>): void {
    this.view = view;
    this.drawn = '';
    this.setSource(this.source);
  }

  setSource(source: IncidentSource | undefined, unavailableReason?: string): void {
    if (unavailableReason) this.unavailableReason = unavailableReason;
    this.off?.();
    this.source = source;
    this.off = source?.onChange(() => this.update());
    this.update();
  }

  get available(): boolean {
    return this.source !== undefined;
  }

  get sourceOrThrow(): IncidentSource {
    if (!this.source) throw new Error(this.unavailableReason);
    return this.source;
  }

  openCount(): number {
    return this.open().length;
  }

  /** What the view lists (and the badge counts): the current context's open incidents of the rules that are on. */
  shownIncidents(): Incident[] {
    return this.open();
  }

  private open(): Incident[] {
    const ctx = this.currentContext();
    return currentContextIncidents(this.source?.list() ?? [], ctx, this.shown, ctx ? this.scope(ctx) : []);
  }

  update(): void {
    const incidents = this.open();
    const n = incidents.length;
    // Redraw only when what the rows show changed: an incident seen again (its lastSeen) changes no row, and a redraw
    // while a context menu is open would hand its command an element the tree no longer knows.
    const ctx = this.currentContext();
    const shows = JSON.stringify([
      ctx,
      ctx ? this.scope(ctx) : [],
      this.unavailableReason,
      incidents.map((i) => [
        i.id,
        i.title,
        i.severity,
        i.context,
        i.resource,
        i.occurrences,
        i.description,
        i.rootCause,
        i.firstSeen,
        i.recommendedFixes.length,
        i.fixVerification?.outcome,
        i.fixVerification?.summary,
      ]),
    ]);
    if (shows === this.drawn && this.source === this.drawnSource) return;
    this.drawn = shows;
    this.drawnSource = this.source;
    if (this.view) this.view.badge = n ? { value: n, tooltip: `${n} open incident${n === 1 ? '' : 's'}` } : undefined;
    this.countChanged.fire(n);
    this.changed.fire();
  }
  /** What the rows showed at the last redraw, and from which source. */
  private drawn = '';
  private drawnSource?: IncidentSource;

  getTreeItem(n: IncidentNode): vscode.TreeItem {
    if (n.type === 'message') {
      const t = new vscode.TreeItem(n.text);
      t.iconPath = new vscode.ThemeIcon('info');
      t.tooltip = n.text;
      return t;
    }
    if (n.type === 'severity') {
      const t = new vscode.TreeItem(
        n.severity[0].toUpperCase() + n.severity.slice(1),
        vscode.TreeItemCollapsibleState.Expanded,
      );
      t.id = `sev/${n.severity}`;
      t.description = String(n.count);
      t.iconPath = SEVERITY_ICON[n.severity];
      return t;
    }
    const i = n.incident;
    const t = new vscode.TreeItem(i.title);
    t.id = `inc/${i.id}`;
    t.description = `${i.resource.namespace ? `${i.resource.namespace}/` : ''}${i.resource.name}${i.occurrences > 1 ? ` · ×${i.occurrences}` : ''}`;
    t.accessibilityInformation = { label: `${i.title}, ${t.description}` };
    t.tooltip = new vscode.MarkdownString(
      `**${i.title}**\n\nContext: ${i.context}\n\n${i.description}\n\nRoot cause: ${i.rootCause}\n\nFirst seen ${i.firstSeen}, ${i.occurrences} occurrence${i.occurrences === 1 ? '' : 's'}`,
    );
    t.iconPath = SEVERITY_ICON[i.severity];
    const fix = i.fixVerification;
    if (fix && FIX_OUTCOME[fix.outcome]) {
      t.description = `${String(t.description ?? '')} · ${FIX_OUTCOME[fix.outcome]}`;
      (t.tooltip as vscode.MarkdownString).appendText(
        `\n\nLast fix: ${fix.description}: ${FIX_OUTCOME[fix.outcome]}. ${fix.summary}`,
      );
    }
    t.contextValue = `kgIncident${i.recommendedFixes.length ? ' hasFix' : ''}`;
    t.command = { command: 'kubegraf.showIncident', title: 'Show Incident Details', arguments: [i] };
    return t;
  }

  getChildren(n?: IncidentNode): IncidentNode[] {
    if (!this.source) return n ? [] : [{ type: 'message', text: this.unavailableReason }];
    const open = this.open();
    if (!n) {
      if (!open.length) return [{ type: 'message', text: 'No open incidents' }];
      return SEVERITIES.map((s) => ({
        type: 'severity' as const,
        severity: s,
        count: open.filter((i) => i.severity === s).length,
      })).filter((x) => x.count > 0);
    }
    if (n.type === 'severity')
      return (
        open
          .filter((i) => i.severity === n.severity)
          // Newest incident first, and an incident keeps its place as it recurs: rows do not move under the mouse.
          .sort((a, b) => b.firstSeen.localeCompare(a.firstSeen) || a.id.localeCompare(b.id))
          .map((incident) => ({ type: 'incident' as const, incident }))
      );
    return [];
  }

  dispose(): void {
    this.off?.();
    this.changed.dispose();
    this.countChanged.dispose();
  }
}

export class PortForwardsTree implements vscode.TreeDataProvider<PortForwardDto>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly host: KubeGrafHost) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(f: PortForwardDto): vscode.TreeItem {
    const t = new vscode.TreeItem(`${f.namespace}/${f.pod}:${f.remotePort}`);
    t.id = f.id;
    t.description = `http://${f.address}:${f.localPort} · ${f.context}`;
    t.tooltip = `Forwarding ${f.address}:${f.localPort} → pod ${f.namespace}/${f.pod} port ${f.remotePort} (context ${f.context})\n${f.connections} open connection(s)`;
    t.iconPath = new vscode.ThemeIcon('plug');
    t.contextValue = 'kgPortForward';
    return t;
  }

  getChildren(): PortForwardDto[] {
    if (!this.host.hasEngine) return [];
    return this.host.engine.portForwards.list();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
