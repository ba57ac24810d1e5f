// Where things run: pods per namespace and per node, from the live lists.
import { createMemo, For, Show, type JSX } from 'solid-js';
import { api } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope } from '../stores/scope';
import { ErrorState, Loading } from '../ui/states';

export function ClusterOverview(): JSX.Element {
  const data = createLoader(
    async () => {
      const [pods, nodes] = await Promise.all([api().call('pods.list', {}), api().call('nodes.list', {})]);
      return { pods: pods.items, nodes: nodes.items };
    },
    { refreshMs: 30_000 },
  );
  const count = (key: 'namespace' | 'node') =>
    createMemo(() => {
      const m = new Map<string, number>();
      // Charts follow the header's namespace picker (filtered here: the counts need no new request).
      for (const p of (data.value()?.pods ?? []).filter((x) => inScope(x.namespace))) {
        const k = String(p[key] ?? '(none)');
        m.set(k, (m.get(k) ?? 0) + 1);
      }
      return [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
    });
  const byNs = count('namespace');
  const byNode = count('node');
  const max = (xs: Array<[string, number]>) => Math.max(1, ...xs.map((x) => x[1]));
  return (
    <div class="kg-page" data-testid="page-cluster-overview">
      <div class="kg-page-head">
        <h1>Cluster Overview</h1>
      </div>
      <Show
        when={!data.error()}
        fallback={<ErrorState error={data.error()} retry={data.reload} what="the cluster overview" />}
      >
        <Show when={data.value()} fallback={<Loading />}>
          <div class="kg-grid2">
            <For
              each={[
                { t: 'Pods per namespace', xs: byNs },
                { t: 'Pods per node', xs: byNode },
              ]}
            >
              {(b) => (
                <section class="kg-panel">
                  <h2>{b.t}</h2>
                  <ul class="kg-bars">
                    <For each={b.xs()}>
                      {([k, n]) => (
                        <li>
                          <span class="kg-bar-label">{k}</span>
                          <span class="kg-bar" style={{ width: `${(100 * n) / max(b.xs())}%` }} />
                          <span>{n}</span>
                        </li>
                      )}
                    </For>
                  </ul>
                </section>
              )}
            </For>
          </div>
        </Show>
      </Show>
    </div>
  );
}
