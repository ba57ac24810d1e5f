// What the browser e2e suites share: the built dashboard, `kubegraf web --demo` as users start it, Debian Chromium.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
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

/** Debian's Chromium with one 1400×900 dark page (unless `context` says otherwise) whose uncaught errors land in `pageErrors`. */
export async function launchPage(
  pageErrors: string[],
  context: BrowserContextOptions = {},
  args: string[] = [],
): Promise<{ browser: Browser; page: Page }> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...args] });
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark', ...context });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { browser, page };
}

/** What a page suite drives: the server, the browser, its page, and the screenshots it saves. */
export interface DemoPage {
  server: WebDemo;
  browser: Browser;
  page: Page;
  /** The page's uncaught errors, for the suite to assert on. */
  pageErrors: string[];
  /** Saves the page as test-results/<suite name>-<name>.png. */
  shot: (name: string) => Promise<void>;
}

export interface DemoPageOptions {
  /** Names the suite's screenshots (test-results/<name>-*.png) and its data dir. */
  name: string;
  /** Screenshots of the whole scrolled page instead of the 1400×900 window. */
  fullPage?: boolean;
  /** Open the token URL and wait for the dashboard before the first test (the default); false leaves it to the tests. */
  signIn?: boolean;
}

/**
 * The start and end every page suite shares, registered in the calling describe(): before() starts
 * `kubegraf web --demo` on the built dashboard and Chromium (see launchPage), hands the pieces to `ready` and signs in
 * on the dashboard; afterEach() saves test-results/<name>-FAILED-<test title>.png when a test failed; after() closes
 * the browser and stops the server. Hooks the suite registers after this call run after these ones.
 */
export function useDemoPage(opts: DemoPageOptions, ready: (demo: DemoPage) => void): void {
  let server: WebDemo | undefined;
  let demo: DemoPage | undefined;
  before(async function () {
    this.timeout(240_000);
    const pageErrors: string[] = [];
    await ensureWebviewBuilt();
    server = await startWebDemo(`${opts.name}-e2e`);
    const { browser, page } = await launchPage(pageErrors);
    const shot = async (name: string) => {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${opts.name}-${name}.png`), fullPage: opts.fullPage ?? false });
    };
    demo = { server, browser, page, pageErrors, shot };
    ready(demo);
    if (opts.signIn === false) return;
    await page.goto(server.url);
    await page.getByTestId('page-dashboard').waitFor();
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state === 'failed')
      await demo?.shot(`FAILED-${test.title.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });
  after(async () => {
    await demo?.browser.close();
    server?.proc.kill('SIGTERM');
  });
}

/** Chooses exactly these namespaces in the header picker (none = all namespaces), then clicks away as a user would. */
export async function pickNamespaces(page: Page, chosen: string[]): Promise<void> {
  await page.getByTestId('namespace-picker').click();
  const menu = page.getByRole('listbox', { name: 'Namespaces' });
  await menu.waitFor();
  await menu.getByRole('checkbox', { name: 'All namespaces' }).check();
  for (const ns of chosen) await menu.getByTestId(`ns-${ns}`).getByRole('checkbox').check();
  await page.locator('h1').first().click();
  await menu.waitFor({ state: 'detached' });
}

/** Polls `cond` every 200 ms until it holds; fails saying `what` it waited for after `timeout` ms. */
export async function until(what: string, cond: () => Promise<boolean>, timeout = 30_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Calls the demo server's API with its token as the dashboard does (`body` sent as JSON) and reads the JSON answer. */
export async function callApi(
  server: WebDemo,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const r = await fetch(`${server.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${server.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, body: (await r.json()) as any };
}
