// What the resource map and the Kiali service graph draw alike: the drawing (its namespace boxes behind the nodes), a
// node (a box edged in its health colour, a badge with a glyph or a count, its lines of text clipped at its edge; a
// button for the mouse and the keyboard), the health counts above the graph, the zoom buttons and the legend. One
// stylesheet, graph.css; each page keeps its own edges.
import { For, Show, type JSX } from 'solid-js';
import { MAP_NODE_H, MAP_NODE_W } from '../model/resourceMapLayout';
import { NODE_H, NODE_W } from '../model/meshLayout';
import '../styles/graph.css';

/** A health colour (the theme's chart green, yellow, red, or the muted text colour). */
export type GraphTone = 'ok' | 'warn' | 'danger' | 'muted';

/** The class that sets `--kg-h`, its tone's colour, for what it holds (strokes, fills, markers). */
export const toneClass = (t: GraphTone): string => `kg-graph-h-${t}`;

/** Where a node's parts sit. `map`: the resource map's object (kind, name, detail), its badge inside the corner so a
 * group's stacked boxes show behind it. `mesh`: the service graph's workload (name, detail), larger type, its badge on
 * the corner. Sizes are the layouts' own; font sizes and the box's stroke width are presentation attributes, so the
 * hover and focus rules of graph.css still win. */
const SHAPES = {
  map: {
    w: MAP_NODE_W,
    h: MAP_NODE_H,
    rx: 8,
    stroke: 1.5,
    stripe: 7,
    badge: { inset: 14, r: 9, font: '10px' },
    textX: 15,
    textRight: 30,
    kindY: 15,
    nameY: 31,
    nameFont: '12.5px',
    subY: 44,
    subFont: '10.5px',
  },
  mesh: {
    w: NODE_W,
    h: NODE_H,
    rx: 10,
    stroke: 2,
    stripe: 8,
    badge: { inset: 6, r: 10, font: '12px' },
    textX: 18,
    textRight: 14,
    kindY: undefined,
    nameY: 22,
    nameFont: '13px',
    subY: 40,
    subFont: '11px',
  },
} as const;
export type GraphShape = keyof typeof SHAPES;

/** The drawing at `scale` times its layout's size: the page's own `defs` (its edges' markers), then the namespace
 * boxes, then `children` (edges, nodes: each drawn over what comes before it). */
export function GraphDrawing(p: {
  shape: GraphShape;
  layout: {
    width: number;
    height: number;
    boxes: ReadonlyArray<{ namespace: string; x: number; y: number; width: number; height: number }>;
  };
  scale: number;
  /** Its accessible name: what the graph shows. */
  label: string;
  testId: string;
  boxTestId: string;
  defs?: JSX.Element;
  children: JSX.Element;
}): JSX.Element {
  const s = () => SHAPES[p.shape];
  return (
    <svg
      class="kg-graph-svg"
      role="group"
      aria-label={p.label}
      viewBox={`0 0 ${p.layout.width} ${p.layout.height}`}
      width={Math.round(p.layout.width * p.scale)}
      height={Math.round(p.layout.height * p.scale)}
      data-testid={p.testId}
    >
      <defs>
        {/* The clip of the nodes' text: one for all of them. */}
        <clipPath id={`kg-graph-clip-${p.shape}`} clipPathUnits="userSpaceOnUse">
          <rect x="0" y="0" width={s().w - s().textRight} height={s().h} />
        </clipPath>
        {p.defs}
      </defs>
      <For each={p.layout.boxes}>
        {(b) => (
          <g class="kg-graph-box" data-testid={p.boxTestId}>
            <rect x={b.x} y={b.y} width={b.width} height={b.height} rx="8" />
            <text x={b.x + 10} y={b.y + 16}>
              {b.namespace}
            </text>
          </g>
        )}
      </For>
      {p.children}
    </svg>
  );
}

/** One node, placed at its layout's top-left corner. Click, Enter or Space activate it. */
export function GraphNodeView(p: {
  shape: GraphShape;
  x: number;
  y: number;
  tone: GraphTone;
  /** In the badge: a health glyph, or a group's member count. */
  badge: string | number;
  /** Drawn above the name (map only): the kind in small capitals. */
  kind?: string;
  name: string;
  sub: string;
  /** Its accessible name and tooltip; starts with the drawn words, so speech input and the screen reader agree. */
  label: string;
  /** A group: stacked boxes behind it. */
  stacked?: boolean;
  /** Faded: not among what a search found. */
  dim?: boolean;
  /** The focus colour's edge: the node selected, or the one the view is centred on. */
  ring?: boolean;
  /** Drawn dashed and hollow: outside the chosen namespaces. */
  outside?: boolean;
  /** For a node that toggles a selection: its `aria-pressed`. */
  pressed?: boolean;
  /** The test id and `data-` attributes the page's tests read. */
  attrs: Record<`data-${string}`, string | undefined>;
  onActivate: () => void;
}): JSX.Element {
  const s = () => SHAPES[p.shape];
  const clip = () => `url(#kg-graph-clip-${p.shape})`;
  return (
    <g
      class={`kg-graph-node ${toneClass(p.tone)}`}
      classList={{ 'kg-graph-dim': !!p.dim, 'kg-graph-ring': !!p.ring, 'kg-graph-outside': !!p.outside }}
      transform={`translate(${p.x},${p.y})`}
      tabIndex={0}
      role="button"
      aria-label={p.label}
      aria-pressed={p.pressed}
      {...p.attrs}
      onClick={() => p.onActivate()}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          p.onActivate();
        }
      }}
    >
      <title aria-hidden="true">{p.label}</title>
      <Show when={p.stacked}>
        <rect class="kg-graph-node-stack" x="6" y="-6" width={s().w} height={s().h} rx={s().rx} />
        <rect class="kg-graph-node-stack" x="3" y="-3" width={s().w} height={s().h} rx={s().rx} />
      </Show>
      <rect class="kg-graph-node-body" width={s().w} height={s().h} rx={s().rx} stroke-width={s().stroke} />
      <rect class="kg-graph-node-stripe" width={s().stripe} height={s().h} rx={s().stripe / 2} />
      <circle class="kg-graph-badge" cx={s().w - s().badge.inset} cy={s().badge.inset} r={s().badge.r} />
      <text
        class="kg-graph-glyph"
        x={s().w - s().badge.inset}
        y={s().badge.inset + 4}
        font-size={s().badge.font}
        text-anchor="middle"
        aria-hidden="true"
      >
        {`${p.badge} `}
      </text>
      {/* Clipped at the node's edge, not shortened: the drawn words stay the start of the accessible name (the
          trailing space keeps the name and the next line apart where the lines' text is joined). */}
      <Show when={s().kindY !== undefined && p.kind}>
        <text class="kg-graph-node-kind" x={s().textX} y={s().kindY} clip-path={clip()}>
          {`${p.kind} `}
        </text>
      </Show>
      <text class="kg-graph-node-name" x={s().textX} y={s().nameY} font-size={s().nameFont} clip-path={clip()}>
        {`${p.name} `}
      </text>
      <text class="kg-graph-node-sub" x={s().textX} y={s().subY} font-size={s().subFont} clip-path={clip()}>
        {p.sub}
      </text>
    </g>
  );
}

/** A count of one health above the graph ("✕ 3 failing"), edged in its colour. */
export function GraphCount(p: {
  tone: GraphTone;
  glyph: string;
  count: number;
  label: string;
  testId: string;
}): JSX.Element {
  return (
    <span class={`kg-chip kg-graph-count ${toneClass(p.tone)}`} data-testid={p.testId}>
      {p.glyph} {p.count.toLocaleString('en-US')} {p.label}
    </span>
  );
}

/** Zoom out, the current zoom (a click fits the window again), zoom in. */
export function GraphZoom(p: { label: string; onOut: () => void; onFit: () => void; onIn: () => void }): JSX.Element {
  return (
    <span class="kg-graph-zoom" role="group" aria-label="Zoom">
      <button class="kg-icon-btn" aria-label="Zoom out" onClick={() => p.onOut()}>
        −
      </button>
      <button class="kg-icon-btn" aria-label="Fit to the window" onClick={() => p.onFit()}>
        {p.label}
      </button>
      <button class="kg-icon-btn" aria-label="Zoom in" onClick={() => p.onIn()}>
        +
      </button>
    </span>
  );
}

/** The legend under a graph: each health's badge and what it means, then the page's own items (`<li>`s). */
export function GraphLegend(p: {
  testId: string;
  /** A visible "Legend" heading before the items. */
  heading?: boolean;
  tones: ReadonlyArray<{ tone: GraphTone; glyph: string; label: string; hint?: string }>;
  children?: JSX.Element;
}): JSX.Element {
  return (
    <aside class="kg-graph-legend" aria-label="Legend" data-testid={p.testId}>
      <Show when={p.heading}>
        <h2>Legend</h2>
      </Show>
      <ul>
        <For each={p.tones}>
          {(t) => (
            <li>
              <svg width="18" height="18" aria-hidden="true" class={toneClass(t.tone)}>
                <circle class="kg-graph-badge" cx="9" cy="9" r="8" />
                <text class="kg-graph-glyph" x="9" y="13" font-size="12px" text-anchor="middle">
                  {t.glyph}
                </text>
              </svg>
              <Show when={t.hint} fallback={t.label}>
                <span>
                  <strong>{t.label}</strong>
                  <span class="kg-muted"> {t.hint}</span>
                </span>
              </Show>
            </li>
          )}
        </For>
        {p.children}
      </ul>
    </aside>
  );
}
