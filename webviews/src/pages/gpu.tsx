// GPU dashboard: the cluster's NVIDIA GPUs at a glance, live charts of utilization, memory, temperature and power
// from each node's DCGM exporter (per device on one node, or per node across the cluster), the devices' current
// readings and who holds them, and which pods request GPUs (and which wait for them). When something is missing (no
// GPU nodes, no DCGM exporter) the page says what and how to add it.
import { createEffect, createMemo, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import type { GpuMetricsReport, GpuNode, GpuPod, GpuSample } from '../../../src/shared/routes/integrations';
import { toHash } from '../model/nav';
import { api, namespaces } from '../stores/app';
import { createLoader } from '../stores/loader';
import { subscribeKind } from '../stores/live';
import { inScope, oneNamespace, scopeKey } from '../stores/scope';
import { Badge } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { InstallButton } from '../components/installDialog';
import { SeriesChart, type ChartSeries } from '../components/seriesChart';
import '../styles/dataPages.css';

type Field = 'utilizationPercent' | 'memoryUsedMiB' | 'temperatureC' | 'powerW';
const ALL = '';

/** Calls `f` once a burst of changes has settled. */
function debounced(f: () => void, ms = 500): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(t));
  return () => {
    clearTimeout(t);
    t = setTimeout(f, ms);
  };
}

const gib = (mib: number | undefined) => (mib === undefined ? undefined : mib / 1024);
const fmt = (v: number | undefined, d = 0, unit = '') => (v === undefined ? '—' : `${v.toFixed(d)}${unit}`);
const byGpu = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
/** How long the kept readings cover: "40 s", "12 min". */
const span = (h: GpuSample[]) => {
  const s = Math.round((Date.parse(h.at(-1)!.time) - Date.parse(h[0].time)) / 1000);
  return s < 90 ? `${s} s` : `${Math.round(s / 60)} min`;
};
const timeLabel = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function GpuDashboard(): JSX.Element {
  const status = createLoader(() => api().call('gpu.status', {}));
  const nodes = createLoader(() => api().call('gpu.nodes', {}));
  const pods = createLoader(() => api().call('gpu.pods', { namespace: oneNamespace() }), { key: scopeKey });
  // The engine reads the exporters at most every 5 s and keeps the readings; each answer carries them all.
  const metrics = createLoader(() => api().call('gpu.metrics', {}), { refreshMs: 5000 });

  // Live: pods and nodes changing (scheduled, finished, labelled) re-read allocation and status.
  const refresh = debounced(() => {
    void status.reload();
    void nodes.reload();
    void pods.reload();
  });
  const offNodes = subscribeKind('nodes', undefined, (m) => m.type !== 'error' && refresh());
  let offPods: (() => void) | undefined;
  createEffect(() => {
    offPods?.();
    offPods = subscribeKind('pods', oneNamespace() || undefined, (m) => m.type !== 'error' && refresh());
  });
  onCleanup(() => {
    offNodes();
    offPods?.();
  });

  const report = () => metrics.value();
  const gpuPods = () => (pods.value()?.pods ?? []).filter((p) => inScope(p.namespace, namespaces()));
  const waiting = () => gpuPods().filter((p) => !p.node);

  return (
    <div class="kg-page" data-testid="page-gpu">
      <div class="kg-page-head">
        <h1>GPU Dashboard</h1>
        <Show when={report()}>
          {(r) => (
            <span class="kg-muted" data-testid="gpu-live">
              Live from the DCGM exporter, read every {Math.round(r().intervalMs / 1000)} s · updated{' '}
              <When at={r().scrapedAt} />
            </span>
          )}
        </Show>
      </div>
      <Show when={!status.error()} fallback={<ErrorState error={status.error()} retry={status.reload} what="GPUs" />}>
        <Show when={status.value()} fallback={<Loading label="Looking for GPU nodes…" />}>
          {(st) => (
            <>
              <Summary st={st()} report={report()} waiting={waiting().length} />
              <Show
                when={st().available}
                fallback={
                  <section class="kg-panel" data-testid="gpu-missing">
                    <Empty
                      title="No GPU nodes in this cluster"
                      hint="No node advertises nvidia.com/gpu. GPUs show up here once the NVIDIA device plugin (or NVIDIA's GPU Operator, which includes it) runs on nodes with NVIDIA GPUs: it advertises their GPUs to the scheduler, and the DCGM exporter reports their utilization, memory, temperature and power."
                    >
                      <InstallButton
                        label="Install the NVIDIA device plugin…"
                        title="Install the NVIDIA device plugin"
                        requires="gpu.install"
                        install={() => api().call('gpu.install', {})}
                        onDone={() => void status.reload()}
                        testId="gpu-install"
                      >
                        <p>
                          Installs NVIDIA's <strong>nvidia-device-plugin</strong> Helm chart into the namespace{' '}
                          <code>nvidia-device-plugin</code>. It runs on every node with NVIDIA GPUs and advertises them
                          as <code>nvidia.com/gpu</code>, so pods can request them.
                        </p>
                        <p class="kg-muted">
                          Needs the helm binary on the machine running KubeGraf, and nodes with NVIDIA drivers
                          installed. For utilization and temperature charts, also install NVIDIA's DCGM exporter (part
                          of the GPU Operator).
                        </p>
                      </InstallButton>
                    </Empty>
                  </section>
                }
              >
                <Telemetry metrics={metrics} nodes={nodes.value()?.nodes ?? []} dcgmExpected={st().dcgmExporter} />
              </Show>
              <Allocation
                pods={gpuPods()}
                loading={!pods.value() && !pods.error()}
                error={pods.error()}
                retry={pods.reload}
                report={report()}
              />
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}

function Summary(p: {
  st: { nodes: number; totalGpus: number; allocatedGpus: number };
  report?: GpuMetricsReport;
  waiting: number;
}): JSX.Element {
  const gpus = () => p.report?.gpus ?? [];
  const avg = () => {
    const g = gpus().filter((x) => x.utilizationPercent !== undefined);
    return g.length ? g.reduce((s, x) => s + (x.utilizationPercent ?? 0), 0) / g.length : undefined;
  };
  const memUsed = () => gpus().reduce((s, x) => s + (x.memoryUsedMiB ?? 0), 0);
  const memTotal = () => gpus().reduce((s, x) => s + (x.memoryTotalMiB ?? 0), 0);
  const power = () => gpus().reduce((s, x) => s + (x.powerW ?? 0), 0);
  return (
    <div class="kg-cards" data-testid="gpu-summary">
      <div class="kg-card">
        <span class="kg-card-title">GPU nodes</span>
        <span class="kg-card-value">{p.st.nodes}</span>
        <span class="kg-card-sub kg-muted">advertising nvidia.com/gpu</span>
      </div>
      <div class="kg-card" data-testid="gpu-allocated">
        <span class="kg-card-title">GPUs allocated</span>
        <span class="kg-card-value">
          {p.st.allocatedGpus}
          <span class="kg-card-of"> / {p.st.totalGpus}</span>
        </span>
        <span class="kg-card-sub kg-muted">requested by running pods</span>
      </div>
      <div class="kg-card">
        <span class="kg-card-title">Average utilization</span>
        <span class="kg-card-value">{fmt(avg(), 0, '%')}</span>
        <span class="kg-card-sub kg-muted">{gpus().length ? `across ${gpus().length} GPUs` : 'no DCGM readings'}</span>
      </div>
      <div class="kg-card">
        <span class="kg-card-title">GPU memory in use</span>
        <span class="kg-card-value">{gpus().length ? `${fmt(gib(memUsed()), 0)} GiB` : '—'}</span>
        <span class="kg-card-sub kg-muted">{gpus().length ? `of ${fmt(gib(memTotal()), 0)} GiB` : ''}</span>
      </div>
      <div class="kg-card">
        <span class="kg-card-title">Power draw</span>
        <span class="kg-card-value">{gpus().length ? `${fmt(power(), 0)} W` : '—'}</span>
        <span class="kg-card-sub kg-muted">all GPUs</span>
      </div>
      <div class="kg-card" data-testid="gpu-waiting">
        <span class="kg-card-title">Waiting for GPUs</span>
        <span class="kg-card-value" classList={{ 'kg-text-warn': p.waiting > 0 }}>
          {p.waiting}
        </span>
        <span class="kg-card-sub kg-muted">pods not scheduled</span>
      </div>
    </div>
  );
}

interface Loaded {
  value: () => GpuMetricsReport | undefined;
  error: () => import('../host/apiError').ApiError | undefined;
  reload: () => Promise<void>;
}

function Telemetry(p: { metrics: Loaded; nodes: GpuNode[]; dcgmExpected: boolean }): JSX.Element {
  const [picked, setPicked] = createSignal<string | undefined>();
  const report = () => p.metrics.value();
  const metricNodes = createMemo(() => [...new Set((report()?.gpus ?? []).map((g) => g.node))].sort());
  // One node: its devices. Several: the nodes side by side, until one is picked.
  const view = () => picked() ?? (metricNodes().length === 1 ? metricNodes()[0] : ALL);
  const history = () => report()?.history ?? [];
  const labels = createMemo(() => history().map((s) => timeLabel(s.time)));
  const devices = createMemo(() =>
    [...new Set((report()?.gpus ?? []).filter((g) => g.node === view()).map((g) => g.gpu))].sort(byGpu),
  );
  const deviceSeries = (field: Field, scale = (v: number) => v): ChartSeries[] =>
    devices().map((d) => ({
      label: `GPU ${d}`,
      values: history().map((s) => {
        const v = s.gpus.find((g) => g.node === view() && g.gpu === d)?.[field];
        return v === undefined ? null : scale(v);
      }),
    }));
  const nodeSeries = (field: Field, fold: (vs: number[]) => number, scale = (v: number) => v): ChartSeries[] =>
    metricNodes().map((n) => ({
      label: n,
      values: history().map((s: GpuSample) => {
        const vs = s.gpus.filter((g) => g.node === n && g[field] !== undefined).map((g) => g[field]!);
        return vs.length ? scale(fold(vs)) : null;
      }),
    }));
  const sum = (vs: number[]) => vs.reduce((a, b) => a + b, 0);
  const mean = (vs: number[]) => sum(vs) / vs.length;
  const memMax = () => {
    const totals = (report()?.gpus ?? []).filter((g) => g.node === view()).map((g) => g.memoryTotalMiB ?? 0);
    return totals.length ? Math.max(...totals) / 1024 : undefined;
  };
  const nodeInfo = () => p.nodes.find((n) => n.name === view());
  const scope = () => (view() === ALL ? 'per node' : `per GPU on ${view()}`);
  return (
    <section class="kg-panel" aria-label="GPU telemetry" data-testid="gpu-telemetry">
      <div class="kg-panel-head">
        <h2>Utilization, memory, temperature and power</h2>
        <Show when={metricNodes().length > 1}>
          <div class="kg-seg" role="group" aria-label="Show">
            <button class="kg-seg-btn" aria-pressed={view() === ALL} onClick={() => setPicked(ALL)}>
              All nodes
            </button>
            <For each={metricNodes()}>
              {(n) => (
                <button class="kg-seg-btn" aria-pressed={view() === n} onClick={() => setPicked(n)}>
                  {n}
                </button>
              )}
            </For>
          </div>
        </Show>
      </div>
      <Show
        when={report()}
        fallback={
          <Show when={p.metrics.error()} fallback={<Loading label="Reading the DCGM exporters…" />}>
            {(e) => (
              <Show
                when={e().code === 'notInstalled'}
                fallback={<ErrorState error={e()} retry={p.metrics.reload} what="GPU readings" />}
              >
                <Empty
                  title="No GPU telemetry: the DCGM exporter is not running"
                  hint={`${p.dcgmExpected ? '' : 'GPU allocation below comes from pod requests, but utilization, memory, temperature and power come from NVIDIA\u2019s DCGM exporter. '}Install NVIDIA\u2019s GPU Operator (it runs the exporter on every GPU node) or the dcgm-exporter Helm chart; KubeGraf reads it on port 9400 through the Kubernetes API server.`}
                />
              </Show>
            )}
          </Show>
        }
      >
        <Show when={(report()?.errors ?? []).length}>
          <div class="kg-banner kg-tone-warn" role="status" data-testid="gpu-scrape-errors">
            Some exporters could not be read:{' '}
            {report()!
              .errors.map((e) => `${e.node ?? e.pod}: ${e.message}`)
              .join('; ')}
          </div>
        </Show>
        <Show when={view() !== ALL && nodeInfo()}>{(n) => <NodeLine n={n()} />}</Show>
        <p class="kg-muted kg-small">
          {history().length < 2
            ? 'Collecting readings: a new point every 5 seconds while this page is open, and in the background between visits.'
            : `Last ${span(history())}, ${scope()}.`}
        </p>
        <div class="kg-grid2 kg-chart-grid">
          <div class="kg-chart-panel">
            <h3>Utilization</h3>
            <SeriesChart
              label={`GPU utilization in percent, ${scope()}`}
              testId="gpu-chart-util"
              labels={labels}
              unit="%"
              max={100}
              series={() =>
                view() === ALL ? nodeSeries('utilizationPercent', mean) : deviceSeries('utilizationPercent')
              }
            />
          </div>
          <div class="kg-chart-panel">
            <h3>Memory used</h3>
            <SeriesChart
              label={`GPU memory used in GiB, ${scope()}`}
              testId="gpu-chart-memory"
              labels={labels}
              unit=" GiB"
              decimals={1}
              max={view() === ALL ? undefined : memMax()}
              series={() =>
                view() === ALL
                  ? nodeSeries('memoryUsedMiB', sum, (v) => v / 1024)
                  : deviceSeries('memoryUsedMiB', (v) => v / 1024)
              }
            />
          </div>
          <div class="kg-chart-panel">
            <h3>Temperature</h3>
            <SeriesChart
              label={`GPU temperature in degrees Celsius, ${scope()}${view() === ALL ? ' (hottest GPU)' : ''}`}
              testId="gpu-chart-temp"
              labels={labels}
              unit=" °C"
              suggestedMax={90}
              series={() =>
                view() === ALL ? nodeSeries('temperatureC', (vs) => Math.max(...vs)) : deviceSeries('temperatureC')
              }
            />
          </div>
          <div class="kg-chart-panel">
            <h3>Power</h3>
            <SeriesChart
              label={`GPU power draw in watts, ${scope()}`}
              testId="gpu-chart-power"
              labels={labels}
              unit=" W"
              series={() => (view() === ALL ? nodeSeries('powerW', sum) : deviceSeries('powerW'))}
            />
          </div>
        </div>
        <Show when={view() !== ALL} fallback={<NodeTable report={report()!} onPick={setPicked} />}>
          <DeviceTable gpus={(report()?.gpus ?? []).filter((g) => g.node === view())} />
        </Show>
      </Show>
    </section>
  );
}

/** A share as a thin bar with its text beside it (text never sits on the coloured bar, so it stays readable). */
function Gauge(p: { value: number; text: string }): JSX.Element {
  const tone = () => (p.value >= 90 ? 'danger' : p.value >= 70 ? 'warn' : 'ok');
  return (
    <span class="kg-gauge">
      <span
        class="kg-gauge-track"
        role="meter"
        aria-valuenow={Math.round(p.value)}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label={p.text}
      >
        <span class={`kg-gauge-bar kg-bg-${tone()}`} style={{ width: `${Math.min(100, Math.max(0, p.value))}%` }} />
      </span>
      <span>{p.text}</span>
    </span>
  );
}

function NodeLine(p: { n: GpuNode }): JSX.Element {
  const pct = () => (p.n.allocatable ? (100 * p.n.allocated) / p.n.allocatable : 0);
  return (
    <div class="kg-node-line" data-testid="gpu-node-line">
      <a href={toHash('nodes', { name: p.n.name })}>
        <strong>{p.n.name}</strong>
      </a>
      <span>{p.n.product ? `${p.n.capacity} × ${p.n.product.replace(/-/g, ' ')}` : `${p.n.capacity} GPUs`}</span>
      <Show when={p.n.driverVersion}>
        <span class="kg-muted">driver {p.n.driverVersion}</span>
      </Show>
      <Show when={p.n.cudaVersion}>
        <span class="kg-muted">CUDA {p.n.cudaVersion}</span>
      </Show>
      <Show when={p.n.sharing && p.n.sharing !== 'none'}>
        <Badge tone="info">{p.n.sharing}</Badge>
      </Show>
      <Show when={p.n.migCapable}>
        <Badge tone="muted">MIG capable</Badge>
      </Show>
      <Gauge value={pct()} text={`${p.n.allocated} of ${p.n.allocatable} GPUs allocated`} />
    </div>
  );
}

function DeviceTable(p: { gpus: GpuMetricsReport['gpus'] }): JSX.Element {
  return (
    <table class="kg-simple-table" data-testid="gpu-devices">
      <thead>
        <tr>
          <th>GPU</th>
          <th>Used by</th>
          <th>Utilization</th>
          <th>Memory</th>
          <th>Temperature</th>
          <th>Power</th>
          <th>SM clock</th>
        </tr>
      </thead>
      <tbody>
        <For each={p.gpus}>
          {(g) => (
            <tr data-testid="gpu-device-row">
              <td>
                <strong>GPU {g.gpu}</strong>
                <div class="kg-muted kg-small">{g.modelName ?? g.device}</div>
              </td>
              <td>
                <Show when={g.pod} fallback={<span class="kg-muted">idle</span>}>
                  {(pod) => (
                    <a href={toHash('pods', { ns: pod().namespace, name: pod().name })}>
                      {pod().namespace}/{pod().name}
                    </a>
                  )}
                </Show>
              </td>
              <td>
                <Gauge value={g.utilizationPercent ?? 0} text={fmt(g.utilizationPercent, 0, '%')} />
              </td>
              <td>
                <Gauge
                  value={g.memoryTotalMiB ? (100 * (g.memoryUsedMiB ?? 0)) / g.memoryTotalMiB : 0}
                  text={`${fmt(gib(g.memoryUsedMiB), 1)} / ${fmt(gib(g.memoryTotalMiB), 0)} GiB`}
                />
              </td>
              <td classList={{ 'kg-text-warn': (g.temperatureC ?? 0) >= 80 }}>{fmt(g.temperatureC, 0, ' °C')}</td>
              <td>{fmt(g.powerW, 0, ' W')}</td>
              <td class="kg-muted">{fmt(g.smClockMHz, 0, ' MHz')}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function NodeTable(p: { report: GpuMetricsReport; onPick: (n: string) => void }): JSX.Element {
  return (
    <table class="kg-simple-table" data-testid="gpu-nodes">
      <thead>
        <tr>
          <th>Node</th>
          <th>Busy GPUs</th>
          <th>Average utilization</th>
          <th>Memory</th>
          <th>Power</th>
        </tr>
      </thead>
      <tbody>
        <For each={p.report.nodes}>
          {(n) => (
            <tr>
              <td>
                <button class="kg-link" onClick={() => p.onPick(n.node)}>
                  {n.node}
                </button>
              </td>
              <td>
                {n.busy} of {n.gpus}
              </td>
              <td>
                <Gauge value={n.avgUtilizationPercent} text={fmt(n.avgUtilizationPercent, 0, '%')} />
              </td>
              <td>
                {fmt(gib(n.memoryUsedMiB), 0)} / {fmt(gib(n.memoryTotalMiB), 0)} GiB
              </td>
              <td>{fmt(n.powerW, 0, ' W')}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function Allocation(p: {
  pods: GpuPod[];
  loading: boolean;
  error?: import('../host/apiError').ApiError;
  retry: () => void;
  report?: GpuMetricsReport;
}): JSX.Element {
  const devicesOf = (pod: GpuPod) =>
    (p.report?.gpus ?? [])
      .filter((g) => g.pod?.namespace === pod.namespace && g.pod?.name === pod.name)
      .map((g) => `GPU ${g.gpu}`);
  const total = () => p.pods.filter((x) => x.node).reduce((s, x) => s + x.gpus, 0);
  return (
    <section class="kg-panel" aria-label="GPU allocation by pod" data-testid="gpu-allocation">
      <div class="kg-panel-head">
        <h2>GPU allocation by pod</h2>
        <span class="kg-muted">
          {total()} GPU{total() === 1 ? '' : 's'} held
          <Show when={namespaces().length}> in {namespaces().join(', ')}</Show>
        </span>
      </div>
      <Show when={!p.error} fallback={<ErrorState error={p.error} retry={p.retry} what="GPU pods" />}>
        <Show when={!p.loading} fallback={<Loading />}>
          <Show
            when={p.pods.length}
            fallback={
              <Empty
                title={namespaces().length ? 'No pod in these namespaces requests GPUs' : 'No pod requests GPUs'}
                hint="Pods ask for GPUs with resources.limits nvidia.com/gpu; they are listed here with the node and devices they get."
              />
            }
          >
            <table class="kg-simple-table" data-testid="gpu-pods">
              <thead>
                <tr>
                  <th>Pod</th>
                  <th>Namespace</th>
                  <th>Node</th>
                  <th>GPUs</th>
                  <th>Devices</th>
                  <th>Status</th>
                  <th>Age</th>
                </tr>
              </thead>
              <tbody>
                <For each={p.pods}>
                  {(x) => (
                    <tr data-testid="gpu-pod-row">
                      <td>
                        <a href={toHash('pods', { ns: x.namespace, name: x.name })}>{x.name}</a>
                        <Show when={x.owner}>
                          {(o) => (
                            <div class="kg-muted kg-small">
                              {o().kind} {o().name}
                            </div>
                          )}
                        </Show>
                      </td>
                      <td>{x.namespace}</td>
                      <td>
                        <Show when={x.node} fallback={<span class="kg-muted">not scheduled</span>}>
                          {(n) => <a href={toHash('nodes', { name: n() })}>{n()}</a>}
                        </Show>
                      </td>
                      <td>{x.gpus}</td>
                      <td class="kg-muted">{devicesOf(x).join(', ') || '—'}</td>
                      <td>
                        <Badge tone={x.phase === 'Running' ? 'ok' : x.reason ? 'warn' : 'muted'} title={x.message}>
                          {x.reason ?? x.phase}
                        </Badge>
                        <Show when={x.message && !x.node}>
                          <div class="kg-muted kg-small kg-wrap">{x.message}</div>
                        </Show>
                      </td>
                      <td class="kg-muted">
                        <When at={x.created} ago={false} />
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
    </section>
  );
}
