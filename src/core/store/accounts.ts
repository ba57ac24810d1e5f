// User accounts for a server bound beyond loopback: scrypt password hashes (memory-hard), random session tokens
// stored only as SHA-256 digests, sessions that expire. Persisted to the data dir.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash, type ScryptOptions } from 'node:crypto';
import { join } from 'node:path';
import type { UserDto } from '../../shared/routes/system';
import { readJson, writeJsonAtomic } from './atomicFile';
import { ApiError } from '../api/errors';

// N=2^15, r=8: 32 MiB per hash, OWASP's scrypt baseline.
const SCRYPT: ScryptOptions = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 64;

function scrypt(password: string, salt: Buffer, o: ScryptOptions = SCRYPT): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, KEYLEN, o, (e, k) => (e ? reject(e) : resolve(k))),
  );
}

type Role = UserDto['role'];

interface StoredUser {
  username: string;
  /** `user` in files written before roles: read as `operator`. */
  role: Role | 'user';
  createdAt: string;
  disabled?: boolean;
  salt: string;
  hash: string;
  params: { N: number; r: number; p: number };
}

interface Session {
  digest: string;
  username: string;
  expiresAt: number;
}

/** Failed sign-ins per username: after FREE_TRIES, each further try waits twice as long (capped), like sshd/fail2ban. */
interface Failures {
  count: number;
  lockedUntil: number;
}
const FREE_TRIES = 5;
const MAX_LOCK_MS = 15 * 60_000;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const roleOf = (u: StoredUser): Role => (u.role === 'user' ? 'operator' : u.role);

export class AccountStore {
  private users = new Map<string, StoredUser>();
  private sessions = new Map<string, Session>();
  private failures = new Map<string, Failures>();
  private loaded?: Promise<void>;
  /** Account changes run one at a time: "is this the first account?" and the write that answers it are one step. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly file: string;
  // A fixed dummy hash so a login for an unknown user costs the same as for a known one.
  private readonly dummySalt = randomBytes(16);

  constructor(
    dataDir: string,
    readonly sessionTtlMs = 12 * 3600_000,
    private readonly now: () => number = Date.now,
  ) {
    this.file = join(dataDir, 'accounts.json');
  }

  private load(): Promise<void> {
    return (this.loaded ??= readJson<{ users: StoredUser[] }>(this.file, { users: [] }).then((d) => {
      for (const u of d.users ?? []) this.users.set(u.username.toLowerCase(), u);
    }));
  }

  private persist(): Promise<void> {
    return writeJsonAtomic(this.file, { users: [...this.users.values()] });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async count(): Promise<number> {
    await this.load();
    return this.users.size;
  }

  private dto(u: StoredUser): UserDto {
    return { username: u.username, role: roleOf(u), createdAt: u.createdAt, ...(u.disabled ? { disabled: true } : {}) };
  }

  private static admin(by: UserDto | undefined): void {
    if (by?.role !== 'admin') throw new ApiError('forbidden', 'only an admin can manage accounts', 403);
  }

  /**
   * The first account is an admin, created by whoever holds the launch token (`by` undefined); every later one needs an
   * admin. Concurrent calls are serialized, so five at once make one admin and four refusals.
   */
  register(username: string, password: string, by?: UserDto, role?: Role): Promise<UserDto> {
    return this.serial(async () => {
      await this.load();
      const first = this.users.size === 0;
      if (!first) AccountStore.admin(by);
      if (this.users.has(username.toLowerCase()))
        throw new ApiError('alreadyExists', `user "${username}" already exists`, 409);
      const salt = randomBytes(16);
      const hash = await scrypt(password, salt);
      const u: StoredUser = {
        username,
        role: first ? 'admin' : (role ?? 'viewer'),
        createdAt: new Date(this.now()).toISOString(),
        salt: salt.toString('base64'),
        hash: hash.toString('base64'),
        params: { N: SCRYPT.N!, r: SCRYPT.r!, p: SCRYPT.p! },
      };
      this.users.set(username.toLowerCase(), u);
      await this.persist();
      return this.dto(u);
    });
  }

  async list(by: UserDto | undefined): Promise<UserDto[]> {
    AccountStore.admin(by);
    await this.load();
    return [...this.users.values()].map((u) => this.dto(u)).sort((a, b) => a.username.localeCompare(b.username));
  }

  /** Changes a user's role or disables/enables them; the last enabled admin stays an enabled admin. */
  update(username: string, change: { role?: Role; disabled?: boolean }, by: UserDto | undefined): Promise<UserDto> {
    return this.serial(async () => {
      AccountStore.admin(by);
      await this.load();
      const u = this.users.get(username.toLowerCase());
      if (!u) throw new ApiError('notFound', `no user "${username}"`, 404);
      const next: StoredUser = {
        ...u,
        ...(change.role ? { role: change.role } : {}),
        ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
      };
      if (
        roleOf(u) === 'admin' &&
        !u.disabled &&
        (roleOf(next) !== 'admin' || next.disabled) &&
        this.enabledAdmins() <= 1
      ) {
        throw new ApiError('conflict', `${u.username} is the only admin; make another admin first`, 409);
      }
      this.users.set(username.toLowerCase(), next);
      await this.persist();
      if (next.disabled) this.endSessions(u.username);
      return this.dto(next);
    });
  }

  remove(username: string, by: UserDto | undefined): Promise<void> {
    return this.serial(async () => {
      AccountStore.admin(by);
      await this.load();
      const u = this.users.get(username.toLowerCase());
      if (!u) throw new ApiError('notFound', `no user "${username}"`, 404);
      if (roleOf(u) === 'admin' && !u.disabled && this.enabledAdmins() <= 1)
        throw new ApiError('conflict', `${u.username} is the only admin; make another admin first`, 409);
      this.users.delete(username.toLowerCase());
      await this.persist();
      this.endSessions(u.username);
    });
  }

  private enabledAdmins(): number {
    return [...this.users.values()].filter((u) => roleOf(u) === 'admin' && !u.disabled).length;
  }

  private endSessions(username: string): void {
    for (const [k, s] of this.sessions)
      if (s.username.toLowerCase() === username.toLowerCase()) this.sessions.delete(k);
  }

  async login(username: string, password: string): Promise<{ token: string; user: UserDto; expiresAt: string }> {
    await this.load();
    const key = username.toLowerCase();
    const f = this.failures.get(key);
    const now = this.now();
    if (f && f.lockedUntil > now) {
      const secs = Math.ceil((f.lockedUntil - now) / 1000);
      throw new ApiError('tooManyAttempts', `too many wrong passwords for "${username}"; try again in ${secs} s`, 429, {
        retryAfterSeconds: secs,
      });
    }
    const u = this.users.get(key);
    const salt = u ? Buffer.from(u.salt, 'base64') : this.dummySalt;
    const got = await scrypt(password, salt, u ? { ...SCRYPT, ...u.params } : SCRYPT);
    const want = u ? Buffer.from(u.hash, 'base64') : Buffer.alloc(KEYLEN);
    if (!u || got.length !== want.length || !timingSafeEqual(got, want)) {
      const count = (f?.count ?? 0) + 1;
      const lockMs = count > FREE_TRIES ? Math.min(MAX_LOCK_MS, 1000 * 2 ** (count - FREE_TRIES - 1)) : 0;
      this.failures.set(key, { count, lockedUntil: this.now() + lockMs });
      throw new ApiError('unauthorized', 'wrong username or password', 401);
    }
    if (u.disabled) throw new ApiError('forbidden', `the account "${u.username}" is disabled; ask an admin`, 403);
    this.failures.delete(key);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.sessionTtlMs;
    this.sessions.set(digest(token), { digest: digest(token), username: u.username, expiresAt });
    return { token, user: this.dto(u), expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The user of a live session, or undefined (expired sessions, and those of disabled or removed users, end). */
  async session(token: string): Promise<{ user: UserDto; expiresAt: string } | undefined> {
    await this.load();
    const s = this.sessions.get(digest(token));
    if (!s) return undefined;
    const u = this.users.get(s.username.toLowerCase());
    if (s.expiresAt <= this.now() || !u || u.disabled) {
      this.sessions.delete(s.digest);
      return undefined;
    }
    return { user: this.dto(u), expiresAt: new Date(s.expiresAt).toISOString() };
  }

  logout(token: string): boolean {
    return this.sessions.delete(digest(token));
  }
}
