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

/** Memoizes one answer per key prefix (context, namespace…) for each deps, recomputed when `version` changes. */
export class Memo<T> {
  private readonly last = new WeakMap<ApiDeps, Map<string, { version: string; value: Promise<T> }>>();

  async get(deps: ApiDeps, key: string, version: string, compute: () => Promise<T>): Promise<T> {
    let m = this.last.get(deps);
    if (!m) this.last.set(deps, (m = new Map()));
    const hit = m.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = compute();
    m.set(key, { version, value });
    // A failure is not kept: the next call computes again.
    value.catch(() => m!.get(key)?.value === value && m!.delete(key));
    return value;
  }
}
