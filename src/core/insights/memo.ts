// The last answer of an analysis, kept until something it reads changes: the watch caches of its kinds (their list
// and event counters), a new metrics sample, the prices, the clock's minute. At 100k pods the analyses take seconds
// to compute on a loaded machine; a page that asks again (another tab, a namespace switch back, the details drawer)
// gets the answer from memory in milliseconds.
import type { ApiDeps } from '../api/deps';

/** A version of the watch caches of `kinds`: it changes whenever one of them lists again or applies an event. */
export async function cacheVersion(deps: ApiDeps, context: string, kinds: string[]): Promise<string> {
  const parts: string[] = [];
  for (const k of kinds) {
    try {
      deps.kube.descriptor(context, k);
    } catch {
      parts.push('-');
      continue;
    }
    const { cache } = await deps.lists.cache(context, k);
    parts.push(`${cache.stats.lists}.${cache.stats.relists}.${cache.stats.events}`);
  }
  return parts.join('|');
}

/**
 * Memoizes one answer per key prefix (context, namespace…) for each deps, recomputed when `version` changes.
 *
 * `refresh` is a second, softer version (a new metrics sample): when only it changed, the last answer is returned at
 * once and the new one is computed in the background, as OpenCost serves allocation computed on an interval. A change
 * the user made (an object, a price) is in `version` and is never answered from before it.
 */
export class Memo<T> {
  private readonly last = new WeakMap<
    ApiDeps,
    Map<string, { version: string; refresh?: string; value: Promise<T>; settled?: T; next?: Promise<T> }>
  >();

  async get(deps: ApiDeps, key: string, version: string, compute: () => Promise<T>, refresh?: string): Promise<T> {
    let m = this.last.get(deps);
    if (!m) this.last.set(deps, (m = new Map()));
    const hit = m.get(key);
    if (hit && hit.version === version) {
      if (hit.refresh === refresh) return hit.value;
      if (hit.settled !== undefined) {
        if (!hit.next) {
          // After this answer is on its way: the computation holds the event loop while it runs.
          const next = new Promise<void>((r) => setImmediate(r)).then(compute);
          hit.next = next;
          next.then(
            (v) => {
              if (m!.get(key) === hit) m!.set(key, { version, refresh, value: next, settled: v });
            },
            () => {
              if (hit.next === next) hit.next = undefined;
            },
          );
        }
        return hit.settled;
      }
    }
    const value = compute();
    const entry: { version: string; refresh?: string; value: Promise<T>; settled?: T } = { version, refresh, value };
    m.set(key, entry);
    // A failure is not kept: the next call computes again.
    value.then(
      (v) => (entry.settled = v),
      () => m!.get(key) === entry && m!.delete(key),
    );
    return value;
  }
}
