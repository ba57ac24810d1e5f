// Limits every YAML and JSON entry point applies, so no request can stall the process with a small hostile body.

/** Deepest nesting accepted in a request body or a manifest (Kubernetes objects, CRD schemas included, stay far below). */
export const MAX_DEPTH = 100;

/** True when a parsed JSON/YAML value nests deeper than `max` (iterative: a hostile value cannot overflow the stack). */
export function nestedDeeperThan(value: unknown, max = MAX_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

/**
 * A cheap look at text before a parser sees it: flow collections (`[`, `{`) opened deeper than `max`. Brackets in
 * quoted strings count too, which only matters for text no manifest contains (over a hundred open brackets in a row).
 */
export function flowNestingDeeperThan(text: string, max = MAX_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return false;
}
