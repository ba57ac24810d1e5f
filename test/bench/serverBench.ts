// `/api/pods` for every pod from the server's watch cache, against `kubectl get pods -A -o json` on the same
// simulator (goal: the server answers >= 20x faster). The simulator runs in a child process so it does not share
// this process's CPU time with the server.
import { execFile } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withScaleServer } from './scaleServer';

export interface ServerBenchResult {
  pods: number;
  firstListMs: number;
  warmListMs: number;
  bytes: number;
  kubectlMs: number;
  speedup: number;
}

function get(url: string, token: string): Promise<{ ms: number; bytes: number; count: number }> {
  const t0 = performance.now();
  return new Promise((res, rej) => {
    http
      .get(url, { headers: { Authorization: `Bearer ${token}` } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => {
          const body = Buffer.concat(chunks);
          const count = (JSON.parse(body.toString('utf8')) as { items: unknown[] }).items.length;
          res({ ms: performance.now() - t0, bytes: body.length, count });
        });
      })
      .on('error', rej);
  });
}

export async function benchServer(
  pods: number,
  nodes = Math.max(10, Math.ceil(pods / 50)),
): Promise<ServerBenchResult> {
  return withScaleServer(pods, nodes, async (app, kubeconfig) => {
    const url = `${app.server.url}/api/pods`;
    const first = await get(url, app.token);
    if (first.count < pods * 0.99) throw new Error(`expected ~${pods} pods, got ${first.count}`);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await get(url, app.token)).ms);
    warm.sort((a, b) => a - b);
    const kubectl = process.env.KUBECTL ?? '/usr/bin/kubectl';
    const k0 = performance.now();
    await new Promise<void>((res, rej) =>
      execFile(
        kubectl,
        ['get', 'pods', '-A', '-o', 'json'],
        {
          env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: mkdtempSync(join(tmpdir(), 'kc-')) },
          maxBuffer: 2 ** 31 - 1,
          timeout: 600_000,
        },
        (e) => (e ? rej(e) : res()),
      ),
    );
    const kubectlMs = performance.now() - k0;
    const warmListMs = warm[2];
    return {
      pods: first.count,
      firstListMs: first.ms,
      warmListMs,
      bytes: first.bytes,
      kubectlMs,
      speedup: kubectlMs / warmListMs,
    };
  });
}

if (require.main === module) {
  benchServer(Number(process.env.BENCH_PODS ?? 100_000))
    .then((r) => console.log(JSON.stringify(r)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
