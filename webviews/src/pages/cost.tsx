// Cost: what the cluster costs and who uses it, as OpenCost allocates it (max of request and usage at the price of the
// node each pod runs on), what sits idle, how much of what is reserved is used, and what right-sizing would save.
// Prices come from a snapshot of cloud list prices by instance type, OpenCost's on-prem defaults, or the user's own
// per node type, and the editor says which. Follows the header's namespace picker.
import { ScoreTrend } from '../components/scoreTrend';
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { CostAllocation, NodeTypePrices, RightSizing } from '../../../src/shared/cost';
import { KINDS, pageOfKind } from '../../../src/shared/kinds';
import { api, navigate, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { oneNamespace, scopeKey } from '../stores/scope';
import { toApiError } from '../host/apiError';
import { Badge, Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { compareCells, SortHeader, type TableSort } from '../ui/sortHeader';
import { BarChart } from '../components/barChart';
import { FindingFixDialog } from '../components/findings';
import type { Finding } from '../../../src/shared/insights';
import '../styles/insightsPages.css';
import '../styles/inlineLink.css';

type By = 'namespace' | 'workload' | 'label';
interface Row extends CostAllocation {
  key: string;
  label: string;
  sub?: string;
  link?: { kind: string; namespace?: string; name: string };
}

export const money = (n: number): string =>
  n === 0
    ? '$0'
    : n >= 1000
      ? `$${Math.round(n).toLocaleString('en-US')}`
      : n >= 1
        ? `$${n.toFixed(2)}`
        : `$${n.toFixed(3)}`;
const pct = (n?: number) => (n === undefined ? '—' : `${Math.round(n * 100)}%`);
const cores = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(2)} cores` : `${Math.round(m)}m`);
const bytes = (b: number) => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${Math.round(b / 2 ** 20)} MiB`);

/** Opens an object's page with its details drawer. */
export function openObject(t: { kind: string; namespace?: string; name: string }): void {
  const k = KINDS.find((x) => x.kind === t.kind);
  if (!k) return;
  navigate(pageOfKind(k).id, { name: t.name, ...(t.namespace ? { ns: t.namespace } : {}) });
}

function effTone(n?: number): 'ok' | 'warn' | 'danger' | 'muted' {
  if (n === undefined) return 'muted';
  return n >= 0.6 ? 'ok' : n >= 0.3 ? 'warn' : 'danger';
}

/** The allocation table's figures, after its first column (the namespace, workload or label value); each sorts by
 * its field, largest first. */
const FIGURES: ReadonlyArray<{
  id: keyof CostAllocation;
  label: string;
  cell: (r: Row) => JSX.Element;
  title?: (r: Row) => string;
}> = [
  { id: 'pods', label: 'Pods', cell: (r) => r.pods },
  { id: 'cpuCores', label: 'CPU requested', cell: (r) => `${r.cpuCores.toFixed(2)} cores` },
  { id: 'memoryGiB', label: 'Memory requested', cell: (r) => `${r.memoryGiB.toFixed(2)} GiB` },
  {
    id: 'cpuEfficiency',
    label: 'CPU efficiency',
    cell: (r) => <Badge tone={effTone(r.cpuEfficiency)}>{pct(r.cpuEfficiency)}</Badge>,
  },
  {
    id: 'memoryEfficiency',
    label: 'Memory efficiency',
    cell: (r) => <Badge tone={effTone(r.memoryEfficiency)}>{pct(r.memoryEfficiency)}</Badge>,
  },
  { id: 'gpuCost', label: 'GPU cost', cell: (r) => (r.gpuCost ? money(r.gpuCost * 730) : '—') },
  {
    id: 'monthlyCost',
    label: 'Per month',
    cell: (r) => <strong>{money(r.monthlyCost)}</strong>,
    title: (r) => `${money(r.hourlyCost)}/h`,
  },
];

export function CostPage(): JSX.Element {
  const [by, setBy] = createSignal<By>('namespace');
  const [labelKey, setLabelKey] = createSignal('app');
  const [q, setQ] = createSignal('');
  const [sort, setSort] = createSignal<TableSort>({ by: 'monthlyCost', desc: true });
  const data = createLoader(
    () =>
      api().call('cost.analysis', { namespace: oneNamespace(), ...(by() === 'label' ? { label: labelKey() } : {}) }),
    { key: () => `${scopeKey()}|${by() === 'label' ? labelKey() : ''}` },
  );
  const rows = createMemo<Row[]>(() => {
    const c = data.value();
    if (!c) return [];
    const list: Row[] =
      by() === 'namespace'
        ? c.namespaces.map((r) => ({
            ...r,
            key: r.namespace,
            label: r.namespace,
            link: { kind: 'Namespace', name: r.namespace },
          }))
        : by() === 'workload'
          ? c.workloads.map((r) => ({
              ...r,
              key: `${r.kind}/${r.namespace}/${r.name}`,
              label: r.name,
              sub: `${r.kind} · ${r.namespace}`,
              link: { kind: r.kind, namespace: r.namespace, name: r.name },
            }))
          : c.labels.rows.map((r) => ({
              ...r,
              key: r.value,
              label: r.value === '__unallocated__' ? `(no ${c.labels.key} label)` : r.value,
            }));
    const f = q().toLowerCase();
    const s = sort();
    const val = (r: Row) => (s.by === 'label' ? r.label : (r[s.by as keyof CostAllocation] ?? -1));
    return list
      .filter((r) => !f || `${r.label} ${r.sub ?? ''}`.toLowerCase().includes(f))
      .sort((a, b) => compareCells(val(a), val(b), s.desc));
  });

  return (
    <div class="kg-page" data-testid="page-cost">
      <div class="kg-page-head">
        <h1>Cost</h1>
        <Show when={data.value()}>
          {(c) => (
            <span class="kg-muted">
              {c().usage.available
                ? `Usage from ${c().usage.samples} sample${c().usage.samples === 1 ? '' : 's'} of metrics.k8s.io${c().usage.windowMinutes ? ` over ${Math.round(c().usage.windowMinutes)} min` : ''}`
                : `Requests only: ${c().usage.reason ?? 'no usage yet'}`}
            </span>
          )}
        </Show>
      </div>
      <Show when={!data.error()} fallback={<ErrorState error={data.error()} retry={data.reload} what="cost" />}>
        <Show when={data.value()} fallback={<Loading label="Pricing the cluster…" />}>
          {(c) => (
            <>
              <ScoreTrend source="cost" label="Right-sizing score" reloadKey={() => data.value()} />
              <div class="kg-cards" data-testid="cost-totals">
                <div class="kg-card" data-testid="cost-monthly">
                  <div class="kg-card-title">
                    {oneNamespace() ? `${oneNamespace()} per month` : 'Allocated per month'}
                  </div>
                  <div class="kg-card-value">{money(c().total.monthlyCost)}</div>
                  <div class="kg-card-sub">
                    {money(c().total.hourlyCost)}/h · {c().namespaces.reduce((n, r) => n + r.pods, 0)} pods
                  </div>
                </div>
                <div class="kg-card" data-testid="cost-idle">
                  <div class="kg-card-title">Idle per month</div>
                  <div class="kg-card-value">{money(c().idle.monthlyCost)}</div>
                  <div class="kg-card-sub">
                    {pct(c().idle.share)} of {money(c().total.clusterMonthly)} in nodes · {c().idle.cpuCores.toFixed(1)}{' '}
                    cores, {c().idle.memoryGiB.toFixed(0)} GiB{c().idle.gpus ? `, ${c().idle.gpus} GPUs` : ''}{' '}
                    unallocated
                  </div>
                </div>
                <div class="kg-card" data-testid="cost-efficiency">
                  <div class="kg-card-title">Efficiency (usage ÷ requests)</div>
                  <div class="kg-card-value">{pct(c().efficiency.cost)}</div>
                  <div class="kg-card-sub">
                    CPU {pct(c().efficiency.cpu)} · memory {pct(c().efficiency.memory)}
                  </div>
                </div>
                <div class="kg-card" data-testid="cost-savings">
                  <div class="kg-card-title">Right-sizing could save</div>
                  <div class="kg-card-value">
                    {money(c().recommendations.reduce((n, r) => n + Math.max(0, r.monthlySavings), 0))}
                  </div>
                  <div class="kg-card-sub">
                    per month, over {c().recommendations.length} container{c().recommendations.length === 1 ? '' : 's'}
                  </div>
                </div>
              </div>

              <Show when={c().namespaces.length > 1}>
                <h2>Cost by namespace</h2>
                <BarChart
                  label="Monthly cost by namespace"
                  testId="cost-chart"
                  labels={() =>
                    c()
                      .namespaces.slice(0, 12)
                      .map((n) => n.namespace)
                  }
                  values={() =>
                    c()
                      .namespaces.slice(0, 12)
                      .map((n) => n.monthlyCost)
                  }
                  format={money}
                  height={Math.max(140, Math.min(12, c().namespaces.length) * 24 + 40)}
                />
              </Show>

              <h2>Allocation</h2>
              <div class="kg-toolbar">
                <div class="kg-chips" role="group" aria-label="Aggregate by">
                  <For each={['namespace', 'workload', 'label'] as By[]}>
                    {(b) => (
                      <button
                        class="kg-chip kg-chip-btn"
                        aria-pressed={by() === b}
                        onClick={() => setBy(b)}
                        data-testid={`cost-by-${b}`}
                      >
                        {b === 'namespace' ? 'Namespace' : b === 'workload' ? 'Workload' : 'Label'}
                      </button>
                    )}
                  </For>
                </div>
                <Show when={by() === 'label'}>
                  <select
                    class="kg-input"
                    aria-label="Label key"
                    value={labelKey()}
                    onChange={(e) => setLabelKey(e.currentTarget.value)}
                    data-testid="cost-label-key"
                  >
                    <For each={c().labelKeys}>{(k) => <option value={k}>{k}</option>}</For>
                  </select>
                </Show>
                <input
                  class="kg-input"
                  type="search"
                  placeholder="Filter"
                  aria-label="Filter allocation"
                  value={q()}
                  onInput={(e) => setQ(e.currentTarget.value)}
                />
              </div>
              <table class="kg-simple-table kg-insight-table" data-testid="cost-table">
                <thead>
                  <tr>
                    <SortHeader id="label" sort={sort} setSort={setSort}>
                      {by() === 'namespace' ? 'Namespace' : by() === 'workload' ? 'Workload' : 'Label value'}
                    </SortHeader>
                    <For each={FIGURES}>
                      {(c) => (
                        <SortHeader id={c.id} sort={sort} setSort={setSort} descFirst class="kg-num">
                          {c.label}
                        </SortHeader>
                      )}
                    </For>
                  </tr>
                </thead>
                <tbody>
                  <For
                    each={rows()}
                    fallback={
                      <tr>
                        <td colspan={FIGURES.length + 1}>
                          <Empty title="Nothing allocated in this scope" />
                        </td>
                      </tr>
                    }
                  >
                    {(r) => (
                      <tr data-testid="cost-row" data-key={r.key}>
                        <td>
                          <Show when={r.link} fallback={<strong>{r.label}</strong>}>
                            {(l) => (
                              <button class="kg-inline-link" onClick={() => openObject(l())}>
                                <strong>{r.label}</strong>
                              </button>
                            )}
                          </Show>
                          <Show when={r.sub}>
                            <div class="kg-muted kg-small">{r.sub}</div>
                          </Show>
                        </td>
                        <For each={FIGURES}>
                          {(c) => (
                            <td class="kg-num" title={c.title?.(r)}>
                              {c.cell(r)}
                            </td>
                          )}
                        </For>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>

              <h2>Right-sizing</h2>
              <p class="kg-muted">
                Requests set to the p{Math.round(c().rightSizing.percentile * 100)} of sampled usage plus{' '}
                {Math.round(c().rightSizing.headroom * 100)}% headroom (at least {c().rightSizing.minCpuMillicores}m CPU
                and {c().rightSizing.minMemoryMiB} MiB). Each fix patches the workload's pod template, previewed by a
                server dry run first.
              </p>
              <Recommendations list={c().recommendations} findings={c().findings} changed={() => void data.reload()} />

              <h2>Prices</h2>
              <p class="kg-muted" data-testid="cost-catalog-note">
                {c().prices.catalogNote}
              </p>
              <PriceEditor
                types={c().prices.nodeTypes}
                defaults={c().prices.defaults}
                saved={() => void data.reload()}
              />
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}

function Recommendations(p: { list: RightSizing[]; findings: Finding[]; changed: () => void }): JSX.Element {
  const [fixing, setFixing] = createSignal<Finding | undefined>();
  return (
    <>
      <Show
        when={p.list.length}
        fallback={<Empty title="No container to right-size" hint="Requests match what containers use." />}
      >
        <table class="kg-simple-table kg-insight-table" data-testid="cost-recommendations">
          <thead>
            <tr>
              <th>Workload</th>
              <th>Container</th>
              <th class="kg-num">CPU request</th>
              <th class="kg-num">Memory request</th>
              <th class="kg-num">p95 use</th>
              <th>Confidence</th>
              <th class="kg-num">Saves per month</th>
              <th>
                <span class="kg-sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={p.list}>
              {(r) => (
                <tr data-testid="cost-recommendation" data-finding={r.findingId}>
                  <td>
                    <button class="kg-inline-link" onClick={() => openObject(r)}>
                      <strong>{r.name}</strong>
                    </button>
                    <div class="kg-muted kg-small">
                      {r.kind} · {r.namespace} · {r.pods} pod{r.pods === 1 ? '' : 's'}
                    </div>
                  </td>
                  <td>
                    {r.container}{' '}
                    <Badge tone={r.check === 'overProvisioned' ? 'warn' : 'danger'}>
                      {r.check === 'overProvisioned' ? 'Over-provisioned' : 'Under-provisioned'}
                    </Badge>
                  </td>
                  <td class="kg-num">
                    {cores(r.current.cpu)} → <strong>{cores(r.recommended.cpu)}</strong>
                  </td>
                  <td class="kg-num">
                    {bytes(r.current.memory)} → <strong>{bytes(r.recommended.memory)}</strong>
                  </td>
                  <td class="kg-num">
                    {cores(r.usage.cpuP95)} · {bytes(r.usage.memoryP95)}
                  </td>
                  <td title={`${r.samples} samples over ${Math.round(r.windowMinutes)} min`}>
                    <Badge tone={r.confidence === 'high' ? 'ok' : r.confidence === 'medium' ? 'info' : 'muted'}>
                      {r.confidence}
                    </Badge>
                  </td>
                  <td class="kg-num">
                    <strong>{r.monthlySavings >= 0 ? money(r.monthlySavings) : `+${money(-r.monthlySavings)}`}</strong>
                  </td>
                  <td>
                    <Show when={p.findings.find((f) => f.id === r.findingId)}>
                      {(f) => (
                        <Button
                          requires="insights.fixApply"
                          onClick={() => setFixing(f())}
                          testId="cost-fix"
                          label={`Right-size ${r.namespace}/${r.name} container ${r.container}`}
                        >
                          Fix…
                        </Button>
                      )}
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
      <Show when={fixing()}>
        {(f) => (
          <FindingFixDialog
            finding={f()}
            onClose={() => setFixing(undefined)}
            onApplied={() => (setFixing(undefined), p.changed())}
          />
        )}
      </Show>
    </>
  );
}

function PriceEditor(p: {
  types: NodeTypePrices[];
  defaults: { cpuPerCoreHour: number; ramPerGiBHour: number; gpuPerHour: number };
  saved: () => void;
}): JSX.Element {
  const [editing, setEditing] = createSignal<string | undefined>();
  const [value, setValue] = createSignal('');
  const save = async (nodeType: string, nodeHourly?: number) => {
    try {
      await api().call('cost.prices', { nodeType, ...(nodeHourly !== undefined ? { nodeHourly } : {}) });
      setEditing(undefined);
      toast(nodeHourly === undefined ? `Prices of ${nodeType} reset` : `Prices of ${nodeType} saved`, 'ok');
      p.saved();
    } catch (e) {
      toast(toApiError(e).message, 'danger');
    }
  };
  return (
    <table class="kg-simple-table kg-insight-table" data-testid="cost-prices">
      <thead>
        <tr>
          <th>Node type</th>
          <th class="kg-num">Nodes</th>
          <th class="kg-num">Per node-hour</th>
          <th class="kg-num">CPU core-hour</th>
          <th class="kg-num">GiB-hour</th>
          <th class="kg-num">GPU-hour</th>
          <th>Source</th>
          <th>
            <span class="kg-sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        <For each={p.types}>
          {(t) => (
            <tr data-testid="cost-price-row" data-type={t.type}>
              <td>
                <strong>{t.type}</strong>
                <Show when={t.catalog}>
                  {(cat) => (
                    <div class="kg-muted kg-small">
                      {cat().vcpu} vCPU · {cat().memoryGiB} GiB{cat().gpus ? ` · ${cat().gpus}× ${cat().gpuModel}` : ''}
                    </div>
                  )}
                </Show>
              </td>
              <td class="kg-num">{t.nodes}</td>
              <td class="kg-num">
                <Show when={editing() === t.type} fallback={money(t.nodeHourly)}>
                  <input
                    class="kg-input kg-price-input"
                    type="number"
                    min="0"
                    step="0.001"
                    aria-label={`Price per node-hour of ${t.type}`}
                    value={value()}
                    onInput={(e) => setValue(e.currentTarget.value)}
                    data-testid="cost-price-input"
                  />
                </Show>
              </td>
              <td class="kg-num">{unitPrice(t.cpuPerCoreHour)}</td>
              <td class="kg-num">{unitPrice(t.ramPerGiBHour)}</td>
              <td class="kg-num">
                {t.gpuPerHour && !(t.catalog && !t.catalog.gpus) ? `$${t.gpuPerHour.toFixed(2)}` : '—'}
              </td>
              <td data-testid="cost-price-source">
                <Badge tone={t.source === 'custom' ? 'info' : t.source === 'catalog' ? 'ok' : 'muted'}>
                  {t.source === 'custom' ? 'Yours' : t.source === 'catalog' ? 'List price' : 'Default'}
                </Badge>{' '}
                <span class="kg-muted kg-small">{t.sourceDetail}</span>
              </td>
              <td>
                <Show
                  when={editing() === t.type}
                  fallback={
                    <>
                      <Button
                        requires="cost.prices"
                        onClick={() => (setValue(String(t.nodeHourly)), setEditing(t.type))}
                        testId="cost-price-edit"
                        label={`Edit price of ${t.type}`}
                      >
                        Edit
                      </Button>
                      <Show when={t.source === 'custom'}>
                        <Button requires="cost.prices" onClick={() => void save(t.type)} testId="cost-price-reset">
                          Reset
                        </Button>
                      </Show>
                    </>
                  }
                >
                  <Button
                    onClick={() => {
                      const n = Number(value());
                      if (value() === '' || !Number.isFinite(n) || n < 0)
                        return toast('Enter a price of 0 or more', 'danger');
                      void save(t.type, n);
                    }}
                    testId="cost-price-save"
                  >
                    Save
                  </Button>
                  <Button onClick={() => setEditing(undefined)}>Cancel</Button>
                </Show>
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

/** A per-unit hourly price to three significant digits ($0.0316, $0.119): enough to compare, nothing more. */
const unitPrice = (v: number): string => `$${Number(v.toPrecision(3))}`;
