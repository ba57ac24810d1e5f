// Test helpers: a simulator per suite, and real kubectl pointed at it with its own discovery cache.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim, type Sim, type SimOptions } from '../../src/sim/index';

export type { Sim };

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

/** Starts a simulator in-process (fast clock, empty scenario unless asked). Call `sim.close()` in `after`. */
export async function startTestSim(opts: SimOptions = {}): Promise<Sim> {
  return startSim({ scenario: 'empty', speed: 10, ...opts });
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Run as the read-only user. */
  viewer?: boolean;
  stdin?: string;
  timeoutMs?: number;
}

const cacheDirs = new WeakMap<Sim, string>();

/** kubectl caches discovery per host:port on disk; every simulator gets its own cache dir. */
function cacheDir(sim: Sim): string {
  let d = cacheDirs.get(sim);
  if (!d) {
    d = mkdtempSync(join(tmpdir(), 'kubegraf-kubectl-cache-'));
    cacheDirs.set(sim, d);
  }
  return d;
}

export function kubectlEnv(sim: Sim): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KUBECONFIG: sim.kubeconfig,
    KUBECACHEDIR: cacheDir(sim),
    HOME: process.env.HOME ?? tmpdir(),
  };
}

export function kubectlArgs(sim: Sim, args: string[], opts: KubectlOptions = {}): string[] {
  return [`--context=${opts.viewer ? sim.contexts.viewer : sim.contexts.admin}`, ...args];
}

/** Runs kubectl to completion; never throws on a non-zero exit (tests assert on it). */
export function kubectl(sim: Sim, args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      kubectlArgs(sim, args, opts),
      { env: kubectlEnv(sim), timeout: opts.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
    else child.stdin?.end();
  });
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOk(sim: Sim, args: string[], opts: KubectlOptions = {}): Promise<string> {
  const r = await kubectl(sim, args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Starts a long-running kubectl (watch, logs -f, port-forward). Kill it when done. */
export function kubectlSpawn(sim: Sim, args: string[], opts: KubectlOptions = {}): ChildProcess {
  return spawn(KUBECTL, kubectlArgs(sim, args, opts), { env: kubectlEnv(sim), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Resolves when `predicate` holds for the accumulated output of a stream, or rejects after `ms`. */
export function waitForOutput(
  stream: NodeJS.ReadableStream,
  predicate: (all: string) => boolean,
  ms = 15_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let all = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for output; got:\n${all}`)), ms);
    const onData = (d: Buffer) => {
      all += d.toString();
      if (predicate(all)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(all);
      }
    };
    stream.on('data', onData);
  });
}

/** Polls until `fn` returns a truthy value (or throws the last error after `ms`). */
export async function eventually<T>(fn: () => T | Promise<T>, ms = 15_000, every = 100): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = new Error('condition still false');
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw last;
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Calls the simulator's fault-injection API as admin. */
export async function simAdmin(sim: Sim, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetchInsecure(sim, method, path, body);
  return res;
}

async function fetchInsecure(sim: Sim, method: string, path: string, body?: unknown): Promise<unknown> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sim.server}${path}`,
      {
        method,
        ca: sim.caPem,
        headers: { Authorization: `Bearer ${sim.tokens.admin}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        let s = '';
        res.on('data', (c) => (s += c));
        res.on('end', () => {
          const parsed = s ? JSON.parse(s) : undefined;
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`${method} ${path}: ${res.statusCode} ${s}`));
          else resolve(parsed);
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
