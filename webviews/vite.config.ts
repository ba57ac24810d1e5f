// One build serves both faces: the local server hosts dist/webview/ at `/`, and the VS Code panel rewrites the
// asset URLs through asWebviewUri, so every URL in index.html must be relative (`base: './'`).
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [solid()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/webview', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One JS and one CSS file: a VS Code webview's CSP lists what it may load, and fewer files keep that simple.
    cssCodeSplit: false,
    chunkSizeWarningLimit: 2000,
    // Babel (vite-plugin-solid) is the slow step by design; its timing report is noise in `npm run build`.
    rolldownOptions: {
      checks: { bundlerTimings: false },
      output: {
        entryFileNames: 'assets/index.js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: 'assets/[name][extname]',
      },
    },
  },
});
