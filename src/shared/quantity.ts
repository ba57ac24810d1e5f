// Kubernetes resource quantities (`100m`, `1.5Gi`, `2e3`, `512Mi`) as numbers of base units: cores, bytes, counts.
// client-node's quantityToScalar refuses fractions with a suffix (`1.5Gi`), which pod specs carry.

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
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A quantity in base units; NaN when it is absent or not a quantity (so a missing limit stays visibly missing). */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return NaN;
  const m = /^([+-]?\d*\.?\d+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m || !(m[2] in SUFFIX)) return NaN;
  const v = Number(m[1]);
  const scale = SUFFIX[m[2]];
  // Divide for the sub-unit suffixes: 250n is 250 / 1e9 exactly, not 250 × 1e-9.
  return scale < 1 ? v / Math.round(1 / scale) : v * scale;
}

/** The same, with 0 for what is absent or not a quantity: for sums and usage ratios. */
export function quantity(q: unknown): number {
  const v = parseQuantity(q);
  return Number.isFinite(v) ? v : 0;
}
