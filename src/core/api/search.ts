// `GET /api/search`: quick open over the watch caches. Every kind of RESOURCE_KINDS is searched by name in memory
// (one pass over each cache's index: no API calls once the caches are open), so it stays fast at 100k pods; only
// the hits that are shown are turned into rows.
import type { Handlers } from '../../shared/route';
import { RESOURCE_KINDS, type ResourceEntry } from '../../shared/routes/resources';
import type { SEARCH_ROUTES, SearchHit, SearchResult } from '../../shared/routes/search';
import { resolveColumns, type KObject, type KindDescriptor } from '../kube/descriptors';
import type { WatchCache } from '../kube/watchCache';
import { contextOf } from './common';
import type { ApiDeps } from './deps';

const DEFAULT_LIMIT = 50;
/** How long a search waits for caches that are still loading before it answers with the others. */
const SYNC_WAIT_MS = 1500;

/** How well `term` matches `name`: exact, prefix, at a word start (after `-`, `.`, `_`), anywhere; 0 = no match. */
export function nameScore(name: string, term: string): number {
  if (name === term) return 4;
  const at = name.indexOf(term);
  if (at < 0) return 0;
  if (at === 0) return 3;
  for (let i = at; i >= 0; i = name.indexOf(term, i + 1)) if ('-._'.includes(name[i - 1])) return 2;
  return 1;
}

/** `deploy web`, `po checkout`, `svc`: a first word naming a kind (its words or kubectl short names) narrows the search. */
function kindWords(e: ResourceEntry, d: KindDescriptor | undefined): string[] {
  return [e.one, e.many, ...(d ? [d.kind.toLowerCase(), d.plural, ...d.shortNames] : [])];
}

interface Found {
  e: ResourceEntry;
  d: KindDescriptor;
  o: KObject;
  score: number;
  /** The kind's place in RESOURCE_KINDS: pods before deployments before services… on equal names. */
  rank: number;
}

const KIND_ORDER = new Map(RESOURCE_KINDS.map((e, i) => [e.one as string, i]));

/** Best first: score, then shorter names (closer to what was typed), kind, name, namespace. */
function before(a: Found, b: Found): boolean {
  const an = a.o.metadata.name;
  const bn = b.o.metadata.name;
  const c =
    b.score - a.score ||
    an.length - bn.length ||
    a.rank - b.rank ||
    (an < bn ? -1 : an > bn ? 1 : 0) ||
    ((a.o.metadata.namespace ?? '') < (b.o.metadata.namespace ?? '')
      ? -1
      : (a.o.metadata.namespace ?? '') > (b.o.metadata.namespace ?? '')
        ? 1
        : 0);
  return c <= 0;
}

export async function search(
  deps: ApiDeps,
  p: { context?: string; q: string; namespace?: string; limit?: number },
): Promise<SearchResult> {
  const context = contextOf(deps, p.context);
  const limit = p.limit ?? DEFAULT_LIMIT;
  let terms = p.q.toLowerCase().split(/\s+/).filter(Boolean);
  const described = RESOURCE_KINDS.map((e) => {
    try {
      return { e, d: deps.kube.descriptor(context, e.kind) as KindDescriptor | undefined };
    } catch {
      return { e, d: undefined };
    }
  });
  let kinds = described;
  if (terms.length > 1) {
    const only = described.filter(({ e, d }) => kindWords(e, d).includes(terms[0]));
    if (only.length) {
      kinds = only;
      terms = terms.slice(1);
    }
  }
  // Caches open on first use and stay open. A search never waits long for one still loading (100k pods on a busy
  // machine take a while): it answers with what is in memory and names the kinds still loading, to ask again.
  const skipped: string[] = [];
  const loading: string[] = [];
  const opened = kinds.flatMap(({ e }) => {
    try {
      return [{ e, ...deps.lists.peek(context, e.kind) }];
    } catch {
      // The cluster lacks the kind (a CRD not installed): search the rest.
      skipped.push(e.many);
      return [];
    }
  });
  const pending = opened.filter((o) => !o.cache.status.synced);
  if (pending.length) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(pending.map((o) => o.cache.whenSynced().catch(() => undefined))),
      new Promise<void>((r) => (timer = setTimeout(r, SYNC_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }
  const caches: Array<{ e: ResourceEntry; cache: WatchCache; kind: KindDescriptor }> = [];
  for (const o of opened) {
    if (o.cache.status.synced) caches.push(o);
    // Refused (RBAC) or failing: nothing to search; anything else is on its way.
    else if (
      o.cache.status.error &&
      o.cache.status.error.code !== 'unreachable' &&
      o.cache.status.error.code !== 'timeout'
    )
      skipped.push(o.e.many);
    else loading.push(o.e.many);
  }
  // Only the best `limit` are kept (a sorted window, binary insertion): a broad query over 100k pods matches most of
  // them, and sorting every match would cost more than finding them.
  const top: Found[] = [];
  let total = 0;
  for (const c of caches) {
    const rank = KIND_ORDER.get(c.e.one)!;
    const objs = p.namespace && c.kind.namespaced ? c.cache.index.inNamespace(p.namespace) : c.cache.index.values();
    for (const o of objs) {
      const name = o.metadata.name.toLowerCase();
      let score = 0;
      let all = true;
      for (const t of terms) {
        const s = nameScore(name, t) || (o.metadata.namespace && `${o.metadata.namespace}/${name}`.includes(t) ? 1 : 0);
        if (!s) {
          all = false;
          break;
        }
        score = Math.max(score, s);
      }
      if (!all) continue;
      total++;
      const f: Found = { e: c.e, d: c.kind, o, score, rank };
      if (top.length === limit && before(top[limit - 1], f)) continue;
      let lo = 0;
      let hi = top.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(top[mid], f)) lo = mid + 1;
        else hi = mid;
      }
      top.splice(lo, 0, f);
      if (top.length > limit) top.pop();
    }
  }
  const now = Date.now();
  const hits = top.map(({ e, d, o }): SearchHit => {
    const h: SearchHit = { one: e.one, many: e.many, kind: d.kind, name: o.metadata.name };
    if (o.metadata.namespace) h.namespace = o.metadata.namespace;
    const status = resolveColumns(d)
      .find((col) => col.id === 'status')
      ?.get(o, now);
    if (status !== undefined && status !== '') h.status = String(status);
    return h;
  });
  const incidents = deps.incidents
    .list({ context, status: 'open', ...(p.namespace ? { namespace: p.namespace } : {}) })
    .incidents.filter((i) =>
      terms.every((t) => `${i.title} ${i.resource.namespace ?? ''}/${i.resource.name}`.toLowerCase().includes(t)),
    )
    .slice(0, 10)
    .map((i) => ({
      id: i.id,
      title: i.title,
      severity: i.severity,
      name: i.resource.name,
      ...(i.resource.namespace ? { namespace: i.resource.namespace } : {}),
    }));
  return { query: p.q, hits, incidents, total, kinds: caches.length, skipped: skipped.sort(), loading: loading.sort() };
}

export const SEARCH_HANDLERS: Handlers<typeof SEARCH_ROUTES, ApiDeps> = {
  search: async (p, deps) => search(deps, p),
};
