// Routes of the server itself: settings, accounts, terminals on this machine, updates.
import { z } from 'zod';
import { route } from '../route';
import { boolish, int } from './params';
import type { ActionResult } from './resources';

export interface Settings {
  theme?: 'light' | 'dark' | 'system';
  defaultNamespace?: string;
  refreshIntervalSeconds?: number;
  terminal?: TerminalPreferences;
  /** How long a fixed incident must stay clear before KubeGraf records the fix as resolved (default 300). */
  fixVerificationSeconds?: number;
  [k: string]: unknown;
}

export interface TerminalPreferences {
  shell?: string;
  fontSize?: number;
  fontFamily?: string;
  cursorBlink?: boolean;
  scrollback?: number;
}

/** viewer: reads; operator: also changes workloads; admin: also accounts, settings, secrets, terminals, AI keys. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;

export interface UserDto {
  username: string;
  role: (typeof ROLES)[number];
  createdAt: string;
  disabled?: boolean;
}

export interface AuthResult {
  token: string;
  user: UserDto;
  expiresAt: string;
}

export interface MeResult {
  /** False when the server runs on loopback with the launch token (no accounts). */
  accounts: boolean;
  user: UserDto | null;
}

export interface UpdateCheck {
  currentVersion: string;
  latestVersion?: string;
  updateAvailable: boolean;
  source: string;
}

const username = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/, 'must be 2-64 letters, digits, ".", "_", "@" or "-"');
const password = z.string().min(10, 'must be at least 10 characters').max(1024);

const terminalPrefs = z.object({
  shell: z.string().max(256).optional(),
  fontSize: z.number().int().min(6).max(72).optional(),
  fontFamily: z.string().max(256).optional(),
  cursorBlink: z.boolean().optional(),
  scrollback: z.number().int().min(0).max(1_000_000).optional(),
});

export const settingsSchema = z
  .object({
    theme: z.enum(['light', 'dark', 'system']).optional(),
    defaultNamespace: z.string().max(63).optional(),
    refreshIntervalSeconds: z.number().int().min(1).max(3600).optional(),
    terminal: terminalPrefs.optional(),
    fixVerificationSeconds: z.number().int().min(5).max(86_400).optional(),
  })
  .catchall(z.unknown())
  .refine((s) => JSON.stringify(s).length <= 256 * 1024, 'settings are larger than 256 KiB');

export const SYSTEM_ROUTES = {
  'settings.get': route<Settings>()('GET', '/api/settings', 'store', 'Load settings', z.object({})),
  'settings.save': route<Settings>()(
    'POST',
    '/api/settings',
    'store',
    'Save settings (merged into the stored ones)',
    settingsSchema,
    { role: 'admin' },
  ),
  'auth.register': route<AuthResult>()(
    'POST',
    '/api/auth/register',
    'server',
    'User registration (the first account is an admin and needs the launch token; later ones need an admin session)',
    z.object({ username, password }),
    { role: 'viewer' },
  ),
  'users.list': route<{ users: UserDto[] }>()(
    'GET',
    '/api/users',
    'server',
    'List user accounts (admin)',
    z.object({}),
    { role: 'admin' },
  ),
  'users.create': route<UserDto>()(
    'POST',
    '/api/users/create',
    'server',
    'Create a user account with a role (admin)',
    z.object({ username, password, role: z.enum(ROLES) }),
    { role: 'admin' },
  ),
  'users.update': route<UserDto>()(
    'POST',
    '/api/users/update',
    'server',
    "Change a user's role, or disable/enable them (admin)",
    z.object({ username, role: z.enum(ROLES).optional(), disabled: boolish.optional() }),
    { role: 'admin' },
  ),
  'users.delete': route<ActionResult>()(
    'DELETE',
    '/api/users/delete',
    'server',
    'Delete a user account (admin)',
    z.object({ username }),
    { role: 'admin' },
  ),
  'auth.login': route<AuthResult>()(
    'POST',
    '/api/auth/login',
    'server',
    'User login',
    z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
    { role: 'viewer' },
  ),
  'auth.logout': route<ActionResult>()(
    'POST',
    '/api/auth/logout',
    'server',
    'User logout (ends this session)',
    z.object({}),
    { role: 'viewer' },
  ),
  'auth.me': route<MeResult>()('GET', '/api/auth/me', 'server', 'Get current user', z.object({})),
  'auth.validate': route<{ valid: boolean; expiresAt?: string; user?: UserDto }>()(
    'GET',
    '/api/auth/validate-token',
    'server',
    'Validate token',
    z.object({ token: z.string().max(256).optional() }),
  ),
  'terminal.shells': route<{ shells: Array<{ name: string; path: string }>; default: string | null }>()(
    'GET',
    '/api/terminal/shells',
    'server',
    'Get available shells on this machine',
    z.object({}),
  ),
  'terminal.preferences': route<TerminalPreferences>()(
    'GET',
    '/api/terminal/preferences',
    'store',
    'Get terminal preferences',
    z.object({}),
  ),
  'local.terminal': route<never>()(
    'WS',
    '/api/local/terminal',
    'server',
    'Local machine terminal (node-pty)',
    z.object({
      shell: z.string().max(256).optional(),
      cols: int(1, 1000).optional(),
      rows: int(1, 1000).optional(),
      cwd: z.string().max(4096).optional(),
    }),
    { role: 'admin' },
  ),
  'updates.check': route<UpdateCheck>()(
    'GET',
    '/api/updates/check',
    'server',
    'Check for updates (npm registry)',
    z.object({}),
  ),
  'updates.install': route<ActionResult>()(
    'POST',
    '/api/updates/install',
    'server',
    'Install update',
    z.object({ version: z.string().max(64).optional() }),
    { role: 'admin' },
  ),
  'updates.autoCheck': route<UpdateCheck & { enabled: boolean }>()(
    'GET',
    '/api/update/auto-check',
    'server',
    'Auto-check updates (honours the autoCheckUpdates setting)',
    z.object({ enabled: boolish.optional() }),
  ),
} as const;
