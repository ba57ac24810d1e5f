// Who may call what, in accounts mode: every route's least role, derived from its method and its id. The launch token
// (loopback mode, VS Code) acts as admin. Cluster permissions are still the cluster's: these roles only narrow them.
import type { UserDto } from './routes/system';

export type Role = UserDto['role'];
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Changes to the server itself, to who may do what, or that hand out a shell or a secret: admins only. */
const ADMIN = new Set([
  'settings.save',
  'users.list',
  'users.create',
  'users.update',
  'users.delete',
  'contexts.switch',
  'clusters.switch',
  'backup.now',
  'backup.restore',
  'ai.configure',
  'incidents.remediation.enable',
  'incidents.remediation.disable',
  'pod.exec',
  'pod.terminal',
  'local.terminal',
  'updates.install',
  'plugins.install',
  'plugins.enable',
  'apps.install',
  'apps.uninstall',
  'gpu.install',
  'kiali.install',
  'mlflow.install',
  'feast.install',
]);

/** Not GETs, yet they change nothing in the cluster: anyone signed in. */
const VIEWER = new Set([
  'auth.login',
  'auth.logout',
  'auth.register', // the handler itself requires the launch token (first admin) or an admin session
  'ai.chat',
  'notifications.markRead',
  'notifications.markAllRead',
  'incidents.feedback',
  'incidents.fixPreview',
  'customApps.preview',
  // Read-only push channels.
  'ws',
  'ws.metrics',
  'execution.stream',
  'ml.jobs.logsWs',
]);

/** The least role that may call route `id` with `method` and these parameters. */
export function requiredRole(id: string, method: string, params: Record<string, unknown> = {}): Role {
  if (ADMIN.has(id)) return 'admin';
  // Revealing a Secret's value is reading a credential.
  if (id.startsWith('secret.') && params.reveal !== undefined && params.reveal !== '') return 'admin';
  if (VIEWER.has(id)) return 'viewer';
  return method === 'GET' || method === 'HEAD' ? 'viewer' : 'operator';
}

export const roleAllows = (have: Role, need: Role): boolean => RANK[have] >= RANK[need];
