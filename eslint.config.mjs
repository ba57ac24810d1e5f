// Lint: typescript-eslint's recommended rules plus the layering of ARCHITECTURE.md, enforced as import bans.
// `npm run lint` fails on any warning; test/unit/lintRules.test.ts proves each layer rule bites.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';

// Each zone: files under `target` may not import anything under `from` (resolved paths, so `./server` inside
// src/sim is the simulator's own server, not src/server).
const zones = [
  {
    target: 'src/core',
    from: ['src/server', 'src/sim', 'src/vscode', 'src/cli'],
    message: 'core is the engine: it imports only core, shared and libraries.',
  },
  {
    target: 'src/shared',
    from: ['src/core', 'src/server', 'src/sim', 'src/vscode', 'src/cli'],
    message: 'shared is read by the browser too: it imports only shared.',
  },
  {
    target: 'src/sim',
    from: ['src/core', 'src/server', 'src/vscode', 'src/cli'],
    message: 'the simulator stands alone: it imports only sim, shared and libraries.',
  },
  {
    target: 'src/server',
    from: ['src/sim', 'src/vscode', 'src/cli'],
    message: 'server is transport over core: it never imports sim, vscode or cli.',
  },
  {
    target: 'src/vscode',
    from: ['src/cli', 'src/server/cli.ts'],
    message: 'the extension runs the engines (and the demo simulator); it never imports the CLI.',
  },
  {
    target: 'webviews/src',
    from: ['src/core', 'src/server', 'src/sim', 'src/vscode', 'src/cli'],
    message: 'webviews import only src/shared (and their own modules).',
  },
];
// Packages a layer may not import at all.
const bannedPackages = (files, names, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: names, message }] }] },
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'webviews/dist/**',
      'test-results/**',
      '.vscode-test/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  { files: ['webviews/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } } },
    rules: { 'import-x/no-restricted-paths': ['error', { zones }] },
  },
  bannedPackages(
    ['src/core/**', 'src/shared/**', 'src/sim/**', 'src/server/**', 'webviews/src/**'],
    ['vscode'],
    'only src/vscode talks to the VS Code API.',
  ),
  bannedPackages(
    ['src/shared/**', 'webviews/src/**'],
    ['node:*'],
    'shared and webviews run in the browser: no Node built-ins.',
  ),
  { files: ['webviews/**/*.tsx'], rules: { 'no-unassigned-vars': 'off' } },
  // Tests read JSON answers of many shapes; `any` there is the honest type.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } }, // Solid assigns `let el!: T` through ref={el}
);
