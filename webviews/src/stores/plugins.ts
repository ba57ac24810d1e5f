// Which plugins are on: the sidebar, the command palette and the router hide the pages of a plugin that is off. One
// request keeps it current (every few seconds, when the window gets focus, and at once after a switch here), so a
// plugin turned off in another tab or in the VS Code panel disappears here too.
import { createSignal } from 'solid-js';
import { pluginOfPage, type PluginDef } from '../../../src/shared/plugins';
import type { PluginRow } from '../../../src/shared/routes/integrations';
import { toApiError, type ApiError } from '../host/apiError';
import { api, context } from './app';

const REFRESH_MS = 8_000;

const [rows, setRows] = createSignal<PluginRow[] | undefined>();
const [error, setError] = createSignal<ApiError | undefined>();
export { rows as pluginRows, error as pluginsError };

let gen = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let started = false;

export async function reloadPlugins(): Promise<void> {
  const g = ++gen;
  clearTimeout(timer);
  try {
    const r = await api().call('plugins.list', context() ? { context: context() } : {});
    if (g !== gen) return;
    setRows(r.plugins);
    setError(undefined);
  } catch (e) {
    if (g === gen) setError(toApiError(e));
  } finally {
    if (g === gen && started) timer = setTimeout(() => void reloadPlugins(), REFRESH_MS);
  }
}

/** Starts following the plugins (once; the shell calls it). */
export function startPlugins(): void {
  if (started) return;
  started = true;
  void reloadPlugins();
  window.addEventListener('focus', () => void reloadPlugins());
}

/** The plugin that hides this page because it is off, if any (unknown until the first answer: nothing is hidden). */
export function pluginOff(pageId: string): PluginDef | undefined {
  const p = pluginOfPage(pageId);
  if (!p) return undefined;
  return rows()?.find((r) => r.name === p.name)?.enabled === false ? p : undefined;
}

export const pageHidden = (pageId: string): boolean => pluginOff(pageId) !== undefined;

/** Turns a plugin on or off; the pages follow at once. Resolves with the server's message. */
export async function setPluginEnabled(name: string, enabled: boolean): Promise<string> {
  const r = await api().call('plugins.enable', { name, enabled });
  setRows((cur) => cur?.map((x) => (x.name === name ? { ...x, enabled } : x)));
  void reloadPlugins();
  return r.message;
}
