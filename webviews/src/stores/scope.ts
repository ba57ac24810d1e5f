// The namespace scope every page follows: one reactive input read by tables, counts, charts, incidents and events.
// Reading `scopeKey()` inside a loader's `key` (or an effect) re-requests the page's data when the picker changes.
import { namespaces } from './app';

/** Changes whenever the chosen namespaces change (a cluster switch remounts the page). */
export const scopeKey = (): string => namespaces().join(',');

/** The one namespace to ask the server for, or '' (all namespaces; several are filtered here). */
export const oneNamespace = (): string => (namespaces().length === 1 ? namespaces()[0] : '');

/** Whether an object of this namespace belongs on screen; cluster-scoped objects (no namespace) always do. */
export function inScope(namespace: string | undefined, chosen: string[] = namespaces()): boolean {
  return chosen.length === 0 || namespace === undefined || namespace === '' || chosen.includes(namespace);
}
