// The cluster scope every page follows: the namespaces (one reactive input read by tables, counts, charts, incidents
// and events; reading `scopeKey()` inside a loader's `key` or an effect re-requests the page's data when the picker
// changes) and the context (switched the same way from the header's picker and from the palette).
import { toApiError } from '../host/apiError';
import { api, namespaces, navigate, saveNamespaces, setContext, toast } from './app';
import { refetchKinds } from './kinds';
import { startLive } from './live';

/** Changes whenever the chosen namespaces change (a cluster switch remounts the page). */
export const scopeKey = (): string => namespaces().join(',');

/** The one namespace to ask the server for, or '' (all namespaces; several are filtered here). */
export const oneNamespace = (): string => (namespaces().length === 1 ? namespaces()[0] : '');

/** Whether an object of this namespace belongs on screen; cluster-scoped objects (no namespace) always do. */
export function inScope(namespace: string | undefined, chosen: string[] = namespaces()): boolean {
  return chosen.length === 0 || namespace === undefined || namespace === '' || chosen.includes(namespace);
}

/** Switches to a kubeconfig context: its namespaces, kinds and live updates; pages re-read from the dashboard. */
export async function switchContext(name: string): Promise<boolean> {
  try {
    await api().call('clusters.switch', { contextName: name });
    setContext(name);
    saveNamespaces([]);
    startLive();
    refetchKinds();
    toast(`Switched to ${name}`, 'ok');
    navigate('dashboard');
    return true;
  } catch (e) {
    toast(`Cannot switch to ${name}: ${toApiError(e).message}`, 'danger');
    return false;
  }
}
