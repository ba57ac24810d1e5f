// Resource quantities ("250m", "1.5Gi", "2") to numbers and back, with a cache: the scale scenario
// parses the same few strings a hundred thousand times.

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};
const cache = new Map<string, number>();

/** The quantity in base units (cores, bytes, count). Unparseable input is 0. */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined || q === null) return 0;
  if (typeof q === 'number') return q;
  let v = cache.get(q);
  if (v !== undefined) return v;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(q.trim());
  v = m && m[2] in SUFFIX ? Number(m[1]) * SUFFIX[m[2]] : 0;
  if (!Number.isFinite(v)) v = 0;
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
