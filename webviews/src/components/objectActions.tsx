// Row and drawer actions by capability (k9s: actions are capabilities a kind has, not per-kind code). Destructive
// ones confirm first; every outcome is a toast; failures say why.
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { Capability } from '../../../src/shared/kube';
import type { ResourceEntry } from '../../../src/shared/routes/resources';
import { kindById } from '../../../src/shared/kinds';
import { api, navigate, toast } from '../stores/app';
import { toApiError } from '../host/apiError';
import { Confirm, Modal } from '../ui/modal';
import { TextField } from '../ui/field';
import { problem, wholeNumber } from '../model/validate';
import { TerminalView } from './terminalView';
import { LogsViewer } from './logsViewer';
import type { RouteId } from '../api/api';
import { clusterAllows, mayCall } from '../stores/permissions';

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
    const text = r?.message ?? `${label}: done`;
    toast(text[0].toUpperCase() + text.slice(1), 'ok');
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
export function actionsFor(
  entry: ResourceEntry,
  caps: Set<Capability>,
  openYaml?: (t: ActionTarget) => void,
  onDone?: () => void,
): ActionDef[] {
  const one = entry.one;
  const key = (t: ActionTarget) => ({ name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}) });
  const out: ActionDef[] = [];
  // A pod's logs open over the table; a workload's open on the Logs page, merged across its pods.
  if (caps.has('logs'))
    out.push({
      id: 'logs',
      label: 'Logs',
      run: (t) =>
        one === 'pod'
          ? setDialog({ type: 'logs', t })
          : navigate('logs', { kind: one, ns: t.namespace ?? '', name: t.name }),
    });
  if (caps.has('exec')) out.push({ id: 'shell', label: 'Shell', run: (t) => setDialog({ type: 'shell', t }) });
  if (caps.has('portForward') && (one === 'pod' || one === 'service' || one === 'deployment'))
    out.push({ id: 'portForward', label: 'Forward', run: (t) => setDialog({ type: 'portForward', t, one }) });
  if (caps.has('scale')) out.push({ id: 'scale', label: 'Scale', run: (t) => setDialog({ type: 'scale', t, one }) });
  if (caps.has('restart'))
    out.push({
      id: 'restart',
      label: 'Restart',
      run: (t) =>
        setDialog({
          type: 'confirm',
          title: `Restart ${one} ${t.name}?`,
          message:
            kindById(entry.kind)?.restartBy === 'recreate'
              ? `The ${one} is deleted; its controller creates a new one.`
              : 'A rolling restart replaces every pod.',
          label: 'Restart',
          run: () => call(`${one}.restart`, key(t)),
        }),
    });
  if (caps.has('rollback'))
    out.push({
      id: 'rollback',
      label: 'Rollback',
      run: (t) =>
        setDialog({
          type: 'confirm',
          title: `Roll back ${t.name}?`,
          message: 'The previous revision of the pod template becomes current again.',
          label: 'Roll back',
          run: () => call(`${one}.rollback`, key(t)),
        }),
    });
  if (caps.has('cordon')) {
    out.push({
      id: 'cordon',
      label: 'Cordon',
      run: (t) => {
        const cordoned = String(t.cells?.status ?? '').includes('SchedulingDisabled');
        setDialog({
          type: 'confirm',
          title: `${cordoned ? 'Uncordon' : 'Cordon'} node ${t.name}?`,
          message: cordoned
            ? 'New pods may be scheduled on the node again.'
            : 'No new pods will be scheduled on the node; running pods stay.',
          label: cordoned ? 'Uncordon' : 'Cordon',
          run: () => call('node.cordon', { name: t.name, unschedulable: !cordoned }),
        });
      },
    });
  }
  if (caps.has('drain'))
    out.push({
      id: 'drain',
      label: 'Drain',
      danger: true,
      run: (t) =>
        setDialog({
          type: 'confirm',
          title: `Drain node ${t.name}?`,
          message:
            'The node is cordoned and its pods are evicted (DaemonSet pods are skipped; PodDisruptionBudgets are honoured).',
          label: 'Drain',
          run: () => call('node.drain', { name: t.name, ignoreDaemonSets: true, deleteEmptyDirData: true }),
        }),
    });
  if (caps.has('edit') && openYaml) out.push({ id: 'edit', label: 'YAML', run: (t) => openYaml(t) });
  if (caps.has('delete'))
    out.push({
      id: 'delete',
      label: 'Delete',
      danger: true,
      run: (t) =>
        setDialog({
          type: 'confirm',
          title: `Delete ${one} ${t.name}?`,
          message: `${t.namespace ? `${t.namespace}/` : ''}${t.name} will be deleted from the cluster. This cannot be undone.`,
          label: 'Delete',
          run: () => call(`${one}.delete`, key(t)),
        }),
    });
  // Let the dialogs refresh the page after they finish.
  lastDone = onDone;
  return out.filter((a) => permitted(entry, a.id));
}

/**
 * What each action needs: the route it calls (for KubeGraf's roles) and the cluster permission (kind plural and verb,
 * or a pod subresource), so a viewer is never offered Delete and a read-only kubeconfig never offered Scale.
 */
function permitted(entry: ResourceEntry, action: string): boolean {
  const one = entry.one;
  const plural = entry.kind.split('.')[0];
  const need: Record<string, [route: string, kind: string, verb: string]> = {
    logs: ['pod.logs', 'pods', 'log'],
    shell: ['pod.terminal', 'pods', 'exec'],
    portForward: ['portforward.start', 'pods', 'portforward'],
    scale: [`${one}.scale`, plural, 'patch'],
    restart: [`${one}.restart`, plural, kindById(entry.kind)?.restartBy === 'recreate' ? 'delete' : 'patch'],
    rollback: [`${one}.rollback`, plural, 'patch'],
    cordon: ['node.cordon', 'nodes', 'patch'],
    drain: ['node.drain', 'nodes', 'patch'],
    edit: [`${one}.yaml`, plural, 'get'],
    delete: [`${one}.delete`, plural, 'delete'],
  };
  const n = need[action];
  if (!n) return true;
  const [route, kind, verb] = n;
  return mayCall(route) && clusterAllows(kind, verb);
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
  // Kept by action id: the actions are built again when capabilities and permissions resolve, and a button made anew
  // (or one reused for another action) would take the keyboard focus away from, or under, a user who is on it.
  const ids = createMemo(() => p.actions.slice(0, p.max ?? 4).map((a) => a.id));
  return (
    <For each={ids()}>
      {(id) => {
        const a = () => p.actions.find((x) => x.id === id)!;
        return (
          <button
            class={`kg-row-btn ${a().danger ? 'kg-danger-text' : ''}`}
            onClick={() => a().run(p.target)}
            data-testid={`action-${id}`}
            aria-label={`${a().label} ${p.target.name}`}
          >
            {a().label}
          </button>
        );
      }}
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
            return (
              <Confirm
                title={v.title}
                message={v.message}
                confirmLabel={v.label}
                danger
                onCancel={close}
                onConfirm={() => {
                  close();
                  void run(v.label, v.run, lastDone);
                }}
              />
            );
          case 'scale':
            return <ScaleDialog t={v.t} one={v.one} onClose={close} />;
          case 'portForward':
            return <PortForwardDialog t={v.t} one={v.one} onClose={close} />;
          case 'shell':
            return <WithContainers t={v.t}>{(t) => <ShellDialog t={t} onClose={close} />}</WithContainers>;
          case 'logs':
            return (
              <Modal title={`Logs · ${v.t.name}`} onClose={close} wide testId="logs-modal">
                <WithContainers t={v.t}>
                  {(t) => (
                    <LogsViewer
                      target={{ namespace: t.namespace ?? 'default', pods: [t.name], containers: t.containers ?? [] }}
                    />
                  )}
                </WithContainers>
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
  return (
    <Show when={t()} fallback={<p class="kg-muted">Loading containers…</p>}>
      {(x) => p.children(x())}
    </Show>
  );
}

/** Replicas the dialog accepts: the route's own limit, checked here first so the user reads why next to the field. */
export const MAX_REPLICAS = 100_000;

function ScaleDialog(p: { t: ActionTarget; one: string; onClose: () => void }): JSX.Element {
  const current = Number(
    String(p.t.cells?.ready ?? '').split('/')[1] ?? p.t.cells?.desired ?? p.t.cells?.replicas ?? NaN,
  );
  const known = Number.isInteger(current);
  const [text, setText] = createSignal(known ? String(current) : '1');
  const [stopConfirmed, setStopConfirmed] = createSignal(false);
  const checked = createMemo(() => wholeNumber(text(), { min: 0, max: MAX_REPLICAS, what: 'the number of replicas' }));
  const target = () => {
    const c = checked();
    return c.ok ? c.value : undefined;
  };
  // Scaling to 0 stops the workload: only on an explicit, confirmed choice.
  const toZero = () => target() === 0;
  const ready = () => target() !== undefined && (!toZero() || stopConfirmed());
  const submit = () => {
    const n = target();
    if (n === undefined || !ready()) return;
    p.onClose();
    void run(
      'Scale',
      () => call(`${p.one}.scale`, { name: p.t.name, namespace: p.t.namespace, replicas: n }),
      lastDone,
    );
  };
  const label = () =>
    target() === undefined ? 'Scale' : toZero() ? 'Scale to 0 and stop all pods' : `Scale to ${target()}`;
  return (
    <Modal
      title={`Scale ${p.t.name}`}
      onClose={p.onClose}
      testId="scale-dialog"
      footer={
        <>
          <button class="kg-plain-btn" type="button" onClick={p.onClose}>
            Cancel
          </button>
          <button
            class={`kg-plain-btn ${toZero() ? 'kg-danger' : 'kg-primary'}`}
            type="submit"
            form="kg-scale-form"
            data-testid="scale-ok"
            disabled={!ready()}
          >
            {label()}
          </button>
        </>
      }
    >
      <form
        id="kg-scale-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        novalidate
      >
        <Show when={known}>
          <p class="kg-muted kg-form-current">
            Now: {current} replica{current === 1 ? '' : 's'}
          </p>
        </Show>
        <TextField
          label="Replicas"
          numeric
          value={text()}
          onInput={(v) => {
            setText(v);
            setStopConfirmed(false);
          }}
          error={problem(checked())}
          hint={`A whole number from 0 to ${MAX_REPLICAS.toLocaleString('en-US')}`}
          autofocus
          testId="scale-replicas"
        />
        <Show when={toZero()}>
          <div class="kg-warn-box" role="alert" data-testid="scale-zero-warning">
            <strong>Scaling to 0 stops every pod of {p.t.name}.</strong>
            <span>It serves nothing until it is scaled up again.</span>
            <label class="kg-check">
              <input
                type="checkbox"
                checked={stopConfirmed()}
                onChange={(e) => setStopConfirmed(e.currentTarget.checked)}
                data-testid="scale-zero-confirm"
              />{' '}
              Yes, stop all pods of {p.t.name}
            </label>
          </div>
        </Show>
      </form>
    </Modal>
  );
}

function PortForwardDialog(p: { t: ActionTarget; one: string; onClose: () => void }): JSX.Element {
  const [remote, setRemote] = createSignal('');
  let edited = false;
  // The ports the object declares, offered as one-click choices; the first one is the default.
  const [declared, setDeclared] = createSignal<Array<{ port: number; label: string }>>([]);
  call(`${p.one}.details`, { name: p.t.name, namespace: p.t.namespace })
    .then((d) => {
      const ports = declaredPorts(p.one, (d as { object?: unknown }).object);
      setDeclared(ports);
      if (!edited && !remote()) setRemote(String(ports[0]?.port ?? ''));
    })
    .catch(() => undefined);
  const [local, setLocal] = createSignal('');
  const remoteChecked = createMemo(() => wholeNumber(remote(), { min: 1, max: 65_535, what: 'the port to forward' }));
  const localChecked = createMemo(() =>
    wholeNumber(local(), { min: 1024, max: 65_535, what: 'a local port', emptyMeans: 0 }),
  );
  const ready = () => remoteChecked().ok && localChecked().ok;
  const submit = () => {
    const r = remoteChecked();
    const l = localChecked();
    if (!r.ok || !l.ok) return;
    p.onClose();
    void run(
      'Port forward',
      async () => {
        const f = await api().call('portforward.start', {
          name: p.t.name,
          namespace: p.t.namespace ?? 'default',
          kind: p.one as 'pod',
          port: r.value,
          localPort: l.value || undefined,
        });
        return { message: `Forwarding ${f.address}:${f.localPort} → ${p.t.name}:${f.remotePort}` };
      },
      () => navigate('port-forwards'),
    );
  };
  return (
    <Modal
      title={`Forward a port of ${p.t.name}`}
      onClose={p.onClose}
      testId="port-forward-dialog"
      footer={
        <>
          <button class="kg-plain-btn" type="button" onClick={p.onClose}>
            Cancel
          </button>
          <button
            class="kg-plain-btn kg-primary"
            type="submit"
            form="kg-pf-form"
            disabled={!ready()}
            data-testid="port-forward-ok"
          >
            Start
          </button>
        </>
      }
    >
      <form
        id="kg-pf-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        novalidate
      >
        <TextField
          label={`Port of the ${p.one}`}
          numeric
          value={remote()}
          onInput={(v) => {
            edited = true;
            setRemote(v);
          }}
          error={remote() || edited ? problem(remoteChecked()) : undefined}
          hint="1 to 65,535"
          autofocus
          testId="pf-remote"
        />
        <Show when={declared().length}>
          <div class="kg-chips kg-field-choices" role="group" aria-label="Declared ports">
            <span class="kg-muted">Declared:</span>
            <For each={declared()}>
              {(d) => (
                <button
                  type="button"
                  class="kg-chip kg-chip-btn"
                  aria-pressed={remote() === String(d.port)}
                  onClick={() => {
                    edited = true;
                    setRemote(String(d.port));
                  }}
                >
                  {d.label}
                </button>
              )}
            </For>
          </div>
        </Show>
        <TextField
          label="Local port"
          numeric
          value={local()}
          onInput={setLocal}
          error={problem(localChecked())}
          placeholder="any free port"
          hint="Leave empty for any free port, or 1,024 to 65,535"
          testId="pf-local"
        />
      </form>
    </Modal>
  );
}

function ShellDialog(p: { t: ActionTarget; onClose: () => void }): JSX.Element {
  const [container, setContainer] = createSignal(p.t.containers?.[0] ?? '');
  const [session, setSession] = createSignal(0);
  return (
    <Modal title={`Shell · ${p.t.name}`} onClose={p.onClose} wide testId="shell-modal">
      <Show when={(p.t.containers?.length ?? 0) > 1}>
        <label>
          Container{' '}
          <select
            value={container()}
            onChange={(e) => {
              setContainer(e.currentTarget.value);
              setSession((s) => s + 1);
            }}
          >
            <For each={p.t.containers}>{(c) => <option value={c}>{c}</option>}</For>
          </select>
        </label>
      </Show>
      <Show when={String(session()) + container()} keyed>
        <TerminalView
          route="pod.terminal"
          label={`${p.t.namespace}/${p.t.name}${container() ? ` · ${container()}` : ''}`}
          params={{ namespace: p.t.namespace, pod: p.t.name, container: container() || undefined }}
        />
      </Show>
    </Modal>
  );
}

type PortSpec = { containerPort?: number; port?: number; name?: string; protocol?: string };

/** The ports a pod, a workload's pod template or a service declares. */
function declaredPorts(one: string, object: unknown): Array<{ port: number; label: string }> {
  const o = (object ?? {}) as {
    spec?: {
      ports?: PortSpec[];
      containers?: Array<{ ports?: PortSpec[] }>;
      template?: { spec?: { containers?: Array<{ ports?: PortSpec[] }> } };
    };
  };
  const specs: PortSpec[] =
    one === 'service'
      ? (o.spec?.ports ?? [])
      : (o.spec?.containers ?? o.spec?.template?.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  return specs
    .map((x) => ({ port: Number(x.port ?? x.containerPort), name: x.name, protocol: x.protocol ?? 'TCP' }))
    .filter((x) => Number.isInteger(x.port) && x.protocol === 'TCP')
    .map((x) => ({ port: x.port, label: `${x.port}${x.name ? ` (${x.name})` : ''}` }));
}
