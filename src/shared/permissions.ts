// Who may call what, in accounts mode: every route declares its least role in the route table (`role`, else by
// method). The launch token (loopback mode, VS Code) acts as admin. Cluster permissions are still the cluster's:
// these roles only narrow them.
import type { Role, Route } from './route';

export type { Role } from './route';
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** The least role that may call route `r` with `method` (an ANY route's actual method) and these parameters. */
export function requiredRole(r: Route, method: string = r.method, params: Record<string, unknown> = {}): Role {
  if (r.role) return r.role;
  // Revealing a Secret's value is reading a credential.
  if (r.path.startsWith('/api/secret/') && params.reveal !== undefined && params.reveal !== '') return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'viewer' : 'operator';
}

export const roleAllows = (have: Role, need: Role): boolean => RANK[have] >= RANK[need];
