// The pods page with 100k pods in real Chromium: how long until the first rows paint and until every pod is in the
// table, and how long scroll frames take (from a Chromium trace: frame intervals and main-thread tasks while
// scrolling). Simulator and `kubegraf web` run in child processes; Debian's chromium is driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parse as loadYaml } from 'yaml';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = resolve(__dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Scroll stats (frames, longest task) are of the quiet scroll; `churn` has the same while pods change. */
export interface WebviewBenchResult extends ScrollStats {
  pods: number;
  /** `GET /api/pods` through the server (list from the engine's cache, JSON over HTTP). */
  listApiMs: number;
  /** Navigation to the first table row on screen. */
  firstRowMs: number;
  /** Navigation until the row count shows every pod. */
  allRowsMs: number;
  /** Sorting the full table by another column (Status): click to the re-rendered first row. */
  sortMs: number;
  /** The same scroll again while pods change in the cluster (label patches and pod replacements), so live change batches reach the sorted table. */
  churn: ScrollStats & { changesPerSec: number };
}

interface ScrollStats {
  /** Frame intervals while scrolling, from DrawFrame events of the trace. */
  frames: number;
  frameP50Ms: number;
  frameP95Ms: number;
  frameMaxMs: number;
  /** Longest renderer main-thread task while scrolling. */
  longestTaskMs: number;
  /** Main-thread tasks over 50 ms while scrolling. */
  longTasks: number;
}

function startChild(
  args: string[],
  ready: (line: string) => boolean,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=4096', '--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env },
  );
  return new Promise((ok, fail) => {
    child.once('exit', (c) => fail(new Error(`kubegraf ${args[0]} exited with ${c}`)));
    createInterface(child.stdout!).on('line', (l) => {
      if (ready(l)) ok({ child, line: l });
    });
  });
}

const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : 0;

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** Scrolls the table body for ~2 s under a Chromium trace: frame intervals and the renderer main thread's tasks. */
async function traceScroll(browser: Browser, page: Page, dy: number): Promise<ScrollStats> {
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'toplevel'],
  });
  for (let i = 0; i < 120; i++) {
    await page.mouse.wheel(0, dy);
    await page.waitForTimeout(16);
  }
  await page.waitForTimeout(300);
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  const ev = trace.traceEvents;
  const mainTids = new Set(
    ev
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const draws = ev
    .filter((e) => e.name === 'DrawFrame')
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const intervals = draws.slice(1).map((t, i) => (t - draws[i]) / 1000);
  const tasks = ev
    .filter(
      (e) =>
        (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') &&
        e.dur !== undefined &&
        mainTids.has(`${e.pid}:${e.tid}`),
    )
    .map((e) => (e.dur ?? 0) / 1000);
  return {
    frames: draws.length,
    frameP50Ms: pct(intervals, 50),
    frameP95Ms: pct(intervals, 95),
    frameMaxMs: intervals.length ? Math.max(...intervals) : 0,
    longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
    longTasks: tasks.filter((d) => d > 50).length,
  };
}

const CHURN_TICK_MS = 100;
const CHURN_PER_TICK = 20;

/**
 * Changes pods straight on the simulator with the admin token, CHURN_PER_TICK every CHURN_TICK_MS: most get a new
 * label (a modification), every tenth is deleted (its ReplicaSet adds a new pod, which goes Pending then Running).
 */
function startChurn(kubeconfig: string, pods: Array<{ namespace: string; name: string }>): () => Promise<void> {
  let sent = 0;
  let applied = 0;
  let failure = '';
  const kc = loadYaml(readFileSync(kubeconfig, 'utf8')) as {
    clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
    users: Array<{ name: string; user: { token: string } }>;
  };
  const server = new URL(kc.clusters[0].cluster.server);
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 8,
    ca: Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64'),
  });
  const token = kc.users.find((u) => u.name === 'admin')!.user.token;
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<void>((ok) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      sent++;
      const req = request(
        {
          host: server.hostname,
          port: server.port,
          path,
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(data ? { 'content-type': 'application/merge-patch+json' } : {}),
          },
        },
        (res) => {
          if ((res.statusCode ?? 0) < 300) applied++;
          else failure = `${method} ${path}: HTTP ${res.statusCode}`;
          res.resume();
          res.on('end', () => ok());
        },
      );
      req.on('error', (e) => {
        failure = `${method} ${path}: ${e.message}`;
        ok();
      });
      req.end(data);
    });
  let n = 0;
  const inflight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    for (let k = 0; k < CHURN_PER_TICK; k++, n++) {
      const p = pods[(n * 7919) % pods.length];
      const path = `/api/v1/namespaces/${p.namespace}/pods/${p.name}`;
      const done =
        n % 10 === 9
          ? call('DELETE', path)
          : call('PATCH', path, { metadata: { labels: { 'bench-churn': String(n) } } });
      inflight.add(done);
      void done.then(() => inflight.delete(done));
    }
  }, CHURN_TICK_MS);
  return async () => {
    clearInterval(timer);
    await Promise.all(inflight);
    agent.destroy();
    // A churn the simulator refused measures nothing.
    if (applied < sent * 0.9) throw new Error(`only ${applied} of ${sent} pod changes applied (${failure})`);
  };
}

export async function benchPodsPage(pods = 100_000): Promise<WebviewBenchResult> {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kubegraf-webview-bench-')), 'kubeconfig');
  const nodes = Math.max(3, Math.round(pods / 50));
  const sim = await startChild(
    ['sim', '--scenario', 'scale', '--pods', String(pods), '--nodes', String(nodes), '--kubeconfig-out', kubeconfig],
    (l) => l.includes('"ready"'),
  );
  let web: { child: ChildProcess; line: string } | undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    web = await startChild(['web', '--kubeconfig', kubeconfig, '--port', '0', '--no-open'], (l) =>
      l.includes('"ready"'),
    );
    const { url, token } = JSON.parse(web.line) as { url: string; token: string };
    const base = new URL(url).origin;
    // Warm the server's cache so the page measures the UI, then time one list call on its own.
    const list = async () => {
      const r = await fetch(`${base}/api/pods`, { headers: { Authorization: `Bearer ${token}` } });
      return ((await r.json()) as { items: Array<{ namespace: string; name: string }> }).items;
    };
    for (let i = 0; i < 60 && (await list()).length < pods; i++) await new Promise((r) => setTimeout(r, 1000));
    const t0 = performance.now();
    const items = await list();
    const listApiMs = performance.now() - t0;

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const nav0 = performance.now();
    await page.goto(`${url}#/pods`);
    await page.getByTestId('row').first().waitFor({ timeout: 120_000 });
    const firstRowMs = performance.now() - nav0;
    await page
      .getByTestId('row-count')
      .filter({ hasText: new RegExp(`^${pods} pods`) })
      .waitFor({ timeout: 120_000 });
    const allRowsMs = performance.now() - nav0;

    // Measured in the page: the click handler re-sorts and Solid re-renders synchronously; the next frame paints it.
    type Doc = { querySelector(s: string): { click(): void } | null };
    type Win = { document: Doc; performance: { now(): number }; requestAnimationFrame(f: () => void): void };
    const sortMs = await page.evaluate(async () => {
      const w = globalThis as unknown as Win;
      const t = w.performance.now();
      w.document.querySelector('[data-testid=sort-status]')?.click();
      await new Promise<void>((r) => w.requestAnimationFrame(() => setTimeout(r, 0)));
      return w.performance.now() - t;
    });
    await page.locator('[role=columnheader][aria-sort=ascending]').filter({ hasText: 'Status' }).waitFor();

    const body = page.getByTestId('table-body');
    await body.hover();
    const quiet = await traceScroll(browser, page, 1200);
    const stopChurn = startChurn(kubeconfig, items);
    let churn: ScrollStats;
    try {
      // Let the first change batches reach the page before measuring.
      await page.waitForTimeout(1000);
      churn = await traceScroll(browser, page, -1200);
    } finally {
      await stopChurn();
    }
    return {
      pods,
      listApiMs,
      firstRowMs,
      allRowsMs,
      sortMs,
      ...quiet,
      churn: { ...churn, changesPerSec: (CHURN_PER_TICK * 1000) / CHURN_TICK_MS },
    };
  } finally {
    await browser.close();
    web?.child.kill('SIGTERM');
    sim.child.kill('SIGTERM');
  }
}

if (require.main === module) {
  benchPodsPage(Number(process.env.BENCH_PODS ?? 100_000)).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
