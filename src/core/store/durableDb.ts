// A sql.js (WASM) database that survives crashes. sql.js lives in memory, so durability comes from two files:
//  - the snapshot `NAME.db`: the whole database, written to a temp file, fsynced, renamed over, directory fsynced;
//  - the write-ahead log `NAME.db.wal`: one JSON line per write (statement + parameters), fsynced before the write is
//    acknowledged. Writes are group-committed: everything queued in one tick shares one fsync.
// Snapshots are debounced; each records the last log sequence it contains, so a crash between the rename and the log
// truncation replays nothing twice. A torn last log line was never acknowledged and is dropped. A snapshot that does
// not open is moved aside (never overwritten) and reported.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
  ftruncateSync,
  unlinkSync,
} from 'node:fs';
import { dirname, basename, join } from 'node:path';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';

export type Param = SqlValue | boolean | undefined;
export type Row = Record<string, SqlValue>;

export interface Migration {
  version: number;
  sql: string;
}

export interface DurableDbOptions {
  /** Snapshot debounce: a burst of writes makes one snapshot this long after the last. */
  snapshotDelayMs?: number;
  /** Snapshot early once the log grows past this many bytes. */
  maxLogBytes?: number;
}

export interface Corruption {
  movedTo: string;
  error: string;
  time: string;
}

interface LogEntry {
  s: number;
  v: number;
  sql: string;
  p: SqlValue[];
  /** A transaction's statements (sql is then TX). */
  t?: Array<{ sql: string; p: SqlValue[] }>;
}

const TX = '__tx__';

let sqlPromise: Promise<SqlJsStatic> | undefined;

/** Loads the WASM build once per process. Bundled builds ship `sql-wasm.wasm` beside the bundle. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!sqlPromise) {
    let wasmPath: string | undefined;
    try {
      wasmPath = require.resolve('sql.js/dist/sql-wasm.wasm');
    } catch {
      wasmPath = join(__dirname, 'sql-wasm.wasm');
    }
    sqlPromise = initSqlJs({ locateFile: () => wasmPath! });
  }
  return sqlPromise;
}

const norm = (p: Param[]): SqlValue[] =>
  p.map((x) => (x === undefined ? null : typeof x === 'boolean' ? (x ? 1 : 0) : x));

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
  }
}

/** Writes `data` to `path` atomically and durably: temp file, fsync, rename, fsync of the directory. */
export function writeFileDurable(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

export class DurableDb {
  private db!: Database;
  private logFd = -1;
  private logBytes = 0;
  private seq = 0;
  private snapshotSeq = 0;
  private queue: Array<{ line: string; resolve: () => void; reject: (e: Error) => void }> = [];
  private flushScheduled = false;
  private snapshotTimer?: NodeJS.Timeout;
  private closed = false;
  private readonly o: Required<DurableDbOptions>;
  corruption?: Corruption;
  schemaVersion = 0;

  private constructor(
    private readonly SQL: SqlJsStatic,
    readonly path: string,
    private readonly migrations: Migration[],
    o: DurableDbOptions,
  ) {
    this.o = { snapshotDelayMs: 2000, maxLogBytes: 8 * 1024 * 1024, ...o };
  }

  get logPath(): string {
    return `${this.path}.wal`;
  }

  static async open(path: string, migrations: Migration[], o: DurableDbOptions = {}): Promise<DurableDb> {
    const SQL = await loadSqlJs();
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const d = new DurableDb(SQL, path, migrations, o);
    d.load();
    return d;
  }

  private load(): void {
    this.db = this.openSnapshot();
    this.db.run('CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    this.snapshotSeq = Number(this.meta('wal_seq') ?? 0);
    this.schemaVersion = Number(this.meta('schema_version') ?? 0);
    this.seq = this.snapshotSeq;
    const entries = this.readLog();
    for (const e of entries) {
      if (e.s <= this.snapshotSeq) continue;
      // The log was written by code at schema e.v: bring the database there first, then replay.
      this.migrateTo(Math.min(e.v, this.latest()));
      try {
        if (e.sql === TX && e.t) {
          this.db.exec('BEGIN');
          try {
            for (const x of e.t) this.db.run(x.sql, x.p);
            this.db.exec('COMMIT');
          } catch (err) {
            this.db.exec('ROLLBACK');
            throw err;
          }
        } else this.db.run(e.sql, e.p);
      } catch {
        // A statement that no longer applies (schema moved on) is skipped rather than blocking start.
      }
      this.seq = Math.max(this.seq, e.s);
    }
    this.migrateTo(this.latest());
    // Start each session from a fresh snapshot and an empty log: the log then only ever holds this code's writes.
    this.snapshotNow();
    this.logFd = openSync(this.logPath, 'a', 0o600);
    this.logBytes = statSync(this.logPath).size;
  }

  private latest(): number {
    return this.migrations.reduce((m, x) => Math.max(m, x.version), 0);
  }

  private migrateTo(v: number): void {
    this.schemaVersion = this.migrate(this.db, this.schemaVersion, v);
  }

  /** Runs the migrations above `from` up to `to` on `db`, each in its own transaction; returns the version reached. */
  private migrate(db: Database, from: number, to: number): number {
    let at = from;
    for (const m of [...this.migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= at || m.version > to) continue;
      db.exec('BEGIN');
      try {
        db.exec(m.sql);
        db.run('INSERT OR REPLACE INTO _meta(key, value) VALUES (?, ?)', ['schema_version', String(m.version)]);
        db.exec('COMMIT');
      } catch (e) {
        db.exec('ROLLBACK');
        throw new Error(`database migration ${m.version} failed: ${(e as Error).message}`, { cause: e });
      }
      at = m.version;
    }
    return at;
  }

  private meta(key: string): string | undefined {
    const r = this.db.exec('SELECT value FROM _meta WHERE key = ?', [key]);
    return r[0]?.values[0]?.[0] as string | undefined;
  }

  private openSnapshot(): Database {
    if (!existsSync(this.path)) return new this.SQL.Database();
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch (e) {
      return this.setAside(`cannot read: ${(e as Error).message}`);
    }
    if (bytes.length === 0) return this.setAside('the file is empty');
    try {
      const db = new this.SQL.Database(bytes);
      const r = db.exec('PRAGMA integrity_check');
      const verdict = String(r[0]?.values[0]?.[0] ?? '');
      if (verdict !== 'ok') {
        db.close();
        return this.setAside(`integrity check failed: ${verdict}`);
      }
      db.exec('SELECT count(*) FROM sqlite_master');
      return db;
    } catch (e) {
      return this.setAside((e as Error).message);
    }
  }

  /** Keeps an unreadable database file for the user (and support) and starts an empty one. */
  private setAside(error: string): Database {
    const time = new Date().toISOString();
    const movedTo = `${this.path}.corrupt-${time.replace(/[:.]/g, '-')}`;
    renameSync(this.path, movedTo);
    fsyncDir(dirname(this.path));
    this.corruption = { movedTo, error, time };
    return new this.SQL.Database();
  }

  private readLog(): LogEntry[] {
    if (!existsSync(this.logPath)) return [];
    const text = readFileSync(this.logPath, 'utf8');
    const out: LogEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const e = JSON.parse(line) as LogEntry;
        if (typeof e.s === 'number' && typeof e.sql === 'string') out.push(e);
      } catch {
        // A torn line: the process died mid-append, before the fsync that would have acknowledged it.
      }
    }
    return out;
  }

  // ---------------- reads ----------------

  all(sql: string, params: Param[] = []): Row[] {
    const st = this.db.prepare(sql);
    try {
      st.bind(norm(params));
      const rows: Row[] = [];
      while (st.step()) rows.push(st.getAsObject() as Row);
      return rows;
    } finally {
      st.free();
    }
  }

  get(sql: string, params: Param[] = []): Row | undefined {
    return this.all(sql, params)[0];
  }

  // ---------------- writes ----------------

  /**
   * Runs a write now (readers see it at once) and resolves once it is on disk. A caller that acknowledges a write to
   * a user awaits this promise first.
   */
  run(sql: string, params: Param[] = []): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    const p = norm(params);
    this.db.run(sql, p);
    const entry: LogEntry = { s: ++this.seq, v: this.schemaVersion, sql, p };
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(entry)}\n`, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Several writes that must land together (all or none after a crash). */
  async transaction(stmts: Array<[string, Param[]]>): Promise<void> {
    if (!stmts.length) return;
    this.db.exec('BEGIN');
    try {
      for (const [sql, p] of stmts) this.db.run(sql, norm(p));
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
    // One log line per transaction, so a torn append loses all of it and never half.
    const entry: LogEntry = {
      s: ++this.seq,
      v: this.schemaVersion,
      sql: TX,
      p: [],
      t: stmts.map(([sql, p]) => ({ sql, p: norm(p) })),
    };
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(entry)}\n`, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue.splice(0);
    if (!batch.length) return;
    try {
      const buf = Buffer.from(batch.map((b) => b.line).join(''));
      let off = 0;
      while (off < buf.length) off += writeSync(this.logFd, buf, off, buf.length - off);
      fsyncSync(this.logFd);
      this.logBytes += buf.length;
      batch.forEach((b) => b.resolve());
    } catch (e) {
      batch.forEach((b) => b.reject(e as Error));
      return;
    }
    if (this.logBytes > this.o.maxLogBytes) this.snapshotNow();
    else this.scheduleSnapshot();
  }

  private scheduleSnapshot(): void {
    if (this.snapshotTimer || this.closed) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      try {
        this.snapshotNow();
      } catch {
        // The log still holds every write; the next snapshot tries again.
      }
    }, this.o.snapshotDelayMs);
    this.snapshotTimer.unref();
  }

  /** The whole database as SQLite file bytes, including every write so far. */
  export(): Uint8Array {
    this.db.run('INSERT OR REPLACE INTO _meta(key, value) VALUES (?, ?)', ['wal_seq', String(this.seq)]);
    return this.db.export();
  }

  /** Writes the snapshot and empties the log (only writes already flushed are covered: the queue stays). */
  snapshotNow(): void {
    if (this.queue.length) {
      // Unflushed writes are in memory already; flush them first so the log and snapshot agree.
      this.flushScheduled = false;
      this.flush();
    }
    const bytes = this.export();
    writeFileDurable(this.path, bytes);
    this.snapshotSeq = this.seq;
    if (this.logFd >= 0) {
      ftruncateSync(this.logFd, 0);
      fsyncSync(this.logFd);
      this.logBytes = 0;
    } else if (existsSync(this.logPath)) {
      const fd = openSync(this.logPath, 'r+');
      try {
        ftruncateSync(fd, 0);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }

  /**
   * Opens SQLite bytes (a backup) as a candidate database and proves it can replace this one, without touching the
   * live database: integrity check, a schema version this code knows, every migration run on the copy, and then
   * every table and column the live schema has. Throws with the reason otherwise.
   */
  prepareReplacement(bytes: Uint8Array): Database {
    let next: Database;
    try {
      next = new this.SQL.Database(bytes);
      // Reading the schema is what fails for bytes that are not SQLite at all.
      next.exec('SELECT count(*) FROM sqlite_master');
    } catch {
      throw new Error('the file is not a SQLite database');
    }
    try {
      const verdict = String(next.exec('PRAGMA integrity_check')[0]?.values[0]?.[0] ?? '');
      if (verdict !== 'ok') throw new Error('the backup does not pass an integrity check');
      next.run('CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      const version = Number(next.exec("SELECT value FROM _meta WHERE key = 'schema_version'")[0]?.values[0]?.[0] ?? 0);
      if (!Number.isInteger(version) || version < 1)
        throw new Error('it is not a KubeGraf database (no schema version)');
      if (version > this.latest())
        throw new Error(
          `it was written by a newer KubeGraf (schema ${version}, this one knows up to ${this.latest()})`,
        );
      this.migrate(next, version, this.latest());
      const want = DurableDb.columns(this.db);
      const have = DurableDb.columns(next);
      for (const [table, cols] of want) {
        const got = have.get(table);
        if (!got) throw new Error(`it has no ${table} table`);
        const missing = [...cols].filter((c) => !got.has(c));
        if (missing.length) throw new Error(`its ${table} table lacks ${missing.join(', ')}`);
      }
      return next;
    } catch (e) {
      next.close();
      throw e;
    }
  }

  /** Every table's column names. */
  private static columns(db: Database): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    const tables = (
      db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")[0]?.values ?? []
    ).map((r) => String(r[0]));
    for (const t of tables) {
      const cols = db.exec(`PRAGMA table_info("${t.replace(/"/g, '""')}")`)[0]?.values ?? [];
      out.set(t, new Set(cols.map((c) => String(c[1]))));
    }
    return out;
  }

  /**
   * Swaps in a database from prepareReplacement and writes it durably. If writing fails, the previous database
   * comes back as it was, in memory and on disk (the caller closes `next`).
   */
  swapTo(next: Database): void {
    if (this.queue.length) this.flush();
    const prev = this.db;
    const prevVersion = this.schemaVersion;
    this.db = next;
    this.schemaVersion = Number(this.meta('schema_version') ?? 0);
    try {
      this.snapshotNow();
    } catch (e) {
      this.db = prev;
      this.schemaVersion = prevVersion;
      this.snapshotNow();
      throw e;
    }
    prev.close();
  }

  sizeBytes(): number {
    try {
      return statSync(this.path).size + (existsSync(this.logPath) ? statSync(this.logPath).size : 0);
    } catch {
      return 0;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.snapshotTimer);
    if (this.queue.length) this.flush();
    this.snapshotNow();
    this.closed = true;
    if (this.logFd >= 0) closeSync(this.logFd);
    this.logFd = -1;
    this.db.close();
  }

  /** For tests: forget the in-memory state without a final snapshot, as a crash would. */
  abandon(): void {
    this.closed = true;
    clearTimeout(this.snapshotTimer);
    if (this.logFd >= 0) closeSync(this.logFd);
    this.logFd = -1;
    this.db.close();
  }

  static removeFiles(path: string): void {
    for (const p of [path, `${path}.wal`]) if (existsSync(p)) unlinkSync(p);
  }
}
