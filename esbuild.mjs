// Builds the CLI (`kubegraf`), the VS Code extension bundle and the Solid app.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

// client-node loads its OIDC libraries (openid-client, oauth4webapi) at start-up, and they read `navigator` when they
// load, which VS Code's extension host reports as a PendingMigrationError. Only kubeconfigs with an `oidc` auth
// provider use them: load them on that first use instead.
const lazyOidc = {
  name: 'lazy-oidc',
  setup(b) {
    b.onResolve({ filter: /^openid-client$/ }, (args) =>
      args.importer.includes('client-node') ? { path: 'lazy-openid-client', namespace: 'lazy-oidc' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-oidc' }, () => ({
      resolveDir: process.cwd(),
      contents: [
        "const load = () => import('openid-client');",
        'export const discovery = async (...a) => (await load()).discovery(...a);',
        'export const refreshTokenGrant = async (...a) => (await load()).refreshTokenGrant(...a);',
      ].join('\n'),
    }));
  },
};

const common = {
  plugins: [lazyOidc],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
  // Optional native/transport deps of client-node and ws stay external.
  external: ['bufferutil', 'utf-8-validate', 'node-pty'],
});

// The store's sql.js WASM beside the bundles: the installed extension and the CLI have no node_modules to load it from.
mkdirSync('dist', { recursive: true });
copyFileSync(createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');

if (existsSync('src/vscode/extension.ts')) {
  await build({
    ...common,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode', 'bufferutil', 'utf-8-validate', 'node-pty'],
    minify: true,
  });
}

// The Solid app (webviews/) for the browser face and the VS Code panel: dist/webview/index.html + assets.
{
  // Vite warns that a .ts config will need "type": "module" under its future native loader; the bundled loader we use is fine.
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: 'webviews/vite.config.ts', logLevel: 'warn' });
}
