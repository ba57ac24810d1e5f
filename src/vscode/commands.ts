// Handlers for every row of the command table. Each handler resolves its target from the tree node it was invoked on,
// or asks (quick picks) when run from the palette. Cluster commands run only when their context can be reached; the
// others say why instead (the rust-analyzer habit: a command is always registered, enabled or explaining itself).
import * as vscode from 'vscode';
import { showGenerated } from './generatedDocs';
import { kindId } from '../core/kube/descriptors';
import type { Deployment, Pod, Service } from '../core/kube/objects';
import type { Capability } from '../shared/kube';
import type { Incident } from '../shared/incidents';
import type { Finding } from '../shared/insights';
import type { HelmChangeResult } from '../shared/routes/integrations';
import { nativeRollback, nativeUninstall } from '../core/integrations/helmNative';
import { releaseRecords } from '../core/integrations/helmStorage';
import type { LogStream } from '../core/kube/logs';
import { blockedReason, COMMANDS, type CommandSpec } from './commandTable';
import type { ClusterTree } from './clusterTree';
import type { DashboardPanel } from './dashboardPanel';
import { ExecPty } from './execPty';
import type { KubeGrafHost } from './host';
import type { IncidentsTree, PortForwardsTree } from './sideViews';
import type { StatusBar } from './statusBar';
import { combinedDiff, confirmText, countsText, failureLines } from './manifestReview';
import { containersOf, type TreeNode } from './treeModel';
import { EDIT_SCHEME, objectUri, VIEW_SCHEME } from './yamlDocs';

export interface Faces {
  host: KubeGrafHost;
  tree: ClusterTree;
  incidents: IncidentsTree;
  portForwards: PortForwardsTree;
  status: StatusBar;
  openDashboard: () => Promise<DashboardPanel>;
  /** Starts incident detection (idempotent); the incident commands need it. */
  startIncidents: () => Promise<void>;
  /** Starts the local server on the same engines (once) and gives the URL with its token. */
}

interface Target {
  context: string;
  kind: string;
  namespace?: string;
  name: string;
  container?: string;
}

type Handler = (f: Faces, arg?: unknown, ...rest: unknown[]) => Promise<unknown> | unknown;

class Cancelled extends Error {}

const isNode = (a: unknown): a is TreeNode => !!a && typeof a === 'object' && 'type' in a && 'id' in a;

function contextOf(f: Faces, arg: unknown): string | undefined {
  if (isNode(arg) && 'context' in arg && arg.context) return arg.context;
  return f.host.currentContext();
}

async function pick<T extends vscode.QuickPickItem>(items: T[], placeHolder: string): Promise<T> {
  const r = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  if (!r) throw new Cancelled();
  return r;
}

/** The object a command acts on: the tree node it was run on, else picked (kind with the capability, then object). */
async function target(f: Faces, arg: unknown, cap?: Capability, onlyKinds?: string[]): Promise<Target> {
  if (isNode(arg)) {
    if (arg.type === 'object')
      return { context: arg.context, kind: arg.kind, namespace: arg.namespace, name: arg.name };
    if (arg.type === 'container')
      return { context: arg.context, kind: 'pods', namespace: arg.namespace, name: arg.pod, container: arg.container };
  }
  const context = contextOf(f, arg);
  if (!context) throw new Error('No Kubernetes context is configured.');
  const engine = f.host.engine;
  const kinds = engine
    .kinds(context)
    .filter((k) => (!cap || k.capabilities.includes(cap)) && (!onlyKinds || onlyKinds.includes(kindId(k))));
  const kind =
    kinds.length === 1
      ? kindId(kinds[0])
      : (
          await pick(
            kinds.map((k) => ({ label: k.kind, description: kindId(k), id: kindId(k) })),
            'Kind',
          )
        ).id;
  const d = kinds.find((k) => kindId(k) === kind)!;
  const ns = d.namespaced ? f.host.namespace(context) : undefined;
  const scope = f.host.scope(context);
  const items = (await engine.actions(context).list(kind, ns)).filter(
    (o) => !d.namespaced || !scope.length || scope.includes(o.metadata.namespace ?? ''),
  );
  if (!items.length)
    throw new Error(
      `No ${d.kind} objects in ${ns ? `namespace ${ns}` : scope.length && d.namespaced ? `namespaces ${scope.join(', ')}` : 'the cluster'} of ${context}.`,
    );
  const chosen = await pick(
    items.map((o) => ({ label: o.metadata.name, description: o.metadata.namespace, o })),
    `${d.kind} in ${ns ?? (d.namespaced ? (scope.length ? scope.join(', ') : 'all namespaces') : context)}`,
  );
  return { context, kind, namespace: chosen.o.metadata.namespace, name: chosen.o.metadata.name };
}

/** `deployments.apps` → `Deployment` for messages; the id when the context is gone. */
function kindName(f: Faces, t: Target): string {
  try {
    return f.host.engine.descriptor(t.context, t.kind).kind;
  } catch {
    return t.kind;
  }
}
const label = (f: Faces, t: Target) => `${kindName(f, t)} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;

async function confirm(message: string, detail: string, action: string): Promise<void> {
  const r = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  if (r !== action) throw new Cancelled();
}

async function podOf(f: Faces, t: Target): Promise<Pod> {
  return (
    f.tree.lookup(t.context, 'pods', t.namespace, t.name) ??
    f.host.engine.actions(t.context).get('pods', t.namespace, t.name)
  );
}

// ---------------- logs ----------------

/** Log streams followed into output channels, one per target; owned by the activation that registered the commands. */
class LogFollows {
  private readonly follows = new Map<string, { stream: LogStream; channel: vscode.OutputChannel }>();

  private setFollowing(): void {
    void vscode.commands.executeCommand('setContext', 'kubegraf.followingLogs', this.follows.size > 0);
  }

  async show(f: Faces, arg: unknown): Promise<void> {
    const t = await target(f, arg, 'logs');
    const actions = f.host.engine.actions(t.context);
    const key = `${t.context}/${t.kind}/${t.namespace}/${t.name}/${t.container ?? '*'}`;
    this.follows.get(key)?.stream.stop();
    const title = `KubeGraf Logs: ${t.kind === 'pods' ? '' : `${t.kind.split('.')[0]}/`}${t.name}${t.container ? ` (${t.container})` : ''}`;
    const prev = this.follows.get(key)?.channel;
    const channel = prev ?? vscode.window.createOutputChannel(title, 'log');
    channel.clear();
    channel.show(true);
    const logTarget = { kind: t.kind, namespace: t.namespace ?? 'default', name: t.name, container: t.container };
    const tailLines = f.host.config<number>('logs.tailLines', 500);
    // Prefix lines with their source only when several pods or containers interleave.
    const merged =
      t.kind !== 'pods' || (!t.container && containersOf(await podOf(f, t)).filter((c) => !c.init).length > 1);
    const line = (l: { pod: string; container: string; text: string }) =>
      channel.appendLine(merged ? `[${l.pod}/${l.container}] ${l.text}` : l.text);
    channel.appendLine(`# logs of ${label(f, t)}${t.container ? ` container ${t.container}` : ''} in ${t.context}`);
    if (!f.host.config<boolean>('logs.follow', true)) {
      for (const l of await actions.logs(logTarget, { tailLines })) line(l);
      return;
    }
    const stream = await actions.followLogs(logTarget, { tailLines }, line);
    this.follows.set(key, { stream, channel });
    this.setFollowing();
    void stream.done
      .catch((e: Error) => channel.appendLine(`# log stream failed: ${e.message}`))
      .finally(() => {
        if (this.follows.get(key)?.stream === stream) {
          this.follows.delete(key);
          channel.appendLine('# log stream ended');
          this.setFollowing();
        }
      });
  }

  stop(): void {
    for (const [k, v] of this.follows) {
      v.stream.stop();
      v.channel.appendLine('# stopped following');
      this.follows.delete(k);
    }
    this.setFollowing();
  }
}

// ---------------- exec ----------------

async function exec(f: Faces, arg: unknown): Promise<void> {
  const t = await target(f, arg, 'exec', ['pods']);
  let container = t.container;
  if (!container) {
    const cs = containersOf(await podOf(f, t)).filter((c) => !c.init);
    container =
      cs.length === 1
        ? cs[0].name
        : (
            await pick(
              cs.map((c) => ({ label: c.name, description: c.image })),
              'Container',
            )
          ).label;
  }
  const command = f.host.config<string>('exec.command', 'sh').split(/\s+/).filter(Boolean);
  const engine = f.host.engine;
  const pty = new ExecPty(
    { context: t.context, namespace: t.namespace ?? 'default', pod: t.name, container, command },
    (x, size) =>
      engine.actions(x.context).exec({
        namespace: x.namespace,
        pod: x.pod,
        container: x.container,
        command: x.command,
        tty: true,
        stdin: true,
        cols: size?.columns,
        rows: size?.rows,
      }),
  );
  const term = vscode.window.createTerminal({
    name: `${t.name}/${container}`,
    pty,
    iconPath: new vscode.ThemeIcon('terminal'),
  });
  term.show();
}

// ---------------- workloads ----------------

async function scale(f: Faces, arg: unknown): Promise<void> {
  const t = await target(f, arg, 'scale');
  const cur = (await f.host.engine.actions(t.context).get(t.kind, t.namespace, t.name)).spec?.replicas ?? 1;
  const v = await vscode.window.showInputBox({
    title: `Scale ${label(f, t)}`,
    prompt: `Replicas (now ${cur})`,
    value: String(cur),
    validateInput: (s) => (/^\d+$/.test(s.trim()) ? undefined : 'A whole number ≥ 0'),
  });
  if (v === undefined) throw new Cancelled();
  const n = Number(v.trim());
  await f.host.progress(
    `Scaling ${label(f, t)} to ${n}…`,
    () => f.host.engine.actions(t.context).scale(t.kind, t.namespace ?? 'default', t.name, n),
    'statusBar',
  );
}

async function restart(f: Faces, arg: unknown): Promise<void> {
  const t = await target(f, arg, 'restart');
  await confirm(`Restart ${label(f, t)}?`, 'Every pod is replaced by a rolling update.', 'Restart');
  await f.host.progress(
    `Restarting ${label(f, t)}…`,
    () => f.host.engine.actions(t.context).restart(t.kind, t.namespace ?? 'default', t.name),
    'statusBar',
  );
}

async function rollback(f: Faces, arg: unknown): Promise<void> {
  const t = await target(f, arg, 'rollback');
  const actions = f.host.engine.actions(t.context);
  const ns = t.namespace ?? 'default';
  const revs = (await actions.revisions(ns, t.name, t.kind)).filter((r) => !r.current);
  if (!revs.length) throw new Error(`${label(f, t)} has no previous revision to roll back to.`);
  const r = await pick(
    revs.map((x) => ({
      label: `Revision ${x.revision}`,
      description: x.images.join(', '),
      detail: x.createdAt,
      rev: x.revision,
    })),
    'Roll back to',
  );
  // What the rollback changes, as the server would store it (dry run), before anything is replaced.
  const preview = await f.host.progress(`Checking the rollback of ${label(f, t)}…`, () =>
    actions.previewRollback(t.kind, ns, t.name, r.rev),
  );
  if (!preview) return; // The failure was already shown.
  const changes = preview.diff.split('\n').filter((l) => /^[+-](?![+-])/.test(l));
  const detail = preview.changed
    ? `Pods are replaced by a rolling update. Images: ${preview.images.join(', ')}.\n\n${changes.slice(0, 12).join('\n')}${changes.length > 12 ? `\n… ${changes.length - 12} more changed lines` : ''}`
    : 'The pod template of that revision is the one running now: nothing would change.';
  await confirm(`Roll back ${label(f, t)} to revision ${r.rev}?`, detail, 'Roll Back');
  await f.host.progress(`Rolling back ${label(f, t)} to revision ${r.rev}…`, () =>
    actions.rollback(t.kind, t.namespace ?? 'default', t.name, r.rev),
  );
}

// ---------------- Helm (native: no helm binary) ----------------

type HelmNode = Extract<TreeNode, { type: 'helmRelease' | 'helmRevision' }>;

function helmNode(arg: unknown): HelmNode {
  if (isNode(arg) && (arg.type === 'helmRelease' || arg.type === 'helmRevision')) return arg;
  throw new Error('Run this from a Helm release or revision in the Clusters view.');
}

/** What a preview says, for a modal's detail: one line per object, then the hooks that are not run. */
function helmPlan(r: HelmChangeResult): string {
  const lines = r.objects.map(
    (o) =>
      `${o.action === 'absent' ? 'already gone' : o.action}: ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}${o.error ? ` (${o.error})` : ''}`,
  );
  const shown = lines.slice(0, 15);
  if (lines.length > shown.length) shown.push(`… ${lines.length - shown.length} more`);
  return [
    ...(shown.length ? shown : ['No objects.']),
    ...(r.hooksSkipped.length ? ['', `Hooks are not run by KubeGraf; skipped: ${r.hooksSkipped.join('; ')}`] : []),
  ].join('\n');
}

async function helmRollback(f: Faces, arg: unknown): Promise<void> {
  const n = helmNode(arg);
  const engine = f.host.engine;
  let revision: number;
  if (n.type === 'helmRevision') {
    if (n.current) throw new Error(`Revision ${n.revision} is the current revision of ${n.name}.`);
    revision = n.revision;
  } else {
    const recs = await releaseRecords(engine.actions(n.context), n.namespace, n.name);
    const current = recs[recs.length - 1]?.rel.version;
    const older = recs.filter((r) => r.rel.version !== current).reverse();
    if (!older.length) throw new Error(`${n.namespace}/${n.name} has no earlier revision to roll back to.`);
    revision = (
      await pick(
        older.map((r) => ({
          label: `Revision ${r.rel.version}`,
          description: `${r.rel.info?.status ?? ''} · ${r.rel.chart?.metadata?.name ?? ''}-${r.rel.chart?.metadata?.version ?? ''}`,
          detail: r.rel.info?.description,
          rev: r.rel.version,
        })),
        `Roll ${n.namespace}/${n.name} back to`,
      )
    ).rev;
  }
  const o = { namespace: n.namespace, name: n.name, revision };
  const preview = await f.host.progress(`Checking the rollback of ${n.namespace}/${n.name}…`, () =>
    nativeRollback(engine, n.context, { ...o, dryRun: true }),
  );
  if (!preview) return;
  await confirm(
    `Roll back Helm release ${n.namespace}/${n.name} to revision ${revision}?`,
    `It becomes revision ${preview.newRevision} (context ${n.context}). Checked with server dry runs:\n\n${helmPlan(preview)}`,
    'Roll Back',
  );
  const done = await f.host.progress(`Rolling back ${n.namespace}/${n.name} to revision ${revision}…`, () =>
    nativeRollback(engine, n.context, o),
  );
  if (done) void vscode.window.showInformationMessage(done.message.replace(/^./, (c) => c.toUpperCase()));
  f.tree.refresh();
}

async function helmUninstall(f: Faces, arg: unknown): Promise<void> {
  const n = helmNode(arg);
  const engine = f.host.engine;
  const o = { namespace: n.namespace, name: n.name };
  const preview = await f.host.progress(`Checking the uninstall of ${n.namespace}/${n.name}…`, () =>
    nativeUninstall(engine, n.context, { ...o, dryRun: true }),
  );
  if (!preview) return;
  const keep = 'Uninstall, Keep History';
  const r = await vscode.window.showWarningMessage(
    `Uninstall Helm release ${n.namespace}/${n.name} from ${n.context}?`,
    {
      modal: true,
      detail: `Its objects are deleted in Helm's order; its release records are deleted too unless you keep the history.\n\n${helmPlan(preview)}`,
    },
    'Uninstall',
    keep,
  );
  if (r !== 'Uninstall' && r !== keep) throw new Cancelled();
  const done = await f.host.progress(`Uninstalling ${n.namespace}/${n.name}…`, () =>
    nativeUninstall(engine, n.context, { ...o, keepHistory: r === keep }),
  );
  if (done) void vscode.window.showInformationMessage(done.message.replace(/^./, (c) => c.toUpperCase()));
  f.tree.refresh();
}

async function del(f: Faces, arg: unknown): Promise<void> {
  const t = await target(f, arg, 'delete');
  await confirm(`Delete ${label(f, t)} from ${t.context}?`, 'This cannot be undone.', 'Delete');
  await f.host.progress(
    `Deleting ${label(f, t)}…`,
    () => f.host.engine.actions(t.context).delete(t.kind, t.namespace, t.name),
    'statusBar',
  );
}

async function cordon(f: Faces, arg: unknown, on: boolean): Promise<void> {
  const t = await target(f, arg, undefined, ['nodes']);
  await f.host.progress(
    `${on ? 'Cordoning' : 'Uncordoning'} node ${t.name}…`,
    () => f.host.engine.actions(t.context).cordon(t.name, on),
    'statusBar',
  );
}

async function drain(f: Faces, arg: unknown): Promise<void> {
  const t = await target(f, arg, undefined, ['nodes']);
  await confirm(
    `Drain node ${t.name}?`,
    'The node is cordoned and its pods are evicted (PodDisruptionBudgets are honoured; DaemonSet pods stay).',
    'Drain',
  );
  const res = await f.host.progress(`Draining node ${t.name}…`, () =>
    f.host.engine.actions(t.context).drain(t.name, { timeoutMs: 60_000 }),
  );
  if (!res) return;
  const msg = `Drained ${t.name}: ${res.evicted.length} evicted, ${res.skipped.length} skipped, ${res.failed.length} failed.`;
  if (res.failed.length) {
    f.host.output.appendLine(msg);
    res.failed.forEach((x) => f.host.output.appendLine(`  ${x.pod}: ${x.reason}`));
    const r = await vscode.window.showWarningMessage(msg, 'Show Details');
    if (r) f.host.output.show(true);
  } else void vscode.window.showInformationMessage(msg);
}

// ---------------- port-forwards ----------------

async function portForward(f: Faces, arg: unknown): Promise<void> {
  const t = await target(f, arg, 'portForward');
  const o = await f.host.engine.actions(t.context).get(t.kind, t.namespace, t.name);
  const containers =
    (t.kind === 'pods' ? (o as Pod).spec?.containers : (o as Deployment).spec?.template?.spec?.containers) ?? [];
  const ports: number[] =
    t.kind === 'services'
      ? ((o as Service).spec?.ports ?? []).map((p) => p.port)
      : containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
  const v = await vscode.window.showInputBox({
    title: `Port forward to ${label(f, t)}`,
    prompt: ports.length ? `Remote port (${ports.join(', ')})` : 'Remote port',
    value: ports[0] ? String(ports[0]) : '',
    validateInput: (s) => (/^\d+$/.test(s.trim()) && Number(s) > 0 && Number(s) < 65536 ? undefined : 'A port number'),
  });
  if (v === undefined) throw new Cancelled();
  const pf = await f.host.progress(`Forwarding to ${label(f, t)}:${v}…`, () =>
    f.host.engine.actions(t.context).startPortForward(t.kind, t.namespace ?? 'default', t.name, Number(v)),
  );
  f.portForwards.refresh();
  if (!pf) return;
  const url = `http://${pf.address}:${pf.localPort}`;
  const r = await vscode.window.showInformationMessage(
    `Forwarding ${url} → ${pf.pod}:${pf.remotePort}`,
    'Copy URL',
    'Open',
  );
  if (r === 'Copy URL') await vscode.env.clipboard.writeText(url);
  if (r === 'Open') await vscode.env.openExternal(vscode.Uri.parse(url));
}

function forwardArg(f: Faces, arg: unknown) {
  const list = f.host.engine.portForwards.list();
  const id = arg && typeof arg === 'object' && 'id' in arg ? String((arg as { id: unknown }).id) : undefined;
  return id ? list.find((p) => p.id === id) : undefined;
}

async function stopPortForward(f: Faces, arg: unknown): Promise<void> {
  let pf = forwardArg(f, arg);
  if (!pf) {
    const list = f.host.hasEngine ? f.host.engine.portForwards.list() : [];
    if (!list.length) throw new Error('No port forwards are running.');
    pf = (
      await pick(
        list.map((p) => ({
          label: `${p.namespace}/${p.pod}:${p.remotePort}`,
          description: `127.0.0.1:${p.localPort}`,
          p,
        })),
        'Stop which port forward?',
      )
    ).p;
  }
  await f.host.engine.portForwards.stop(pf.id);
  f.portForwards.refresh();
}

// ---------------- contexts ----------------

async function switchContext(f: Faces, arg: unknown): Promise<void> {
  const engine = f.host.engine;
  let name = isNode(arg) && arg.type === 'context' ? arg.context : undefined;
  if (!name) {
    const items = engine.contexts().map((c) => ({
      label: c.name,
      description: `${c.current ? 'current · ' : ''}${c.connection.state}`,
      detail: 'reason' in c.connection ? c.connection.reason : c.server,
    }));
    if (!items.length)
      throw new Error(
        'No Kubernetes contexts found. Set kubegraf.kubeconfigPaths or run "KubeGraf: Start Demo Cluster".',
      );
    name = (await pick(items, 'Switch to context')).label;
  }
  const info = await engine.switchContext(name);
  f.tree.refresh();
  if (info.connection.state === 'unreachable')
    void vscode.window.showWarningMessage(`Switched to ${name}, but it is unreachable: ${info.connection.reason}`);
}

async function switchNamespace(f: Faces, arg: unknown): Promise<void> {
  const context = contextOf(f, arg)!;
  let ns = isNode(arg) && arg.type === 'namespace' ? arg.namespace : undefined;
  if (!ns) {
    const list = (await f.host.engine.actions(context).list('namespaces')).map((o) => o.metadata.name).sort();
    const r = await pick(
      [{ label: '$(globe) All namespaces', ns: '' }, ...list.map((n) => ({ label: n, ns: n }))],
      `Namespace for ${context}`,
    );
    ns = r.ns;
  }
  f.host.setNamespace(context, ns || undefined);
  f.tree.refresh();
}

// ---------------- incidents ----------------

/** An Incident, or the Incidents view's row for one (what a context menu passes). */
function incidentArg(arg: unknown): Incident | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as { type?: unknown; incident?: Incident; recommendedFixes?: unknown; id?: unknown };
  if (a.type === 'incident' && a.incident) return a.incident;
  return Array.isArray(a.recommendedFixes) && typeof a.id === 'string' ? (arg as Incident) : undefined;
}

const refText = (r: { namespace?: string; name: string }) => `${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

/**
 * The incident a command acts on: the one its Incidents row (or the caller) names, re-read from the engine so it is
 * current; only from the palette (no argument) does the user pick one.
 */
async function incidentOf(f: Faces, arg: unknown, onlyWithFix = false): Promise<Incident> {
  await f.startIncidents();
  const src = f.incidents.sourceOrThrow;
  const given = incidentArg(arg);
  if (given) return src.list().find((i) => i.id === given.id) ?? given;
  const open = f.incidents.shownIncidents().filter((i) => !onlyWithFix || i.recommendedFixes.length);
  if (!open.length)
    throw new Error(onlyWithFix ? 'No open incident has a recommended fix.' : 'There are no open incidents.');
  return (
    await pick(
      open.map((i) => ({ label: i.title, description: `${i.severity} · ${refText(i.resource)} · ${i.context}`, i })),
      'Incident',
    )
  ).i;
}

async function incidentAndFix(f: Faces, arg: unknown): Promise<{ incident: Incident; fixId: string }> {
  const incident = await incidentOf(f, arg, true);
  if (!incident.recommendedFixes.length) throw new Error(`"${incident.title}" has no recommended fix.`);
  const fix =
    incident.recommendedFixes.length === 1
      ? incident.recommendedFixes[0]
      : (
          await pick(
            incident.recommendedFixes.map((x) => ({
              label: x.description,
              description: `risk ${x.risk}`,
              detail: x.preview,
              x,
            })),
            `Fix for "${incident.title}"`,
          )
        ).x;
  return { incident, fixId: fix.id };
}

async function showIncident(f: Faces, arg: unknown): Promise<void> {
  const i = await incidentOf(f, arg);
  const md = [
    `# ${i.title}`,
    '',
    `**Severity:** ${i.severity} · **Status:** ${i.status} · **Occurrences:** ${i.occurrences}`,
    `**Resource:** ${i.resource.kind} ${i.resource.namespace ? `${i.resource.namespace}/` : ''}${i.resource.name} (${i.context})`,
    `**First seen:** ${i.firstSeen} · **Last seen:** ${i.lastSeen}`,
    '',
    i.description,
    '',
    '## Root cause',
    i.rootCause,
    '',
    '## Recommended fixes',
    ...i.recommendedFixes.map((x) => `- **${x.description}** (risk ${x.risk}, impact ${x.impact})\n  \`${x.preview}\``),
  ].join('\n');
  await showGenerated(`incident ${i.id}.md`, md);
}

async function previewFix(f: Faces, arg: unknown): Promise<void> {
  const { incident, fixId } = await incidentAndFix(f, arg);
  const p = await f.incidents.sourceOrThrow.previewFix(incident.id, fixId);
  const head = `# ${p.fix.description}\n# incident: ${incident.title} (${incident.context})\n# target: ${p.fix.target.kind} ${refText(p.fix.target)}\n# validated by server dry run: ${p.validated ? 'yes' : `no (${p.validationError ?? 'unknown'})`}\n# allowed: ${p.allowed ? 'yes' : `no (${p.reason ?? ''})`}\n`;
  await showGenerated(`fix preview ${incident.id}.diff`, `${head}${p.diff}`);
}

async function applyFix(f: Faces, arg: unknown): Promise<void> {
  const { incident, fixId } = await incidentAndFix(f, arg);
  const src = f.incidents.sourceOrThrow;
  const p = await src.previewFix(incident.id, fixId);
  if (!p.validated)
    throw new Error(`The server rejected this fix in a dry run: ${p.validationError ?? 'no reason given'}`);
  if (!p.allowed) throw new Error(`You may not apply this fix: ${p.reason ?? 'access denied'}`);
  await confirm(
    `Apply "${p.fix.description}" to ${p.fix.target.kind} ${refText(p.fix.target)} (context ${incident.context})?`,
    `For the incident "${incident.title}".\n\n${p.diff.slice(0, 2000)}`,
    'Apply',
  );
  await f.host.progress(`Applying fix for ${incident.title}…`, () => src.applyFix(incident.id, fixId));
}

// ---------------- findings of the analyses ----------------

/**
 * A finding's fix: the finding of the tree node it was run on (from the palette: picked among the fixable findings in
 * the namespaces in view), its diff from a server dry run opened beside, a modal confirm naming the context, then the
 * apply as an execution whose undo is said.
 */
async function fixFinding(f: Faces, arg: unknown): Promise<void> {
  const context = contextOf(f, arg);
  if (!context) throw new Error('No Kubernetes context is configured.');
  const { applyInsightFix, insightFindings, previewInsightFix } = await import('../core/insights/registry');
  const deps = await f.host.apiDeps();
  let finding: Finding;
  if (isNode(arg) && arg.type === 'finding') finding = arg.finding;
  else {
    const scope = f.host.scope(context);
    const found = await f.host.progress(`Reading the findings of ${context}…`, () =>
      insightFindings(deps, { context, namespace: scope.length === 1 ? scope[0] : undefined }),
    );
    if (!found) return;
    const fixable = found.findings.filter(
      (x) => x.fix && (!scope.length || !x.target.namespace || scope.includes(x.target.namespace)),
    );
    if (!fixable.length) {
      void vscode.window.showInformationMessage(
        `No finding KubeGraf can fix in ${scope.length ? scope.join(', ') : 'any namespace'} of ${context}.`,
      );
      return;
    }
    finding = (
      await pick(
        fixable.map((x) => ({
          label: x.title,
          description: `${x.severity} · ${x.target.kind} ${refText(x.target)}`,
          detail: x.fix!.description,
          x,
        })),
        'Fix which finding?',
      )
    ).x;
  }
  const fix = finding.fix;
  if (!fix) throw new Error(`"${finding.title}" has no automatic fix: ${finding.why}`);
  const p = await f.host.progress(`Checking "${fix.description}" (server-side dry run)…`, () =>
    previewInsightFix(deps, { context, findingId: finding.id }),
  );
  if (!p) return;
  const what = `${finding.target.kind} ${refText(finding.target)}`;
  await showGenerated(
    `fix ${finding.check} ${finding.target.name}.diff`,
    `# ${fix.description}\n# finding: ${finding.title} (${finding.severity}) on ${what} (${context})\n# why: ${finding.why}\n# validated by server dry run: ${p.validated ? 'yes' : `no (${p.validationError ?? 'unknown'})`}\n# allowed: ${p.allowed ? 'yes' : `no (${p.reason ?? ''})`}\n${p.diff}`,
  );
  if (!p.validated)
    throw new Error(`The server rejected this fix in a dry run: ${p.validationError ?? 'no reason given'}`);
  if (!p.allowed) throw new Error(`You may not apply this fix: ${p.reason ?? 'access denied'}`);
  await confirm(
    `${fix.description}? (${what}, context ${context})`,
    `${finding.title}: ${finding.why}\n\nThe change is open beside (checked by a server-side dry run).`,
    'Apply Fix',
  );
  const ex = await f.host.progress(`Applying "${fix.description}"…`, () =>
    applyInsightFix(deps, { context, findingId: finding.id, confirm: true }),
  );
  f.tree.findingsChanged(context, finding.target.namespace);
  if (!ex) return;
  if (ex.status !== 'succeeded') throw new Error(`The fix failed: ${ex.error ?? 'see the execution output'}`);
  void vscode.window.showInformationMessage(
    `Fixed: ${fix.description} (${what}).${ex.undo ? ` To undo: ${ex.undo.description}.` : ''}`,
  );
}

// ---------------- manifests ----------------

const isYamlDoc = (d: vscode.TextDocument) => d.languageId === 'yaml' || /\.ya?ml$/i.test(d.fileName);

/**
 * `kubectl apply --server-side` for the YAML in the active editor (or a .yaml file from the explorer): a server-side
 * dry run first whose diff opens beside the editor, a modal confirm naming the context, then the apply.
 */
async function applyManifest(f: Faces, arg: unknown): Promise<void> {
  let doc: vscode.TextDocument;
  if (arg instanceof vscode.Uri) doc = await vscode.workspace.openTextDocument(arg);
  else {
    const ed = vscode.window.activeTextEditor;
    if (!ed || !isYamlDoc(ed.document)) {
      void vscode.window.showInformationMessage(
        'Apply YAML to Cluster: open a YAML file (or choose one in the Explorer) first.',
      );
      return;
    }
    doc = ed.document;
  }
  const text = doc.getText();
  const file = doc.isUntitled ? 'the untitled YAML' : vscode.workspace.asRelativePath(doc.uri);
  if (!text.trim()) throw new Error(`${file} is empty.`);
  const context = f.host.currentContext();
  if (!context) throw new Error('No Kubernetes context is configured.');
  const defaultNamespace = f.host.namespace(context) ?? f.host.kubeconfigNamespace(context);
  const actions = f.host.engine.actions(context);
  const review = await f.host.progress(`Reviewing ${file} against ${context} (server-side dry run)…`, () =>
    actions.applyManifests(text, { dryRun: true, defaultNamespace }),
  );
  if (!review) return;
  if (!review.results.length) throw new Error(`${file} holds no Kubernetes objects.`);
  await showGenerated(`review ${file}.diff`, combinedDiff(context, review.results), {
    viewColumn: vscode.ViewColumn.Beside,
    preview: true,
    preserveFocus: true,
  });
  const conflicts = review.results.some((r) => r.error?.conflicts?.length);
  if (!review.applied && !conflicts) {
    const msg = review.failed
      ? `Nothing can be applied from ${file}: ${countsText(review.results)}.`
      : `Nothing to apply: all ${review.results.length} objects of ${file} are unchanged in ${context}.`;
    if (review.failed) {
      f.host.output.appendLine(`[${new Date().toISOString()}] ${msg}`);
      failureLines(review.results).forEach((l) => f.host.output.appendLine(l));
      if ((await vscode.window.showWarningMessage(msg, 'Show Details')) === 'Show Details') f.host.output.show(true);
    } else void vscode.window.showInformationMessage(msg);
    return;
  }
  const c = confirmText(context, review.results, false);
  const choices = conflicts ? ['Apply', 'Apply and Force Conflicts'] : ['Apply'];
  const choice = await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, ...choices);
  if (!choice) throw new Cancelled();
  const force = choice === 'Apply and Force Conflicts';
  const res = await f.host.progress(`Applying ${file} to ${context}…`, () =>
    actions.applyManifests(text, { defaultNamespace, force }),
  );
  if (!res) return;
  const msg = `Applied ${file} to ${context}: ${countsText(res.results)}.`;
  f.host.output.appendLine(`[${new Date().toISOString()}] ${msg}`);
  if (res.failed) {
    failureLines(res.results).forEach((l) => f.host.output.appendLine(l));
    if ((await vscode.window.showWarningMessage(msg, 'Show Details')) === 'Show Details') f.host.output.show(true);
  } else void vscode.window.showInformationMessage(msg);
}

// ---------------- the table of handlers ----------------

/** The handler of every command; `logs` is the activation's set of followed log streams. */
function handlers(logs: LogFollows): Record<string, Handler> {
  return {
    'kubegraf.openDashboard': (f) => f.openDashboard(),
    'kubegraf.openDashboardInBrowser': async (f) => {
      // The host maps the local address for remote windows (asExternalUri) and lets the server trust that address.
      const uri = await f.host.progress('Opening the KubeGraf dashboard in the browser…', (report) =>
        f.host.dashboardBrowserUri(report),
      );
      if (uri) await vscode.env.openExternal(uri);
    },
    'kubegraf.refresh': async (f) => {
      if (f.host.hasEngine) await f.host.engine.reload();
      await f.tree.reset();
      f.portForwards.refresh();
    },
    'kubegraf.switchContext': switchContext,
    'kubegraf.switchNamespace': switchNamespace,
    'kubegraf.reconnect': async (f, arg) => {
      const c = contextOf(f, arg);
      if (!c) return;
      await f.host.engine.disconnect(c);
      await f.host.engine.connect(c);
      await f.tree.reset();
    },
    'kubegraf.filter': async (f) => {
      const v = await vscode.window.showInputBox({
        title: 'Filter objects by name',
        value: f.tree.filterText,
        prompt: 'Part of a name; empty clears the filter',
      });
      if (v !== undefined) f.tree.setFilter(v);
    },
    'kubegraf.clearFilter': (f) => f.tree.setFilter(''),
    'kubegraf.loadMore': (f, arg) => isNode(arg) && f.tree.loadMore(arg),
    'kubegraf.showYaml': async (f, arg) => {
      const t = await target(f, arg);
      const doc = await vscode.workspace.openTextDocument(objectUri(VIEW_SCHEME, t));
      await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(doc, 'yaml'), {
        preview: true,
      });
    },
    'kubegraf.editYaml': async (f, arg) => {
      const t = await target(f, arg, 'edit');
      const doc = await vscode.workspace.openTextDocument(objectUri(EDIT_SCHEME, t));
      await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(doc, 'yaml'), {
        preview: false,
      });
    },
    'kubegraf.describe': async (f, arg) => {
      const t = await target(f, arg);
      const doc = await vscode.workspace.openTextDocument(objectUri(VIEW_SCHEME, t, 'describe'));
      await vscode.window.showTextDocument(doc, { preview: true });
    },
    'kubegraf.logs': (f, arg) => logs.show(f, arg),
    'kubegraf.stopLogs': () => logs.stop(),
    'kubegraf.exec': exec,
    'kubegraf.portForward': portForward,
    'kubegraf.stopPortForward': stopPortForward,
    'kubegraf.copyPortForwardUrl': async (f, arg) => {
      const pf =
        forwardArg(f, arg) ??
        (await (async () => {
          const list = f.host.hasEngine ? f.host.engine.portForwards.list() : [];
          if (!list.length) throw new Error('No port forwards are running.');
          return (
            await pick(
              list.map((p) => ({ label: `${p.namespace}/${p.pod}:${p.remotePort}`, p })),
              'Copy URL of',
            )
          ).p;
        })());
      await vscode.env.clipboard.writeText(`http://${pf.address}:${pf.localPort}`);
    },
    'kubegraf.scale': scale,
    'kubegraf.restart': restart,
    'kubegraf.rollback': rollback,
    'kubegraf.helmRollback': helmRollback,
    'kubegraf.helmUninstall': helmUninstall,
    'kubegraf.cordon': (f, arg) => cordon(f, arg, true),
    'kubegraf.uncordon': (f, arg) => cordon(f, arg, false),
    'kubegraf.drain': drain,
    'kubegraf.copyName': async (f, arg) => {
      const n = isNode(arg) ? arg : undefined;
      const text = !n
        ? (await target(f, arg)).name
        : n.type === 'object'
          ? n.name
          : n.type === 'container'
            ? n.container
            : n.type === 'namespace'
              ? n.namespace
              : n.type === 'context'
                ? n.context
                : '';
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(`Copied ${text}`, 2000);
    },
    'kubegraf.delete': del,
    'kubegraf.showIncident': showIncident,
    'kubegraf.previewFix': previewFix,
    'kubegraf.applyFix': applyFix,
    'kubegraf.applyManifest': applyManifest,
    'kubegraf.fixFinding': fixFinding,
    'kubegraf.startDemoCluster': async (f) => {
      const d = await f.host.progress('Starting the demo cluster…', () => f.host.startDemo());
      if (d) {
        await f.tree.reset();
        void vscode.window.showInformationMessage(
          `Demo cluster running at ${d.server} (contexts kubegraf-sim and kubegraf-sim-viewer).`,
        );
      }
    },
    'kubegraf.stopDemoCluster': async (f) => {
      await f.host.stopDemo();
      await f.tree.reset();
    },
    'kubegraf.showErrorDetails': (f, arg, detail?: unknown) => {
      f.host.output.appendLine(`${String(arg ?? '')}${detail ? `\n  ${String(detail)}` : ''}`);
      f.host.output.show(true);
    },
  };
}

/** Which context a cluster command targets, and that context's state, for the enabled/disabled decision. */
function stateFor(f: Faces, arg: unknown): { context?: string; connection?: { state: string; reason?: string } } {
  if (!f.host.hasEngine && !f.host.currentContext()) return {};
  const context = contextOf(f, arg);
  if (!context) return {};
  const c = f.host.engine.contexts().find((x) => x.name === context);
  return {
    context,
    connection: c
      ? { state: c.connection.state, reason: 'reason' in c.connection ? c.connection.reason : undefined }
      : undefined,
  };
}

/** Registers every command of the table; a row without a handler is a programming error caught by the unit test. */
export function registerCommands(f: Faces): vscode.Disposable[] {
  const table = handlers(new LogFollows());
  return COMMANDS.map((spec: CommandSpec) => {
    const h = table[spec.id];
    return vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
      const arg = args[0];
      const blocked = blockedReason(spec, stateFor(f, arg));
      if (blocked) {
        const r = await vscode.window.showWarningMessage(blocked, 'Switch Context', 'Reconnect');
        if (r === 'Switch Context') await vscode.commands.executeCommand('kubegraf.switchContext');
        if (r === 'Reconnect') await vscode.commands.executeCommand('kubegraf.reconnect', arg);
        return;
      }
      try {
        return await h(f, ...args);
      } catch (e) {
        if (e instanceof Cancelled) return;
        await f.host.showError(spec.title.replace(/…$/, ''), e);
      }
    });
  });
}
