// What the Incidents view lists: the open incidents of the current context in the namespaces in view, as the
// dashboard panel and the status bar count them. Contexts visited earlier keep their detection running (switching back is instant), but their
// records are not this context's: listing them here made the view, the badge and the panel disagree (an admin
// context sees a NotReady node that a read-only context of the same cluster cannot). No `vscode` import.
import type { Incident } from '../shared/incidents';

/**
 * `scope`: the namespaces in view (empty: all). With a scope, only incidents about an object in one of them, as the
 * dashboard's incident feed counts them (a node's incident is outside every namespace).
 */
export function currentContextIncidents(
  all: Incident[],
  current: string | undefined,
  shown: (i: Incident) => boolean = () => true,
  scope: string[] = [],
): Incident[] {
  const inScope = (i: Incident) =>
    !scope.length || (i.resource.namespace !== undefined && scope.includes(i.resource.namespace));
  return current === undefined
    ? []
    : all.filter((i) => i.context === current && i.status === 'open' && inScope(i) && shown(i));
}
