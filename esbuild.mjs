// Builds the CLI (`kubegraf`) and, once it exists, the VS Code extension bundle.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
  // Optional native/transport deps of client-node and ws stay external.
  external: ['bufferutil', 'utf-8-validate', 'node-pty'],
});

if (existsSync('src/vscode/extension.ts')) {
  await build({ ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', 'bufferutil', 'utf-8-validate'] });
}
