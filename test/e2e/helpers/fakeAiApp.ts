// The start the AI browser suites share: the local server in this process on the simulator's demo cluster (as the
// VS Code panel runs it), an offline fake AI provider to point it at, and a Chromium page (see webDemo.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { startApp, type App } from '../../../src/server/app';
import { startFakeAiProvider, type FakeAiServer, type Script } from '../../helpers/fakeAiProvider';
import { startTestSim, type Sim } from '../../helpers/sim';
import { ensureWebviewBuilt, launchPage, ROOT } from './webDemo';

/** The built app (`npm test` builds it first); KUBEGRAF_WEBVIEW_DIR points at another build. */
const WEBVIEW = process.env.KUBEGRAF_WEBVIEW_DIR ?? join(ROOT, 'dist', 'webview');

export interface FakeAiApp {
  sim: Sim;
  app: App;
  fake: FakeAiServer;
  browser: Browser;
  page: Page;
  /** The page's uncaught errors, for the suite to assert on. */
  pageErrors: string[];
}

export interface FakeAiAppOptions {
  /** Names the server's data dir. */
  name: string;
  /** What the fake provider answers. */
  script: Script;
  /** The browser context (launchPage's 1400×900 dark one by default). */
  context?: BrowserContextOptions;
}

/**
 * Registered in the calling describe(): before() starts the simulator, the fake provider, the server and Chromium and
 * hands them to `ready` (the page is blank: the suite opens what it needs); after() closes them all.
 */
export function useFakeAiApp(opts: FakeAiAppOptions, ready: (started: FakeAiApp) => void): void {
  let sim: Sim | undefined;
  let fake: FakeAiServer | undefined;
  let app: App | undefined;
  let browser: Browser | undefined;
  before(async function () {
    this.timeout(180_000);
    await ensureWebviewBuilt();
    [sim, fake] = await Promise.all([startTestSim({ scenario: 'demo' }), startFakeAiProvider({ script: opts.script })]);
    app = await startApp({
      kubeconfigFiles: [sim.kubeconfig],
      dataDir: mkdtempSync(join(tmpdir(), `kubegraf-${opts.name}-`)),
      demo: true,
      webviewDir: WEBVIEW,
    });
    const pageErrors: string[] = [];
    const launched = await launchPage(pageErrors, opts.context);
    browser = launched.browser;
    ready({ sim, app, fake, browser, page: launched.page, pageErrors });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await fake?.close();
    await sim?.close();
  });
}
