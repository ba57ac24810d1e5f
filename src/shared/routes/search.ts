// Quick open (the palette's Ctrl+K): objects of every kind found by name in the watch caches, plus open incidents.
import { z } from 'zod';
import type { Severity } from '../incidents';
import { route } from '../route';
import { base, int, namespaceFilter } from './params';

/** One object found by name. `one`/`many` are its RESOURCE_KINDS words, so a face opens it through the kind's routes. */
export interface SearchHit {
  one: string;
  many: string;
  /** The Kubernetes kind (`Pod`, `Deployment`). */
  kind: string;
  name: string;
  namespace?: string;
  status?: string;
}

export interface SearchIncidentHit {
  id: string;
  title: string;
  severity: Severity;
  namespace?: string;
  name: string;
}

export interface SearchResult {
  query: string;
  /** Best first: exact names, then prefixes, then matches at a word start, then anywhere in the name. */
  hits: SearchHit[];
  incidents: SearchIncidentHit[];
  /** Objects that matched, before `limit`. */
  total: number;
  /** Kinds searched; kinds the cluster lacks or refuses are `skipped`. */
  kinds: number;
  skipped: string[];
  /** Kinds whose objects are still being loaded into memory (the first search of a big cluster): ask again shortly. */
  loading: string[];
}

export const searchParams = z.object({
  ...base,
  q: z.string().trim().min(1, 'type something to search for').max(253, 'is longer than any object name'),
  namespace: namespaceFilter,
  limit: int(1, 200).optional(),
});

export const SEARCH_ROUTES = {
  search: route<SearchResult>()(
    'GET',
    '/api/search',
    'kube',
    'Find objects of every kind by name (all namespaces unless namespace is given; "deploy web" limits to a kind) and open incidents, from the watch caches',
    searchParams,
  ),
} as const;
