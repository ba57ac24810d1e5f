// Switching the cluster the app shows: the same steps from the header's picker and from the palette.
import { toApiError } from '../host/apiError';
import { api, navigate, saveNamespaces, setContext, toast } from './app';
import { refetchKinds } from './kinds';
import { startLive } from './live';

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
