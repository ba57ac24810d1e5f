// Matches a request path against the route table: literal segments beat `{param}` segments, `/*` takes the rest.
import type { Route } from '../shared/route';
import { routeEntries, type RouteId } from '../shared/routeTable';

interface Compiled {
  id: RouteId;
  route: Route;
  segs: string[];
  wildcard: boolean;
  score: number;
}

const compiled: Compiled[] = routeEntries()
  .map(([id, route]) => {
    const wildcard = route.path.endsWith('/*');
    const segs = (wildcard ? route.path.slice(0, -2) : route.path).split('/').filter(Boolean);
    return {
      id,
      route,
      segs,
      wildcard,
      score: segs.filter((s) => !s.startsWith('{')).length * 10 - (wildcard ? 5 : 0),
    };
  })
  .sort((a, b) => b.score - a.score);

export interface Match {
  id: RouteId;
  route: Route;
  pathParams: Record<string, string>;
}

/** All routes whose path matches (any method), best first. */
export function matchPath(pathname: string): Match[] {
  let parts: string[];
  try {
    parts = pathname
      .split('/')
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
  } catch {
    return [];
  }
  const out: Match[] = [];
  for (const c of compiled) {
    if (c.wildcard ? parts.length < c.segs.length : parts.length !== c.segs.length) continue;
    const pathParams: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < c.segs.length && ok; i++) {
      const s = c.segs[i];
      if (s.startsWith('{')) pathParams[s.slice(1, -1)] = parts[i];
      else ok = s === parts[i];
    }
    if (!ok) continue;
    if (c.wildcard) pathParams.path = parts.slice(c.segs.length).join('/');
    out.push({ id: c.id, route: c.route, pathParams });
  }
  return out;
}

export function methodMatches(route: Route, method: string, upgrade: boolean): boolean {
  if (route.method === 'WS') return upgrade;
  if (upgrade) return false;
  if (route.method === 'ANY') return true;
  return route.method === method || (method === 'HEAD' && route.method === 'GET');
}
