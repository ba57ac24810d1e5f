// Live metrics: cluster CPU/memory over time, nodes, and the pods using the most.
import { createMemo, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { history, latest, metricsError, metricsState, useMetrics } from '../stores/metrics';
import { LineChart } from '../components/lineChart';
import { inScope } from '../stores/scope';
import { namespaces } from '../stores/app';
import { Meter } from './nodes';
import { Empty, Loading } from '../ui/states';

export function Metrics(): JSX.Element {
  onCleanup(useMetrics());
  const [by, setBy] = createSignal<'cpu' | 'memory'>('cpu');
  const labels = createMemo(() => history().map((h) => new Date(h.time).toLocaleTimeString()));
  const pods = createMemo(() =>
    (latest()?.pods ?? [])
      .filter((x) => inScope(x.namespace))
      .sort((a, b) => (by() === 'cpu' ? b.cpuUsage - a.cpuUsage : b.memoryUsage - a.memoryUsage))
      .slice(0, 25),
  );
  return (
    <div class="kg-page" data-testid="page-metrics">
      <div class="kg-page-head">
        <h1>Metrics</h1>
        <span class="kg-muted">{metricsState() === 'open' ? 'live, every 5 s' : metricsState()}</span>
      </div>
      <Show when={latest() || metricsError()} fallback={<Loading label="Waiting for the first sample…" />}>
        <Show
          when={latest()?.available}
          fallback={<Empty title="Metrics are not available" hint={metricsError() ?? latest()?.reason} />}
        >
          <div class="kg-grid2">
            <div class="kg-panel">
              <h2>
                CPU (millicores)
                <Show when={namespaces().length}>
                  {' '}
                  <span class="kg-muted">· whole cluster</span>
                </Show>
              </h2>
              <LineChart
                label="Cluster CPU use in millicores"
                labels={labels}
                series={() => [
                  { label: 'CPU used', values: history().map((h) => Math.round(h.cpuMillicores)), color: '#3794ff' },
                  {
                    label: 'Capacity',
                    values: history().map(() => latest()?.cluster.cpuCapacityMillicores ?? 0),
                    color: '#888888',
                  },
                ]}
              />
            </div>
            <div class="kg-panel">
              <h2>
                Memory (MiB)
                <Show when={namespaces().length}>
                  {' '}
                  <span class="kg-muted">· whole cluster</span>
                </Show>
              </h2>
              <LineChart
                label="Cluster memory use in MiB"
                labels={labels}
                series={() => [
                  { label: 'Memory used', values: history().map((h) => Math.round(h.memoryMiB)), color: '#cc6633' },
                  {
                    label: 'Capacity',
                    values: history().map(() => latest()?.cluster.memoryCapacityMiB ?? 0),
                    color: '#888888',
                  },
                ]}
              />
            </div>
          </div>
          <div class="kg-grid2">
            <div class="kg-panel">
              <h2>Nodes</h2>
              <table class="kg-simple-table">
                <thead>
                  <tr>
                    <th>Node</th>
                    <th>CPU</th>
                    <th>Memory</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={latest()?.nodes.slice(0, 50) ?? []}>
                    {(n) => (
                      <tr>
                        <td>{n.name}</td>
                        <td>
                          <Meter value={n.cpuUsage} label={`${Math.round(n.cpuMillicores)}m`} />
                        </td>
                        <td>
                          <Meter value={n.memoryUsage} label={`${Math.round(n.memoryMiB)} MiB`} />
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <div class="kg-panel">
              <h2>
                Top pods<Show when={namespaces().length}> in {namespaces().join(', ')}</Show>{' '}
                <select aria-label="Sort pods by" value={by()} onChange={(e) => setBy(e.currentTarget.value as 'cpu')}>
                  <option value="cpu">by CPU</option>
                  <option value="memory">by memory</option>
                </select>
              </h2>
              <table class="kg-simple-table">
                <thead>
                  <tr>
                    <th>Pod</th>
                    <th>CPU (m)</th>
                    <th>Memory (MiB)</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={pods()}>
                    {(p) => (
                      <tr>
                        <td>
                          {p.namespace}/{p.name}
                        </td>
                        <td>{Math.round(p.cpuUsage)}</td>
                        <td>{Math.round(p.memoryUsage)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </div>
        </Show>
      </Show>
    </div>
  );
}
