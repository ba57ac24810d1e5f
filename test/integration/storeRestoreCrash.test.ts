// Restores killed with SIGKILL at random moments: two good backups and one with a foreign schema are restored in
// turn by a child process. After every kill the database must open uncorrupted, hold one of the two good states
// (never the foreign one, never a mix), keep working (its tables are all there), and the user's backups must still
// be listed: neither refused restores nor safety copies push them out of the retention limit.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { KubeGrafStore } from '../../src/core/store/store';
import { reportAndKillInFlight, runAndKill } from '../helpers/killedChild';

const CHILD = join(__dirname, '..', 'helpers', 'storeRestoreChild.ts');

describe('store: restores killed with SIGKILL', function () {
  this.timeout(300_000);
  afterEach(function () {
    reportAndKillInFlight(this.currentTest?.state !== 'passed');
  });

  it('every restart opens one of the good states; the foreign backup never gets in; user backups stay', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kubegraf-restore-crash-'));
    const s = await KubeGrafStore.open({ dataDir });
    await s.setBackupConfig({ keep: 3 });
    await s.setSetting('v', 'a');
    const a = s.backupNow().name;
    await s.setSetting('v', 'b');
    const b = s.backupNow().name;
    await s.close();
    // A SQLite database of someone else's making, named like a backup.
    const SQL = await initSqlJs();
    const foreign = new SQL.Database();
    foreign.run('CREATE TABLE _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    foreign.run("INSERT INTO _meta VALUES ('schema_version', '1')");
    foreign.run('CREATE TABLE stolen (x TEXT)');
    const bad = 'kubegraf-20200101T000000000Z.db';
    writeFileSync(join(dataDir, 'backups', bad), foreign.export());
    foreign.close();

    const order = [a, bad, b];
    const valueOf = (name: string) => (name === a ? 'a' : 'b');
    let restores = 0;
    for (let round = 0; round < 8; round++) {
      const killAfter = 1 + Math.floor(Math.random() * 12);
      const outcomes = (l: string[]) => l.filter((x) => !x.startsWith('open ')).length;
      const { lines } = await runAndKill(CHILD, [dataDir, ...order], `round ${round}`, (l) => outcomes(l) >= killAfter);
      const opened = lines.find((l) => l.startsWith('open '));
      assert.ok(opened, `round ${round}: the child opened the database`);
      const done = lines.filter((l) => !l.startsWith('open '));
      assert.ok(
        done.filter((l) => l.startsWith('refused ')).every((l) => l === `refused ${bad}`),
        `round ${round}: only the foreign backup is refused: ${done.join(', ')}`,
      );
      restores += done.filter((l) => l.startsWith('restored ')).length;
      const lastGood = done
        .filter((l) => l.startsWith('restored '))
        .pop()
        ?.slice('restored '.length);
      // The kill may land during the next restore: the state is the last acknowledged one or the one after it.
      const allowed = new Set(lastGood ? [valueOf(lastGood), valueOf(lastGood === a ? b : a)] : ['a', 'b']);

      const s2 = await KubeGrafStore.open({ dataDir });
      assert.equal(s2.corruption, undefined, `round ${round}: no corruption`);
      const v = s2.getSetting<string>('v');
      assert.ok(allowed.has(v!), `round ${round}: setting is ${v}, expected one of ${[...allowed]}`);
      await s2.addNotification({ id: `p-${round}`, severity: 'info', title: 'after', message: '', source: 'test' });
      assert.ok(s2.notifications({ limit: 10 }).length >= 1, `round ${round}: the notifications table works`);
      const names = s2.listBackups().map((x) => x.name);
      assert.ok(names.includes(a) && names.includes(b), `round ${round}: user backups kept: ${names.join(', ')}`);
      assert.ok(names.filter((n) => n.includes('-pre-restore')).length <= 3, `round ${round}: safety copies bounded`);
      s2.abandon();
    }
    assert.ok(restores >= 8, `the campaign restored ${restores} times`);
    assert.ok(
      readdirSync(join(dataDir, 'backups')).includes(bad),
      'the refused backup is left for the user to inspect',
    );
  });
});
