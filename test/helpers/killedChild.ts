// Runs a TypeScript test child as plain JavaScript and kills it with SIGKILL once `killWhen` says so. The child is
// bundled once per test process with esbuild (packages stay external and resolve from the repository's
// node_modules), so a child starts as fast as node does and no loader hook runs in it: under load, a loader's
// start-up was the slowest and least predictable part of a crash round.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..', '..');
const built = new Map<string, string>();

function bundle(entry: string): string {
  let out = built.get(entry);
  if (!out) {
    const dir = join(ROOT, 'node_modules', '.cache', 'kubegraf-test-children');
    mkdirSync(dir, { recursive: true });
    out = join(dir, basename(entry).replace(/\.ts$/, '.js'));
    buildSync({
      entryPoints: [entry],
      outfile: out,
      bundle: true,
      platform: 'node',
      packages: 'external',
      logLevel: 'error',
    });
    built.set(entry, out);
  }
  return out;
}

export interface KilledRun {
  /** Every line the child printed before it was killed. */
  lines: string[];
}

/** What the child in flight has done so far: a test that times out reports it, so a stuck round is named. */
export const inFlight: { child?: ChildProcess; label?: string; lines: string[]; stderr: string } = {
  lines: [],
  stderr: '',
};

export function runAndKill(
  entry: string,
  args: string[],
  label: string,
  killWhen: (lines: string[]) => boolean,
): Promise<KilledRun> {
  const child = spawn(process.execPath, [bundle(entry), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  Object.assign(inFlight, { child, label, lines, stderr: '' });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stderr!.on('data', (d) => (inFlight.stderr += d));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (killWhen(lines)) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      inFlight.child = undefined;
      if (signal === 'SIGKILL') resolve({ lines });
      else
        reject(new Error(`${label}: the child exited with ${code ?? signal} before it was killed: ${inFlight.stderr}`));
    });
  });
}

/** For an afterEach: on failure, says what the child in flight had printed, then kills it so the run can go on. */
export function reportAndKillInFlight(failed: boolean): void {
  const { child, label, lines, stderr } = inFlight;
  if (failed && label) {
    const tail = lines.slice(-3).join(' | ') || 'nothing';
    console.error(
      `    ${label}: the child ${child ? 'was still running' : 'had exited'}; ${lines.length} lines, last: ${tail}${stderr ? `; stderr: ${stderr}` : ''}`,
    );
  }
  child?.kill('SIGKILL');
}
