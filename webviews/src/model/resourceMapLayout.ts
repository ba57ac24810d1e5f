// Where each object, group and namespace box of the resource map goes: a layered layout by dagre, the same library
// and approach as the mesh graph (meshLayout.ts). Ranks read Ingress → Service → Pod → ReplicaSet → Deployment (owner
// edges are laid out from the pod to its owner, drawn the other way) with the nodes and the ConfigMaps, Secrets and
// claims pods use beside the owners. Pure: nodes and edges in, coordinates out.
import { graphlib, layout } from '@dagrejs/dagre';
import type { GraphEdge, GraphNode } from '../../../src/shared/routes/integrations';
import { halfway } from './meshLayout';

export const MAP_NODE_W = 184;
export const MAP_NODE_H = 50;

export interface MapPlacedNode {
  node: GraphNode;
  x: number;
  y: number;
}
export interface MapPlacedEdge {
  edge: GraphEdge;
  id: string;
  points: Array<{ x: number; y: number }>;
  label: { x: number; y: number };
}
export interface MapBox {
  namespace: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface MapLayout {
  width: number;
  height: number;
  nodes: MapPlacedNode[];
  edges: MapPlacedEdge[];
  boxes: MapBox[];
}

export const edgeId = (e: GraphEdge): string => `${e.source}\u0000${e.target}\u0000${e.type}`;

export function layoutMap(nodes: GraphNode[], edges: GraphEdge[], direction: 'LR' | 'TB' = 'LR'): MapLayout {
  const g = new graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({
    rankdir: direction,
    nodesep: 14,
    ranksep: direction === 'LR' ? 70 : 50,
    edgesep: 8,
    marginx: 16,
    marginy: 24,
  });
  g.setDefaultEdgeLabel(() => ({}));
  // Namespace boxes when objects of several namespaces share the map (namespace groups are boxes of their own).
  const spaces = new Set(nodes.filter((n) => n.namespace && n.group?.type !== 'namespace').map((n) => n.namespace!));
  const boxed = spaces.size > 1;
  const box = (ns: string) => `ns\u0000${ns}`;
  if (boxed) for (const ns of spaces) g.setNode(box(ns), { width: 0, height: 0 });
  for (const n of nodes) {
    g.setNode(n.id, { width: MAP_NODE_W, height: MAP_NODE_H });
    if (boxed && n.namespace && n.group?.type !== 'namespace') g.setParent(n.id, box(n.namespace));
  }
  const ids = new Set(nodes.map((n) => n.id));
  const shown = edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target);
  // Owner edges run from the pod to its owner for the ranks, so pods sit between their services and their owners.
  const flip = (e: GraphEdge) => e.type === 'owns';
  for (const e of shown) {
    const [a, b] = flip(e) ? [e.target, e.source] : [e.source, e.target];
    // Nodes a rank further out than the owners, so placement lines do not cut through the workloads.
    g.setEdge(
      a,
      b,
      { weight: e.type === 'runsOn' || e.type === 'mounts' ? 1 : 3, minlen: e.type === 'runsOn' ? 2 : 1 },
      edgeId(e),
    );
  }
  layout(g);
  const placed = nodes.map((n) => {
    const l = g.node(n.id);
    return { node: n, x: (l.x ?? 0) - MAP_NODE_W / 2, y: (l.y ?? 0) - MAP_NODE_H / 2 };
  });
  const boxes: MapBox[] = boxed
    ? [...spaces].map((ns) => {
        const l = g.node(box(ns));
        return {
          namespace: ns,
          x: (l.x ?? 0) - l.width / 2,
          y: (l.y ?? 0) - l.height / 2 - 16,
          width: l.width,
          height: l.height + 16,
        };
      })
    : [];
  const placedEdges = shown.map((e) => {
    const [a, b] = flip(e) ? [e.target, e.source] : [e.source, e.target];
    const pts = g.edge({ v: a, w: b, name: edgeId(e) })?.points ?? [];
    const points = flip(e) ? [...pts].reverse() : pts;
    return { edge: e, id: edgeId(e), points, label: halfway(points) };
  });
  const gl = g.graph();
  return {
    width: Math.max(gl.width ?? 0, 240),
    height: Math.max(gl.height ?? 0, 120),
    nodes: placed,
    edges: placedEdges,
    boxes,
  };
}
