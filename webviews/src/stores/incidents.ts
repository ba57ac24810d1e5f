// The one source of every open-incident count on screen: the sidebar badge, the incident list (its rows and severity
// chips), the dashboard and the SRE Agent page all read this feed, so they cannot disagree. One request keeps it
// current (every few seconds, and at once after a rescan, a fix or a cluster switch); the namespace picker scopes it
// on the spot, since it filters what is already here.
import { createEffect, createMemo, createRoot, createSignal, on, type Accessor } from 'solid-js';
import type { Incident, Severity } from '../../../src/shared/incidents';
import { toApiError, type ApiError } from '../host/apiError';
import { api, context, namespaces } from './app';

const REFRESH_MS = 5_000;

export interface IncidentCounts {
  total: number;
  bySeverity: Record<Severity, number>;
}

export interface IncidentFeed {
  /** Open incidents in the namespace scope (cluster-level ones only when every namespace is shown); undefined until the first answer. */
  open: Accessor<Incident[] | undefined>;
  counts: Accessor<IncidentCounts | undefined>;
  error: Accessor<ApiError | undefined>;
  /** Detection has seen every watched kind once (until then counts may still grow). */
  synced: Accessor<boolean>;
  reload: () => Promise<void>;
}

/** Scoped to the chosen namespaces: with a scope, only incidents about an object in one of them. */
export function inScope(list: readonly Incident[], ns: readonly string[]): Incident[] {
  return ns.length
    ? list.filter((i) => i.resource.namespace !== undefined && ns.includes(i.resource.namespace))
    : [...list];
}

export function countOf(list: readonly Incident[]): IncidentCounts {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const i of list) bySeverity[i.severity]++;
  return { total: list.length, bySeverity };
}

let feed: IncidentFeed | undefined;

function make(): IncidentFeed {
  return createRoot(() => {
    const [all, setAll] = createSignal<Incident[] | undefined>();
    const [error, setError] = createSignal<ApiError | undefined>();
    const [synced, setSynced] = createSignal(false);
    let gen = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reload = async () => {
      const g = ++gen;
      clearTimeout(timer);
      try {
        const r = await api().call('incidents.list', { status: 'open', ...(context() ? { context: context() } : {}) });
        if (g !== gen) return;
        setAll(r.incidents.filter((i) => i.status === 'open'));
        setSynced(r.synced);
        setError(undefined);
      } catch (e) {
        if (g === gen) setError(toApiError(e));
      } finally {
        if (g === gen) timer = setTimeout(() => void reload(), REFRESH_MS);
      }
    };
    // Another cluster: its own incidents, at once.
    createEffect(on(context, () => void reload()));
    const open = createMemo(() => {
      const l = all();
      return l && inScope(l, namespaces());
    });
    const counts = createMemo(() => {
      const l = open();
      return l && countOf(l);
    });
    return { open, counts, error, synced, reload };
  });
}

export const incidentFeed = (): IncidentFeed => (feed ??= make());
export const reloadIncidents = (): Promise<void> => incidentFeed().reload();
