// Crash test: a child writes records in a loop and acknowledges each; we kill -9 it repeatedly. Every restart must
// open the database, and every acknowledged record must be there.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeGrafStore } from '../../src/core/store/store';

const CHILD = join(__dirname, '..', 'helpers', 'storeCrashChild.ts');

function runAndKill(
  dataDir: string,
  tag: string,
  killAfterAcks: number,
): Promise<{ acked: string[]; opened: boolean }> {
  return new Promise((resolve, reject) => {
    // The CJS loader, not `--import tsx`: its off-thread ESM hooks were seen to deadlock a child at start-up.
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD, dataDir, tag], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let opened = false;
    let buf = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('open ')) opened = true;
        else if (line.startsWith('ack ')) acked.push(line.slice(4));
        if (acked.length >= killAfterAcks) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ acked, opened });
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

describe('store crash safety (kill -9 while writing)', function () {
  this.timeout(240_000);
  it('every restart opens the database and every acknowledged record is there', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kubegraf-crash-'));
    const all: string[] = [];
    for (let round = 0; round < 8; round++) {
      const r = await runAndKill(dataDir, `r${round}`, 20 + Math.floor(Math.random() * 200));
      assert.ok(r.opened, `round ${round}: the child opened the database`);
      all.push(...r.acked);
      const s = await KubeGrafStore.open({ dataDir });
      assert.equal(s.corruption, undefined, `round ${round}: no corruption`);
      const have = new Set(s.notifications({ limit: 1_000_000 }).map((n) => n.id));
      const lost = all.filter((id) => !have.has(id));
      assert.deepEqual(lost, [], `round ${round}: acknowledged records lost`);
      s.abandon(); // leave the files as they are for the next round
    }
    assert.ok(all.length > 100);
  });
});
