// HTML for the dashboard webview: a strict Content-Security-Policy with a fresh nonce per load, asset URLs mapped
// through asWebviewUri, and VS Code's theme variables. No `vscode` import: the panel host passes what it needs.
import { randomBytes } from 'node:crypto';

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** Scripts only with our nonce; styles and images only from the extension; no network from the webview at all. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    // Solid's templates may carry style attributes; scripts stay nonce-only.
    `style-src ${cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Turns the Solid app's built index.html into webview HTML: relative and root-relative asset URLs go through `toUri`,
 * every script gets the nonce, the CSP meta goes first in <head>, and a tiny boot script tells the app its transport.
 */
export function appHtml(indexHtml: string, toUri: (relPath: string) => string, cspSource: string, nonce: string, boot: Record<string, unknown>): string {
  let html = indexHtml.replace(/\b(src|href)="(?!https?:|data:|#|vscode-)(\.?\/)?([^"]+)"/g, (_m, attr: string, _p, path: string) => `${attr}="${escapeAttr(toUri(path))}"`);
  html = html.replace(/<script(?![^>]*\bnonce=)/g, `<script nonce="${nonce}"`);
  const head = [
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(cspSource, nonce))}">`,
    `<script nonce="${nonce}">window.__KUBEGRAF__ = ${JSON.stringify(boot).replace(/</g, '\\u003c')};</script>`,
  ].join('\n');
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => `${h}\n${head}`) : `${head}\n${html}`;
}

/**
 * The built-in page, used while the Solid app (webviews/ → dist/webview) is not built: a cluster overview drawn from
 * the engine through the same message bridge the app uses.
 */
export function overviewHtml(cspSource: string, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>KubeGraf</title>
<style>
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 12px 20px; }
  h1 { font-size: 1.4em; font-weight: 600; margin: 0 0 4px; }
  h2 { font-size: 1.1em; font-weight: 600; margin: 18px 0 6px; }
  .muted { color: var(--vscode-descriptionForeground); }
  .cards { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 12px; }
  .card { border: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, #8884)); border-radius: 4px; padding: 8px 14px; min-width: 110px; }
  .card .n { font-size: 1.6em; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid var(--vscode-panel-border, #8883); white-space: nowrap; }
  th { color: var(--vscode-descriptionForeground); font-weight: 600; }
  .bad { color: var(--vscode-errorForeground); }
  .warn { color: var(--vscode-editorWarning-foreground); }
  .ok { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); }
  .error { color: var(--vscode-errorForeground); border: 1px solid var(--vscode-inputValidation-errorBorder, currentColor); padding: 8px; }
</style>
</head>
<body>
<h1 id="title">KubeGraf</h1>
<div id="subtitle" class="muted">Loading cluster data…</div>
<div id="content"></div>
<script nonce="${nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  let seq = 0;
  const waiting = new Map();
  function request(type, params) {
    const id = ++seq;
    vscode.postMessage({ type: 'request', id, method: 'KUBEGRAF', path: type, params: params || {} });
    return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
  }
  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m && m.type === 'response' && waiting.has(m.id)) {
      const w = waiting.get(m.id); waiting.delete(m.id);
      m.ok ? w.resolve(m.result) : w.reject(m.error);
    } else if (m && m.type === 'event' && m.topic === 'changed') {
      load();
    }
  });
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const k of kids) e.append(k && k.nodeType ? k : document.createTextNode(String(k)));
    return e;
  }
  function statusClass(s, ready) {
    if (/CrashLoopBackOff|Error|OOMKilled|ImagePull|Failed|Evicted/.test(s)) return 'bad';
    if (s === 'Running') { const [r, t] = ready.split('/'); return r === t ? 'ok' : 'warn'; }
    if (s === 'Completed' || s === 'Succeeded') return 'muted';
    return 'warn';
  }
  function render(o) {
    document.getElementById('title').textContent = 'KubeGraf · ' + o.context;
    document.getElementById('subtitle').textContent = o.server + (o.serverVersion ? ' · ' + o.serverVersion : '') + ' · ' + o.connection;
    const c = document.getElementById('content');
    c.replaceChildren();
    const cards = el('div', { class: 'cards' });
    for (const [label, n] of [['Nodes', o.nodes.length], ['Namespaces', o.namespaces.length], ['Pods', o.pods.length], ['Pods not ready', o.pods.filter((p) => statusClass(p.status, p.ready) !== 'ok' && p.status !== 'Completed').length], ['Deployments', o.deployments.length]]) {
      cards.append(el('div', { class: 'card' }, el('div', { class: 'n' }, n), el('div', { class: 'muted' }, label)));
    }
    c.append(cards);
    c.append(el('h2', {}, 'Nodes'));
    const nt = el('table', { id: 'nodes' }, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Status'), el('th', {}, 'Version')));
    for (const n of o.nodes) nt.append(el('tr', {}, el('td', {}, n.name), el('td', { class: n.status.startsWith('Ready') ? 'ok' : 'bad' }, n.status), el('td', {}, n.version)));
    c.append(nt);
    c.append(el('h2', {}, 'Pods'));
    const pt = el('table', { id: 'pods' }, el('tr', {}, el('th', {}, 'Namespace'), el('th', {}, 'Name'), el('th', {}, 'Ready'), el('th', {}, 'Status'), el('th', {}, 'Restarts')));
    for (const p of o.pods) pt.append(el('tr', {}, el('td', {}, p.namespace), el('td', {}, p.name), el('td', {}, p.ready), el('td', { class: statusClass(p.status, p.ready) }, p.status), el('td', {}, p.restarts)));
    c.append(pt);
  }
  let loading = false;
  function load() {
    if (loading) return;
    loading = true;
    request('overview').then(render, (e) => {
      const c = document.getElementById('content');
      document.getElementById('subtitle').textContent = '';
      c.replaceChildren(el('div', { class: 'error' }, (e && e.message) || String(e)));
    }).finally(() => { loading = false; });
  }
  load();
})();
</script>
</body>
</html>`;
}
