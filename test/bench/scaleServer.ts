// What the server-side benchmarks share: `kubegraf sim --scenario scale` in its own process (as a user runs it) and
// the local server in this one over its kubeconfig, both stopped after `run`.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startApp, type App } from '../../src/server/app';

export async function withScaleServer<T>(
  pods: number,
  nodes: number,
  run: (app: App, kubeconfig: string) => Promise<T>,
): Promise<T> {
  const root = resolve(__dirname, '../..');
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kubegraf-bench-')), 'kubeconfig');
  const args = ['sim', '--scenario', 'scale', '--pods', String(pods), '--nodes', String(nodes)];
  const sim = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args, '--kubeconfig-out', kubeconfig], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((res, rej) => {
      createInterface({ input: sim.stdout! }).on('line', (l) => l.includes('"ready"') && res());
      sim.once('exit', (c) => rej(new Error(`simulator exited ${c}`)));
    });
    const app = await startApp({
      kubeconfigFiles: [kubeconfig],
      dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-bench-data-')),
    });
    try {
      return await run(app, kubeconfig);
    } finally {
      await app.close();
    }
  } finally {
    sim.kill('SIGTERM');
  }
}
