// What the user may do here, so the UI never offers what will fail. Two layers, both checked before an action is
// shown: KubeGraf's own roles (accounts mode: viewer < operator < admin; the launch token and VS Code act as admin),
// and the cluster's RBAC for the identity KubeGraf uses, asked per kind and namespace through SelfSubjectAccessReviews
// (`GET /api/capabilities?kinds=`). The server enforces both anyway; this only keeps the buttons honest.
import { createResource, createRoot, getOwner, runWithOwner, type Resource } from 'solid-js';
import { ROUTES, type RouteId } from '../../../src/shared/routeTable';
import type { Route } from '../../../src/shared/route';
import { requiredRole, roleAllows, type Role } from '../../../src/shared/permissions';
import { api, context } from './app';
import { oneNamespace } from './scope';

type Access = Record<string, boolean>;

let created: ReturnType<typeof make> | undefined;
const make = () =>
  createRoot(() => {
    const [me] = createResource(async () => {
      try {
        return await api().call('auth.me', {});
      } catch {
        return { accounts: false, user: null }; // a face without accounts (VS Code): the launch token's rights
      }
    });
    const byKind = new Map<string, Resource<Access | undefined>>();
    const root = getOwner();
    const accessOf = (plural: string): Resource<Access | undefined> => {
      let r = byKind.get(plural);
      if (!r) {
        // Owned by this store's root, not by whichever computation asked first (which may be disposed).
        [r] = runWithOwner(root, () =>
          createResource(
            () => `${context()}\n${oneNamespace()}`,
            async () => {
              try {
                const res = await api().call('capabilities', { kinds: plural, namespace: oneNamespace() });
                return res.access?.[plural];
              } catch {
                return undefined; // cannot ask: let the server's answer speak when the action runs
              }
            },
          ),
        )!;
        byKind.set(plural, r);
      }
      return r;
    };
    return { me, accessOf };
  });
const store = () => (created ??= make());

/** The signed-in user's role; undefined while it is being read. */
export function role(): Role | undefined {
  const m = store().me();
  if (!m) return undefined;
  return m.accounts ? (m.user?.role ?? 'viewer') : 'admin';
}

/** Whether this user's role may call the route (the same table the server enforces). */
export function mayCall(id: RouteId | string, params: Record<string, unknown> = {}): boolean {
  const have = role();
  const r = (ROUTES as Record<string, Route | undefined>)[id];
  if (!have || !r) return false;
  return roleAllows(have, requiredRole(r, r.method, params));
}

/**
 * Whether the cluster lets KubeGraf's identity do `verb` on this kind (plural, e.g. `pods`) in the chosen namespace.
 * False while the review is being asked (nothing is offered before it is known); true when it could not be asked
 * (the server's answer speaks when the action runs).
 */
export function clusterAllows(plural: string, verb: string): boolean {
  const r = store().accessOf(plural);
  if (r.loading) return false;
  return r()?.[verb] ?? true;
}

/** Why an action is not offered, for a disabled control's title. */
export function whyNot(): string {
  const r = role();
  return r ? `Your role (${r}) may not do this; ask an admin.` : 'Checking what you may do…';
}
