// Training jobs: Kubeflow TrainJobs and PyTorchJobs (when the cluster serves them) and batch Jobs labelled for training
// or asking for GPUs, in one live table with status, pods, GPUs and duration; a form that creates one (checked as the
// user types); a job's conditions and its pods' logs followed live; delete after a confirmation.
import { createMemo, createSignal, For, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import type { MlJobKind, MlJobSummary } from '../../../src/shared/routes/integrations';
import { api, namespaces, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope, scopeKey } from '../stores/scope';
import { toApiError } from '../host/apiError';
import type { Channel } from '../host/transport';
import { Badge, Button } from '../ui/button';
import { TextField } from '../ui/field';
import { Confirm, Modal } from '../ui/modal';
import { Drawer } from '../ui/drawer';
import { Tabs } from '../ui/tabs';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { problem, wholeNumber } from '../model/validate';
import { commandLine, imageRef, objectName, quantity } from '../model/mlForms';
import { defaultNamespace, Duration, followKinds, FormError, NamespaceField } from '../components/mlForm';
import '../styles/ml.css';

type Tone = 'danger' | 'warn' | 'ok' | 'info' | 'muted';
const STATUS_TONE: Record<MlJobSummary['status'], Tone> = {
  Pending: 'warn',
  Running: 'info',
  Restarting: 'warn',
  Succeeded: 'ok',
  Failed: 'danger',
  Suspended: 'muted',
};

const KIND_RESOURCE: Record<string, string> = {
  TrainJob: 'trainjobs.trainer.kubeflow.org',
  PyTorchJob: 'pytorchjobs.kubeflow.org',
};

const KIND_HELP: Record<MlJobKind, string> = {
  TrainJob: 'Kubeflow Trainer v2: runs on the torch-distributed training runtime, one pod per node.',
  PyTorchJob: 'Kubeflow training operator: a master and workers with torch.distributed rendezvous set up for them.',
  Job: 'A plain Kubernetes batch Job: its pods run to completion, no operator needed.',
};

/** "2 running · 1 succeeded": what the job's pods are doing. */
function podsText(j: MlJobSummary): string {
  const parts = [
    j.pods.active ? `${j.pods.active} running` : '',
    j.pods.succeeded ? `${j.pods.succeeded} succeeded` : '',
    j.pods.failed ? `${j.pods.failed} failed` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'none yet';
}

type Selected = { namespace: string; name: string; kind: MlJobSummary['kind']; tab?: string };
const same = (a: Selected | undefined, j: MlJobSummary) =>
  !!a && a.name === j.name && a.namespace === j.namespace && a.kind === j.kind;

export function TrainingJobs(): JSX.Element {
  const list = createLoader(
    () => api().call('ml.jobs.list', { namespace: namespaces().length === 1 ? namespaces()[0] : '' }),
    {
      key: scopeKey,
    },
  );
  const [q, setQ] = createSignal('');
  const [selected, setSelected] = createSignal<Selected | undefined>();
  const [creating, setCreating] = createSignal(false);
  const kinds = () => list.value()?.kinds ?? [];
  followKinds(
    () => ['pods', 'jobs', ...kinds().flatMap((k) => (KIND_RESOURCE[k] ? [KIND_RESOURCE[k]] : []))],
    () => void list.reload(),
  );
  const rows = () =>
    (list.value()?.jobs ?? []).filter(
      (j) =>
        inScope(j.namespace, namespaces()) &&
        (!q() || `${j.name} ${j.namespace} ${j.kind} ${j.image ?? ''}`.toLowerCase().includes(q().toLowerCase())),
    );
  const counts = () => {
    const c: Partial<Record<MlJobSummary['status'], number>> = {};
    for (const j of rows()) c[j.status] = (c[j.status] ?? 0) + 1;
    return c;
  };
  const current = () => list.value()?.jobs.find((j) => same(selected(), j));
  return (
    <div class="kg-page" data-testid="page-training-jobs">
      <div class="kg-page-head">
        <h1>Training Jobs</h1>
        <Button
          variant="primary"
          requires="ml.jobs.create"
          disabled={!list.value()}
          onClick={() => setCreating(true)}
          testId="job-new"
        >
          New training job…
        </Button>
      </div>
      <p class="kg-muted" data-testid="jobs-intro">
        <Show
          when={kinds().some((k) => k !== 'Job')}
          fallback={
            <>
              The Kubeflow training operator is not installed in this cluster (no TrainJob or PyTorchJob CRD): new jobs
              run as batch Jobs. Listed: batch Jobs labelled for training or asking for GPUs.
            </>
          }
        >
          Kubeflow{' '}
          {kinds()
            .filter((k) => k !== 'Job')
            .map((k) => `${k}s`)
            .join(' and ')}
          , and batch Jobs labelled for training or asking for GPUs. Select a job for its conditions and live logs.
        </Show>
      </p>
      <div class="kg-toolbar">
        <input
          class="kg-input"
          type="search"
          placeholder="Filter jobs"
          aria-label="Filter jobs"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
          data-testid="jobs-filter"
        />
        <div class="kg-ml-summary" aria-live="polite" data-testid="jobs-counts">
          <For each={Object.entries(counts())}>
            {([s, n]) => (
              <span>
                <Badge tone={STATUS_TONE[s as MlJobSummary['status']]}>{s}</Badge> {n}
              </span>
            )}
          </For>
        </div>
      </div>
      <Show
        when={!list.error()}
        fallback={<ErrorState error={list.error()} retry={list.reload} what="training jobs" />}
      >
        <Show when={list.value()} fallback={<Loading label="Reading training jobs…" />}>
          <Show
            when={rows().length}
            fallback={
              <Empty
                title={q() ? `No job matches "${q()}"` : 'No training jobs in this scope'}
                hint="Create one with “New training job”: it runs as a TrainJob, a PyTorchJob or a batch Job."
              />
            }
          >
            <table class="kg-simple-table" data-testid="jobs-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Kind</th>
                  <Show when={namespaces().length !== 1}>
                    <th>Namespace</th>
                  </Show>
                  <th>Status</th>
                  <th>Pods</th>
                  <th>GPUs</th>
                  <th>Image</th>
                  <th>Duration</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(j) => {
                    const open = () => setSelected({ namespace: j.namespace, name: j.name, kind: j.kind });
                    return (
                      <tr
                        classList={{ 'kg-active': same(selected(), j) }}
                        tabIndex={0}
                        data-testid="job-row"
                        data-name={j.name}
                        onClick={open}
                        onKeyDown={(e) => e.key === 'Enter' && open()}
                      >
                        <td>
                          <strong>{j.name}</strong>
                        </td>
                        <td>{j.kind}</td>
                        <Show when={namespaces().length !== 1}>
                          <td>{j.namespace}</td>
                        </Show>
                        <td>
                          <Badge tone={STATUS_TONE[j.status]} title={j.message} testId="job-status">
                            {j.status}
                          </Badge>
                        </td>
                        <td class="kg-muted">{podsText(j)}</td>
                        <td>{j.gpus || '—'}</td>
                        <td>
                          <div class="kg-ml-image" title={j.image}>
                            {j.image ? j.image.replace(/^(docker\.io\/)?(library\/)?/, '') : '—'}
                          </div>
                        </td>
                        <td>
                          <Duration start={j.startTime} end={j.completionTime} testId="job-duration" />
                        </td>
                        <td class="kg-muted">
                          <When at={j.createdAt} />
                        </td>
                      </tr>
                    );
                  }}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
      <Show when={selected()} keyed>
        {(s) => (
          <JobDrawer
            sel={s}
            job={current()}
            onClose={() => setSelected(undefined)}
            onDeleted={() => {
              setSelected(undefined);
              void list.reload();
            }}
          />
        )}
      </Show>
      <Show when={creating() && list.value()}>
        {(l) => (
          <CreateJobDialog
            kinds={l().kinds}
            existing={l().jobs}
            onClose={() => setCreating(false)}
            onCreated={(s) => {
              setCreating(false);
              void list.reload();
              setSelected({ ...s, tab: 'logs' });
            }}
          />
        )}
      </Show>
    </div>
  );
}

function JobDrawer(p: { sel: Selected; job?: MlJobSummary; onClose: () => void; onDeleted: () => void }): JSX.Element {
  const [tab, setTab] = createSignal(p.sel.tab ?? 'overview');
  const [confirming, setConfirming] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);
  const label = () => `${p.sel.kind} ${p.sel.namespace}/${p.sel.name}`;
  const remove = async () => {
    setConfirming(false);
    setDeleting(true);
    try {
      await api().call('ml.jobs.delete', { namespace: p.sel.namespace, name: p.sel.name, kind: p.sel.kind });
      toast(`Deleted ${label()}`, 'ok');
      p.onDeleted();
    } catch (e) {
      toast(`Delete failed: ${toApiError(e).message}`, 'danger');
      setDeleting(false);
    }
  };
  return (
    <Drawer
      label={`Training job ${p.sel.name}`}
      subtitle={`${p.sel.kind} · ${p.sel.namespace}`}
      title={p.sel.name}
      closeLabel="Close job"
      onClose={p.onClose}
      testId="job-drawer"
      dialogOpen={confirming()}
    >
      <div class="kg-actions kg-ml-summary">
        <Show when={p.job}>
          {(j) => (
            <>
              <Badge tone={STATUS_TONE[j().status]} testId="drawer-status">
                {j().status}
              </Badge>
              <span class="kg-muted">
                {j().completionTime ? 'ran for' : 'running for'}{' '}
                <Duration start={j().startTime} end={j().completionTime} />
              </span>
            </>
          )}
        </Show>
        <Button
          variant="danger"
          requires="ml.jobs.delete"
          disabled={deleting() || !p.job}
          onClick={() => setConfirming(true)}
          testId="job-delete"
        >
          {deleting() ? 'Deleting…' : 'Delete…'}
        </Button>
      </div>
      <Tabs
        label="Training job"
        active={tab()}
        onChange={setTab}
        tabs={[
          { id: 'overview', label: 'Overview' },
          { id: 'logs', label: 'Logs' },
        ]}
      />
      <div class="kg-drawer-body">
        <Show
          when={p.job}
          fallback={<Empty title="This job is gone" hint="It was deleted, or it is outside the chosen namespaces." />}
        >
          {(j) => (
            <Switch>
              <Match when={tab() === 'overview'}>
                <JobOverview job={j()} />
              </Match>
              <Match when={tab() === 'logs'}>
                <JobLogs sel={p.sel} />
              </Match>
            </Switch>
          )}
        </Show>
      </div>
      <Show when={confirming()}>
        <Confirm
          title={`Delete ${label()}?`}
          message={
            <p data-testid="job-delete-message">
              Its pods stop and are deleted with it, and their logs go with them. This cannot be undone.
            </p>
          }
          confirmLabel="Delete job"
          danger
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      </Show>
    </Drawer>
  );
}

function JobOverview(p: { job: MlJobSummary }): JSX.Element {
  const j = () => p.job;
  return (
    <div data-testid="job-overview">
      <Show when={j().message}>
        <p class="kg-muted">{j().message}</p>
      </Show>
      <dl class="kg-dl">
        <dt>Kind</dt>
        <dd>{j().kind}</dd>
        <dt>Image</dt>
        <dd class="kg-ml-url">{j().image ?? '—'}</dd>
        <dt>Nodes</dt>
        <dd>
          {j().nodes} pod{j().nodes === 1 ? '' : 's'}
          {j().gpus ? `, ${j().gpus} GPU${j().gpus === 1 ? '' : 's'} in all` : ', no GPUs'}
        </dd>
        <dt>Pods</dt>
        <dd>{podsText(j())}</dd>
        <dt>Started</dt>
        <dd>
          <When at={j().startTime} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <Show when={j().completionTime} fallback={<span class="kg-muted">not yet</span>}>
            <When at={j().completionTime} />
          </Show>
        </dd>
      </dl>
      <h3 class="kg-ml-section">Conditions</h3>
      <Show when={j().conditions.length} fallback={<p class="kg-muted">No conditions reported yet.</p>}>
        <table class="kg-simple-table" data-testid="job-conditions">
          <thead>
            <tr>
              <th>Type</th>
              <th>Status</th>
              <th>Reason</th>
              <th>Message</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            <For each={j().conditions}>
              {(c) => (
                <tr>
                  <td>{c.type}</td>
                  <td>{c.status}</td>
                  <td>{c.reason ?? ''}</td>
                  <td>{c.message ?? ''}</td>
                  <td class="kg-muted">
                    <When at={c.lastTransitionTime} />
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </div>
  );
}

type JobLogMessage =
  | { type: 'pods'; pods: string[] }
  | { type: 'log'; pod: string; container: string; time?: string; text: string }
  | { type: 'podEnded'; pod: string; error?: { code: string; message: string } }
  | { type: 'error'; error: { code: string; message: string } };

const MAX_LINES = 10_000;

/** Every pod's log of one job, merged as the lines arrive, pods that start later included. */
function JobLogs(p: { sel: Selected }): JSX.Element {
  const [lines, setLines] = createSignal<Array<{ pod: string; text: string }>>([]);
  const [pods, setPods] = createSignal<string[]>([]);
  const [ended, setEnded] = createSignal<string[]>([]);
  const [state, setState] = createSignal<'connecting' | 'open' | 'closed'>('connecting');
  const [error, setError] = createSignal<string | undefined>();
  const [follow, setFollow] = createSignal(true);
  const [q, setQ] = createSignal('');
  let box!: HTMLDivElement;
  let pending: Array<{ pod: string; text: string }> = [];
  let frame = 0;
  const flush = () => {
    frame = 0;
    const add = pending;
    pending = [];
    setLines((l) => {
      const next = l.concat(add);
      return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
    });
    if (follow()) box.scrollTop = box.scrollHeight;
  };
  const channel: Channel = api().channel(
    'ml.jobs.logsWs',
    { namespace: p.sel.namespace, name: p.sel.name, kind: p.sel.kind, tailLines: 1000 },
    {
      onMessage: (data) => {
        let m: JobLogMessage;
        try {
          m = JSON.parse(data) as JobLogMessage;
        } catch {
          return;
        }
        if (m.type === 'pods') setPods(m.pods);
        else if (m.type === 'podEnded') setEnded((e) => (e.includes(m.pod) ? e : [...e, m.pod]));
        else if (m.type === 'error') setError(m.error.message);
        else if (m.type === 'log') {
          pending.push({ pod: m.pod, text: m.text });
          if (!frame) frame = requestAnimationFrame(flush);
        }
      },
      onState: (s, reason) => {
        setState(s);
        if (s === 'closed' && reason && reason !== 'ended' && !error()) setError(`The log stream closed: ${reason}`);
      },
    },
  );
  onCleanup(() => {
    channel.close();
    if (frame) cancelAnimationFrame(frame);
  });
  const shown = createMemo(() => {
    const t = q().toLowerCase();
    return t ? lines().filter((l) => l.text.toLowerCase().includes(t)) : lines();
  });
  const allEnded = () => pods().length > 0 && pods().every((x) => ended().includes(x));
  const status = () =>
    state() === 'connecting'
      ? 'connecting…'
      : allEnded()
        ? 'every pod has ended'
        : state() === 'open'
          ? 'streaming'
          : 'stopped';
  const download = () =>
    api().saveFile(
      `${p.sel.name}.log`,
      lines()
        .map((l) => (pods().length > 1 ? `[${l.pod}] ${l.text}` : l.text))
        .join('\n') + '\n',
      'text/plain',
    );
  return (
    <div class="kg-logs" data-testid="job-logs">
      <div class="kg-toolbar">
        <input
          class="kg-input"
          type="search"
          placeholder="Search logs"
          aria-label="Search logs"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <label class="kg-check">
          <input type="checkbox" checked={follow()} onChange={(e) => setFollow(e.currentTarget.checked)} /> Follow
        </label>
        <span class="kg-muted" aria-live="polite" data-testid="job-logs-state">
          {pods().length} pod{pods().length === 1 ? '' : 's'} · {shown().length} lines · {status()}
        </span>
        <Button onClick={download} disabled={!lines().length}>
          Download
        </Button>
      </div>
      <Show when={error()}>
        <div class="kg-banner kg-tone-danger" role="alert">
          {error()}
        </div>
      </Show>
      <div
        ref={box}
        class="kg-logbox kg-ml-logbox"
        tabIndex={0}
        role="log"
        aria-label="Job log lines"
        data-testid="job-log-lines"
      >
        <Show
          when={shown().length}
          fallback={
            <p class="kg-muted">
              {state() === 'connecting'
                ? 'Connecting…'
                : pods().length
                  ? 'Waiting for the first log lines…'
                  : 'No pods yet: the job has not started any (see its conditions).'}
            </p>
          }
        >
          <For each={shown().slice(-5000)}>
            {(l) => (
              <div class="kg-logline">
                <Show when={pods().length > 1}>
                  <span class="kg-logpod">[{l.pod}]</span>{' '}
                </Show>
                {l.text}
              </div>
            )}
          </For>
        </Show>
      </div>
    </div>
  );
}

function CreateJobDialog(p: {
  kinds: MlJobKind[];
  existing: MlJobSummary[];
  onClose: () => void;
  onCreated: (s: Selected) => void;
}): JSX.Element {
  const [kind, setKind] = createSignal<MlJobKind>(p.kinds[0] ?? 'Job');
  const [name, setName] = createSignal('');
  const [ns, setNs] = createSignal(defaultNamespace());
  const [image, setImage] = createSignal('');
  const [command, setCommand] = createSignal('');
  const [nodes, setNodes] = createSignal('1');
  const [gpus, setGpus] = createSignal('0');
  const [cpu, setCpu] = createSignal('');
  const [memory, setMemory] = createSignal('');
  const [touched, setTouched] = createSignal<string[]>([]);
  const [tried, setTried] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<{ field?: 'name'; message: string } | undefined>();
  const touch = (f: string, set: (v: string) => void) => (v: string) => {
    set(v);
    setFailure(undefined);
    if (!touched().includes(f)) setTouched([...touched(), f]);
  };
  const c = createMemo(() => {
    const n = objectName(name(), 'job', 50);
    const taken =
      n.ok && p.existing.some((j) => j.name === n.value && j.namespace === ns() && j.kind === kind())
        ? `A ${kind()} named ${n.value} already exists in ${ns()}`
        : undefined;
    return {
      name: taken ? ({ ok: false, error: taken } as const) : n,
      image: imageRef(image()),
      command: commandLine(command()),
      nodes: wholeNumber(nodes(), { min: 1, max: 128, what: 'the number of nodes' }),
      gpus: wholeNumber(gpus(), { min: 0, max: 16, what: 'the GPUs per node (0 for none)' }),
      cpu: quantity(cpu(), 'cpu'),
      memory: quantity(memory(), 'memory'),
    };
  });
  const valid = () => Object.values(c()).every((x) => x.ok);
  const shown = (f: keyof ReturnType<typeof c>) => (touched().includes(f) || tried() ? problem(c()[f]) : undefined);
  const anyShown = () => (Object.keys(c()) as Array<keyof ReturnType<typeof c>>).some((f) => !!shown(f));
  const submit = async () => {
    setTried(true);
    const v = c();
    if (!valid() || busy()) return;
    setBusy(true);
    try {
      const r = await api().call('ml.jobs.create', {
        namespace: ns(),
        name: v.name.ok ? v.name.value : '',
        kind: kind(),
        image: v.image.ok ? v.image.value : '',
        command: v.command.ok ? v.command.value : undefined,
        nodes: v.nodes.ok ? v.nodes.value : 1,
        gpusPerNode: v.gpus.ok ? v.gpus.value : 0,
        cpu: v.cpu.ok ? v.cpu.value : undefined,
        memory: v.memory.ok ? v.memory.value : undefined,
      });
      toast(`Created ${r.kind} ${ns()}/${name().trim()}`, 'ok');
      p.onCreated({ namespace: ns(), name: name().trim(), kind: r.kind as MlJobKind });
    } catch (e) {
      const err = toApiError(e);
      setFailure({ field: err.status === 409 ? 'name' : undefined, message: err.message });
      setBusy(false);
    }
  };
  const nodesHint = () =>
    kind() === 'PyTorchJob'
      ? '1 master, the rest workers'
      : kind() === 'TrainJob'
        ? 'numNodes: one training pod per node'
        : 'pods running in parallel (Indexed when more than 1)';
  return (
    <Modal
      title="New training job"
      wide
      onClose={() => !busy() && p.onClose()}
      testId="job-create-dialog"
      footer={
        <>
          <button class="kg-plain-btn" onClick={() => p.onClose()} disabled={busy()}>
            Cancel
          </button>
          <button
            class="kg-plain-btn kg-primary"
            type="submit"
            form="kg-job-form"
            disabled={busy() || (!valid() && (tried() || anyShown()))}
            data-testid="job-create-submit"
          >
            {busy() ? 'Creating…' : `Create ${kind()}`}
          </button>
        </>
      }
    >
      <form
        id="kg-job-form"
        novalidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div class="kg-field-row">
          <span id="kg-job-kind-label">
            <strong>Kind</strong>
          </span>
          <div class="kg-ml-kinds" role="radiogroup" aria-labelledby="kg-job-kind-label">
            <For each={p.kinds}>
              {(k) => (
                <button
                  type="button"
                  class="kg-chip kg-chip-btn"
                  role="radio"
                  aria-checked={kind() === k}
                  onClick={() => setKind(k)}
                  data-testid={`job-kind-${k}`}
                >
                  {k}
                </button>
              )}
            </For>
          </div>
          <div class="kg-field-msg" data-testid="job-kind-help">
            {KIND_HELP[kind()]}
            <Show when={!p.kinds.includes('PyTorchJob') && !p.kinds.includes('TrainJob')}>
              {' '}
              TrainJob and PyTorchJob need the Kubeflow training operator, which this cluster does not have.
            </Show>
          </div>
        </div>
        <div class="kg-ml-form">
          <TextField
            label="Name"
            value={name()}
            onInput={touch('name', setName)}
            error={failure()?.field === 'name' ? failure()!.message : shown('name')}
            hint="Lower-case letters, digits and -; at most 50 characters"
            placeholder="mnist-ddp"
            autofocus
            testId="job-name"
          />
          <NamespaceField value={ns()} onChange={touch('namespace', setNs)} testId="job-namespace" />
          <div class="kg-ml-wide">
            <TextField
              label="Image"
              value={image()}
              onInput={touch('image', setImage)}
              error={shown('image')}
              hint="The training container's image"
              placeholder="docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727"
              testId="job-image"
            />
          </div>
          <div class="kg-ml-wide">
            <TextField
              label="Command (optional)"
              value={command()}
              onInput={touch('command', setCommand)}
              error={shown('command')}
              hint="Split like a shell does; empty runs the image's entrypoint"
              placeholder="python /opt/mnist/src/mnist.py --epochs 3"
              testId="job-command"
            />
          </div>
          <TextField
            label="Nodes"
            numeric
            value={nodes()}
            onInput={touch('nodes', setNodes)}
            error={shown('nodes')}
            hint={nodesHint()}
            testId="job-nodes"
          />
          <TextField
            label="GPUs per node"
            numeric
            value={gpus()}
            onInput={touch('gpus', setGpus)}
            error={shown('gpus')}
            hint="nvidia.com/gpu for each pod; 0 for CPU only"
            testId="job-gpus"
          />
          <TextField
            label="CPU per node (optional)"
            value={cpu()}
            onInput={touch('cpu', setCpu)}
            error={shown('cpu')}
            hint="Cores (2) or millicores (500m)"
            placeholder="2"
            testId="job-cpu"
          />
          <TextField
            label="Memory per node (optional)"
            value={memory()}
            onInput={touch('memory', setMemory)}
            error={shown('memory')}
            hint="With a unit: 512Mi, 8Gi"
            placeholder="8Gi"
            testId="job-memory"
          />
        </div>
        <FormError
          message={failure() && !failure()!.field ? failure()!.message : undefined}
          testId="job-create-error"
        />
        <p class="kg-muted kg-small">
          The server checks the job with a dry run before it creates it; nothing is created when that fails.
        </p>
      </form>
    </Modal>
  );
}
