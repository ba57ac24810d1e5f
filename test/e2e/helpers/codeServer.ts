// A real VS Code workbench for e2e tests: code-server (from npm, Node 24) with the KubeGraf VSIX installed, driven by
// playwright-core in Debian's chromium. Every run gets fresh profile folders; screenshots go to test-results/.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { ensureCodeServer, REPO_ROOT } from './codeServerInstall';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join(REPO_ROOT, 'test-results', 'vscode-e2e');

export interface Workbench {
  page: Page;
  url: string;
  userDataDir: string;
  /** The folder the workbench has open: a file written here can be opened with `openFile`. */
  workspace: string;
  /** Saves test-results/vscode-e2e/NN-name.png. */
  shot(name: string): Promise<string>;
  /** The extension host log (activation errors land here). */
  extHostLog(): string;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  vsix: string;
  settings: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Builds dist/extension.js and packages the VSIX with @vscode/vsce (the same `npm run package` does). */
let builtVsix: string | undefined;

/**
 * Packages the built extension once per test run (every code-server suite installs the same package). The build is
 * `npm test`'s pretest (or `npm run build` before one suite): rebuilding here would rewrite dist/ under the suites
 * that run dist/cli.js meanwhile.
 */
export function buildVsix(outDir: string): string {
  if (builtVsix && existsSync(builtVsix)) return builtVsix;
  if (!existsSync(join(REPO_ROOT, 'dist', 'extension.js')))
    throw new Error('dist/extension.js is missing: run `npm run build` first (npm test does it in pretest)');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'kubegraf.vsix');
  execFileSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce'),
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--skip-license',
      '--out',
      out,
    ],
    { cwd: REPO_ROOT, stdio: 'pipe' },
  );
  builtVsix = out;
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(url: string, child: ChildProcess, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${ms / 1000}s`);
}

export async function startWorkbench(o: WorkbenchOptions): Promise<Workbench> {
  const { node, entry } = ensureCodeServer((s) => console.log(`[e2e] ${s}`));
  const root = mkdtempSync(join(tmpdir(), 'kubegraf-vscode-e2e-'));
  const dirs = Object.fromEntries(
    ['user', 'extensions', 'workspace', 'xdg-data', 'xdg-config', 'xdg-cache'].map((d) => [d, join(root, d)]),
  );
  Object.values(dirs).forEach((d) => mkdirSync(d, { recursive: true }));
  mkdirSync(join(dirs.user, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.user, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'security.workspace.trust.enabled': false,
        'update.mode': 'none',
        'telemetry.telemetryLevel': 'off',
        'workbench.tips.enabled': false,
        // The DOM renderer keeps terminal text readable by the test (no WebGL canvas in headless chromium).
        'terminal.integrated.gpuAcceleration': 'off',
        ...o.settings,
      },
      null,
      2,
    ),
  );
  writeFileSync(join(dirs.workspace, 'README.md'), '# KubeGraf e2e workspace\n');
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE_OPTIONS')),
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
    EXTENSIONS_GALLERY: '{}',
    ...o.env,
  };
  const common = [
    '--user-data-dir',
    dirs.user,
    '--extensions-dir',
    dirs.extensions,
    '--config',
    join(root, 'config.yaml'),
  ];
  writeFileSync(join(root, 'config.yaml'), 'auth: none\n');
  execFileSync(node, [entry, ...common, '--install-extension', o.vsix], { env, stdio: 'pipe', timeout: 120_000 });
  const installed = readdirSync(dirs.extensions).filter((d) => d.startsWith('kubegraf.kubegraf-'));
  if (!installed.length) throw new Error(`the VSIX did not install into ${dirs.extensions}`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    entry,
    ...common,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  // detached = its own process group, so close() can stop the server, extension host and helpers together.
  const child = spawn(node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let serverLog = '';
  child.stdout!.on('data', (d) => (serverLog += d));
  child.stderr!.on('data', (d) => (serverLog += d));
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await sleep(300);
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, child);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${url}/?folder=${encodeURIComponent(dirs.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.part.activitybar').waitFor({ timeout: 30_000 });
    mkdirSync(SHOTS, { recursive: true });
    let n = 0;
    return {
      page,
      url,
      userDataDir: dirs.user,
      workspace: dirs.workspace,
      shot: async (name) => {
        const file = join(SHOTS, `${String(++n).padStart(2, '0')}-${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      extHostLog: () => {
        const logs = join(dirs.user, 'logs');
        if (!existsSync(logs)) return serverLog;
        const out: string[] = [];
        for (const d of readdirSync(logs)) {
          const f = join(logs, d, 'exthost1', 'remoteexthost.log');
          if (existsSync(f)) out.push(readFileSync(f, 'utf8'));
        }
        return out.join('\n') || serverLog;
      },
      close,
    };
  } catch (e) {
    await close();
    throw new Error(`${(e as Error).message}\n--- code-server output ---\n${serverLog.slice(-4000)}`, { cause: e });
  }
}

/** After a failed test: a screenshot named after it, and the extension host's last KubeGraf and error lines. */
export async function reportFailure(
  wb: Workbench | undefined,
  prefix: string,
  test: Mocha.Test | undefined,
): Promise<void> {
  if (test?.state !== 'failed' || !wb) return;
  await wb.shot(`${prefix}${test.title.replace(/\W+/g, '-')}`).catch(() => undefined);
  console.log(
    wb
      .extHostLog()
      .split('\n')
      .filter((l) => /kubegraf|error/i.test(l))
      .slice(-40)
      .join('\n'),
  );
}

/** Runs a command from the palette by its full `Category: Title`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Text of the editor/output lines rendered inside a container (Monaco uses non-breaking spaces). */
export async function viewLines(page: Page, container: string): Promise<string[]> {
  const lines = await page.locator(`${container} .view-lines .view-line`).allInnerTexts();
  return lines.map((l) => l.replace(/\u00a0/g, ' '));
}

/** Opens a file of the workspace folder by name through Quick Open, and waits until its editor tab is the active one. */
export async function openFile(page: Page, name: string): Promise<void> {
  const tab = page.locator('.part.editor .tab.active', { hasText: name });
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const result = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
  // A file written a moment ago can miss the first file search: ask again until Quick Open lists it.
  const end = Date.now() + 20_000;
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor();
    await input.fill(name);
    if (
      await result.waitFor({ timeout: 3000 }).then(
        () => true,
        () => false,
      )
    )
      break;
    await page.keyboard.press('Escape');
    if (Date.now() > end) throw new Error(`Quick Open never listed ${name}`);
  }
  await page.keyboard.press('Enter');
  await tab.waitFor({ timeout: 15_000 });
}

/** Sleeps between retries of a UI step whose outcome is then checked (never as a wait for state). */
const settle = (page: Page, ms: number) => page.waitForTimeout(ms);

/** Polls `fn` until it is true (a UI step that a live re-render can swallow is retried by `fn` itself). */
async function until(fn: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`${what}: still not so after ${ms / 1000}s`);
  }
}

/**
 * Opens a tree row's context menu and runs one of its items. A right-click can land during a live re-render and open
 * nothing, and a menu ignores a click that lands right after it opened: both are retried until the item ran.
 */
export async function treeContextMenu(page: Page, row: Locator, item: string): Promise<void> {
  const entry = page.locator('.monaco-menu .action-item', { hasText: item }).first();
  // VS Code can hand a menu command no element when the tree re-rendered under the open menu; the command then asks
  // for the kind, as from the palette. That pick is never the answer to a row's menu: close it and use the menu again.
  const askedForKind = page.locator('.quick-input-widget input[placeholder="Kind"]');
  for (let attempt = 1; ; attempt++) {
    await until(
      async () => {
        await row.click({ button: 'right' });
        const shown = await entry.waitFor({ timeout: 3000 }).then(
          () => true,
          () => false,
        );
        // A live tree may re-render between finding the row and the click (VS Code reuses row elements): the menu is
        // for the row that took focus, so it must be the one asked for.
        if (shown && /\bfocused\b/.test((await row.getAttribute('class', { timeout: 1000 }).catch(() => '')) ?? ''))
          return true;
        await page.keyboard.press('Escape');
        return false;
      },
      20_000,
      `the context menu with "${item}"`,
    );
    await settle(page, 200);
    await entry.click();
    if (
      !(await entry.waitFor({ state: 'hidden', timeout: 3000 }).then(
        () => true,
        () => false,
      ))
    )
      await entry.click();
    await entry.waitFor({ state: 'hidden', timeout: 5000 });
    const lost = await askedForKind.waitFor({ timeout: 1000 }).then(
      () => true,
      () => false,
    );
    if (!lost) return;
    if (attempt === 3)
      throw new Error(`"${item}" from the context menu kept losing its row (the command asked for a kind)`);
    await page.keyboard.press('Escape');
    await askedForKind.waitFor({ state: 'hidden' });
  }
}
