// Handlers of the server's own routes: settings, accounts, terminal shells and preferences, updates.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Caller, Handlers } from '../../shared/route';
import type { SYSTEM_ROUTES, UpdateCheck, UserDto } from '../../shared/routes/system';
import type { ApiDeps } from './deps';
import { ApiError, notImplemented } from './errors';

type H = Handlers<typeof SYSTEM_ROUTES, ApiDeps>;

/** The server puts the bearer token of the request on the caller so logout can end exactly this session. */
export type SessionCaller = Caller & { session?: string };

function accounts(deps: ApiDeps) {
  if (!deps.accounts)
    throw new ApiError(
      'accountsDisabled',
      'accounts are off: this server listens on loopback and uses its launch token; start it with --host (and TLS) to use accounts',
      400,
    );
  return deps.accounts;
}

/** The signed-in user behind the caller's session token (undefined for the launch token or no session). */
async function sessionUser(deps: ApiDeps, caller: Caller): Promise<UserDto | undefined> {
  const tok = (caller as SessionCaller).session;
  return tok && deps.accounts ? (await deps.accounts.session(tok))?.user : undefined;
}

export function availableShells(): Array<{ name: string; path: string }> {
  const listed = existsSync('/etc/shells')
    ? readFileSync('/etc/shells', 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('/'))
    : [];
  const candidates =
    process.platform === 'win32'
      ? ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\Windows\\System32\\cmd.exe']
      : [...listed, '/bin/bash', '/bin/zsh', '/bin/sh'];
  const seen = new Set<string>();
  const out: Array<{ name: string; path: string }> = [];
  for (const p of candidates) {
    if (seen.has(p) || !existsSync(p)) continue;
    seen.add(p);
    out.push({ name: basename(p), path: p });
  }
  return out;
}

export function defaultShell(): string | null {
  const shells = availableShells();
  const env = process.platform === 'win32' ? process.env.COMSPEC : process.env.SHELL;
  if (env && shells.some((s) => s.path === env)) return env;
  return shells[0]?.path ?? null;
}

async function checkUpdates(deps: ApiDeps): Promise<UpdateCheck> {
  const source = 'https://registry.npmjs.org/kubegraf/latest';
  let res: Response;
  try {
    res = await fetch(source, { signal: AbortSignal.timeout(5000), headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(
      'unreachable',
      `cannot reach the npm registry to check for updates: ${(e as Error).message}`,
      503,
    );
  }
  if (res.status === 404) return { currentVersion: deps.version, updateAvailable: false, source };
  if (!res.ok) throw new ApiError('unreachable', `the npm registry answered HTTP ${res.status}`, 502);
  const latest = String(((await res.json()) as { version?: string }).version ?? '');
  const newer = (a: string, b: string) => {
    const pa = a.split(/[.-]/).map(Number);
    const pb = b.split(/[.-]/).map(Number);
    for (let i = 0; i < 3; i++) if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) > (pb[i] || 0);
    return false;
  };
  return {
    currentVersion: deps.version,
    latestVersion: latest,
    updateAvailable: Boolean(latest) && newer(latest, deps.version),
    source,
  };
}

export const SYSTEM_HANDLERS: Omit<H, 'local.terminal'> = {
  'settings.get': async (_p, deps) => deps.settings.get(),
  'settings.save': async (p, deps) => deps.settings.save(p),
  'auth.register': async (p, deps, caller) => {
    const a = accounts(deps);
    await a.register(p.username, p.password, await sessionUser(deps, caller));
    return a.login(p.username, p.password);
  },
  'users.list': async (_p, deps, caller) => ({ users: await accounts(deps).list(await sessionUser(deps, caller)) }),
  'users.create': async (p, deps, caller) => {
    const by = await sessionUser(deps, caller);
    // Only an admin session: the launch token alone creates the first admin, nobody else.
    if (!by) throw new ApiError('forbidden', 'only an admin can manage accounts', 403);
    return accounts(deps).register(p.username, p.password, by, p.role);
  },
  'users.update': async (p, deps, caller) =>
    accounts(deps).update(p.username, { role: p.role, disabled: p.disabled }, await sessionUser(deps, caller)),
  'users.delete': async (p, deps, caller) => {
    await accounts(deps).remove(p.username, await sessionUser(deps, caller));
    return { ok: true, message: `deleted user ${p.username}` };
  },
  'auth.login': async (p, deps) => accounts(deps).login(p.username, p.password),
  'auth.logout': async (_p, deps, caller) => {
    const a = accounts(deps);
    const tok = (caller as SessionCaller).session;
    const ended = tok ? a.logout(tok) : false;
    return { ok: true, message: ended ? 'signed out' : 'no session to end' };
  },
  'auth.me': async (_p, deps, caller) => {
    if (!deps.accounts) return { accounts: false, user: null };
    const tok = (caller as SessionCaller).session;
    const s = tok ? await deps.accounts.session(tok) : undefined;
    return { accounts: true, user: s?.user ?? null };
  },
  'auth.validate': async (p, deps, caller) => {
    // Reaching a handler means the request's own token was accepted; without accounts that token is the launch
    // token, so a token given to check is valid exactly when it is the same one.
    if (!deps.accounts) return { valid: p.token === undefined || p.token === (caller as SessionCaller).session };
    const tok = p.token ?? (caller as SessionCaller).session;
    const s = tok ? await deps.accounts.session(tok) : undefined;
    return s ? { valid: true, expiresAt: s.expiresAt, user: s.user } : { valid: false };
  },
  'terminal.shells': async () => ({ shells: availableShells(), default: defaultShell() }),
  'terminal.preferences': async (_p, deps) => {
    const s = await deps.settings.get();
    return {
      shell: defaultShell() ?? undefined,
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      ...(s.terminal ?? {}),
    };
  },
  'updates.check': async (_p, deps) => checkUpdates(deps),
  'updates.install': async () => {
    throw notImplemented(
      'KubeGraf does not update itself: update the VS Code extension from the marketplace, or run `npm install -g kubegraf@latest` for the CLI',
    );
  },
  'updates.autoCheck': async (p, deps) => {
    const s = await deps.settings.get();
    // A GET changes nothing: `enabled` answers "what if" for this call; the setting is saved with POST /api/settings.
    const enabled = p.enabled ?? s.autoCheckUpdates !== false;
    if (!enabled) return { enabled, currentVersion: deps.version, updateAvailable: false, source: 'disabled' };
    return { enabled, ...(await checkUpdates(deps)) };
  },
};
