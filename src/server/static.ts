// The dashboard shell: the built Solid app from dist/webview/ when present, else a small page that shows the
// connection status and says the UI is not built. Paths are resolved inside the root; nothing outside is served.
import { existsSync, promises as fs, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

export function findWebviewDir(explicit?: string): string | undefined {
  const candidates = [
    explicit,
    join(__dirname, 'webview'),
    join(__dirname, '..', '..', 'dist', 'webview'),
    join(process.cwd(), 'dist', 'webview'),
  ];
  return candidates.find((d) => d && existsSync(join(d, 'index.html')));
}

const CSP =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export async function serveStatic(
  root: string | undefined,
  pathname: string,
  res: ServerResponse,
  head: boolean,
): Promise<void> {
  res.setHeader('Content-Security-Policy', CSP);
  if (!root) return send(res, 200, TYPES['.html'], Buffer.from(FALLBACK_PAGE), head);
  const base = resolve(root);
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', Buffer.from('bad path'), head);
  }
  let file = resolve(base, '.' + rel);
  if (file !== base && !file.startsWith(base + sep))
    return send(res, 404, 'text/plain; charset=utf-8', Buffer.from('not found'), head);
  if (file === base) file = join(base, 'index.html');
  if (!existsSync(file) || statSync(file).isDirectory()) {
    // A missing asset is a plain 404; any other path is a page a person asked for: say so, with a way back. (The app
    // routes with `#/`, and its relative asset URLs would not load under a deeper path anyway.)
    if (extname(rel)) return send(res, 404, 'text/plain; charset=utf-8', Buffer.from('not found'), head);
    return send(res, 404, TYPES['.html'], Buffer.from(notFoundPage(pathname)), head);
  }
  const body = await fs.readFile(file);
  res.setHeader('Cache-Control', file.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600');
  send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body, head);
}

function send(res: ServerResponse, status: number, type: string, body: Buffer, head: boolean): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
  res.end(head ? undefined : body);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page for a path the server does not have. The link back is relative (`../../`) so it also leads home when a
 * proxy serves the dashboard under a prefix (code-server's `/proxy/<port>/`).
 */
export function notFoundPage(pathname: string): string {
  const depth = Math.max(0, (pathname.match(/\//g)?.length ?? 1) - 1);
  const home = depth ? '../'.repeat(depth) : './';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Page not found · KubeGraf</title>
<style>:root{color-scheme:light dark}body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2328;background:#fff}
main{padding:1.5rem 1.75rem;border:1px solid #d0d7de;border-radius:8px}h1{margin:0 0 .5rem;font-size:1.5rem}code{background:#f2f3f5;padding:.1rem .3rem;border-radius:4px;overflow-wrap:anywhere}
a.btn{display:inline-block;margin-top:1rem;padding:.45rem 1rem;border-radius:4px;background:#0b62c4;color:#fff;text-decoration:none}a.btn:focus-visible{outline:2px solid #0b62c4;outline-offset:2px}
@media (prefers-color-scheme:dark){body{background:#1e1e1e;color:#e6e6e6}main{border-color:#3c3c3c}code{background:#2d2d2d}a.btn{background:#0e639c}}</style></head>
<body><main data-testid="not-found"><p>KubeGraf</p><h1>Page not found</h1>
<p>There is no page at <code>${escapeHtml(pathname)}</code>. The link may be old or mistyped.</p>
<a class="btn" href="${home}" data-testid="not-found-home">Go to the dashboard</a></main></body></html>`;
}

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>KubeGraf</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
code{background:#f2f3f5;padding:.1rem .3rem;border-radius:4px}.s{padding:1rem;border:1px solid #d0d7de;border-radius:8px}</style>
<script src="/__kubegraf/status.js" defer></script></head>
<body><h1>KubeGraf</h1>
<p><strong>The dashboard UI is not built.</strong> Run <code>npm run build</code> (it writes <code>dist/webview/</code>) and reload.
The API is up: every documented <code>/api/*</code> route answers with the launch token.</p>
<div class="s" id="status">Checking the cluster connection…</div>
</body></html>`;

/** Served as a file so the page needs no inline script (the CSP forbids them). */
export const FALLBACK_STATUS_JS = `fetch('/api/status',{credentials:'same-origin'}).then(r=>r.json()).then(s=>{
const e=document.getElementById('status');
if(s.error){e.textContent='Not signed in: open the URL the server printed (it carries ?token=).';return;}
e.textContent=(s.demo?'Demo mode — the built-in simulated cluster. ':'')+'Context '+s.context+': '+(s.connected?'connected':s.connection.state)+(s.kubeVersion?' (Kubernetes '+s.kubeVersion+')':'')+(s.nodeCount!=null?', '+s.nodeCount+' nodes':'')+(s.namespaceCount!=null?', '+s.namespaceCount+' namespaces':'')+'.';
}).catch(()=>{document.getElementById('status').textContent='The server did not answer.';});`;
