// Cluster health at a glance: status cards, CPU/memory charts, recent incidents, health indicators.
import { createMemo, For, onCleanup, Show, type JSX } from 'solid-js';
import type { Severity } from '../../../src/shared/incidents';
import { incidentFeed } from '../stores/incidents';
import type { StatusResult } from '../../../src/shared/routes/cluster';
import { api, namespaces, navigate } from '../stores/app';
import { inScope, oneNamespace, scopeKey } from '../stores/scope';
import { createLoader } from '../stores/loader';
import { history, latest, metricsError, useMetrics } from '../stores/metrics';
import { clusterState } from '../stores/live';
import { LineChart } from '../components/lineChart';
import { ErrorState, Loading, Empty } from '../ui/states';
import { Badge } from '../ui/button';
import { When } from '../ui/when';

export const SEVERITY_TONE: Record<Severity, 'danger' | 'warn' | 'info' | 'muted'> = {
  critical: 'danger',
  high: 'danger',
  medium: 'warn',
  low: 'info',
};

interface Counts {
  nodes?: number;
  nodesReady?: number;
  pods?: number;
  podsRunning?: number;
  podsFailing?: number;
  deployments?: number;
  services?: number;
  namespaces?: number;
}

export function Dashboard(): JSX.Element {
  const status = createLoader<StatusResult>(() => api().call('status', {}), { refreshMs: 15_000 });
  const counts = createLoader<Counts>(
    async () => {
      // Namespaced counts follow the header's namespace picker; nodes are the cluster's.
      const namespace = oneNamespace();
      const sel = namespaces();
      const [nodes, pods, deps, svcs, ns] = await Promise.allSettled([
        api().call('nodes.list', {}),
        api().call('pods.list', { namespace }),
        api().call('deployments.list', { namespace }),
        api().call('services.list', { namespace }),
        api().call('namespaces.list', {}),
      ]);
      const ok = <T,>(r: PromiseSettledResult<T>) => (r.status === 'fulfilled' ? r.value : undefined);
      const scoped = <T extends { namespace?: string }>(r: PromiseSettledResult<{ items: T[] }>) =>
        ok(r)?.items.filter((i) => inScope(i.namespace, sel));
      if (nodes.status === 'rejected' && pods.status === 'rejected') throw nodes.reason;
      const podItems = scoped(pods) ?? [];
      return {
        nodes: ok(nodes)?.items.length,
        nodesReady: ok(nodes)?.items.filter((n) => String(n.status ?? '').startsWith('Ready')).length,
        pods: scoped(pods)?.length,
        podsRunning: podItems.filter((p) => p.status === 'Running' || p.status === 'Completed').length,
        podsFailing: podItems.filter((p) => /Err|BackOff|Fail|OOM|Unknown/i.test(String(p.status ?? ''))).length,
        deployments: scoped(deps)?.length,
        services: scoped(svcs)?.length,
        namespaces: sel.length || ok(ns)?.items.length,
      };
    },
    { refreshMs: 20_000, key: scopeKey },
  );
  const incidents = incidentFeed();
  onCleanup(useMetrics());
  const labels = createMemo(() => history().map((h) => new Date(h.time).toLocaleTimeString()));
  const open = createMemo(() => incidents.open() ?? []);
  const healthScore = createMemo(() => {
    const c = counts.value();
    if (!c?.pods || !c.nodes) return undefined;
    const podOk = (c.podsRunning ?? 0) / c.pods;
    const nodeOk = (c.nodesReady ?? 0) / c.nodes;
    const sev = open().reduce((s, i) => s + { critical: 15, high: 8, medium: 3, low: 1 }[i.severity], 0);
    return Math.max(0, Math.round(100 * (0.5 * podOk + 0.5 * nodeOk) - sev));
  });
  return (
    <div class="kg-page" data-testid="page-dashboard">
      <div class="kg-page-head">
        <h1>Dashboard</h1>
        <Show when={status.value()}>
          {(s) => (
            <span class="kg-muted">
              {s().clusterName} · Kubernetes {s().kubeVersion ?? '?'} · KubeGraf {s().version}
            </span>
          )}
        </Show>
      </div>
      <Show when={status.error() && !counts.value()}>
        <ErrorState
          error={status.error()}
          retry={() => {
            void status.reload();
            void counts.reload();
          }}
          what="the cluster status"
        />
      </Show>
      <Show when={status.value() && !status.value()?.connected}>
        <div class="kg-banner kg-tone-danger" role="alert">
          The cluster is not connected: {status.value()?.message ?? clusterState()?.state ?? 'unknown state'}. Numbers
          below may be stale.
        </div>
      </Show>
      <section class="kg-cards" aria-label="Cluster status">
        <Card
          title="Nodes"
          value={counts.value()?.nodes}
          sub={counts.value() ? `${counts.value()?.nodesReady ?? 0} ready` : undefined}
          page="nodes"
          testId="card-nodes"
          loading={counts.loading()}
        />
        <Card
          title="Pods"
          value={counts.value()?.pods}
          sub={
            counts.value()
              ? `${counts.value()?.podsRunning ?? 0} running · ${counts.value()?.podsFailing ?? 0} failing`
              : undefined
          }
          page="pods"
          testId="card-pods"
          loading={counts.loading()}
        />
        <Card
          title="Deployments"
          value={counts.value()?.deployments}
          page="deployments"
          testId="card-deployments"
          loading={counts.loading()}
        />
        <Card
          title="Services"
          value={counts.value()?.services}
          page="services"
          testId="card-services"
          loading={counts.loading()}
        />
        <Card
          title={namespaces().length ? 'Namespaces chosen' : 'Namespaces'}
          value={counts.value()?.namespaces}
          page="namespaces"
          testId="card-namespaces"
          loading={counts.loading()}
        />
        <Card
          title="Open incidents"
          value={incidents.counts()?.total}
          sub={
            incidents.error()
              ? 'could not be read'
              : incidents.counts()
                ? severityLine(incidents.counts()!.bySeverity)
                : undefined
          }
          page="incidents"
          testId="card-incidents"
          loading={!incidents.counts() && !incidents.error()}
        />
        <Card
          title="Health"
          value={healthScore()}
          sub={
            healthScore() === undefined
              ? undefined
              : `${healthScore()! >= 90 ? 'healthy' : healthScore()! >= 70 ? 'degraded' : 'unhealthy'} · score of 100`
          }
          testId="card-health"
          loading={counts.loading()}
        />
      </section>
      <Show when={counts.error()}>
        <ErrorState error={counts.error()} retry={counts.reload} what="resource counts" />
      </Show>
      <section class="kg-grid2">
        <div class="kg-panel">
          <h2>
            CPU and memory
            <Show when={namespaces().length}>
              {' '}
              <span class="kg-muted">· whole cluster</span>
            </Show>
          </h2>
          <Show
            when={latest()?.available}
            fallback={
              <p class="kg-muted" data-testid="metrics-unavailable">
                {metricsError() ?? 'Waiting for the first metrics sample…'}
              </p>
            }
          >
            <p class="kg-muted">
              CPU {latest()?.cluster.cpuPercent.toFixed(0)}% of{' '}
              {((latest()?.cluster.cpuCapacityMillicores ?? 0) / 1000).toFixed(0)} cores · memory{' '}
              {latest()?.cluster.memoryPercent.toFixed(0)}% of{' '}
              {((latest()?.cluster.memoryCapacityMiB ?? 0) / 1024).toFixed(0)} GiB
            </p>
          </Show>
          <LineChart
            label="Cluster CPU and memory use, percent"
            testId="chart-cpu-mem"
            labels={labels}
            max={100}
            unit="%"
            series={() => [
              { label: 'CPU %', values: history().map((h) => +h.cpuPercent.toFixed(1)), color: '#3794ff' },
              { label: 'Memory %', values: history().map((h) => +h.memoryPercent.toFixed(1)), color: '#cc6633' },
            ]}
          />
        </div>
        <div class="kg-panel">
          <h2>Recent incidents</h2>
          <Show
            when={!incidents.error() || incidents.open()}
            fallback={<ErrorState error={incidents.error()} retry={incidents.reload} what="incidents" />}
          >
            <Show when={incidents.open()} fallback={<Loading />}>
              <Show
                when={open().length}
                fallback={
                  <Empty title="No open incidents" hint="The incident engine watches every pod, node and workload." />
                }
              >
                <ul class="kg-list" data-testid="recent-incidents">
                  <For each={open().slice(0, 8)}>
                    {(i) => (
                      <li>
                        <Badge tone={SEVERITY_TONE[i.severity]}>{i.severity}</Badge>{' '}
                        <button class="kg-link" onClick={() => navigate('incidents', { id: i.id })}>
                          {i.title}
                        </button>
                        <span class="kg-muted">
                          {' '}
                          · <When at={i.lastSeen} />
                        </span>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </Show>
          </Show>
        </div>
      </section>
    </div>
  );
}

/** "1 critical · 2 high": the severities present, most severe first. */
export function severityLine(by: Record<Severity, number>): string {
  return (
    (['critical', 'high', 'medium', 'low'] as Severity[])
      .filter((s) => by[s])
      .map((s) => `${by[s]} ${s}`)
      .join(' · ') || 'none'
  );
}

function Card(p: {
  title: string;
  value?: number;
  sub?: string;
  page?: string;
  testId: string;
  loading: boolean;
}): JSX.Element {
  const body = (
    <>
      <span class="kg-card-title">{p.title}</span>
      <span class="kg-card-value" data-testid={`${p.testId}-value`}>
        {p.value ?? (p.loading ? '…' : '–')}
      </span>
      <span class="kg-muted kg-card-sub">{p.sub ?? ''}</span>
    </>
  );
  return (
    <Show
      when={p.page}
      fallback={
        <div class="kg-card" data-testid={p.testId}>
          {body}
        </div>
      }
    >
      <button class="kg-card" onClick={() => navigate(p.page!)} data-testid={p.testId}>
        {body}
      </button>
    </Show>
  );
}
