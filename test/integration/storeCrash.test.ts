// Crash test: a child writes records in a loop and acknowledges each; we kill -9 it repeatedly. Every restart must
// open the database, and every acknowledged record must be there.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeGrafStore } from '../../src/core/store/store';
import { reportAndKillInFlight, runAndKill } from '../helpers/killedChild';

const CHILD = join(__dirname, '..', 'helpers', 'storeCrashChild.ts');

describe('store crash safety (kill -9 while writing)', function () {
  this.timeout(240_000);
  afterEach(function () {
    reportAndKillInFlight(this.currentTest?.state !== 'passed');
  });
  it('every restart opens the database and every acknowledged record is there', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kubegraf-crash-'));
    const all: string[] = [];
    for (let round = 0; round < 8; round++) {
      const killAfterAcks = 20 + Math.floor(Math.random() * 200);
      const acks = (lines: string[]) => lines.filter((l) => l.startsWith('ack '));
      const { lines } = await runAndKill(
        CHILD,
        [dataDir, `r${round}`],
        `round ${round}`,
        (l) => acks(l).length >= killAfterAcks,
      );
      assert.ok(lines[0]?.startsWith('open '), `round ${round}: the child opened the database`);
      all.push(...acks(lines).map((l) => l.slice('ack '.length)));
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
