// What the browser e2e suites share: the built dashboard, `kubegraf web --demo` as users start it, Debian Chromium.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cliArgs } from '../../helpers/cli';

export const ROOT = join(__dirname, '..', '..', '..');
export const SHOTS = join(ROOT, 'test-results');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface WebDemo {
  proc: ChildProcess;
  url: string;
  token: string;
  base: string;
}

export async function ensureWebviewBuilt(): Promise<void> {
  if (existsSync(join(ROOT, 'dist', 'webview', 'index.html'))) return;
  // A variable specifier: the test tsconfig resolves CommonJS-style and vite ships ESM types only.
  const spec = 'vite';
  const { build } = (await import(spec)) as { build: (c: object) => Promise<unknown> };
  await build({ configFile: join(ROOT, 'webviews', 'vite.config.ts'), logLevel: 'warn' });
}

/** Starts `kubegraf web --demo` (the built command) and resolves with its ready line. */
export function startWebDemo(name: string): Promise<WebDemo> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      cliArgs(
        'web',
        '--demo',
        '--port',
        '0',
        '--no-open',
        '--data-dir',
        mkdtempSync(join(tmpdir(), `kubegraf-${name}-`)),
      ),
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BROWSER: 'none' } },
    );
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    const timer = setTimeout(
      () => reject(new Error(`kubegraf web did not print a ready line in 60 s:\n${err}`)),
      60_000,
    );
    proc.on('exit', (code) => reject(new Error(`kubegraf web exited with ${code}:\n${err}`)));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        const m = JSON.parse(line) as { event?: string; url?: string; token?: string };
        if (m.event === 'ready' && m.url && m.token) {
          clearTimeout(timer);
          resolve({ proc, url: m.url, token: m.token, base: new URL(m.url).origin });
        }
      } catch {
        // Not JSON: a human line.
      }
    });
  });
}

export interface DemoBrowser {
  server: WebDemo;
  browser: Browser;
  page: Page;
}

/** The built dashboard served by `kubegraf web --demo`, and a dark 1400×900 Chromium page whose errors land in `pageErrors`. */
export async function openDemoBrowser(name: string, pageErrors: string[]): Promise<DemoBrowser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  await ensureWebviewBuilt();
  const server = await startWebDemo(name);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { server, browser, page };
}
