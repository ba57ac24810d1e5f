// The pods' effective requests, which the cost analysis (src/core/insights/cost.ts) prices, and which pods count as
// running. Pure functions over objects, so they test without a cluster.
import type { KObject } from '../kube/descriptors';
import { quantity } from '../../shared/quantity';

type Container = {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
};

/** A pod's effective requests: containers summed, raised to the largest init container, plus overhead. */
export function podRequests(p: KObject): { cpu: number; memory: number; gpu: number } {
  const sum = { cpu: 0, memory: 0, gpu: 0 };
  const req = (c: Container, k: string) => quantity(c.resources?.requests?.[k] ?? c.resources?.limits?.[k]);
  for (const c of (p.spec?.containers ?? []) as Container[]) {
    sum.cpu += req(c, 'cpu');
    sum.memory += req(c, 'memory');
    sum.gpu += req(c, 'nvidia.com/gpu');
  }
  for (const c of (p.spec?.initContainers ?? []) as Container[]) {
    sum.cpu = Math.max(sum.cpu, req(c, 'cpu'));
    sum.memory = Math.max(sum.memory, req(c, 'memory'));
    sum.gpu = Math.max(sum.gpu, req(c, 'nvidia.com/gpu'));
  }
  const oh = (p.spec?.overhead ?? {}) as Record<string, string>;
  sum.cpu += quantity(oh.cpu);
  sum.memory += quantity(oh.memory);
  return sum;
}

export const isActivePod = (p: KObject) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
