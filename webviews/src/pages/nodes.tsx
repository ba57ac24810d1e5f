// Nodes: the resource table (cordon/drain by capability) plus live capacity and usage per node.
import { createMemo, For, onCleanup, Show, type JSX } from 'solid-js';
import { entryByMany } from '../stores/kinds';
import { latest, metricsError, useMetrics } from '../stores/metrics';
import { ResourcePage } from './resourcePage';

export function Nodes(): JSX.Element {
  onCleanup(useMetrics());
  const nodes = createMemo(() => [...(latest()?.nodes ?? [])].sort((a, b) => b.cpuUsage - a.cpuUsage).slice(0, 12));
  return (
    <div class="kg-stack kg-page-fill">
      <section class="kg-panel" aria-label="Node usage" data-testid="node-usage">
        <h2>Capacity and usage</h2>
        <Show when={nodes().length} fallback={<p class="kg-muted">{metricsError() ?? 'Waiting for metrics…'}</p>}>
          <table class="kg-simple-table">
            <thead>
              <tr>
                <th>Node</th>
                <th>CPU</th>
                <th>Memory</th>
                <th>Capacity</th>
              </tr>
            </thead>
            <tbody>
              <For each={nodes()}>
                {(n) => (
                  <tr>
                    <td>{n.name}</td>
                    <td>
                      <Meter value={n.cpuUsage} label={`${Math.round(n.cpuMillicores)}m`} />
                    </td>
                    <td>
                      <Meter value={n.memoryUsage} label={`${Math.round(n.memoryMiB)} MiB`} />
                    </td>
                    <td class="kg-muted">
                      {(n.cpuCapacity / 1000).toFixed(1)} cores · {(n.memoryCapacity / 1024).toFixed(1)} GiB
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </section>
      <ResourcePage entry={entryByMany('nodes')!} title="Nodes" />
    </div>
  );
}

export function Meter(p: { value: number; label: string }): JSX.Element {
  const tone = () => (p.value >= 90 ? 'danger' : p.value >= 70 ? 'warn' : 'ok');
  return (
    <span
      class="kg-meter"
      role="meter"
      aria-valuenow={Math.round(p.value)}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-label={p.label}
    >
      <span class={`kg-meter-bar kg-bg-${tone()}`} style={{ width: `${Math.min(100, p.value)}%` }} />
      <span class="kg-meter-text">
        {p.value.toFixed(0)}% · {p.label}
      </span>
    </span>
  );
}
