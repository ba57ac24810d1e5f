// What the Incidents view lists: the open incidents of the current context, as the dashboard panel and the status
// bar count them. Contexts visited earlier keep their detection running (switching back is instant), but their
// records are not this context's: listing them here made the view, the badge and the panel disagree (an admin
// context sees a NotReady node that a read-only context of the same cluster cannot). No `vscode` import.
import type { Incident } from '../shared/incidents';

export function currentContextIncidents(
  all: Incident[],
  current: string | undefined,
  shown: (i: Incident) => boolean = () => true,
): Incident[] {
  return current === undefined ? [] : all.filter((i) => i.context === current && i.status === 'open' && shown(i));
}
