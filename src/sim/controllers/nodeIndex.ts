// Which pods sit on which node and what they request, kept up to date from store events so the
// scheduler and node controller never scan every pod.
import type { KObj } from '../store';
import { podRequests } from './quantity';
import { isTerminal, keyOf } from './runtime';

interface Placement {
  node: string;
  req: Record<string, number>;
}

export class NodeIndex {
  private placed = new Map<string, Placement>(); // pod key -> placement
  private byNode = new Map<string, { pods: Set<string>; req: Record<string, number> }>();

  /** Records a pod's current placement; terminal pods free their node's resources. */
  track(pod: KObj, deleted = false): void {
    const key = keyOf(pod);
    const node = pod.spec?.nodeName as string | undefined;
    const prev = this.placed.get(key);
    const want = !deleted && node && !isTerminal(pod);
    if (prev && (!want || prev.node !== node)) {
      const n = this.byNode.get(prev.node)!;
      n.pods.delete(key);
      for (const [k, v] of Object.entries(prev.req)) n.req[k] -= v;
      this.placed.delete(key);
    }
    if (want && (!prev || prev.node !== node)) {
      const req = podRequests(pod.spec);
      let n = this.byNode.get(node);
      if (!n) this.byNode.set(node, (n = { pods: new Set(), req: {} }));
      n.pods.add(key);
      for (const [k, v] of Object.entries(req)) n.req[k] = (n.req[k] ?? 0) + v;
      this.placed.set(key, { node, req });
    }
  }

  podsOn(node: string): Set<string> {
    return this.byNode.get(node)?.pods ?? new Set();
  }

  requested(node: string): Record<string, number> {
    return this.byNode.get(node)?.req ?? {};
  }
}
