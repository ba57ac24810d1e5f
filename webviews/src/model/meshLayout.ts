// Where each workload, namespace box and traffic edge of the mesh graph goes: a layered layout (callers before callees,
// left to right as Kiali draws it, or top to bottom when that fits the screen better) computed by dagre. Pure: nodes
// and edges in, coordinates out.
import { graphlib, layout } from '@dagrejs/dagre';
import type { MeshEdge, MeshNode } from '../../../src/shared/meshGraph';

export const NODE_W = 156;
export const NODE_H = 52;

export interface PlacedNode {
  node: MeshNode;
  /** Top-left corner. */
  x: number;
  y: number;
}

export interface PlacedEdge {
  edge: MeshEdge;
  points: Array<{ x: number; y: number }>;
  /** Centre of the label. */
  label: { x: number; y: number };
}

export interface PlacedBox {
  namespace: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MeshLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  boxes: PlacedBox[];
}

/** Lays out the graph; with `boxByNamespace`, each namespace's workloads sit in a box of their own. */
export function layoutMesh(
  nodes: MeshNode[],
  edges: MeshEdge[],
  boxByNamespace: boolean,
  direction: 'LR' | 'TB' = 'LR',
): MeshLayout {
  const g = new graphlib.Graph({ compound: true, multigraph: false });
  // Edge labels sit halfway along their edge, in the gap between ranks (no rank of their own: a graph half as wide).
  // Left to right the gap holds a label's width; top to bottom, its height.
  g.setGraph({
    rankdir: direction,
    nodesep: direction === 'LR' ? 30 : 40,
    ranksep: direction === 'LR' ? 130 : 64,
    edgesep: 16,
    marginx: 20,
    marginy: 30,
  });
  g.setDefaultEdgeLabel(() => ({}));
  const box = (ns: string) => `ns\u0000${ns}`;
  if (boxByNamespace)
    for (const ns of new Set(nodes.map((n) => n.namespace))) g.setNode(box(ns), { width: 0, height: 0 });
  for (const n of nodes) {
    g.setNode(n.id, { width: NODE_W, height: NODE_H });
    if (boxByNamespace) g.setParent(n.id, box(n.namespace));
  }
  const ids = new Set(nodes.map((n) => n.id));
  const shown = edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target);
  for (const e of shown) g.setEdge(e.source, e.target, {});
  layout(g);
  const placed: PlacedNode[] = nodes.map((n) => {
    const l = g.node(n.id);
    return { node: n, x: (l.x ?? 0) - NODE_W / 2, y: (l.y ?? 0) - NODE_H / 2 };
  });
  const boxes: PlacedBox[] = boxByNamespace
    ? [...new Set(nodes.map((n) => n.namespace))].map((ns) => {
        const l = g.node(box(ns));
        // Room above the workloads for the namespace's name.
        return {
          namespace: ns,
          x: (l.x ?? 0) - l.width / 2,
          y: (l.y ?? 0) - l.height / 2 - 16,
          width: l.width,
          height: l.height + 16,
        };
      })
    : [];
  const placedEdges: PlacedEdge[] = shown.map((e) => {
    const l = g.edge(e.source, e.target);
    const points = l.points ?? [];
    return { edge: e, points, label: halfway(points) };
  });
  const gl = g.graph();
  return {
    width: Math.max(gl.width ?? 0, 200),
    height: Math.max(gl.height ?? 0, 120),
    nodes: placed,
    edges: placedEdges,
    boxes,
  };
}

/** The point halfway along a polyline. */
export function halfway(points: Array<{ x: number; y: number }>): { x: number; y: number } {
  if (!points.length) return { x: 0, y: 0 };
  const seg = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  let rest = seg.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < seg.length; i++) {
    if (rest <= seg[i] && seg[i] > 0) {
      const t = rest / seg[i];
      return {
        x: points[i].x + t * (points[i + 1].x - points[i].x),
        y: points[i].y + t * (points[i + 1].y - points[i].y),
      };
    }
    rest -= seg[i];
  }
  return points[points.length - 1];
}

/** An SVG path through the points, with rounded joins. */
export function pathOf(points: Array<{ x: number; y: number }>): string {
  if (!points.length) return '';
  if (points.length < 3) return `M${points.map((p) => `${p.x},${p.y}`).join(' L')}`;
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const n = points[i + 1];
    d += ` Q${p.x},${p.y} ${(p.x + n.x) / 2},${(p.y + n.y) / 2}`;
  }
  const last = points[points.length - 1];
  return `${d} L${last.x},${last.y}`;
}
