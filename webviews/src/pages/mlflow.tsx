// MLflow, read from the tracking server running in the cluster: experiments, each experiment's runs as a table with
// a column per metric and parameter, a run's details with its metric curves, side-by-side comparison of runs, and
// the model registry with every version, stage and alias linked to the run that made it. Where you are (tab,
// experiment, run) lives in the address, so a run can be linked to.
import { createEffect, createMemo, createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import type {
  MlflowExperiment,
  MlflowModel,
  MlflowModelVersion,
  MlflowRun,
} from '../../../src/shared/routes/integrations';
import { api, navigate, route } from '../stores/app';
import { now } from '../stores/clock';
import { createLoader } from '../stores/loader';
import { Badge, Button } from '../ui/button';
import { Drawer } from '../ui/drawer';
import { Modal } from '../ui/modal';
import { Tabs } from '../ui/tabs';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { InstallButton } from '../components/installDialog';
import { SeriesChart } from '../components/seriesChart';
import '../styles/dataPages.css';

type Tone = 'danger' | 'warn' | 'ok' | 'info' | 'muted';

const RUN_TONE: Record<string, Tone> = {
  FINISHED: 'ok',
  RUNNING: 'info',
  SCHEDULED: 'muted',
  FAILED: 'danger',
  KILLED: 'warn',
};
const STAGE_TONE: Record<string, Tone> = { Production: 'ok', Staging: 'info', Archived: 'muted', None: 'muted' };
const title = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

/** Metrics where a smaller value is the better one. */
export const lowerIsBetter = (key: string) => /loss|error|err\b|rmse|mae|mse|perplexity|latency/i.test(key);

export const metricText = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v)
    ? '—'
    : Math.abs(v) >= 1e5
      ? v.toExponential(3)
      : String(Number(v.toPrecision(4)));

/** "42s", "12m", "3h 5m", "2d 4h": how long a run took, or has been running. */
export function duration(from?: string, to?: string, at = Date.now()): string {
  if (!from) return '—';
  const s = Math.max(0, Math.round(((to ? Date.parse(to) : at) - Date.parse(from)) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

const params = () => route().params;
const go = (p: Record<string, string | undefined>) => {
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...params(), ...p })) if (v) next[k] = v;
  navigate('mlflow', next);
};

export function MlflowPage(): JSX.Element {
  const status = createLoader(() => api().call('mlflow.status', {}));
  const tab = () => (params().tab === 'models' ? 'models' : 'experiments');
  return (
    <div class="kg-page" data-testid="page-mlflow">
      <div class="kg-page-head">
        <h1>MLflow</h1>
        <Show when={status.value()?.installed && status.value()}>
          {(s) => (
            <span class="kg-muted" data-testid="mlflow-server">
              Tracking server {s().namespace}/{s().service}, read through the Kubernetes API server
            </span>
          )}
        </Show>
      </div>
      <Show when={!status.error()} fallback={<ErrorState error={status.error()} retry={status.reload} what="MLflow" />}>
        <Show when={status.value()} fallback={<Loading label="Looking for MLflow…" />}>
          {(s) => (
            <Show when={s().installed} fallback={<NotInstalled message={s().message} onInstalled={status.reload} />}>
              <Tabs
                label="MLflow"
                active={tab()}
                onChange={(t) => go({ tab: t === 'models' ? 'models' : undefined })}
                tabs={[
                  { id: 'experiments', label: 'Experiments' },
                  { id: 'models', label: 'Registered models' },
                ]}
              />
              <Switch>
                <Match when={tab() === 'experiments'}>
                  <Experiments />
                </Match>
                <Match when={tab() === 'models'}>
                  <Models />
                </Match>
              </Switch>
              <Show when={params().run} keyed>
                {(id) => <RunDrawer runId={id} onClose={() => go({ run: undefined })} />}
              </Show>
            </Show>
          )}
        </Show>
      </Show>
    </div>
  );
}

function NotInstalled(p: { message: string; onInstalled: () => void }): JSX.Element {
  return (
    <section class="kg-panel" data-testid="mlflow-missing">
      <Empty
        title="MLflow is not running in this cluster"
        hint="KubeGraf reads experiments, runs and registered models from an MLflow tracking server running in the cluster: a Service named mlflow (or labelled app.kubernetes.io/name=mlflow) serving MLflow's REST API, port 5000 by default. It reaches it through the Kubernetes API server, so nothing needs to be exposed."
      >
        <InstallButton
          label="Install MLflow…"
          title="Install MLflow"
          requires="mlflow.install"
          install={() => api().call('mlflow.install', {})}
          onDone={p.onInstalled}
          testId="mlflow-install"
        >
          <p>
            Installs the community <strong>mlflow</strong> Helm chart into the namespace <code>mlflow</code>: a tracking
            server with its model registry, on port 5000.
          </p>
          <p class="kg-muted">
            Needs the helm binary on the machine running KubeGraf. The chart keeps runs in a local database unless you
            configure a backend store later.
          </p>
        </InstallButton>
      </Empty>
    </section>
  );
}

function Experiments(): JSX.Element {
  const [showDeleted, setShowDeleted] = createSignal(false);
  const [q, setQ] = createSignal('');
  const list = createLoader(() => api().call('mlflow.experiments', { view: showDeleted() ? 'all' : 'active' }), {
    key: showDeleted,
  });
  const shown = () =>
    (list.value()?.experiments ?? []).filter((e) => !q() || e.name.toLowerCase().includes(q().toLowerCase()));
  // Without a choice in the address: the experiment updated last (most likely the one being worked on).
  const current = createMemo(() => {
    const all = list.value()?.experiments ?? [];
    const want = params().exp;
    return (
      all.find((e) => e.id === want) ??
      [...all].sort((a, b) => (b.lastUpdated ?? '').localeCompare(a.lastUpdated ?? ''))[0]
    );
  });
  return (
    <Show when={!list.error()} fallback={<ErrorState error={list.error()} retry={list.reload} what="experiments" />}>
      <Show when={list.value()} fallback={<Loading label="Reading experiments…" />}>
        <Show
          when={list.value()!.experiments.length}
          fallback={
            <Empty
              title="No experiments yet"
              hint="Runs logged with mlflow.start_run() against this tracking server appear here, grouped by experiment."
            />
          }
        >
          <div class="kg-split">
            <nav class="kg-panel" aria-label="Experiments" data-testid="mlflow-experiments">
              <div class="kg-panel-head">
                <h2>Experiments</h2>
                <span class="kg-muted kg-small">{list.value()!.experiments.length}</span>
              </div>
              <input
                class="kg-input"
                type="search"
                placeholder="Filter experiments"
                aria-label="Filter experiments"
                value={q()}
                onInput={(e) => setQ(e.currentTarget.value)}
              />
              <ul class="kg-list">
                <For each={shown()}>
                  {(e) => (
                    <li>
                      <button
                        class="kg-list-item"
                        aria-current={current()?.id === e.id}
                        data-testid="mlflow-experiment"
                        onClick={() => go({ exp: e.id, run: undefined })}
                      >
                        <div>
                          <strong>{e.name}</strong>
                          <Show when={e.lifecycleStage === 'deleted'}>
                            {' '}
                            <Badge tone="muted">deleted</Badge>
                          </Show>
                        </div>
                        <div class="kg-muted kg-small">
                          #{e.id} · updated <When at={e.lastUpdated} />
                        </div>
                      </button>
                    </li>
                  )}
                </For>
              </ul>
              <label class="kg-small kg-muted">
                <input
                  type="checkbox"
                  checked={showDeleted()}
                  onChange={(e) => setShowDeleted(e.currentTarget.checked)}
                />{' '}
                Show deleted experiments
              </label>
            </nav>
            <Show when={current()} keyed>
              {(e) => <Runs experiment={e} />}
            </Show>
          </div>
        </Show>
      </Show>
    </Show>
  );
}

function Runs(p: { experiment: MlflowExperiment }): JSX.Element {
  // Runs change while they train: re-read every 15 s while the experiment is shown.
  const runs = createLoader(() => api().call('mlflow.runs', { experimentId: p.experiment.id }), {
    refreshMs: 15_000,
  });
  const [status, setStatus] = createSignal('');
  const [q, setQ] = createSignal('');
  const [picked, setPicked] = createSignal<string[]>([]);
  const [comparing, setComparing] = createSignal(false);
  const rows = () =>
    (runs.value()?.runs ?? []).filter(
      (r) =>
        (!status() || r.status === status()) &&
        (!q() ||
          `${r.name} ${r.user ?? ''} ${Object.entries(r.params)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`
            .toLowerCase()
            .includes(q().toLowerCase())),
    );
  const toggle = (id: string, on: boolean) =>
    setPicked((xs) => (on ? [...xs.filter((x) => x !== id), id] : xs.filter((x) => x !== id)));
  // In the order they were ticked: the first is the baseline the others are read against.
  const chosen = () =>
    picked()
      .map((id) => runs.value()?.runs.find((r) => r.id === id))
      .filter((r): r is MlflowRun => !!r);
  const tags = () => Object.entries(p.experiment.tags);
  return (
    <section class="kg-panel" aria-label={`Runs of ${p.experiment.name}`} data-testid="mlflow-runs">
      <div class="kg-panel-head">
        <div>
          <h2>{p.experiment.name}</h2>
          <div class="kg-muted kg-small">
            Experiment #{p.experiment.id} · created <When at={p.experiment.created} />
            <Show when={p.experiment.artifactLocation}> · artifacts in {p.experiment.artifactLocation}</Show>
          </div>
          <Show when={tags().length}>
            <div class="kg-chips">
              <For each={tags()}>
                {([k, v]) => (
                  <span class="kg-chip">
                    {k}: {v}
                  </span>
                )}
              </For>
            </div>
          </Show>
        </div>
        <div class="kg-toolbar">
          <input
            class="kg-input"
            type="search"
            placeholder="Filter by name, user or parameter"
            aria-label="Filter runs"
            value={q()}
            onInput={(e) => setQ(e.currentTarget.value)}
          />
          <select aria-label="Run status" value={status()} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">All statuses</option>
            <For each={['RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'SCHEDULED']}>
              {(s) => <option value={s}>{title(s)}</option>}
            </For>
          </select>
          <Button
            disabled={picked().length < 2}
            title={picked().length < 2 ? 'Tick two or more runs to compare them' : undefined}
            label={picked().length < 2 ? 'Compare runs' : `Compare ${picked().length} runs`}
            onClick={() => setComparing(true)}
            testId="mlflow-compare"
          >
            {picked().length < 2 ? 'Compare runs' : `Compare ${picked().length} runs`}
          </Button>
        </div>
      </div>
      <Show when={!runs.error()} fallback={<ErrorState error={runs.error()} retry={runs.reload} what="runs" />}>
        <Show when={runs.value()} fallback={<Loading label="Reading runs…" />}>
          {(r) => (
            <Show
              when={rows().length}
              fallback={
                <Empty
                  title={r().runs.length ? 'No run matches the filter' : 'This experiment has no runs yet'}
                  hint={r().runs.length ? undefined : `Log runs with mlflow.set_experiment("${p.experiment.name}").`}
                />
              }
            >
              <Show when={r().truncated}>
                <p class="kg-muted kg-small">Showing the newest {r().runs.length} runs.</p>
              </Show>
              <div class="kg-scroll-x">
                <table class="kg-simple-table" data-testid="mlflow-runs-table">
                  <thead>
                    <tr>
                      <th>
                        <span class="kg-sr-only">Compare</span>
                      </th>
                      <th>Run</th>
                      <th>Status</th>
                      <th>Started</th>
                      <th>Duration</th>
                      <th>User</th>
                      <For each={r().metricKeys}>
                        {(k) => (
                          <th class="kg-num" title="Metric">
                            {k}
                          </th>
                        )}
                      </For>
                      <For each={r().paramKeys}>
                        {(k) => (
                          <th class="kg-muted" title="Parameter">
                            {k}
                          </th>
                        )}
                      </For>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows()}>
                      {(run) => (
                        <tr data-testid="mlflow-run-row" classList={{ 'kg-active': params().run === run.id }}>
                          <td>
                            <input
                              type="checkbox"
                              aria-label={`Compare ${run.name}`}
                              checked={picked().includes(run.id)}
                              onChange={(e) => toggle(run.id, e.currentTarget.checked)}
                            />
                          </td>
                          <td>
                            <button class="kg-link" onClick={() => go({ exp: run.experimentId, run: run.id })}>
                              <strong>{run.name}</strong>
                            </button>
                          </td>
                          <td>
                            <Badge tone={RUN_TONE[run.status] ?? 'muted'}>{title(run.status)}</Badge>
                          </td>
                          <td class="kg-muted">
                            <When at={run.started} />
                          </td>
                          <td class="kg-num">{duration(run.started, run.ended, now())}</td>
                          <td>{run.user ?? '—'}</td>
                          <For each={r().metricKeys}>
                            {(k) => <td class="kg-num">{metricText(run.metrics[k]?.value)}</td>}
                          </For>
                          <For each={r().paramKeys}>{(k) => <td class="kg-mono">{run.params[k] ?? ''}</td>}</For>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </Show>
      </Show>
      <Show when={comparing()}>
        <CompareRuns runs={chosen()} onClose={() => setComparing(false)} />
      </Show>
    </section>
  );
}

function RunDrawer(p: { runId: string; onClose: () => void }): JSX.Element {
  const run = createLoader(() => api().call('mlflow.run', { runId: p.runId }), { refreshMs: 15_000 });
  const [metric, setMetric] = createSignal<string | undefined>();
  const r = () => run.value();
  const keys = () => Object.keys(r()?.run.metrics ?? {}).sort();
  const shownMetric = () => metric() ?? keys()[0];
  const points = () => (shownMetric() ? (r()?.history[shownMetric()!] ?? []) : []);
  // A run opened from elsewhere (a model version) shows its own experiment's runs behind it.
  createEffect(() => {
    const exp = r()?.run.experimentId;
    if (exp && params().tab !== 'models' && params().exp !== exp) go({ exp });
  });
  return (
    <Drawer
      label={`MLflow run ${r()?.run.name ?? p.runId}`}
      subtitle={`MLflow run · ${r()?.experiment?.name ?? ''}`}
      title={r()?.run.name ?? p.runId}
      closeLabel="Close run"
      onClose={p.onClose}
      testId="mlflow-run"
    >
      <div class="kg-drawer-body">
        <Show when={!run.error()} fallback={<ErrorState error={run.error()} retry={run.reload} what="the run" />}>
          <Show when={r()} fallback={<Loading />}>
            {(d) => (
              <>
                <dl class="kg-dl">
                  <dt>Status</dt>
                  <dd>
                    <Badge tone={RUN_TONE[d().run.status] ?? 'muted'}>{title(d().run.status)}</Badge>
                  </dd>
                  <dt>Run ID</dt>
                  <dd class="kg-mono">{d().run.id}</dd>
                  <dt>Started</dt>
                  <dd>
                    <When at={d().run.started} />
                  </dd>
                  <dt>Duration</dt>
                  <dd>
                    {duration(d().run.started, d().run.ended, now())}
                    {d().run.ended ? '' : ' so far'}
                  </dd>
                  <dt>User</dt>
                  <dd>{d().run.user ?? '—'}</dd>
                  <Show when={d().run.source}>
                    <dt>Source</dt>
                    <dd class="kg-mono">{d().run.source}</dd>
                  </Show>
                  <Show when={d().run.gitCommit}>
                    <dt>Git commit</dt>
                    <dd class="kg-mono">{d().run.gitCommit}</dd>
                  </Show>
                  <dt>Artifacts</dt>
                  <dd class="kg-mono">{d().run.artifactUri ?? '—'}</dd>
                  <Show when={d().models.length}>
                    <dt>Registered as</dt>
                    <dd data-testid="mlflow-run-models">
                      <For each={d().models}>
                        {(v) => (
                          <div>
                            <button
                              class="kg-link"
                              onClick={() => go({ tab: 'models', model: v.name, run: undefined })}
                            >
                              {v.name} v{v.version}
                            </button>{' '}
                            <Badge tone={STAGE_TONE[v.stage] ?? 'muted'}>{v.stage}</Badge>
                            <For each={v.aliases}>{(a) => <span class="kg-chip">@{a}</span>}</For>
                          </div>
                        )}
                      </For>
                    </dd>
                  </Show>
                </dl>
                <h3>Metrics</h3>
                <Show when={keys().length} fallback={<p class="kg-muted">This run logged no metrics.</p>}>
                  <table class="kg-simple-table" data-testid="mlflow-run-metrics">
                    <thead>
                      <tr>
                        <th>Metric</th>
                        <th class="kg-num">Latest</th>
                        <th class="kg-num">Step</th>
                        <th class="kg-num">Best</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={keys()}>
                        {(k) => {
                          const vals = () => (d().history[k] ?? []).map((x) => x.value);
                          const best = () =>
                            vals().length ? (lowerIsBetter(k) ? Math.min(...vals()) : Math.max(...vals())) : undefined;
                          return (
                            <tr classList={{ 'kg-active': shownMetric() === k }}>
                              <td>
                                <button class="kg-link" onClick={() => setMetric(k)} aria-pressed={shownMetric() === k}>
                                  {k}
                                </button>
                              </td>
                              <td class="kg-num">{metricText(d().run.metrics[k].value)}</td>
                              <td class="kg-num">{d().run.metrics[k].step}</td>
                              <td class="kg-num">{metricText(best())}</td>
                            </tr>
                          );
                        }}
                      </For>
                    </tbody>
                  </table>
                  <Show when={shownMetric()}>
                    <h4>
                      {shownMetric()} by step <span class="kg-muted kg-small">({points().length} values)</span>
                    </h4>
                    <SeriesChart
                      label={`${shownMetric()} of run ${d().run.name} by step`}
                      testId="mlflow-metric-chart"
                      labels={() => points().map((x) => String(x.step))}
                      series={() => [{ label: shownMetric()!, values: points().map((x) => x.value) }]}
                      zero={false}
                      decimals={3}
                      xTitle="step"
                      height={200}
                    />
                  </Show>
                </Show>
                <h3>Parameters</h3>
                <KeyValues values={d().run.params} empty="No parameters." testId="mlflow-run-params" />
                <Show when={Object.keys(d().run.tags).length}>
                  <h3>Tags</h3>
                  <KeyValues values={d().run.tags} empty="" />
                </Show>
              </>
            )}
          </Show>
        </Show>
      </div>
    </Drawer>
  );
}

function KeyValues(p: { values: Record<string, string>; empty: string; testId?: string }): JSX.Element {
  const rows = () => Object.entries(p.values).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Show when={rows().length} fallback={<p class="kg-muted">{p.empty}</p>}>
      <table class="kg-simple-table" data-testid={p.testId}>
        <tbody>
          <For each={rows()}>
            {([k, v]) => (
              <tr>
                <td>{k}</td>
                <td class="kg-mono">{v}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}

function CompareRuns(p: { runs: MlflowRun[]; onClose: () => void }): JSX.Element {
  const metricKeys = () => [...new Set(p.runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const paramKeys = () => [...new Set(p.runs.flatMap((r) => Object.keys(r.params)))].sort();
  const best = (k: string) => {
    const vs = p.runs.map((r) => r.metrics[k]?.value).filter((v): v is number => v !== undefined);
    return vs.length > 1 ? (lowerIsBetter(k) ? Math.min(...vs) : Math.max(...vs)) : undefined;
  };
  const differs = (k: string) => new Set(p.runs.map((r) => r.params[k] ?? '')).size > 1;
  // The curves: every run's history of the chosen metric, step by step.
  const [metric, setMetric] = createSignal<string | undefined>();
  const shown = () => metric() ?? metricKeys()[0];
  const details = createLoader(() =>
    Promise.all(p.runs.slice(0, 8).map((r) => api().call('mlflow.run', { runId: r.id }))),
  );
  const steps = () => {
    const k = shown();
    if (!k) return [];
    return [...new Set((details.value() ?? []).flatMap((d) => (d.history[k] ?? []).map((x) => x.step)))].sort(
      (a, b) => a - b,
    );
  };
  return (
    <Modal title={`Compare ${p.runs.length} runs`} onClose={p.onClose} wide testId="mlflow-compare-dialog">
      <div class="kg-scroll-x">
        <table class="kg-simple-table" data-testid="mlflow-compare-table">
          <thead>
            <tr>
              <th />
              <For each={p.runs}>{(r) => <th>{r.name}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td class="kg-muted">Status</td>
              <For each={p.runs}>
                {(r) => (
                  <td>
                    <Badge tone={RUN_TONE[r.status] ?? 'muted'}>{title(r.status)}</Badge>
                  </td>
                )}
              </For>
            </tr>
            <tr>
              <td class="kg-muted">Duration</td>
              <For each={p.runs}>{(r) => <td>{duration(r.started, r.ended, now())}</td>}</For>
            </tr>
            <tr>
              <th colSpan={p.runs.length + 1}>Metrics {'(best in bold)'}</th>
            </tr>
            <For each={metricKeys()}>
              {(k) => (
                <tr data-testid="mlflow-compare-metric">
                  <td>
                    <button class="kg-link" onClick={() => setMetric(k)} aria-pressed={shown() === k}>
                      {k}
                    </button>
                    <span class="kg-muted kg-small"> {lowerIsBetter(k) ? '(lower is better)' : ''}</span>
                  </td>
                  <For each={p.runs}>
                    {(r) => (
                      <td classList={{ 'kg-best': r.metrics[k]?.value === best(k) }}>
                        {metricText(r.metrics[k]?.value)}
                      </td>
                    )}
                  </For>
                </tr>
              )}
            </For>
            <tr>
              <th colSpan={p.runs.length + 1}>Parameters (differences highlighted)</th>
            </tr>
            <For each={paramKeys()}>
              {(k) => (
                <tr classList={{ 'kg-diff': differs(k) }} data-testid="mlflow-compare-param">
                  <td>{k}</td>
                  <For each={p.runs}>{(r) => <td class="kg-mono">{r.params[k] ?? '—'}</td>}</For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={shown()}>
        <h3>{shown()} by step</h3>
        <Show when={details.value()} fallback={<Loading label="Reading metric histories…" />}>
          {(ds) => (
            <SeriesChart
              label={`${shown()} by step for ${p.runs.map((r) => r.name).join(', ')}`}
              testId="mlflow-compare-chart"
              labels={() => steps().map(String)}
              series={() =>
                ds().map((d) => ({
                  label: d.run.name,
                  values: steps().map((s) => d.history[shown()!]?.find((x) => x.step === s)?.value ?? null),
                }))
              }
              zero={false}
              decimals={3}
              xTitle="step"
              height={220}
            />
          )}
        </Show>
      </Show>
    </Modal>
  );
}

function Models(): JSX.Element {
  const models = createLoader(() => api().call('mlflow.models', {}));
  const open = () => params().model;
  return (
    <Show when={!models.error()} fallback={<ErrorState error={models.error()} retry={models.reload} what="models" />}>
      <Show when={models.value()} fallback={<Loading label="Reading the model registry…" />}>
        {(m) => (
          <Show
            when={m().models.length}
            fallback={
              <Empty
                title="No registered models"
                hint="Models registered with mlflow.register_model() (or from a run's artifacts) appear here with their versions and stages."
              />
            }
          >
            <section class="kg-panel" data-testid="mlflow-models">
              <table class="kg-simple-table">
                <thead>
                  <tr>
                    <th>Model</th>
                    <th>Latest versions</th>
                    <th>Aliases</th>
                    <th>Description</th>
                    <th>Updated</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={m().models}>
                    {(x) => (
                      <>
                        <tr
                          data-testid="mlflow-model-row"
                          classList={{ 'kg-active': open() === x.name }}
                          tabIndex={0}
                          onClick={() => go({ model: open() === x.name ? undefined : x.name })}
                          onKeyDown={(e) => e.key === 'Enter' && go({ model: open() === x.name ? undefined : x.name })}
                        >
                          <td>
                            <span class="kg-muted" aria-hidden="true">
                              {open() === x.name ? '▾ ' : '▸ '}
                            </span>
                            <strong>{x.name}</strong>
                            <div class="kg-muted kg-small">
                              {x.versions.length} version{x.versions.length === 1 ? '' : 's'}
                            </div>
                          </td>
                          <td>
                            <div class="kg-chips">
                              <For each={[...x.latestVersions].sort((a, b) => Number(b.version) - Number(a.version))}>
                                {(v) => (
                                  <Badge tone={STAGE_TONE[v.stage] ?? 'muted'}>
                                    v{v.version} · {v.stage}
                                  </Badge>
                                )}
                              </For>
                            </div>
                          </td>
                          <td>
                            <For each={x.aliases}>
                              {(a) => (
                                <span class="kg-chip">
                                  @{a.alias} → v{a.version}
                                </span>
                              )}
                            </For>
                          </td>
                          <td class="kg-wrap">{x.description ?? ''}</td>
                          <td class="kg-muted">
                            <When at={x.lastUpdated} />
                          </td>
                        </tr>
                        <Show when={open() === x.name}>
                          <tr>
                            <td colSpan={5}>
                              <Versions model={x} />
                            </td>
                          </tr>
                        </Show>
                      </>
                    )}
                  </For>
                </tbody>
              </table>
            </section>
          </Show>
        )}
      </Show>
    </Show>
  );
}

function Versions(p: { model: MlflowModel }): JSX.Element {
  const openRun = (v: MlflowModelVersion) =>
    v.runId && go({ tab: undefined, model: undefined, exp: undefined, run: v.runId });
  return (
    <table class="kg-simple-table" data-testid="mlflow-versions">
      <thead>
        <tr>
          <th>Version</th>
          <th>Stage</th>
          <th>Status</th>
          <th>Made by run</th>
          <th>Source</th>
          <th>Registered</th>
        </tr>
      </thead>
      <tbody>
        <For each={p.model.versions}>
          {(v) => (
            <tr data-testid="mlflow-version-row">
              <td>
                v{v.version} <For each={v.aliases}>{(a) => <span class="kg-chip">@{a}</span>}</For>
                <Show when={v.description}>
                  <div class="kg-muted kg-small">{v.description}</div>
                </Show>
              </td>
              <td>
                <Badge tone={STAGE_TONE[v.stage] ?? 'muted'}>{v.stage}</Badge>
              </td>
              <td>{v.status ? title(v.status) : '—'}</td>
              <td>
                <Show when={v.runId} fallback="—">
                  <button class="kg-link kg-mono" onClick={() => openRun(v)}>
                    {v.runId!.slice(0, 8)}
                  </button>
                </Show>
              </td>
              <td class="kg-mono kg-wrap">{v.source ?? ''}</td>
              <td class="kg-muted">
                <When at={v.created} />
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
