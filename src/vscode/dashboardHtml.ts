// HTML for the dashboard webview: a strict Content-Security-Policy with a fresh nonce per load, asset URLs mapped
// through asWebviewUri, and VS Code's theme variables. No `vscode` import: the panel host passes what it needs.
import { randomBytes } from 'node:crypto';

export function makeNonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
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
export function appHtml(
  indexHtml: string,
  toUri: (relPath: string) => string,
  cspSource: string,
  nonce: string,
  boot: Record<string, unknown>,
): string {
  let html = indexHtml.replace(
    /\b(src|href)="(?!https?:|data:|#|vscode-)(\.?\/)?([^"]+)"/g,
    (_m, attr: string, _p, path: string) => `${attr}="${escapeAttr(toUri(path))}"`,
  );
  html = html.replace(/<script(?![^>]*\bnonce=)/g, `<script nonce="${nonce}"`);
  const head = [
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(cspSource, nonce))}">`,
    `<script nonce="${nonce}">window.__KUBEGRAF__ = ${JSON.stringify(boot).replace(/</g, '\\u003c')};</script>`,
  ].join('\n');
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => `${h}\n${head}`) : `${head}\n${html}`;
}

/** What the panel shows when the Solid app was not built (a development checkout before `npm run build`): no script. */
export function missingAppHtml(cspSource: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(cspSource, 'none'))}">
<title>KubeGraf</title>
<style>body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 16px 20px; }</style>
</head>
<body>
<h1>KubeGraf</h1>
<p>The dashboard UI is not built in this copy of the extension (dist/webview is missing). Run <code>npm run build</code> and reopen the panel.</p>
</body>
</html>`;
}
