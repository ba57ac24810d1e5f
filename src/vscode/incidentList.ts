// What the Incidents view lists: open incidents, one per cluster and resource. Two contexts of one API server (an
// admin and a read-only viewer) watch the same objects, so their records are one incident. No `vscode` import.
import type { Incident } from '../shared/incidents';

export interface IncidentListing {
  incidents: Incident[];
  /** More than one cluster contributes: each row names its context. */
  manyClusters: boolean;
}

/** `clusterOf` names a context's cluster (its server URL); the current context's record wins, else the newest. */
export function oncePerCluster(
  all: Incident[],
  clusterOf: (context: string) => string,
  current: string | undefined,
  shown: (i: Incident) => boolean = () => true,
): IncidentListing {
  const best = new Map<string, Incident>();
  const mine = (x: Incident) => (x.context === current ? 1 : 0);
  for (const i of all) {
    if (i.status !== 'open' || !shown(i)) continue;
    const key = [clusterOf(i.context), i.type, i.resource.kind, i.resource.namespace ?? '', i.resource.name].join('|');
    const had = best.get(key);
    if (!had || mine(i) > mine(had) || (mine(i) === mine(had) && i.lastSeen > had.lastSeen)) best.set(key, i);
  }
  const incidents = [...best.values()];
  return { incidents, manyClusters: new Set(incidents.map((i) => clusterOf(i.context))).size > 1 };
}
