// The sql.js store: migrations, durable writes, corrupt files set aside and reported, backups and restore.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeGrafStore, MIGRATIONS } from '../../src/core/store/store';

const dir = () => mkdtempSync(join(tmpdir(), 'kubegraf-store-'));

describe('store', () => {
  it('migrates a new database to the latest schema and keeps data across reopen', async () => {
    const d = dir();
    const s = await KubeGrafStore.open({ dataDir: d });
    assert.equal(s.backupStatus().schemaVersion, Math.max(...MIGRATIONS.map((m) => m.version)));
    await s.setSetting('theme', { dark: true });
    const n = await s.addNotification({ severity: 'high', title: 't', message: 'm', source: 'test' });
    await s.close();
    const again = await KubeGrafStore.open({ dataDir: d });
    assert.deepEqual(again.getSetting('theme'), { dark: true });
    assert.equal(again.notifications()[0].id, n.id);
    assert.equal(again.unreadCount(), 1);
    assert.equal(await again.markRead([n.id]), 1);
    assert.equal(again.unreadCount(), 0);
    assert.equal(await again.deleteNotifications(['nope']), 0);
    await again.close();
  });

  it('an acknowledged write survives a crash before any snapshot (replayed from the log)', async () => {
    const d = dir();
    const s = await KubeGrafStore.open({ dataDir: d, snapshotDelayMs: 60_000 });
    await s.setSetting('a', 1);
    await s.db.transaction([
      ['INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)', ['b', '2']],
      ['INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)', ['c', '3']],
    ]);
    s.abandon(); // as a kill -9 would: no close, no snapshot
    assert.ok(readFileSync(join(d, 'kubegraf.db.wal'), 'utf8').length > 0, 'the writes are in the log');
    const again = await KubeGrafStore.open({ dataDir: d });
    assert.equal(again.getSetting('a'), 1);
    assert.equal(again.getSetting('b'), 2);
    assert.equal(again.getSetting('c'), 3);
    await again.close();
  });

  it('ignores a torn last log line (never acknowledged) and keeps the rest', async () => {
    const d = dir();
    const s = await KubeGrafStore.open({ dataDir: d, snapshotDelayMs: 60_000 });
    await s.setSetting('kept', true);
    s.abandon();
    writeFileSync(
      join(d, 'kubegraf.db.wal'),
      readFileSync(join(d, 'kubegraf.db.wal'), 'utf8') + '{"s":99,"v":2,"sql":"INSERT INTO set',
      { flag: 'w' },
    );
    const again = await KubeGrafStore.open({ dataDir: d });
    assert.equal(again.getSetting('kept'), true);
    await again.close();
  });

  it('sets a corrupt database file aside, reports it, and never overwrites it', async () => {
    const d = dir();
    writeFileSync(join(d, 'kubegraf.db'), 'this is not a sqlite file at all, just garbage bytes '.repeat(100));
    const s = await KubeGrafStore.open({ dataDir: d });
    const st = s.backupStatus();
    assert.ok(st.corruption, 'corruption is reported');
    assert.ok(existsSync(st.corruption!.movedTo), 'the bad file is kept');
    assert.match(readFileSync(st.corruption!.movedTo, 'utf8'), /garbage bytes/);
    await s.setSetting('fresh', 1);
    await s.close();
  });

  it('backs up, lists and restores (backing up the current database first)', async () => {
    const d = dir();
    const s = await KubeGrafStore.open({ dataDir: d });
    await s.setSetting('v', 'before');
    const b = s.backupNow();
    assert.match(b.name, /^kubegraf-\d{8}T\d{9}Z\.db$/);
    await s.setSetting('v', 'after');
    assert.equal(s.listBackups().length, 1);
    const r = s.restoreBackup(b.name);
    assert.equal(r.restored.name, b.name);
    assert.equal(s.getSetting('v'), 'before');
    assert.equal(s.listBackups().length, 2, 'a pre-restore backup was made');
    assert.throws(() => s.restoreBackup('../../etc/passwd'), /not a backup name/);
    assert.throws(() => s.restoreBackup('kubegraf-20200101T000000000Z.db'), /no backup named/);
    await s.close();
    const again = await KubeGrafStore.open({ dataDir: d });
    assert.equal(again.getSetting('v'), 'before', 'the restore is durable');
    assert.ok(readdirSync(join(d, 'backups')).length >= 2);
    await again.close();
  });

  it('refuses a backup it cannot restore without touching the live database or the backup list', async () => {
    const d = dir();
    const s = await KubeGrafStore.open({ dataDir: d });
    await s.setSetting('v', 'live');
    s.backupNow();
    const initSqlJs = (await import('sql.js')).default;
    const SQL = await initSqlJs();
    const craft = (sql: string): Uint8Array => {
      const db = new SQL.Database();
      db.exec(sql);
      const bytes = db.export();
      db.close();
      return bytes;
    };
    const planted = {
      'kubegraf-20200101T000000001Z.db': craft(
        "CREATE TABLE _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO _meta VALUES ('schema_version', '1'); CREATE TABLE settings (x TEXT);",
      ),
      'kubegraf-20200101T000000002Z.db': craft('CREATE TABLE notes (body TEXT);'),
      'kubegraf-20200101T000000003Z.db': craft(
        "CREATE TABLE _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO _meta VALUES ('schema_version', '9999');",
      ),
      'kubegraf-20200101T000000004Z.db': Buffer.from(
        'not a database at all, just text that is long enough to look like a file header',
      ),
    };
    for (const [name, bytes] of Object.entries(planted)) writeFileSync(join(d, 'backups', name), bytes);
    const before = readdirSync(join(d, 'backups')).sort();
    for (const name of Object.keys(planted)) {
      assert.throws(
        () => s.restoreBackup(name),
        (e: Error) =>
          /cannot be restored: /.test(e.message) &&
          !/SQLITE_|sql\.js|no such table|file is not a database/.test(e.message),
        name,
      );
      assert.equal(s.getSetting('v'), 'live', `the live database still answers after ${name}`);
      await s.addFeedback({
        incidentId: 'i',
        signature: 'sig',
        type: 't',
        verdict: 'helpful',
        time: new Date().toISOString(),
      });
    }
    assert.deepEqual(readdirSync(join(d, 'backups')).sort(), before, 'no pre-restore backup for a refused restore');
    await s.close();
    const again = await KubeGrafStore.open({ dataDir: d });
    assert.equal(again.getSetting('v'), 'live', 'the next start opens the same database');
    assert.equal(again.feedbackBySignature().get('sig')?.helpful, 4);
    await again.close();
  });
});
