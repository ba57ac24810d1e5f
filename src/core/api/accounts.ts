// User accounts for a server bound beyond loopback: scrypt password hashes (memory-hard), random session tokens
// stored only as SHA-256 digests, sessions that expire. Persisted to the data dir.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash, type ScryptOptions } from 'node:crypto';
import { join } from 'node:path';
import type { UserDto } from '../../shared/routes/system';
import { readJson, writeJsonAtomic } from './atomicFile';
import { ApiError } from './errors';

// N=2^15, r=8: 32 MiB per hash, OWASP's scrypt baseline.
const SCRYPT: ScryptOptions = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 64;

function scrypt(password: string, salt: Buffer, o: ScryptOptions = SCRYPT): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFKC'), salt, KEYLEN, o, (e, k) => (e ? reject(e) : resolve(k))));
}

interface StoredUser {
  username: string;
  role: 'admin' | 'user';
  createdAt: string;
  salt: string;
  hash: string;
  params: { N: number; r: number; p: number };
}

interface Session {
  digest: string;
  username: string;
  expiresAt: number;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export class AccountStore {
  private users = new Map<string, StoredUser>();
  private sessions = new Map<string, Session>();
  private loaded?: Promise<void>;
  private readonly file: string;
  // A fixed dummy hash so a login for an unknown user costs the same as for a known one.
  private readonly dummySalt = randomBytes(16);

  constructor(dataDir: string, readonly sessionTtlMs = 12 * 3600_000) {
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

  async count(): Promise<number> {
    await this.load();
    return this.users.size;
  }

  private dto(u: StoredUser): UserDto {
    return { username: u.username, role: u.role, createdAt: u.createdAt };
  }

  /** The first account becomes admin and may be created by anyone holding the launch token; later ones need an admin. */
  async register(username: string, password: string, by?: UserDto): Promise<UserDto> {
    await this.load();
    const first = this.users.size === 0;
    if (!first && by?.role !== 'admin') throw new ApiError('forbidden', 'only an admin can create more accounts', 403);
    if (this.users.has(username.toLowerCase())) throw new ApiError('alreadyExists', `user "${username}" already exists`, 409);
    const salt = randomBytes(16);
    const hash = await scrypt(password, salt);
    const u: StoredUser = { username, role: first ? 'admin' : 'user', createdAt: new Date().toISOString(), salt: salt.toString('base64'), hash: hash.toString('base64'), params: { N: SCRYPT.N!, r: SCRYPT.r!, p: SCRYPT.p! } };
    this.users.set(username.toLowerCase(), u);
    await this.persist();
    return this.dto(u);
  }

  async login(username: string, password: string): Promise<{ token: string; user: UserDto; expiresAt: string }> {
    await this.load();
    const u = this.users.get(username.toLowerCase());
    const salt = u ? Buffer.from(u.salt, 'base64') : this.dummySalt;
    const got = await scrypt(password, salt, u ? { ...SCRYPT, ...u.params } : SCRYPT);
    const want = u ? Buffer.from(u.hash, 'base64') : Buffer.alloc(KEYLEN);
    if (!u || got.length !== want.length || !timingSafeEqual(got, want)) throw new ApiError('unauthorized', 'wrong username or password', 401);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = Date.now() + this.sessionTtlMs;
    this.sessions.set(digest(token), { digest: digest(token), username: u.username, expiresAt });
    return { token, user: this.dto(u), expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The user of a live session, or undefined (expired sessions are dropped). */
  async session(token: string): Promise<{ user: UserDto; expiresAt: string } | undefined> {
    await this.load();
    const s = this.sessions.get(digest(token));
    if (!s) return undefined;
    if (s.expiresAt <= Date.now()) {
      this.sessions.delete(s.digest);
      return undefined;
    }
    const u = this.users.get(s.username.toLowerCase());
    if (!u) return undefined;
    return { user: this.dto(u), expiresAt: new Date(s.expiresAt).toISOString() };
  }

  logout(token: string): boolean {
    return this.sessions.delete(digest(token));
  }
}
