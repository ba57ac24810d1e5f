// A connection flood at a small file-descriptor limit: `kubegraf web` under `ulimit -n 1024` takes 1,100 silent
// connections and still answers a real client at once (the oldest silent sockets make room).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForOutput } from '../helpers/sim';
import { ROOT, cliArgs } from '../helpers/cli';
import { request } from './serverHelpers';

describe('kubegraf web: connection floods', function () {
  this.timeout(120_000);
  let child: ChildProcess;
  let base: string;
  let token: string;
  const flood: net.Socket[] = [];

  before(async () => {
    const argv = cliArgs(
      'web',
      '--demo',
      '--port',
      '0',
      '--no-open',
      '--data-dir',
      mkdtempSync(join(tmpdir(), 'kubegraf-flood-')),
    );
    child = spawn('sh', ['-c', 'ulimit -n 1024 && exec "$0" "$@"', process.execPath, ...argv], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const ready = JSON.parse(
      (await waitForOutput(child.stdout!, (s) => s.includes('\n'), 60_000)).trim().split('\n')[0],
    ) as { url: string; token: string };
    base = new URL(ready.url).origin;
    token = ready.token;
  });
  after(() => {
    for (const s of flood) s.destroy();
    child?.kill('SIGTERM');
  });

  it('answers a real request while 1,100 half-open connections sit on a 1,024-descriptor process', async () => {
    const { port } = new URL(base);
    await Promise.all(
      Array.from(
        { length: 1100 },
        () =>
          new Promise<void>((resolve) => {
            const s = net.connect(Number(port), '127.0.0.1', () => resolve());
            s.on('error', () => resolve());
            s.on('close', () => resolve());
            flood.push(s);
          }),
      ),
    );
    for (let i = 0; i < 3; i++) {
      const r = await request({ base, token }, 'GET', '/api/status');
      assert.equal(r.status, 200, r.text);
    }
    assert.equal(child.exitCode, null, 'still running');
  });
});
