// The resource map: how the objects of the chosen namespaces hang together (Ingress → Service → Pods ← ReplicaSet ←
// Deployment, the ConfigMaps, Secrets and claims pods use, the nodes they run on), laid out by dagre and coloured by
// health. The server groups what would not stay readable (the pods of one owner, whole namespaces, the largest kinds,
// the nodes); a group opens on click. An object opens its details drawer, from which "Show neighbourhood" narrows
// the map to that object. Pan by dragging, zoom with the buttons or Ctrl+wheel.
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, untrack, type JSX } from 'solid-js';
import type { GraphEdge, GraphHealth, GraphNode } from '../../../src/shared/routes/integrations';
import { KINDS, pageOfKind, type KindDef } from '../../../src/shared/kinds';
import { api, namespaces, navigate, route } from '../stores/app';
import { createLoader } from '../stores/loader';
import { inScope, oneNamespace, scopeKey } from '../stores/scope';
import { Badge, Button } from '../ui/button';
import { Empty, ErrorState, Loading } from '../ui/states';
import { Modal } from '../ui/modal';
import { ObjectDrawer } from '../components/objectDrawer';
import { GraphCount, GraphDrawing, GraphLegend, GraphNodeView, GraphZoom } from '../components/graph';
import { pathOf } from '../model/meshLayout';
import { layoutMap, type MapLayout } from '../model/resourceMapLayout';
import '../styles/resourceMap.css';

const HEALTH_LABEL: Record<GraphHealth, string> = {
  ok: 'Healthy',
  warn: 'Progressing or partly ready',
  danger: 'Failing or missing',
  muted: 'Scaled to zero or finished',
};
const HEALTH_GLYPH: Record<GraphHealth, string> = { ok: '✓', warn: '!', danger: '✕', muted: '–' };
const EDGE_LABEL: Record<GraphEdge['type'], string> = {
  routes: 'routes to',
  selects: 'selects',
  owns: 'owns',
  runsOn: 'runs on',
  mounts: 'uses',
};
/** Short kind words drawn in a node. */
const KIND_SHORT: Record<string, string> = {
  PersistentVolumeClaim: 'PVC',
  ReplicaSet: 'ReplicaSet',
  Deployment: 'Deployment',
};
const DEPTHS = [1, 2, 3, 4] as const;

const kindDef = (kind: string) => (KINDS as readonly KindDef[]).find((k) => k.kind === kind && !k.crd);
const n0 = (n: number) => n.toLocaleString('en-US');

/** `Kind/ns/name` of a node that stands for one object. */
const focusOf = (n: GraphNode) => n.id;

export function ResourceMap(): JSX.Element {
  const [focus, setFocus] = createSignal<string | undefined>(route().params.focus || undefined);
  const [depth, setDepth] = createSignal(2);
  const [expanded, setExpanded] = createSignal<string[]>([]);
  const [showConfig, setShowConfig] = createSignal(true);
  const [showNodes, setShowNodes] = createSignal(true);
  const [direction, setDirection] = createSignal<'auto' | 'LR' | 'TB'>('auto');
  const [search, setSearch] = createSignal('');
  const [open, setOpen] = createSignal<GraphNode | undefined>();
  const [zoom, setZoom] = createSignal<number | undefined>();
  // A new scope starts closed again: what was opened belonged to the old one.
  createEffect(on(scopeKey, () => setExpanded([]), { defer: true }));
  const graph = createLoader(
    () => {
      // Several namespaces chosen: theirs open, the others closed (and left out below). Every namespace: closed
      // sooner, so the cluster reads as its namespaces first.
      const open = [...expanded(), ...(namespaces().length > 1 ? namespaces().map((n) => `group:namespace:${n}`) : [])];
      return api().call('resourcemap', {
        namespace: oneNamespace(),
        group: true,
        limit: oneNamespace() ? 250 : 60,
        ...(open.length ? { expand: open.join(',') } : {}),
        ...(focus() ? { focus: focus(), depth: depth() } : {}),
      });
    },
    { key: () => `${scopeKey()}|${focus()}|${depth()}|${expanded().join(',')}`, refreshMs: 20_000 },
  );
  // Several namespaces chosen: the map of all, cut down to them.
  const view = createMemo(() => {
    const g = graph.value();
    if (!g) return undefined;
    const chosen = namespaces();
    const hidden = (n: GraphNode) =>
      (!showConfig() && ['ConfigMap', 'Secret', 'PersistentVolumeClaim'].includes(n.kind)) ||
      (!showNodes() && (n.kind === 'Node' || n.group?.type === 'nodes'));
    const nodes = g.nodes.filter((n) => inScope(n.namespace, chosen) && !hidden(n));
    const ids = new Set(nodes.map((n) => n.id));
    // Nodes a scope leaves without an edge (a cluster node none of the chosen pods runs on) are left out.
    const edges = g.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
    const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
    const shown = nodes.filter(
      (n) => !(n.kind === 'Node' || n.group?.type === 'nodes') || linked.has(n.id) || !chosen.length,
    );
    return { g, nodes: shown, edges };
  });
  // The layout is computed again only when what is drawn changes, not on every refresh of statuses.
  const shape = createMemo(() => {
    const v = view();
    return v
      ? `${direction()}|${v.nodes.map((n) => n.id).join(',')}|${v.edges.map((e) => `${e.source}>${e.target}:${e.type}:${e.count ?? 1}`).join(',')}`
      : '';
  }, '');
  const layout = createMemo<MapLayout | undefined>(() => {
    shape();
    // Statuses refresh without a new layout: the canvas reads each node's live state by id.
    const v = untrack(view);
    if (!v || !v.nodes.length) return undefined;
    if (direction() !== 'auto') return layoutMap(v.nodes, v.edges, direction() as 'LR' | 'TB');
    // Best fit: the direction that draws the map larger in the window (left to right unless clearly worse).
    const lr = layoutMap(v.nodes, v.edges, 'LR');
    if (v.nodes.length > 150) return lr;
    const tb = layoutMap(v.nodes, v.edges, 'TB');
    const fit = (l: MapLayout) => Math.min(1, 1100 / l.width, 600 / l.height);
    return fit(tb) > fit(lr) * 1.15 ? tb : lr;
  });
  const byId = createMemo(() => new Map((view()?.nodes ?? []).map((n) => [n.id, n])));
  const counts = createMemo(() => {
    const c: Record<GraphHealth, number> = { ok: 0, warn: 0, danger: 0, muted: 0 };
    for (const n of view()?.nodes ?? []) {
      if (n.group) for (const h of Object.keys(c) as GraphHealth[]) c[h] += n.group.health[h];
      else c[n.health ?? 'muted']++;
    }
    return c;
  });
  const matches = createMemo(() => {
    const q = search().trim().toLowerCase();
    if (!q) return undefined;
    return new Set((view()?.nodes ?? []).filter((n) => n.name.toLowerCase().includes(q)).map((n) => n.id));
  });
  const activate = (n: GraphNode) => {
    if (n.group) setExpanded((x) => [...x, n.id]);
    else setOpen(n);
  };
  const narrow = (id: string | undefined) => {
    setOpen(undefined);
    setFocus(id);
    setExpanded([]);
    navigate('resource-map', id ? { focus: id } : {});
  };
  const focused = () => (focus() ? byId().get(focus()!) : undefined);
  const scopeWords = () => (namespaces().length ? namespaces().join(', ') : 'all namespaces');
  return (
    <div class="kg-page" data-testid="page-resource-map">
      <div class="kg-page-head">
        <h1>Resource map</h1>
        <Show when={graph.value()}>
          {(g) => (
            <span class="kg-muted" data-testid="map-source">
              {focus()
                ? `Neighbourhood of ${focus()!.split('/').slice(1).join('/')} (${focus()!.split('/')[0]}), ${depth()} hop${depth() === 1 ? '' : 's'} out`
                : `${scopeWords()} · ${n0(g().total ?? g().nodes.length)} objects${
                    (g().total ?? 0) > g().nodes.length ? `, drawn as ${n0(g().nodes.length)}` : ''
                  }`}
            </span>
          )}
        </Show>
      </div>
      <div class="kg-toolbar">
        <Show when={focus()}>
          <span class="kg-chip kg-map-focus" data-testid="map-focus">
            Focus: {focus()!.split('/').slice(1).join('/')}
            <button class="kg-icon-btn" aria-label="Show the whole namespace again" onClick={() => narrow(undefined)}>
              ✕
            </button>
          </span>
          <label>
            Hops{' '}
            <select
              class="kg-input"
              aria-label="How far from the focused object"
              value={depth()}
              onChange={(e) => setDepth(Number(e.currentTarget.value))}
              data-testid="map-depth"
            >
              <For each={DEPTHS}>{(d) => <option value={d}>{d}</option>}</For>
            </select>
          </label>
        </Show>
        <input
          class="kg-input"
          type="search"
          placeholder="Find on the map…"
          aria-label="Find an object on the map"
          value={search()}
          onInput={(e) => setSearch(e.currentTarget.value)}
          data-testid="map-search"
        />
        <label class="kg-check">
          <input type="checkbox" checked={showConfig()} onChange={(e) => setShowConfig(e.currentTarget.checked)} />{' '}
          ConfigMaps, Secrets, volumes
        </label>
        <label class="kg-check">
          <input type="checkbox" checked={showNodes()} onChange={(e) => setShowNodes(e.currentTarget.checked)} /> Nodes
        </label>
        <label>
          Layout{' '}
          <select
            class="kg-input"
            aria-label="Map layout"
            value={direction()}
            onChange={(e) => setDirection(e.currentTarget.value as 'auto' | 'LR' | 'TB')}
          >
            <option value="auto">Best fit</option>
            <option value="LR">Left to right</option>
            <option value="TB">Top to bottom</option>
          </select>
        </label>
        <Show when={expanded().length}>
          <Button onClick={() => setExpanded([])} testId="map-collapse" label="Close every opened group">
            Regroup
          </Button>
        </Show>
        <Button onClick={() => void graph.reload()} testId="map-refresh" label="Refresh the map">
          Refresh
        </Button>
        <GraphZoom
          label={zoom() === undefined ? 'Fit' : `${Math.round(zoom()! * 100)}%`}
          onOut={() => setZoom((z) => Math.max(0.2, Math.round(((z ?? 1) - 0.2) * 10) / 10))}
          onFit={() => setZoom(undefined)}
          onIn={() => setZoom((z) => Math.min(2.5, Math.round(((z ?? 1) + 0.2) * 10) / 10))}
        />
      </div>
      <Show
        when={!graph.error() || graph.value()}
        fallback={<ErrorState error={graph.error()} retry={graph.reload} what="the resource map" />}
      >
        <Show when={view()} fallback={<Loading label="Reading the cluster’s objects…" />}>
          {(v) => (
            <>
              <div class="kg-chips kg-graph-summary" data-testid="map-summary" aria-live="polite">
                <For each={['danger', 'warn', 'ok', 'muted'] as const}>
                  {(h) => (
                    <Show when={counts()[h]}>
                      <GraphCount
                        tone={h}
                        glyph={HEALTH_GLYPH[h]}
                        count={counts()[h]}
                        label={HEALTH_LABEL[h].toLowerCase()}
                        testId={`map-count-${h}`}
                      />
                    </Show>
                  )}
                </For>
                <Show when={v().nodes.some((n) => n.group)}>
                  <span class="kg-muted">Stacked boxes are groups: click one to open it.</span>
                </Show>
              </div>
              <Show
                when={layout()}
                fallback={
                  <Empty
                    title={
                      focus() && v().g.focus && !v().g.focus!.found
                        ? `${focus()} is not in the cluster any more`
                        : `No objects in ${scopeWords()}`
                    }
                    hint={focus() ? 'Clear the focus to see the whole namespace.' : 'Pick another namespace above.'}
                  >
                    <Show when={focus()}>
                      <Button onClick={() => narrow(undefined)}>Clear the focus</Button>
                    </Show>
                  </Empty>
                }
              >
                {(l) => (
                  <div class="kg-graph-stage">
                    <MapCanvas
                      layout={l()}
                      zoom={zoom()}
                      setZoom={setZoom}
                      byId={byId()}
                      matches={matches()}
                      focus={focus()}
                      onActivate={activate}
                    />
                    <MapLegend />
                  </div>
                )}
              </Show>
              <Show when={focused()}>
                {(f) => (
                  <p class="kg-muted" data-testid="map-focus-detail">
                    {f().kind} {f().name}: {f().detail}
                  </p>
                )}
              </Show>
            </>
          )}
        </Show>
      </Show>
      <Show when={open()} keyed>
        {(n) => <MapDrawer node={n} onClose={() => setOpen(undefined)} onFocus={() => narrow(focusOf(n))} />}
      </Show>
    </div>
  );
}

function MapCanvas(p: {
  layout: MapLayout;
  zoom?: number;
  setZoom: (z: number) => void;
  byId: Map<string, GraphNode>;
  matches?: Set<string>;
  focus?: string;
  onActivate: (n: GraphNode) => void;
}): JSX.Element {
  let box!: HTMLDivElement;
  const [room, setRoom] = createSignal({ w: 1100, h: 600 });
  onMount(() => {
    const measure = () =>
      setRoom({ w: Math.max(320, box.clientWidth - 4), h: Math.max(380, window.innerHeight - 260) });
    const ro = new ResizeObserver(measure);
    ro.observe(box);
    onCleanup(() => ro.disconnect());
  });
  const fit = () => Math.max(0.25, Math.min(1, room().w / p.layout.width, room().h / p.layout.height));
  const scale = () => p.zoom ?? fit();
  // Drag to pan: the canvas scrolls under the pointer.
  let drag: { x: number; y: number; left: number; top: number; moved: boolean } | undefined;
  const down = (e: PointerEvent) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, left: box.scrollLeft, top: box.scrollTop, moved: false };
  };
  const move = (e: PointerEvent) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
    box.scrollLeft = drag.left - dx;
    box.scrollTop = drag.top - dy;
  };
  const up = () => setTimeout(() => (drag = undefined));
  const wheel = (e: WheelEvent) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    p.setZoom(Math.min(2.5, Math.max(0.2, Math.round((scale() - Math.sign(e.deltaY) * 0.1) * 10) / 10)));
  };
  const click = (n: GraphNode) => {
    if (drag?.moved) return;
    p.onActivate(n);
  };
  // What the node draws first, in its order (a group's count, kind, name, detail), then what only the name says.
  const countOf = (n: GraphNode) => (n.group ? (n.group.members > 99 ? '99+' : String(n.group.members)) : '');
  const describe = (n: GraphNode) => {
    const drawn = `${countOf(n)} ${kindWord(n)} ${n.name} ${n.detail ?? ''}`.trim();
    return n.group
      ? `${drawn}: a group${
          n.group.health.warn && n.group.health.danger ? `, ${n.group.health.warn} not ready` : ''
        }. Open the group`
      : `${drawn}: ${HEALTH_LABEL[n.health ?? 'muted']}${n.namespace ? `, in ${n.namespace}` : ''}`;
  };
  const kindWord = (n: GraphNode) =>
    n.group
      ? n.group.type === 'pods'
        ? `Pods of ${p.byId.get(n.group.owner ?? '')?.kind ?? 'owner'}`
        : n.group.type === 'namespace'
          ? 'Namespace'
          : n.group.type === 'kind'
            ? `${n.name} group`
            : n.group.type === 'nodes'
              ? 'Nodes'
              : 'Namespaces'
      : (KIND_SHORT[n.kind] ?? n.kind);
  return (
    <div
      ref={box}
      class="kg-graph-canvas kg-map-canvas"
      data-testid="map-canvas"
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerLeave={up}
      onWheel={wheel}
    >
      <GraphDrawing
        shape="map"
        layout={p.layout}
        scale={scale()}
        label="Resource map: objects and how they relate"
        testId="map-graph"
        boxTestId="map-namespace-box"
        defs={
          <marker
            id="kg-map-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" class="kg-map-arrow" />
          </marker>
        }
      >
        <For each={p.layout.edges}>
          {(e) => (
            <g
              class={`kg-map-edge kg-map-edge-${e.edge.type}`}
              data-testid="map-edge"
              data-type={e.edge.type}
              data-from={e.edge.source}
              data-to={e.edge.target}
            >
              <title>
                {p.byId.get(e.edge.source)?.name} {EDGE_LABEL[e.edge.type]} {p.byId.get(e.edge.target)?.name}
                {e.edge.via ? ` (${e.edge.via})` : ''}
                {e.edge.count && e.edge.count > 1 ? ` · ${e.edge.count} links` : ''}
              </title>
              <path d={pathOf(e.points)} marker-end="url(#kg-map-arrow)" />
              <Show when={e.edge.count && e.edge.count > 1}>
                <text x={e.label.x} y={e.label.y - 3} text-anchor="middle" class="kg-map-edge-count">
                  ×{e.edge.count}
                </text>
              </Show>
            </g>
          )}
        </For>
        <For each={p.layout.nodes}>
          {(pn) => {
            const n = () => p.byId.get(pn.node.id) ?? pn.node;
            const h = () => n().health ?? 'muted';
            return (
              <GraphNodeView
                shape="map"
                x={pn.x}
                y={pn.y}
                tone={h()}
                badge={n().group ? countOf(n()) : HEALTH_GLYPH[h()]}
                kind={kindWord(n())}
                name={n().name}
                sub={n().detail ?? ''}
                label={describe(n())}
                stacked={!!n().group}
                dim={!!p.matches && !p.matches.has(n().id)}
                ring={p.focus === n().id}
                attrs={{
                  'data-testid': 'map-node',
                  'data-id': n().id,
                  'data-kind': n().kind,
                  'data-name': n().name,
                  'data-health': h(),
                }}
                onActivate={() => click(n())}
              />
            );
          }}
        </For>
      </GraphDrawing>
    </div>
  );
}

function MapLegend(): JSX.Element {
  return (
    <GraphLegend
      testId="map-legend"
      tones={(['ok', 'warn', 'danger', 'muted'] as const).map((h) => ({
        tone: h,
        glyph: HEALTH_GLYPH[h],
        label: HEALTH_LABEL[h],
      }))}
    >
      <For each={['routes', 'selects', 'owns', 'mounts', 'runsOn'] as const}>
        {(t) => (
          <li>
            <svg width="30" height="10" aria-hidden="true" class={`kg-map-edge kg-map-edge-${t}`}>
              <path d="M1,5 L29,5" />
            </svg>
            {t === 'routes'
              ? 'Ingress routes to Service'
              : t === 'selects'
                ? 'Service selects pods'
                : t === 'owns'
                  ? 'owner of'
                  : t === 'mounts'
                    ? 'pod uses (volume, env)'
                    : 'pod runs on node'}
          </li>
        )}
      </For>
    </GraphLegend>
  );
}

/** The object's details drawer (the shared one, as on its kind's page), with the map's own action: its
 * neighbourhood. An object pods name but the cluster does not have gets a word on what that means instead. */
function MapDrawer(p: { node: GraphNode; onClose: () => void; onFocus: () => void }): JSX.Element {
  const def = kindDef(p.node.kind);
  const focusButton = (
    <Button onClick={p.onFocus} testId="map-show-neighbourhood">
      Show neighbourhood
    </Button>
  );
  return (
    <Show
      when={p.node.status !== 'Missing'}
      fallback={
        <Modal title={`${p.node.kind} ${p.node.name}`} onClose={p.onClose}>
          <p data-testid="map-missing">
            No {p.node.kind} named {p.node.name} exists in {p.node.namespace}
            {p.node.health === 'danger'
              ? ': the pods that use it cannot start until it is created.'
              : ', and the pods that name it mark it optional.'}
          </p>
          {focusButton}
        </Modal>
      }
    >
      <ObjectDrawer
        target={{ kind: p.node.kind, name: p.node.name, ...(p.node.namespace ? { namespace: p.node.namespace } : {}) }}
        onClose={p.onClose}
        actions={
          <>
            {focusButton}
            <Show when={def}>
              {(d) => (
                <Button
                  onClick={() =>
                    navigate(pageOfKind(d()).id, {
                      name: p.node.name,
                      ...(p.node.namespace ? { ns: p.node.namespace } : {}),
                    })
                  }
                  testId="map-open-kind-page"
                >
                  Open in {pageOfKind(d()).label}
                </Button>
              )}
            </Show>
            <Show when={p.node.health === 'danger' || p.node.health === 'warn'}>
              <Badge tone={p.node.health === 'danger' ? 'danger' : 'warn'}>{p.node.detail}</Badge>
            </Show>
          </>
        }
      />
    </Show>
  );
}
