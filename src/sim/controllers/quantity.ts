// Resource quantities ("250m", "1.5Gi", "2") to numbers and back, with a cache: the scale scenario
// parses the same few strings a hundred thousand times.

import { quantity } from '../../shared/quantity';

const cache = new Map<string, number>();

/** The quantity in base units (cores, bytes, count). Unparseable input is 0. */
export function parseQuantity(q: string | number | undefined): number {
  if (typeof q !== 'string') return quantity(q);
  let v = cache.get(q);
  if (v !== undefined) return v;
  v = quantity(q);
  if (cache.size < 10000) cache.set(q, v);
  return v;
}

export const milliCores = (q: string | number | undefined) => Math.round(parseQuantity(q) * 1000);

export function formatCpu(cores: number): string {
  return `${Math.max(0, Math.round(cores * 1000))}m`;
}

export function formatMemory(bytes: number): string {
  return `${Math.max(0, Math.round(bytes / 1024))}Ki`;
}

/** Requests of a pod, as the scheduler counts them: containers summed, raised to any init container, plus overhead. */
export function podRequests(
  spec: { containers?: Container[]; initContainers?: Container[]; overhead?: Record<string, string> } | undefined,
): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of spec?.containers ?? [])
    for (const [k, v] of Object.entries(containerRequests(c))) sum[k] = (sum[k] ?? 0) + v;
  for (const c of spec?.initContainers ?? [])
    for (const [k, v] of Object.entries(containerRequests(c))) sum[k] = Math.max(sum[k] ?? 0, v);
  for (const [k, v] of Object.entries(spec?.overhead ?? {})) sum[k] = (sum[k] ?? 0) + parseQuantity(v);
  return sum;
}

interface Container {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** A request defaults to its limit when only the limit is given, as the API server defaults it. */
export function containerRequests(c: Container): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(c.resources?.limits ?? {})) out[k] = parseQuantity(v);
  for (const [k, v] of Object.entries(c.resources?.requests ?? {})) out[k] = parseQuantity(v);
  return out;
}

export function qosClass(containers: Container[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = containerRequests(c);
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) if (lim[r] === undefined || parseQuantity(lim[r]) !== req[r]) guaranteed = false;
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}
