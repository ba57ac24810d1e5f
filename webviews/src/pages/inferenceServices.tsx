// KServe InferenceServices: a live table with readiness, URL and model state; a form that creates one (checked as the
// user types); a service's conditions, addresses and pods; a test panel that sends a V1 or V2 request through the API
// server's service proxy and shows the answer with its status and latency; delete after a confirmation.
import { createEffect, createMemo, createSignal, For, Match, on, Show, Switch, type JSX } from 'solid-js';
import type { InferenceServiceDto } from '../../../src/shared/routes/integrations';
import { api, namespaces, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope, scopeKey } from '../stores/scope';
import { toApiError, type ApiError } from '../host/apiError';
import { Badge, Button } from '../ui/button';
import { TextField } from '../ui/field';
import { Confirm, Modal } from '../ui/modal';
import { Drawer } from '../ui/drawer';
import { Tabs } from '../ui/tabs';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { problem, wholeNumber } from '../model/validate';
import {
  exampleBody,
  objectName,
  prettyJson,
  quantity,
  requestBody,
  storageUri,
  type Protocol,
} from '../model/mlForms';
import { defaultNamespace, followKinds, FormError, NamespaceField, SelectField } from '../components/mlForm';
import '../styles/ml.css';

const ISVC = 'inferenceservices.serving.kserve.io';

/** The model formats KServe's built-in runtimes serve, and where their sample models live. */
const FORMATS: Array<{ name: string; label: string; sample?: string }> = [
  { name: 'sklearn', label: 'scikit-learn', sample: 'gs://kfserving-examples/models/sklearn/1.0/model' },
  { name: 'xgboost', label: 'XGBoost', sample: 'gs://kfserving-examples/models/xgboost/iris' },
  { name: 'lightgbm', label: 'LightGBM', sample: 'gs://kfserving-examples/models/lightgbm/iris' },
  { name: 'tensorflow', label: 'TensorFlow', sample: 'gs://kfserving-examples/models/tensorflow/flowers' },
  {
    name: 'pytorch',
    label: 'PyTorch (TorchServe)',
    sample: 'gs://kfserving-examples/models/torchserve/image_classifier/v1',
  },
  { name: 'onnx', label: 'ONNX (Triton)', sample: 'gs://kfserving-examples/models/onnx' },
  { name: 'triton', label: 'Triton', sample: 'gs://kfserving-examples/models/torchscript' },
  { name: 'huggingface', label: 'Hugging Face', sample: 'hf://google-bert/bert-base-uncased' },
  { name: 'pmml', label: 'PMML', sample: 'gs://kfserving-examples/models/pmml' },
  { name: 'paddle', label: 'PaddlePaddle', sample: 'gs://kfserving-examples/models/paddle/resnet' },
];

type Tone = 'danger' | 'warn' | 'ok' | 'info' | 'muted';
const statusOf = (s: InferenceServiceDto): { text: string; tone: Tone } =>
  s.ready
    ? { text: 'Ready', tone: 'ok' }
    : s.conditions.some((c) => c.status === 'False' && /NoSupportingRuntime|Failed|Invalid/.test(c.reason ?? ''))
      ? { text: 'Failed', tone: 'danger' }
      : { text: 'Not ready', tone: 'warn' };

type Selected = { namespace: string; name: string; tab?: string };

export function InferenceServices(): JSX.Element {
  const list = createLoader(
    () => api().call('inference.list', { namespace: namespaces().length === 1 ? namespaces()[0] : '' }),
    { key: scopeKey },
  );
  const [q, setQ] = createSignal('');
  const [selected, setSelected] = createSignal<Selected | undefined>();
  const [creating, setCreating] = createSignal(false);
  const [changed, setChanged] = createSignal(0);
  followKinds(
    () => [ISVC, 'pods'],
    () => {
      void list.reload();
      setChanged((n) => n + 1);
    },
  );
  const notInstalled = () => list.error()?.status === 424;
  const rows = () =>
    (list.value()?.services ?? []).filter(
      (s) =>
        inScope(s.namespace, namespaces()) &&
        (!q() || `${s.name} ${s.namespace} ${s.modelFormat ?? ''}`.toLowerCase().includes(q().toLowerCase())),
    );
  const current = () =>
    list.value()?.services.find((s) => s.name === selected()?.name && s.namespace === selected()?.namespace);
  return (
    <div class="kg-page" data-testid="page-inference-services">
      <div class="kg-page-head">
        <h1>Inference Services</h1>
        <Button
          variant="primary"
          requires="inference.create"
          disabled={!list.value()}
          title={notInstalled() ? 'KServe is not installed in this cluster' : undefined}
          onClick={() => setCreating(true)}
          testId="isvc-new"
        >
          New inference service…
        </Button>
      </div>
      <p class="kg-muted">
        KServe InferenceServices: models served over HTTP with the V1 and V2 (Open Inference) protocols. Test requests
        go to the predictor through the Kubernetes API server's service proxy, so they work without an ingress.
      </p>
      <div class="kg-toolbar">
        <input
          class="kg-input"
          type="search"
          placeholder="Filter services"
          aria-label="Filter inference services"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
      </div>
      <Show
        when={!list.error()}
        fallback={
          <Show
            when={notInstalled()}
            fallback={<ErrorState error={list.error()} retry={list.reload} what="inference services" />}
          >
            <Empty
              title="KServe is not installed in this cluster"
              hint={`${list.error()!.message}. Install KServe (serving.kserve.io CRDs and controller) to serve models here.`}
            />
          </Show>
        }
      >
        <Show when={list.value()} fallback={<Loading label="Reading inference services…" />}>
          <Show
            when={rows().length}
            fallback={
              <Empty
                title={q() ? `No service matches "${q()}"` : 'No inference services in this scope'}
                hint="Serve a model with “New inference service”: give its format and where it is stored."
              />
            }
          >
            <table class="kg-simple-table" data-testid="isvc-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <Show when={namespaces().length !== 1}>
                    <th>Namespace</th>
                  </Show>
                  <th>Model</th>
                  <th>Status</th>
                  <th>URL</th>
                  <th>Model state</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(s) => {
                    const open = () => setSelected({ namespace: s.namespace, name: s.name });
                    const st = () => statusOf(s);
                    return (
                      <tr
                        classList={{
                          'kg-active': selected()?.name === s.name && selected()?.namespace === s.namespace,
                        }}
                        tabIndex={0}
                        data-testid="isvc-row"
                        data-name={s.name}
                        onClick={open}
                        onKeyDown={(e) => e.key === 'Enter' && open()}
                      >
                        <td>
                          <strong>{s.name}</strong>
                        </td>
                        <Show when={namespaces().length !== 1}>
                          <td>{s.namespace}</td>
                        </Show>
                        <td>
                          {s.modelFormat ?? '—'}
                          <Show when={s.runtime}>
                            <span class="kg-muted"> · {s.runtime}</span>
                          </Show>
                        </td>
                        <td>
                          <Badge tone={st().tone} title={s.problem} testId="isvc-status">
                            {st().text}
                          </Badge>
                        </td>
                        <td class="kg-ml-url" data-testid="isvc-url">
                          {s.url ?? <span class="kg-muted">not yet</span>}
                        </td>
                        <td>{s.modelState ?? '—'}</td>
                        <td class="kg-muted">
                          <When at={s.createdAt} />
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
          <ServiceDrawer
            sel={s}
            svc={current()}
            changed={changed}
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
          <CreateServiceDialog
            existing={l().services}
            onClose={() => setCreating(false)}
            onCreated={(s) => {
              setCreating(false);
              void list.reload();
              setSelected(s);
            }}
          />
        )}
      </Show>
    </div>
  );
}

function ServiceDrawer(p: {
  sel: Selected;
  svc?: InferenceServiceDto;
  changed: () => number;
  onClose: () => void;
  onDeleted: () => void;
}): JSX.Element {
  const [tab, setTab] = createSignal(p.sel.tab ?? 'overview');
  const [confirming, setConfirming] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);
  const remove = async () => {
    setConfirming(false);
    setDeleting(true);
    try {
      await api().call('inference.delete', { namespace: p.sel.namespace, name: p.sel.name });
      toast(`Deleted InferenceService ${p.sel.namespace}/${p.sel.name}`, 'ok');
      p.onDeleted();
    } catch (e) {
      toast(`Delete failed: ${toApiError(e).message}`, 'danger');
      setDeleting(false);
    }
  };
  return (
    <Drawer
      label={`Inference service ${p.sel.name}`}
      subtitle={`InferenceService · ${p.sel.namespace}`}
      title={p.sel.name}
      closeLabel="Close inference service"
      onClose={p.onClose}
      testId="isvc-drawer"
      dialogOpen={confirming()}
    >
      <div class="kg-actions kg-ml-summary">
        <Show when={p.svc}>
          {(s) => (
            <>
              <Badge tone={statusOf(s()).tone} testId="drawer-status">
                {statusOf(s()).text}
              </Badge>
              <span class="kg-ml-url">{s().url}</span>
            </>
          )}
        </Show>
        <Button
          variant="danger"
          requires="inference.delete"
          disabled={deleting() || !p.svc}
          onClick={() => setConfirming(true)}
          testId="isvc-delete"
        >
          {deleting() ? 'Deleting…' : 'Delete…'}
        </Button>
      </div>
      <Tabs
        label="Inference service"
        active={tab()}
        onChange={setTab}
        tabs={[
          { id: 'overview', label: 'Overview' },
          { id: 'test', label: 'Test' },
        ]}
      />
      <div class="kg-drawer-body">
        <Show
          when={p.svc}
          fallback={
            <Empty title="This service is gone" hint="It was deleted, or it is outside the chosen namespaces." />
          }
        >
          {(s) => (
            <Switch>
              <Match when={tab() === 'overview'}>
                <ServiceOverview svc={s()} changed={p.changed} />
              </Match>
              <Match when={tab() === 'test'}>
                <TestPanel svc={s()} />
              </Match>
            </Switch>
          )}
        </Show>
      </div>
      <Show when={confirming()}>
        <Confirm
          title={`Delete InferenceService ${p.sel.namespace}/${p.sel.name}?`}
          message={
            <p>
              The model stops being served: its predictor Deployment, pods and Service are deleted with it. The model
              files in storage are not touched.
            </p>
          }
          confirmLabel="Delete service"
          danger
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      </Show>
    </Drawer>
  );
}

function ServiceOverview(p: { svc: InferenceServiceDto; changed: () => number }): JSX.Element {
  const s = () => p.svc;
  const details = createLoader(() => api().call('inference.get', { namespace: s().namespace, name: s().name }), {
    key: p.changed,
  });
  return (
    <div data-testid="isvc-overview">
      <Show when={s().problem}>
        <p class="kg-banner kg-tone-warn" role="note" data-testid="isvc-problem">
          {s().problem}
        </p>
      </Show>
      <dl class="kg-dl">
        <dt>URL</dt>
        <dd class="kg-ml-url" data-testid="isvc-drawer-url">
          {s().url ?? 'not assigned yet'}
        </dd>
        <dt>In-cluster address</dt>
        <dd class="kg-ml-url">{s().address ?? '—'}</dd>
        <dt>Model</dt>
        <dd>
          {s().modelFormat ?? '—'} · {s().modelState ?? 'state unknown'}
        </dd>
        <dt>Runtime</dt>
        <dd>{s().runtime ?? '—'}</dd>
        <dt>Storage</dt>
        <dd class="kg-ml-url">{s().storageUri ?? '—'}</dd>
        <dt>Protocol</dt>
        <dd>{s().protocolVersion ? s().protocolVersion!.toUpperCase() : 'V1 (runtime default)'}</dd>
        <dt>Deployment mode</dt>
        <dd>{s().deploymentMode ?? '—'}</dd>
        <dt>Created</dt>
        <dd>
          <When at={s().createdAt} />
        </dd>
      </dl>
      <h3 class="kg-ml-section">Conditions</h3>
      <Show when={s().conditions.length} fallback={<p class="kg-muted">KServe has not reported any condition yet.</p>}>
        <table class="kg-simple-table" data-testid="isvc-conditions">
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
            <For each={s().conditions}>
              {(c) => (
                <tr>
                  <td>{c.type}</td>
                  <td>
                    <Badge tone={c.status === 'True' ? 'ok' : 'warn'}>{c.status}</Badge>
                  </td>
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
      <h3 class="kg-ml-section">Predictor pods</h3>
      <Show when={details.value()} fallback={<Loading />}>
        {(d) => (
          <Show when={d().pods.length} fallback={<p class="kg-muted">No predictor pods.</p>}>
            <ul class="kg-list" data-testid="isvc-pods">
              <For each={d().pods}>
                {(pod) => (
                  <li>
                    <a href={`#/pods?name=${encodeURIComponent(pod.name)}&ns=${encodeURIComponent(s().namespace)}`}>
                      {pod.name}
                    </a>{' '}
                    <span class="kg-muted">{String(pod.status ?? '')}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </div>
  );
}

type TestResult = { protocol: Protocol; path: string; status: number; body: unknown; latencyMs: number };

function TestPanel(p: { svc: InferenceServiceDto }): JSX.Element {
  const initial: Protocol = p.svc.protocolVersion === 'v2' ? 'v2' : 'v1';
  const [protocol, setProtocol] = createSignal<Protocol>(initial);
  const [text, setText] = createSignal(exampleBody(initial));
  const [edited, setEdited] = createSignal(false);
  const [sending, setSending] = createSignal(false);
  const [result, setResult] = createSignal<TestResult | undefined>();
  const [failure, setFailure] = createSignal<ApiError | undefined>();
  // A body the user has not touched follows the protocol; an edited one stays (Reset brings the example back).
  createEffect(
    on(
      protocol,
      (pr) => {
        if (!edited()) setText(exampleBody(pr));
      },
      { defer: true },
    ),
  );
  const checked = createMemo(() => requestBody(text(), protocol()));
  const send = async () => {
    const c = checked();
    if (!c.ok || sending()) return;
    setSending(true);
    setFailure(undefined);
    try {
      setResult(
        await api().call('inference.test', {
          namespace: p.svc.namespace,
          name: p.svc.name,
          protocol: protocol(),
          input: c.value,
        }),
      );
    } catch (e) {
      setResult(undefined);
      setFailure(toApiError(e));
    } finally {
      setSending(false);
    }
  };
  const tone = (status: number): Tone => (status < 300 ? 'ok' : status < 500 ? 'warn' : 'danger');
  return (
    <div data-testid="isvc-test">
      <Show when={!p.svc.ready}>
        <p class="kg-banner kg-tone-warn" role="note">
          The service is not ready yet: requests may fail until its predictor is available.
        </p>
      </Show>
      <div class="kg-field-row">
        <span id="kg-isvc-proto">
          <strong>Protocol</strong>
        </span>
        <div class="kg-ml-kinds" role="radiogroup" aria-labelledby="kg-isvc-proto">
          <For each={['v1', 'v2'] as const}>
            {(pr) => (
              <button
                type="button"
                class="kg-chip kg-chip-btn"
                role="radio"
                aria-checked={protocol() === pr}
                onClick={() => setProtocol(pr)}
                data-testid={`isvc-proto-${pr}`}
              >
                {pr === 'v1' ? 'V1 (:predict)' : 'V2 (Open Inference /infer)'}
              </button>
            )}
          </For>
        </div>
        <div class="kg-field-msg">
          POST{' '}
          <code>{protocol() === 'v1' ? `/v1/models/${p.svc.name}:predict` : `/v2/models/${p.svc.name}/infer`}</code>
        </div>
      </div>
      <div class="kg-field-row">
        <label for="kg-isvc-body">Request body (JSON)</label>
        <textarea
          id="kg-isvc-body"
          class="kg-input kg-ml-body"
          classList={{ 'kg-invalid': !checked().ok }}
          spellcheck={false}
          value={text()}
          aria-invalid={checked().ok ? 'false' : 'true'}
          aria-describedby="kg-isvc-body-msg"
          onInput={(e) => {
            setText(e.currentTarget.value);
            setEdited(true);
          }}
          data-testid="isvc-body"
        />
        <div id="kg-isvc-body-msg" class="kg-field-msg" aria-live="polite" data-testid="isvc-body-msg">
          <Show
            when={!checked().ok && problem(checked())}
            fallback={
              <>Prefilled with two iris rows from KServe's sklearn sample, in the {protocol().toUpperCase()} shape.</>
            }
          >
            {(msg) => <span class="kg-field-error">{msg()}</span>}
          </Show>
        </div>
      </div>
      <div class="kg-toolbar">
        <Button
          variant="primary"
          requires="inference.test"
          disabled={!checked().ok || sending()}
          onClick={() => void send()}
          testId="isvc-send"
        >
          {sending() ? 'Sending…' : 'Send request'}
        </Button>
        <Button
          onClick={() => {
            setText(exampleBody(protocol()));
            setEdited(false);
          }}
          testId="isvc-reset"
        >
          Reset example
        </Button>
      </div>
      <Show when={failure()}>
        {(f) => (
          <div class="kg-ml-result" role="alert" data-testid="isvc-failure">
            <div class="kg-ml-result-head">
              <Badge tone="danger">{f().status || 'failed'}</Badge>
              <strong>The request did not reach the model</strong>
            </div>
            <span>{f().message}</span>
          </div>
        )}
      </Show>
      <Show when={result()}>
        {(r) => (
          <div class="kg-ml-result" data-testid="isvc-result">
            <div class="kg-ml-result-head">
              <Badge tone={tone(r().status)} testId="isvc-result-status">
                HTTP {r().status}
              </Badge>
              <span class="kg-ml-latency" data-testid="isvc-latency">
                {r().latencyMs} ms
              </span>
              <code class="kg-muted">
                {r().protocol.toUpperCase()} · POST {r().path}
              </code>
            </div>
            <pre class="kg-code" data-testid="isvc-response" tabIndex={0}>
              {typeof r().body === 'string' ? (r().body as string) : prettyJson(r().body)}
            </pre>
          </div>
        )}
      </Show>
    </div>
  );
}

function CreateServiceDialog(p: {
  existing: InferenceServiceDto[];
  onClose: () => void;
  onCreated: (s: Selected) => void;
}): JSX.Element {
  const [name, setName] = createSignal('');
  const [ns, setNs] = createSignal(defaultNamespace());
  const [format, setFormat] = createSignal('sklearn');
  const [uri, setUri] = createSignal(FORMATS[0].sample!);
  const [protocol, setProtocol] = createSignal<Protocol>('v1');
  const [runtime, setRuntime] = createSignal('');
  const [replicas, setReplicas] = createSignal('1');
  const [cpu, setCpu] = createSignal('');
  const [memory, setMemory] = createSignal('');
  const [gpus, setGpus] = createSignal('0');
  const [touched, setTouched] = createSignal<string[]>([]);
  const [tried, setTried] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<{ field?: 'name'; message: string } | undefined>();
  const touch = (f: string, set: (v: string) => void) => (v: string) => {
    set(v);
    setFailure(undefined);
    if (!touched().includes(f)) setTouched([...touched(), f]);
  };
  // The sample location follows the format until the user types one of their own.
  const pickFormat = (f: string) => {
    const was = FORMATS.find((x) => x.name === format())?.sample;
    setFormat(f);
    if (!uri() || uri() === was) setUri(FORMATS.find((x) => x.name === f)?.sample ?? '');
  };
  const c = createMemo(() => {
    const n = objectName(name(), 'inference service');
    const taken =
      n.ok && p.existing.some((s) => s.name === n.value && s.namespace === ns())
        ? `An InferenceService named ${n.value} already exists in ${ns()}`
        : undefined;
    const rt = runtime().trim();
    return {
      name: taken ? ({ ok: false, error: taken } as const) : n,
      uri: storageUri(uri()),
      runtime:
        !rt || /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(rt)
          ? ({ ok: true, value: rt || undefined } as const)
          : ({ ok: false, error: 'A runtime name is lower-case letters, digits, "-" and "."' } as const),
      replicas: wholeNumber(replicas(), { min: 0, max: 100, what: 'the minimum number of replicas' }),
      cpu: quantity(cpu(), 'cpu'),
      memory: quantity(memory(), 'memory'),
      gpus: wholeNumber(gpus(), { min: 0, max: 16, what: 'the GPUs (0 for none)' }),
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
      await api().call('inference.create', {
        namespace: ns(),
        name: v.name.ok ? v.name.value : '',
        modelFormat: format(),
        storageUri: v.uri.ok ? v.uri.value : '',
        runtime: v.runtime.ok ? v.runtime.value : undefined,
        protocolVersion: protocol(),
        minReplicas: v.replicas.ok ? v.replicas.value : 1,
        cpu: v.cpu.ok ? v.cpu.value : undefined,
        memory: v.memory.ok ? v.memory.value : undefined,
        gpus: v.gpus.ok && v.gpus.value ? v.gpus.value : undefined,
      });
      toast(`Created InferenceService ${ns()}/${name().trim()}`, 'ok');
      p.onCreated({ namespace: ns(), name: name().trim() });
    } catch (e) {
      const err = toApiError(e);
      setFailure({ field: err.status === 409 ? 'name' : undefined, message: err.message });
      setBusy(false);
    }
  };
  return (
    <Modal
      title="New inference service"
      wide
      onClose={() => !busy() && p.onClose()}
      testId="isvc-create-dialog"
      footer={
        <>
          <button class="kg-plain-btn" onClick={() => p.onClose()} disabled={busy()}>
            Cancel
          </button>
          <button
            class="kg-plain-btn kg-primary"
            type="submit"
            form="kg-isvc-form"
            disabled={busy() || (!valid() && (tried() || anyShown()))}
            data-testid="isvc-create-submit"
          >
            {busy() ? 'Creating…' : 'Create InferenceService'}
          </button>
        </>
      }
    >
      <form
        id="kg-isvc-form"
        novalidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div class="kg-ml-form">
          <TextField
            label="Name"
            value={name()}
            onInput={touch('name', setName)}
            error={failure()?.field === 'name' ? failure()!.message : shown('name')}
            hint="Lower-case letters, digits and -; the model is served under this name"
            placeholder="sklearn-iris"
            autofocus
            testId="isvc-name"
          />
          <NamespaceField value={ns()} onChange={touch('namespace', setNs)} testId="isvc-namespace" />
          <SelectField
            label="Model format"
            value={format()}
            onChange={pickFormat}
            options={FORMATS.map((f) => ({ value: f.name, label: f.label }))}
            hint="Picks KServe's serving runtime for it"
            testId="isvc-format"
          />
          <SelectField
            label="Protocol"
            value={protocol()}
            onChange={(v) => setProtocol(v as Protocol)}
            options={[
              { value: 'v1', label: 'V1 (KServe :predict)' },
              { value: 'v2', label: 'V2 (Open Inference Protocol)' },
            ]}
            hint="The protocol the model server is asked to speak"
            testId="isvc-protocol"
          />
          <div class="kg-ml-wide">
            <TextField
              label="Storage URI"
              value={uri()}
              onInput={touch('uri', setUri)}
              error={shown('uri')}
              hint="Where the model files are: gs://, s3://, pvc://, hf://, oci:// or https://"
              testId="isvc-uri"
            />
          </div>
          <TextField
            label="Runtime (optional)"
            value={runtime()}
            onInput={touch('runtime', setRuntime)}
            error={shown('runtime')}
            hint="A ServingRuntime name; empty lets KServe choose"
            placeholder="kserve-sklearnserver"
            testId="isvc-runtime"
          />
          <TextField
            label="Minimum replicas"
            numeric
            value={replicas()}
            onInput={touch('replicas', setReplicas)}
            error={shown('replicas')}
            hint="0 lets it scale to zero where the mode allows"
            testId="isvc-replicas"
          />
          <TextField
            label="CPU (optional)"
            value={cpu()}
            onInput={touch('cpu', setCpu)}
            error={shown('cpu')}
            hint="Empty: the runtime's default (1 core)"
            placeholder="500m"
            testId="isvc-cpu"
          />
          <TextField
            label="Memory (optional)"
            value={memory()}
            onInput={touch('memory', setMemory)}
            error={shown('memory')}
            hint="Empty: the runtime's default (2Gi)"
            placeholder="1Gi"
            testId="isvc-memory"
          />
          <TextField
            label="GPUs"
            numeric
            value={gpus()}
            onInput={touch('gpus', setGpus)}
            error={shown('gpus')}
            hint="nvidia.com/gpu for the predictor; 0 for CPU only"
            testId="isvc-gpus"
          />
        </div>
        <FormError
          message={failure() && !failure()!.field ? failure()!.message : undefined}
          testId="isvc-create-error"
        />
        <p class="kg-muted kg-small">
          The server checks the service with a dry run before it creates it; nothing is created when that fails.
        </p>
      </form>
    </Modal>
  );
}
