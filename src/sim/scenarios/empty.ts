// The empty cluster: system namespaces and one ready node, so pods created by tests have somewhere to run.
import type { SimContext } from '../context';
import { node, put, systemBasics } from './seed';

export function loadEmpty(ctx: SimContext): void {
  systemBasics(ctx);
  put(ctx, node('node-1', { index: 1, cpu: 4, memoryGi: 16 }));
}
