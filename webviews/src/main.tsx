// Entry: pick the transport for where we run (VS Code webview or browser tab), then mount the app.
import { render } from 'solid-js/web';
import { App } from './app';
import { Api } from './api/api';
import { apiBase, HttpTransport, takeLaunchToken } from './host/httpTransport';
import { inVsCode, VsCodeTransport } from './host/vscodeTransport';
import {
  applyTheme,
  navigate,
  route,
  setApi,
  setContext,
  setNamespaces,
  setScopeSink,
  startRouter,
} from './stores/app';
import { registerToolkit } from './ui/toolkit';
import './styles.css';
import './styles/a11y.css';
import './styles/readable.css';

function download(name: string, content: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function boot(): void {
  registerToolkit();
  let face: 'browser' | 'vscode';
  // The VS Code panel host writes a boot object before the app loads (transport, the context it shows).
  const boot = (globalThis as { __KUBEGRAF__?: { context?: string; page?: string; namespaces?: string[] } })
    .__KUBEGRAF__;
  if (boot?.context) setContext(boot.context);
  // In VS Code the host holds the scope (the side bar and status bar show it): the panel starts from it.
  if (Array.isArray(boot?.namespaces)) setNamespaces(boot.namespaces);
  if (boot?.page) navigate(boot.page);
  if (inVsCode()) {
    const t = new VsCodeTransport(window);
    setApi(new Api(t));
    t.onNavigate((page, params) => navigate(page, params));
    t.onScope((ns) => setNamespaces(ns));
    setScopeSink((ns) => t.scope(ns));
    t.ready(route().page);
    face = 'vscode';
  } else {
    let storage: Storage | undefined;
    try {
      storage = sessionStorage;
    } catch {
      storage = undefined;
    }
    const token = takeLaunchToken(location.href, (u) => history.replaceState(history.state, '', u), storage);
    // The page's directory, not the origin: behind code-server's proxy the app lives under `/proxy/<port>/`.
    setApi(new Api(new HttpTransport(apiBase(location.href), token, download)));
    face = 'browser';
  }
  document.body.classList.add(face === 'browser' ? 'kg-browser' : 'kg-vscode');
  applyTheme(face);
  startRouter();
  const root = document.getElementById('root');
  if (root) render(() => <App />, root);
}

boot();
