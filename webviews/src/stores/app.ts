// Global UI state: where we are, which cluster and namespaces, theme, toasts. Solid signals, one module.
import { createSignal } from 'solid-js';
import type { Api } from '../api/api';
import { parseHash, toHash } from '../model/nav';

let apiRef: Api | undefined;
export const setApi = (a: Api): void => {
  apiRef = a;
};
export const api = (): Api => {
  if (!apiRef) throw new Error('api used before the host was set up');
  return apiRef;
};

// ---------- router (hash based: works from a file-less webview and a plain static server alike) ----------

const initial = parseHash(typeof location === 'undefined' ? '' : location.hash);
const [route, setRoute] = createSignal(initial);
export { route };

export function navigate(page: string, params: Record<string, string> = {}): void {
  const h = toHash(page, params);
  if (location.hash !== h) history.pushState(null, '', h);
  setRoute(parseHash(h));
}

export function startRouter(): void {
  window.addEventListener('hashchange', () => setRoute(parseHash(location.hash)));
  window.addEventListener('popstate', () => setRoute(parseHash(location.hash)));
  // Page links route in-app: the VS Code webview host swallows `<a href="#/…">` clicks (and Enter on a link, which is
  // a click), so relying on the browser's hash navigation would leave the panel where it was.
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a[href^="#/"]');
    if (!a || a.getAttribute('target')) return;
    e.preventDefault();
    const { page, params } = parseHash(a.getAttribute('href')!);
    navigate(page, params);
  });
}

// ---------- cluster scope ----------

export const [context, setContext] = createSignal<string>('');
/** Selected namespaces; empty = all namespaces. */
export const [namespaces, setNamespaces] = createSignal<string[]>(readJson('kubegraf.namespaces', []));
let scopeSink: ((ns: string[]) => void) | undefined;
/** Where a choice of namespaces is also told (the VS Code host, whose side bar and status bar follow). */
export const setScopeSink = (fn: (ns: string[]) => void): void => {
  scopeSink = fn;
};
export const saveNamespaces = (ns: string[]): void => {
  setNamespaces(ns);
  writeJson('kubegraf.namespaces', ns);
  scopeSink?.(ns);
};

// ---------- theme ----------

export type Theme = 'light' | 'dark';
export const [theme, setThemeSignal] = createSignal<Theme>(
  readJson<Theme>('kubegraf.theme', matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark'),
);
export function setTheme(t: Theme): void {
  setThemeSignal(t);
  writeJson('kubegraf.theme', t);
  applyTheme();
}
/** In the browser our classes drive the --vscode-* variables; inside VS Code the editor owns the theme. */
export function applyTheme(face: 'browser' | 'vscode' = apiRef?.face ?? 'browser'): void {
  if (face !== 'browser') return;
  document.body.classList.toggle('vscode-light', theme() === 'light');
  document.body.classList.toggle('vscode-dark', theme() === 'dark');
  document.body.dataset.theme = theme();
}

// ---------- palette, toasts ----------

export const [paletteOpen, setPaletteOpen] = createSignal(false);

export interface Toast {
  id: number;
  tone: 'ok' | 'danger' | 'info';
  text: string;
}
export const [toasts, setToasts] = createSignal<Toast[]>([]);
let toastId = 0;
export function toast(text: string, tone: Toast['tone'] = 'info'): void {
  const id = ++toastId;
  setToasts((t) => [...t.slice(-4), { id, tone, text }]);
  setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), tone === 'danger' ? 9000 : 4500);
}

function readJson<T>(k: string, d: T): T {
  try {
    const v = typeof localStorage === 'undefined' ? null : localStorage.getItem(k);
    return v ? (JSON.parse(v) as T) : d;
  } catch {
    return d;
  }
}
function writeJson(k: string, v: unknown): void {
  try {
    localStorage.setItem(k, JSON.stringify(v));
  } catch {
    // Storage disabled (some webview setups): the choice lasts for this session only.
  }
}
