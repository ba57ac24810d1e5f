// The service mesh as Kiali sees it: the namespaces' workload graph drawn as a graph (callers left of callees, laid
// out by dagre), each workload coloured by its health and each edge labelled with its request rate and error share.
// Follows the namespace picker, refreshes like Kiali (every 15 s), opens a workload's details on click or Enter, and
// lists the same traffic as a table for keyboards and screen readers. Without Kiali it says what is missing.
import { createMemo, createSignal, For, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { MeshEdge, MeshHealth, MeshNode } from '../../../src/shared/meshGraph';
import { KINDS, pageOfKind, type KindDef } from '../../../src/shared/kinds';
import { api, namespaces, navigate } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope, oneNamespace, scopeKey } from '../stores/scope';
import { Badge, Button } from '../ui/button';
import { Drawer } from '../ui/drawer';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { InstallButton } from '../components/installDialog';
import { GraphCount, GraphDrawing, GraphLegend, GraphNodeView, GraphZoom, toneClass } from '../components/graph';
import { layoutMesh, pathOf, type MeshLayout, type PlacedEdge, type PlacedNode } from '../model/meshLayout';
import '../styles/kiali.css';
import '../styles/inlineLink.css';

const DURATIONS = [
  ['1m', 'Last minute'],
  ['5m', 'Last 5 minutes'],
  ['10m', 'Last 10 minutes'],
  ['30m', 'Last 30 minutes'],
  ['1h', 'Last hour'],
] as const;

export const HEALTH_LABEL: Record<MeshHealth, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  failure: 'Failure',
  idle: 'Idle',
  unknown: 'No health data',
};
const HEALTH_TONE: Record<MeshHealth, 'ok' | 'warn' | 'danger' | 'muted'> = {
  healthy: 'ok',
  degraded: 'warn',
  failure: 'danger',
  idle: 'muted',
  unknown: 'muted',
};
/** A shape as well as a colour, so health reads without colour vision. */
const HEALTH_GLYPH: Record<MeshHealth, string> = {
  healthy: '✓',
  degraded: '!',
  failure: '✕',
  idle: '–',
  unknown: '?',
};

const rps = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const pct = (r: number) => {
  const p = r * 100;
  return p === 0 ? '0%' : p < 0.1 ? '<0.1%' : `${p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
};
const edgeLabel = (e: MeshEdge) =>
  `${rps(e.requestsPerSecond)} rps${e.errorRate > 0 ? ` · ${pct(e.errorRate)} err` : ''}`;
/** The label's pill: wide enough for its text (11px sans: ~6.2px a character) and the lock. */
const labelW = (e: MeshEdge) => Math.max(56, Math.round(edgeLabel(e).length * 6.2) + (e.mtls ? 30 : 16));

/** The page of a kind in the shared table (Deployment → deployments), to open an object there. */
const pageOf = (kind: string) => {
  const d = (KINDS as readonly KindDef[]).find((k) => k.kind === kind && !k.crd);
  return d ? pageOfKind(d).id : undefined;
};

export function KialiPage(): JSX.Element {
  const [duration, setDuration] = createSignal('10m');
  const [showIdle, setShowIdle] = createSignal(false);
  const [selected, setSelected] = createSignal<string | undefined>();
  const [zoom, setZoom] = createSignal(1);
  const graph = createLoader(() => api().call('kiali.graph', { namespace: oneNamespace(), duration: duration() }), {
    key: () => `${scopeKey()}|${duration()}`,
    refreshMs: 15_000,
  });
  const missing = () => graph.error()?.code === 'notInstalled';
  // Several namespaces chosen: the graph of all, cut down to them and to the workloads they talk to.
  const view = createMemo(() => {
    const g = graph.value();
    if (!g) return undefined;
    const chosen = namespaces();
    const inside = (n: MeshNode) => inScope(n.namespace, chosen) && !(chosen.length > 0 && n.outside);
    const keepIds = new Set(g.nodes.filter(inside).map((n) => n.id));
    for (const e of g.edges) {
      if (keepIds.has(e.source) || keepIds.has(e.target)) {
        keepIds.add(e.source);
        keepIds.add(e.target);
      }
    }
    const nodes = g.nodes
      .filter((n) => keepIds.has(n.id) && (showIdle() || !n.idle))
      .map((n) => (inside(n) ? n : { ...n, outside: true }));
    const ids = new Set(nodes.map((n) => n.id));
    const edges = g.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
    return { g, nodes, edges, idleHidden: g.nodes.filter((n) => keepIds.has(n.id) && n.idle).length };
  });
  // Fit the window: the whole graph on screen, in the direction that draws it larger (left to right, as Kiali does,
  // unless top to bottom is clearly larger); never below 60%, where the canvas scrolls instead.
  const [direction, setDirection] = createSignal<'auto' | 'LR' | 'TB'>('auto');
  const [room, setRoom] = createSignal({ w: 1100, h: 600 });
  let pageEl!: HTMLDivElement;
  onMount(() => {
    const measure = () =>
      setRoom({ w: Math.max(320, pageEl.clientWidth - 4), h: Math.max(380, window.innerHeight - 250) });
    const ro = new ResizeObserver(measure);
    ro.observe(pageEl);
    window.addEventListener('resize', measure);
    onCleanup(() => {
      ro.disconnect();
      window.removeEventListener('resize', measure);
    });
  });
  const fitOf = (l: MeshLayout) => Math.min(1, room().w / l.width, room().h / l.height);
  const layout = createMemo<{ l: MeshLayout; fit: number } | undefined>(() => {
    const v = view();
    if (!v || !v.nodes.length) return undefined;
    const boxes = new Set(v.nodes.map((n) => n.namespace)).size > 1;
    const options = (direction() === 'auto' ? (['LR', 'TB'] as const) : [direction() as 'LR' | 'TB']).map((d) =>
      layoutMesh(v.nodes, v.edges, boxes, d),
    );
    const best = options.reduce((a, b) => (fitOf(b) > fitOf(a) * 1.1 ? b : a));
    return { l: best, fit: Math.max(0.6, fitOf(best)) };
  });
  const counts = createMemo(() => {
    const c: Record<MeshHealth, number> = { healthy: 0, degraded: 0, failure: 0, idle: 0, unknown: 0 };
    for (const n of view()?.nodes ?? []) if (!n.outside) c[n.health]++;
    return c;
  });
  const totals = createMemo(() => {
    const v = view();
    const inbound = (v?.edges ?? []).filter((e) => v?.nodes.find((n) => n.id === e.target && !n.outside));
    const r = inbound.reduce((s, e) => s + e.requestsPerSecond, 0);
    const err = inbound.reduce((s, e) => s + e.errorsPerSecond, 0);
    return { rps: r, errorRate: r > 0 ? err / r : 0 };
  });
  const selectedNode = () => view()?.nodes.find((n) => n.id === selected());
  return (
    <div class="kg-page" data-testid="page-kiali" ref={pageEl}>
      <div class="kg-page-head">
        <h1>Service graph</h1>
        <Show when={!missing() && graph.value()}>
          {(g) => (
            <span class="kg-muted" data-testid="kiali-source">
              Kiali{g().kiali.version ? ` ${g().kiali.version}` : ''}
              {g().kiali.namespace ? ` in ${g().kiali.namespace}` : ''} · traffic of the{' '}
              {DURATIONS.find((d) => d[0] === g().duration)?.[1].toLowerCase() ?? g().duration} · updated{' '}
              <When at={g().timestamp} />
            </span>
          )}
        </Show>
      </div>
      <Show when={!missing()} fallback={<KialiMissing onInstalled={() => void graph.reload()} />}>
        <div class="kg-toolbar">
          <label>
            Traffic{' '}
            <select
              class="kg-input"
              aria-label="Traffic window"
              value={duration()}
              onChange={(e) => setDuration(e.currentTarget.value)}
              data-testid="kiali-duration"
            >
              <For each={DURATIONS}>{([v, l]) => <option value={v}>{l}</option>}</For>
            </select>
          </label>
          <label class="kg-check">
            <input
              type="checkbox"
              checked={showIdle()}
              onChange={(e) => setShowIdle(e.currentTarget.checked)}
              data-testid="kiali-idle"
            />{' '}
            Show idle workloads
            <Show when={!showIdle() && view()?.idleHidden}>{(n) => <span class="kg-muted"> ({n()} hidden)</span>}</Show>
          </label>
          <label>
            Layout{' '}
            <select
              class="kg-input"
              aria-label="Graph layout"
              value={direction()}
              onChange={(e) => setDirection(e.currentTarget.value as 'auto' | 'LR' | 'TB')}
              data-testid="kiali-layout"
            >
              <option value="auto">Best fit</option>
              <option value="LR">Left to right</option>
              <option value="TB">Top to bottom</option>
            </select>
          </label>
          <Button onClick={() => void graph.reload()} testId="kiali-refresh" label="Refresh the graph">
            Refresh
          </Button>
          <GraphZoom
            label={zoom() === 1 ? `Fit (${Math.round((layout()?.fit ?? 1) * 100)}%)` : `${Math.round(zoom() * 100)}%`}
            onOut={() =>
              setZoom((z) => Math.max(0.4, Math.round(((z === 1 ? (layout()?.fit ?? 1) : z) - 0.2) * 10) / 10))
            }
            onFit={() => setZoom(1)}
            onIn={() =>
              setZoom((z) => Math.min(2.5, Math.round(((z === 1 ? (layout()?.fit ?? 1) : z) + 0.2) * 10) / 10))
            }
          />
        </div>
        <Show
          when={!graph.error() || graph.value()}
          fallback={<ErrorState error={graph.error()} retry={graph.reload} what="the service graph" />}
        >
          <Show when={view()} fallback={<Loading label="Asking Kiali for the service graph…" />}>
            {(v) => (
              <>
                <div class="kg-chips kg-graph-summary" data-testid="kiali-summary" aria-live="polite">
                  <span class="kg-chip">
                    {v().nodes.filter((n) => !n.outside).length} workload
                    {v().nodes.filter((n) => !n.outside).length === 1 ? '' : 's'}
                  </span>
                  <For each={['failure', 'degraded', 'healthy'] as const}>
                    {(h) => (
                      <Show when={counts()[h]}>
                        <GraphCount
                          tone={HEALTH_TONE[h]}
                          glyph={HEALTH_GLYPH[h]}
                          count={counts()[h]}
                          label={HEALTH_LABEL[h].toLowerCase()}
                          testId={`kiali-count-${h}`}
                        />
                      </Show>
                    )}
                  </For>
                  <span class="kg-chip" data-testid="kiali-total">
                    {rps(totals().rps)} requests/s in · {pct(totals().errorRate)} errors
                  </span>
                </div>
                <Show
                  when={layout()}
                  fallback={
                    <Empty
                      title={`No traffic in ${namespaces().length ? namespaces().join(', ') : 'the mesh'} over the ${
                        DURATIONS.find((d) => d[0] === duration())?.[1].toLowerCase() ?? duration()
                      }`}
                      hint="Workloads appear when they send or receive requests through the mesh (their pods need the Istio sidecar). Turn on “Show idle workloads” to see every workload, or pick a longer window."
                    />
                  }
                >
                  {(l) => (
                    <div class="kg-graph-stage">
                      <GraphSvg
                        layout={l().l}
                        scale={zoom() === 1 ? l().fit : zoom()}
                        selected={selected()}
                        onSelect={(id) => setSelected(id)}
                      />
                      <KialiLegend />
                    </div>
                  )}
                </Show>
                <TrafficTable nodes={v().nodes} edges={v().edges} onSelect={setSelected} />
              </>
            )}
          </Show>
        </Show>
      </Show>
      {/* Not keyed: a refresh updates the open drawer in place rather than opening it again (and taking focus). */}
      <Show when={selectedNode()}>
        {(n) => (
          <NodeDrawer
            node={n()}
            nodes={view()?.nodes ?? []}
            edges={view()?.edges ?? []}
            onSelect={setSelected}
            onClose={() => setSelected(undefined)}
          />
        )}
      </Show>
    </div>
  );
}

function GraphSvg(p: {
  layout: MeshLayout;
  /** Drawn size over natural size. */
  scale: number;
  selected?: string;
  onSelect: (id: string) => void;
}): JSX.Element {
  // Keyed by id (strings), so a refresh of the same graph updates the drawn nodes in place: focus and hover stay.
  const nodeMap = createMemo(() => new Map(p.layout.nodes.map((n) => [n.node.id, n])));
  const edgeMap = createMemo(() => new Map(p.layout.edges.map((e) => [e.edge.id, e])));
  const nodeIds = createMemo(() => p.layout.nodes.map((n) => n.node.id), undefined, {
    equals: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
  });
  const edgeIds = createMemo(() => p.layout.edges.map((e) => e.edge.id), undefined, {
    equals: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
  });
  const byId = () => new Map(p.layout.nodes.map((n) => [n.node.id, n.node]));
  // Starts with the words drawn in the node, so speech input ("click frontend") and the screen reader agree.
  const describe = (n: MeshNode) =>
    `${n.name} ${n.kind ?? n.nodeType} · ${n.namespace}: ${HEALTH_LABEL[n.health]}${
      n.healthReasons.length ? ` (${n.healthReasons.join('; ')})` : ''
    }, ${rps(n.requestsIn)} requests per second in, ${rps(n.requestsOut)} out`;
  return (
    <div class="kg-graph-canvas kg-kiali-canvas" data-testid="kiali-canvas">
      <GraphDrawing
        shape="mesh"
        layout={p.layout}
        scale={p.scale}
        label="Service graph: workloads and the traffic between them"
        testId="kiali-graph"
        boxTestId="kiali-namespace-box"
        defs={
          <For each={['ok', 'warn', 'danger', 'muted'] as const}>
            {(t) => (
              <marker
                id={`kg-arrow-${t}`}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" class={`kg-kiali-arrow ${toneClass(t)}`} />
              </marker>
            )}
          </For>
        }
      >
        <For each={edgeIds()}>
          {(id) => {
            let last!: PlacedEdge;
            const pe = () => (last = edgeMap().get(id) ?? last);
            const t = () => HEALTH_TONE[pe().edge.health];
            const from = () => byId().get(pe().edge.source)?.name ?? '';
            const to = () => byId().get(pe().edge.target)?.name ?? '';
            return (
              <g
                class={`kg-kiali-edge ${toneClass(t())}`}
                data-testid="kiali-edge"
                data-health={pe().edge.health}
                data-from={from()}
                data-to={to()}
              >
                <title>
                  {from()} → {to()}: {edgeLabel(pe().edge)}
                  {pe().edge.responseTimeMs !== undefined ? `, ${pe().edge.responseTimeMs} ms` : ''}
                  {pe().edge.mtls ? ', mTLS' : ''}
                </title>
                <path d={pathOf(pe().points)} marker-end={`url(#kg-arrow-${t()})`} />
                <g transform={`translate(${pe().label.x},${pe().label.y})`} class="kg-kiali-edge-label">
                  <rect x={-labelW(pe().edge) / 2} y={-10} width={labelW(pe().edge)} height={20} rx="10" />
                  <Show when={pe().edge.mtls}>
                    <g class="kg-kiali-lock" transform={`translate(${-labelW(pe().edge) / 2 + 9},-5)`}>
                      <path d="M2,5 V3 a3,3 0 0 1 6,0 V5" />
                      <rect x="0.5" y="4.5" width="9" height="6.5" rx="1.2" />
                    </g>
                  </Show>
                  <text text-anchor="middle" dx={pe().edge.mtls ? 7 : 0} dy="4" data-testid="kiali-edge-label">
                    {edgeLabel(pe().edge)}
                  </text>
                </g>
              </g>
            );
          }}
        </For>
        <For each={nodeIds()}>
          {(id) => {
            let last!: PlacedNode;
            const pn = () => (last = nodeMap().get(id) ?? last);
            const n = () => pn().node;
            return (
              <GraphNodeView
                shape="mesh"
                x={pn().x}
                y={pn().y}
                tone={HEALTH_TONE[n().health]}
                badge={HEALTH_GLYPH[n().health]}
                name={n().name}
                sub={`${n().kind ?? n().nodeType} · ${n().namespace}`}
                label={describe(n())}
                outside={n().outside}
                ring={p.selected === id}
                pressed={p.selected === id}
                attrs={{
                  'data-testid': 'kiali-node',
                  'data-name': n().name,
                  'data-namespace': n().namespace,
                  'data-health': n().health,
                }}
                onActivate={() => p.onSelect(id)}
              />
            );
          }}
        </For>
      </GraphDrawing>
    </div>
  );
}

const LEGEND_HINT: Partial<Record<MeshHealth, string>> = {
  healthy: 'all pods up, no errors',
  degraded: 'some errors, or pods missing',
  failure: 'over 10% errors, or no pod up',
  idle: 'no traffic or no data',
};

function KialiLegend(): JSX.Element {
  return (
    <GraphLegend
      testId="kiali-legend"
      heading
      tones={(['healthy', 'degraded', 'failure', 'idle'] as const).map((h) => ({
        tone: HEALTH_TONE[h],
        glyph: HEALTH_GLYPH[h],
        label: HEALTH_LABEL[h],
        hint: LEGEND_HINT[h],
      }))}
    >
      <li>
        <svg width="30" height="12" aria-hidden="true">
          <path d="M1,6 L27,6" class="kg-kiali-legend-line" />
        </svg>
        <span>
          Requests/s and error share on each arrow;{' '}
          <svg width="11" height="12" aria-hidden="true" class="kg-kiali-lock">
            <path d="M2,5 V3 a3,3 0 0 1 6,0 V5" />
            <rect x="0.5" y="4.5" width="9" height="6.5" rx="1.2" />
          </svg>{' '}
          mutual TLS
        </span>
      </li>
      <li>
        <svg width="30" height="18" aria-hidden="true">
          <rect x="1" y="2" width="26" height="14" rx="4" class="kg-kiali-legend-outside" />
        </svg>
        <span>Dashed: outside the chosen namespaces</span>
      </li>
    </GraphLegend>
  );
}

function TrafficTable(p: { nodes: MeshNode[]; edges: MeshEdge[]; onSelect: (id: string) => void }): JSX.Element {
  const name = (id: string) => p.nodes.find((n) => n.id === id);
  const rows = () =>
    [...p.edges].sort((a, b) => b.errorRate - a.errorRate || b.requestsPerSecond - a.requestsPerSecond);
  return (
    <Show when={p.edges.length}>
      <details class="kg-kiali-table" data-testid="kiali-traffic">
        <summary>Traffic between workloads ({p.edges.length})</summary>
        <table class="kg-simple-table">
          <thead>
            <tr>
              <th>From</th>
              <th>To</th>
              <th>Requests/s</th>
              <th>Errors</th>
              <th>Response time</th>
              <th>Mutual TLS</th>
              <th>Health</th>
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(e) => (
                <tr>
                  <td>
                    <button class="kg-inline-link" onClick={() => p.onSelect(e.source)}>
                      {name(e.source)?.name}
                    </button>{' '}
                    <span class="kg-muted">{name(e.source)?.namespace}</span>
                  </td>
                  <td>
                    <button class="kg-inline-link" onClick={() => p.onSelect(e.target)}>
                      {name(e.target)?.name}
                    </button>{' '}
                    <span class="kg-muted">{name(e.target)?.namespace}</span>
                  </td>
                  <td>{rps(e.requestsPerSecond)}</td>
                  <td>{pct(e.errorRate)}</td>
                  <td>{e.responseTimeMs !== undefined ? `${e.responseTimeMs} ms` : '—'}</td>
                  <td>{e.mtls ? 'yes' : 'no'}</td>
                  <td>
                    <Badge tone={HEALTH_TONE[e.health]}>{HEALTH_LABEL[e.health]}</Badge>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </details>
    </Show>
  );
}

function NodeDrawer(p: {
  node: MeshNode;
  nodes: MeshNode[];
  edges: MeshEdge[];
  onSelect: (id: string) => void;
  onClose: () => void;
}): JSX.Element {
  const n = () => p.node;
  const other = (id: string) => p.nodes.find((x) => x.id === id);
  const inbound = () => p.edges.filter((e) => e.target === n().id);
  const outbound = () => p.edges.filter((e) => e.source === n().id);
  const kindPage = () => (n().kind ? pageOf(n().kind!) : undefined);
  const open = (page: string, name: string) => navigate(page, { ns: n().namespace, name });
  const edgeRows = (list: MeshEdge[], dir: 'from' | 'to') => (
    <Show when={list.length} fallback={<p class="kg-muted">None in this window.</p>}>
      <ul class="kg-kiali-edges">
        <For each={list}>
          {(e) => {
            const o = () => other(dir === 'from' ? e.source : e.target);
            return (
              <li>
                <Badge tone={HEALTH_TONE[e.health]}>{HEALTH_GLYPH[e.health]}</Badge>{' '}
                <button class="kg-inline-link" onClick={() => o() && p.onSelect(o()!.id)}>
                  {o()?.name}
                </button>
                <span class="kg-muted"> {o()?.namespace}</span> — {rps(e.requestsPerSecond)} req/s, {pct(e.errorRate)}{' '}
                errors
                {e.responseTimeMs !== undefined ? `, ${e.responseTimeMs} ms` : ''}
                <Show when={Object.keys(e.responses).length}>
                  <span class="kg-muted">
                    {' '}
                    (
                    {Object.entries(e.responses)
                      .map(([c, v]) => `${c}: ${v}%`)
                      .join(', ')}
                    )
                  </span>
                </Show>
              </li>
            );
          }}
        </For>
      </ul>
    </Show>
  );
  return (
    <Drawer
      label={`Workload ${n().name}`}
      subtitle={`${n().kind ?? n().nodeType} · ${n().namespace}`}
      title={n().name}
      closeLabel="Close workload details"
      onClose={p.onClose}
      testId="kiali-node-drawer"
    >
      <div class="kg-actions">
        <Show when={kindPage()}>
          {(pg) => (
            <Button onClick={() => open(pg(), n().name)} testId="kiali-open-workload">
              Open {n().kind}
            </Button>
          )}
        </Show>
        <Show when={n().service}>
          {(s) => (
            <Button onClick={() => open('services', s())} testId="kiali-open-service">
              Open Service {s()}
            </Button>
          )}
        </Show>
      </div>
      <div class="kg-drawer-body">
        <p data-testid="kiali-node-health">
          <Badge tone={HEALTH_TONE[n().health]}>
            {HEALTH_GLYPH[n().health]} {HEALTH_LABEL[n().health]}
          </Badge>{' '}
          {n().healthReasons.length
            ? n().healthReasons.join('; ')
            : n().health === 'healthy'
              ? 'All pods available and no failed requests.'
              : ''}
        </p>
        <dl class="kg-dl">
          <dt>Pods</dt>
          <dd>
            {n().replicas
              ? `${n().replicas!.available} of ${n().replicas!.desired} available`
              : 'not reported by Kiali'}
          </dd>
          <Show when={n().app}>
            <dt>App</dt>
            <dd>
              {n().app}
              {n().version ? ` (${n().version})` : ''}
            </dd>
          </Show>
          <dt>Service</dt>
          <dd>{n().service ?? 'none selects it'}</dd>
          <dt>Requests in</dt>
          <dd>
            {rps(n().requestsIn)} req/s · {pct(n().errorRateIn)} failed
          </dd>
          <dt>Requests out</dt>
          <dd>{rps(n().requestsOut)} req/s</dd>
          <Show when={n().outside}>
            <dt>Scope</dt>
            <dd>outside the chosen namespaces</dd>
          </Show>
        </dl>
        <h3>Called by</h3>
        {edgeRows(inbound(), 'from')}
        <h3>Calls</h3>
        {edgeRows(outbound(), 'to')}
      </div>
    </Drawer>
  );
}

/** No Kiali in the cluster: what the graph needs, and where to get it. */
function KialiMissing(p: { onInstalled: () => void }): JSX.Element {
  const status = createLoader(() => api().call('kiali.status', {}));
  return (
    <div class="kg-kiali-missing" data-testid="kiali-missing">
      <svg width="120" height="72" viewBox="0 0 120 72" aria-hidden="true" class="kg-kiali-missing-art">
        <circle cx="18" cy="36" r="12" />
        <circle cx="62" cy="16" r="12" />
        <circle cx="62" cy="56" r="12" />
        <circle cx="104" cy="36" r="12" />
        <path d="M30,32 L50,20 M30,40 L50,52 M74,20 L92,32 M74,52 L92,40" />
      </svg>
      <h2>Kiali is not installed in this cluster</h2>
      <p>
        The service graph comes from <strong>Kiali</strong>, which reads the request telemetry of an{' '}
        <strong>Istio</strong> service mesh. {status.value()?.message ?? 'KubeGraf found no Kiali Service.'}
      </p>
      <ol>
        <li>
          Install Istio and turn on its sidecar for your workloads' namespaces:
          <pre class="kg-code">kubectl label namespace NAME istio-injection=enabled</pre>
        </li>
        <li>
          Install Kiali in <code>istio-system</code>: the button below does it with Helm, or run
          <pre class="kg-code">
            {'helm install kiali-server kiali-server --repo https://kiali.org/helm-charts -n istio-system'}
          </pre>
        </li>
        <li>Come back here: the graph appears as soon as the Kiali Service answers.</li>
      </ol>
      <div class="kg-actions">
        <InstallButton
          label="Install Kiali…"
          title="Install Kiali"
          requires="kiali.install"
          install={() => api().call('kiali.install', {})}
          onDone={p.onInstalled}
          testId="kiali-install"
        >
          <p>
            Installs the <strong>kiali-server</strong> Helm chart from kiali.org into the namespace{' '}
            <code>istio-system</code>, and waits for its pods.
          </p>
          <p class="kg-muted">
            Needs the helm binary on the machine running KubeGraf and access to kiali.org's chart repository. Kiali
            draws traffic only where Istio's sidecars run.
          </p>
        </InstallButton>
        <Button onClick={() => navigate('apps')} testId="kiali-open-apps">
          Open the app catalog
        </Button>
      </div>
    </div>
  );
}
