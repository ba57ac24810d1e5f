// `GET /api/search` (the palette's quick open) at scale: every kind searched by name in the server's watch caches. The
// simulator runs in a child process so it does not share this process's CPU time with the server.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startApp } from '../../src/server/app';
import type { SearchResult } from '../../src/shared/routes/search';

export interface SearchBenchResult {
  pods: number;
  /** The first search opens (lists and watches) a cache per kind, and answers with those in memory within 1.5 s. */
  firstMs: number;
  firstLoading: string[];
  /** From starting the server until a search covers every kind. */
  syncedMs: number;
  /** Median of warm searches, per query. */
  warm: Array<{ q: string; total: number; ms: number }>;
}

async function timed(url: string, token: string): Promise<{ ms: number; r: SearchResult }> {
  for (let attempt = 1; ; attempt++) {
    const t0 = performance.now();
    try {
      // A fresh connection each time: a kept-alive socket the server just timed out would be reset (ECONNRESET).
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Connection: 'close' } });
      const r = (await res.json()) as SearchResult;
      return { ms: performance.now() - t0, r };
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

export async function benchSearch(
  pods: number,
  nodes = Math.max(10, Math.ceil(pods / 50)),
): Promise<SearchBenchResult> {
  const root = resolve(__dirname, '../..');
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kubegraf-bench-')), 'kubeconfig');
  const sim = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'sim',
      '--scenario',
      'scale',
      '--pods',
      String(pods),
      '--nodes',
      String(nodes),
      '--kubeconfig-out',
      kubeconfig,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((res, rej) => {
      createInterface({ input: sim.stdout! }).on('line', (l) => l.includes('"ready"') && res());
      sim.once('exit', (c) => rej(new Error(`simulator exited ${c}`)));
    });
    const t0 = performance.now();
    const app = await startApp({
      kubeconfigFiles: [kubeconfig],
      dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-bench-data-')),
    });
    try {
      const url = (q: string) => `${app.server.url}/api/search?q=${encodeURIComponent(q)}&limit=30`;
      const first = await timed(url('svc-001'), app.token);
      // Until every cache is in memory a search answers with what is there (and says what is loading).
      let settled = first;
      while (settled.r.loading.length) settled = await timed(url('svc-001'), app.token);
      const syncedMs = performance.now() - t0;
      const warm: SearchBenchResult['warm'] = [];
      // A common prefix (most pods match), a narrower one, a kind word plus a name, one exact pod name.
      const exact = (await timed(url('po svc-001'), app.token)).r.hits[0]?.name ?? 'svc-001';
      for (const q of ['svc', 'svc-001', 'po svc-001', exact]) {
        const runs: Array<{ ms: number; r: SearchResult }> = [];
        for (let i = 0; i < 7; i++) runs.push(await timed(url(q), app.token));
        runs.sort((a, b) => a.ms - b.ms);
        warm.push({ q, total: runs[3].r.total, ms: runs[3].ms });
      }
      return { pods, firstMs: first.ms, firstLoading: first.r.loading, syncedMs, warm };
    } finally {
      await app.close();
    }
  } finally {
    sim.kill('SIGTERM');
  }
}
