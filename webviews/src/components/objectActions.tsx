// Row and drawer actions by capability (k9s: actions are capabilities a kind has, not per-kind code). Destructive
// ones confirm first; every outcome is a toast; failures say why.
import { createSignal, For, Show, type JSX } from 'solid-js';
import type { Capability } from '../../../src/shared/kube';
import type { ResourceEntry } from '../../../src/shared/routes/resources';
import { api, navigate, toast } from '../stores/app';
import { toApiError } from '../host/apiError';
import { Confirm, Modal } from '../ui/modal';
import { TerminalView } from './terminalView';
import { LogsViewer } from './logsViewer';
import type { RouteId } from '../api/api';

export interface ActionTarget {
  name: string;
  namespace?: string;
  /** Containers (pods) for the logs and shell pickers. */
  containers?: string[];
  cells?: Record<string, string | number>;
}

type Dialog =
  | { type: 'confirm'; title: string; message: string; label: string; run: () => Promise<unknown> }
  | { type: 'scale'; t: ActionTarget; one: string }
  | { type: 'portForward'; t: ActionTarget; one: string }
  | { type: 'shell'; t: ActionTarget }
  | { type: 'logs'; t: ActionTarget };

const [dialog, setDialog] = createSignal<Dialog | undefined>();

async function run(label: string, f: () => Promise<unknown>, after?: () => void): Promise<void> {
  try {
    const r = (await f()) as { message?: string } | undefined;
    toast(r?.message ?? `${label}: done`, 'ok');
    after?.();
  } catch (e) {
    toast(`${label} failed: ${toApiError(e).message}`, 'danger');
  }
}

const call = (id: string, params: Record<string, unknown>) => api().call(id as RouteId, params as never);

export interface ActionDef {
  id: string;
  label: string;
  danger?: boolean;
  run: (t: ActionTarget) => void;
}

/** The actions a row of this kind offers, in a stable order. `onDone` refreshes whatever shows the object. */
export function actionsFor(entry: ResourceEntry, caps: Set<Capability>, openYaml?: (t: ActionTarget) => void, onDone?: () => void): ActionDef[] {
  const one = entry.one;
  const key = (t: ActionTarget) => ({ name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}) });
  const out: ActionDef[] = [];
  // A pod's logs open over the table; a workload's open on the Logs page, merged across its pods.
  if (caps.has('logs')) out.push({ id: 'logs', label: 'Logs', run: (t) => (one === 'pod' ? setDialog({ type: 'logs', t }) : navigate('logs', { kind: one, ns: t.namespace ?? '', name: t.name })) });
  if (caps.has('exec')) out.push({ id: 'shell', label: 'Shell', run: (t) => setDialog({ type: 'shell', t }) });
  if (caps.has('portForward') && (one === 'pod' || one === 'service' || one === 'deployment')) out.push({ id: 'portForward', label: 'Forward', run: (t) => setDialog({ type: 'portForward', t, one }) });
  if (caps.has('scale')) out.push({ id: 'scale', label: 'Scale', run: (t) => setDialog({ type: 'scale', t, one }) });
  if (caps.has('restart'))
    out.push({ id: 'restart', label: 'Restart', run: (t) => setDialog({ type: 'confirm', title: `Restart ${one} ${t.name}?`, message: one === 'pod' ? 'The pod is deleted; its controller creates a new one.' : 'A rolling restart replaces every pod.', label: 'Restart', run: () => call(`${one}.restart`, key(t)) }) });
  if (caps.has('rollback'))
    out.push({ id: 'rollback', label: 'Rollback', run: (t) => setDialog({ type: 'confirm', title: `Roll back ${t.name}?`, message: 'The previous revision of the pod template becomes current again.', label: 'Roll back', run: () => call(`${one}.rollback`, key(t)) }) });
  if (caps.has('cordon')) {
    out.push({
      id: 'cordon',
      label: 'Cordon',
      run: (t) => {
        const cordoned = String(t.cells?.status ?? '').includes('SchedulingDisabled');
        setDialog({ type: 'confirm', title: `${cordoned ? 'Uncordon' : 'Cordon'} node ${t.name}?`, message: cordoned ? 'New pods may be scheduled on the node again.' : 'No new pods will be scheduled on the node; running pods stay.', label: cordoned ? 'Uncordon' : 'Cordon', run: () => call('node.cordon', { name: t.name, unschedulable: !cordoned }) });
      },
    });
  }
  if (caps.has('drain'))
    out.push({ id: 'drain', label: 'Drain', danger: true, run: (t) => setDialog({ type: 'confirm', title: `Drain node ${t.name}?`, message: 'The node is cordoned and its pods are evicted (DaemonSet pods are skipped; PodDisruptionBudgets are honoured).', label: 'Drain', run: () => call('node.drain', { name: t.name, ignoreDaemonSets: true, deleteEmptyDirData: true }) }) });
  if (caps.has('edit') && openYaml) out.push({ id: 'edit', label: 'YAML', run: (t) => openYaml(t) });
  if (caps.has('delete'))
    out.push({ id: 'delete', label: 'Delete', danger: true, run: (t) => setDialog({ type: 'confirm', title: `Delete ${one} ${t.name}?`, message: `${t.namespace ? `${t.namespace}/` : ''}${t.name} will be deleted from the cluster. This cannot be undone.`, label: 'Delete', run: () => call(`${one}.delete`, key(t)) }) });
  // Let the dialogs refresh the page after they finish.
  lastDone = onDone;
  return out;
}

let lastDone: (() => void) | undefined;

export function confirmAction(title: string, message: string, label: string, f: () => Promise<unknown>): void {
  setDialog({ type: 'confirm', title, message, label, run: f });
}

export function openLogs(t: ActionTarget): void {
  setDialog({ type: 'logs', t });
}
export function openShell(t: ActionTarget): void {
  setDialog({ type: 'shell', t });
}

export function RowActions(p: { actions: ActionDef[]; target: ActionTarget; max?: number }): JSX.Element {
  return (
    <For each={p.actions.slice(0, p.max ?? 4)}>
      {(a) => (
        <button class={`kg-row-btn ${a.danger ? 'kg-danger-text' : ''}`} onClick={() => a.run(p.target)} data-testid={`action-${a.id}`} aria-label={`${a.label} ${p.target.name}`}>
          {a.label}
        </button>
      )}
    </For>
  );
}

/** Mounted once by the shell: the dialogs the actions open. */
export function ActionDialogs(): JSX.Element {
  const close = () => setDialog(undefined);
  return (
    <Show when={dialog()}>
      {(d) => {
        const v = d();
        switch (v.type) {
          case 'confirm':
            return <Confirm title={v.title} message={v.message} confirmLabel={v.label} danger onCancel={close} onConfirm={() => { close(); void run(v.label, v.run, lastDone); }} />;
          case 'scale':
            return <ScaleDialog t={v.t} one={v.one} onClose={close} />;
          case 'portForward':
            return <PortForwardDialog t={v.t} one={v.one} onClose={close} />;
          case 'shell':
            return <WithContainers t={v.t}>{(t) => <ShellDialog t={t} onClose={close} />}</WithContainers>;
          case 'logs':
            return (
              <Modal title={`Logs · ${v.t.name}`} onClose={close} wide testId="logs-modal">
                <WithContainers t={v.t}>{(t) => <LogsViewer target={{ namespace: t.namespace ?? 'default', pods: [t.name], containers: t.containers ?? [] }} />}</WithContainers>
              </Modal>
            );
        }
      }}
    </Show>
  );
}

/** The pod's containers (for the pickers), read from its details when the row did not carry them. */
function WithContainers(p: { t: ActionTarget; children: (t: ActionTarget) => JSX.Element }): JSX.Element {
  const [t, setT] = createSignal<ActionTarget | undefined>(p.t.containers ? p.t : undefined);
  if (!p.t.containers) {
    api()
      .call('pod.details', { name: p.t.name, namespace: p.t.namespace })
      .then((d) => {
        const spec = (d.object as { spec?: { containers?: Array<{ name: string }> } } | undefined)?.spec;
        setT({ ...p.t, containers: (spec?.containers ?? []).map((c) => c.name) });
      })
      // Without details the default container still works.
      .catch(() => setT({ ...p.t, containers: [] }));
  }
  return <Show when={t()} fallback={<p class="kg-muted">Loading containers…</p>}>{(x) => p.children(x())}</Show>;
}

function ScaleDialog(p: { t: ActionTarget; one: string; onClose: () => void }): JSX.Element {
  const current = () => Number(String(p.t.cells?.ready ?? '').split('/')[1] ?? p.t.cells?.desired ?? 1) || 0;
  const [n, setN] = createSignal(current());
  return (
    <Modal title={`Scale ${p.t.name}`} onClose={p.onClose} footer={<><button class="kg-plain-btn" onClick={p.onClose}>Cancel</button><button class="kg-plain-btn kg-primary" data-testid="scale-ok" onClick={() => { p.onClose(); void run('Scale', () => call(`${p.one}.scale`, { name: p.t.name, namespace: p.t.namespace, replicas: n() }), lastDone); }}>Scale to {n()}</button></>}>
      <label>Replicas <input class="kg-input" type="number" min="0" max="1000" value={n()} onInput={(e) => setN(Math.max(0, Number(e.currentTarget.value) || 0))} autofocus /></label>
    </Modal>
  );
}

function PortForwardDialog(p: { t: ActionTarget; one: string; onClose: () => void }): JSX.Element {
  const [port, setPort] = createSignal(80);
  const [local, setLocal] = createSignal(0);
  return (
    <Modal title={`Forward a port of ${p.t.name}`} onClose={p.onClose} footer={<><button class="kg-plain-btn" onClick={p.onClose}>Cancel</button><button class="kg-plain-btn kg-primary" onClick={() => { p.onClose(); void run('Port forward', async () => { const f = await api().call('portforward.start', { name: p.t.name, namespace: p.t.namespace ?? 'default', kind: p.one as 'pod', port: port(), localPort: local() || undefined }); return { message: `Forwarding ${f.address}:${f.localPort} → ${p.t.name}:${f.remotePort}` }; }, () => navigate('port-forwards')); }}>Start</button></>}>
      <label>Remote port <input class="kg-input" type="number" min="1" max="65535" value={port()} onInput={(e) => setPort(Number(e.currentTarget.value) || 0)} autofocus /></label>
      <label>Local port (0 = any free port) <input class="kg-input" type="number" min="0" max="65535" value={local()} onInput={(e) => setLocal(Number(e.currentTarget.value) || 0)} /></label>
    </Modal>
  );
}

function ShellDialog(p: { t: ActionTarget; onClose: () => void }): JSX.Element {
  const [container, setContainer] = createSignal(p.t.containers?.[0] ?? '');
  const [session, setSession] = createSignal(0);
  return (
    <Modal title={`Shell · ${p.t.name}`} onClose={p.onClose} wide testId="shell-modal">
      <Show when={(p.t.containers?.length ?? 0) > 1}>
        <label>Container <select value={container()} onChange={(e) => { setContainer(e.currentTarget.value); setSession((s) => s + 1); }}><For each={p.t.containers}>{(c) => <option value={c}>{c}</option>}</For></select></label>
      </Show>
      <Show when={String(session()) + container()} keyed>
        <TerminalView route="pod.terminal" label={`${p.t.namespace}/${p.t.name}${container() ? ` · ${container()}` : ''}`} params={{ namespace: p.t.namespace, pod: p.t.name, container: container() || undefined }} />
      </Show>
    </Modal>
  );
}
