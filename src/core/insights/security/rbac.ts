// RBAC from the cached Roles, ClusterRoles and their bindings: who can do what (rakkess / `kubectl who-can`), and the
// rules worth a finding (wildcards, escalate/bind/impersonate, cluster-admin, Secrets readers, roles bound to nothing).
import type { KObject } from '../../kube/descriptors';
import type { RbacSubject, WhoCanResult, WhoCanSubject } from '../../../shared/security';
import { matchesSelector } from '../../kube/objectIndex';

export interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Binding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  namespace?: string;
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
  subjects: RbacSubject[];
}

interface Role {
  kind: 'Role' | 'ClusterRole';
  name: string;
  namespace?: string;
  rules: Rule[];
  labels: Record<string, string>;
  aggregated: boolean;
}

/** Built-in ClusterRoles a cluster has even when a cache (or a simulator) does not show them. */
const BUILTIN: Record<string, Rule[]> = {
  'cluster-admin': [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ],
};
/** Roles Kubernetes ships: not "unused" when nothing binds them, and not findings of their own. */
export const isSystemRole = (name: string) =>
  name.startsWith('system:') || ['cluster-admin', 'admin', 'edit', 'view'].includes(name);

export const isSystemSubject = (s: RbacSubject) =>
  s.name.startsWith('system:') || (s.kind === 'ServiceAccount' && (s.namespace ?? '').startsWith('kube-'));

export class RbacIndex {
  readonly roles = new Map<string, Role>();
  readonly bindings: Binding[] = [];
  /** ClusterRoles an aggregationRule picks: used through the aggregate even when nothing binds them. */
  private readonly aggregatedMembers = new Set<string>();

  constructor(roles: KObject[], clusterRoles: KObject[], roleBindings: KObject[], clusterRoleBindings: KObject[]) {
    for (const r of roles) this.addRole(r, 'Role');
    for (const r of clusterRoles) this.addRole(r, 'ClusterRole');
    for (const [name, rules] of Object.entries(BUILTIN))
      if (!this.roles.has(`ClusterRole//${name}`))
        this.roles.set(`ClusterRole//${name}`, { kind: 'ClusterRole', name, rules, labels: {}, aggregated: false });
    // Aggregated ClusterRoles: their rules are the union of the roles their selectors pick.
    for (const o of clusterRoles) {
      const sels = (o.aggregationRule as { clusterRoleSelectors?: Array<Record<string, unknown>> } | undefined)
        ?.clusterRoleSelectors;
      if (!sels?.length) continue;
      const me = this.roles.get(`ClusterRole//${o.metadata.name}`)!;
      me.aggregated = true;
      const filled = me.rules.length > 0;
      for (const other of this.roles.values())
        if (other.kind === 'ClusterRole' && other !== me && sels.some((s) => matchesSelector(other.labels, s))) {
          this.aggregatedMembers.add(`ClusterRole//${other.name}`);
          if (!filled) me.rules.push(...other.rules);
        }
    }
    for (const b of roleBindings) this.addBinding(b, 'RoleBinding');
    for (const b of clusterRoleBindings) this.addBinding(b, 'ClusterRoleBinding');
  }

  private addRole(o: KObject, kind: 'Role' | 'ClusterRole') {
    const ns = kind === 'Role' ? o.metadata.namespace : undefined;
    this.roles.set(`${kind}/${ns ?? ''}/${o.metadata.name}`, {
      kind,
      name: o.metadata.name,
      namespace: ns,
      rules: [...(((o.rules as Rule[] | undefined) ?? []) as Rule[])],
      labels: o.metadata.labels ?? {},
      aggregated: false,
    });
  }

  private addBinding(o: KObject, kind: 'RoleBinding' | 'ClusterRoleBinding') {
    const ref = o.roleRef as { kind?: string; name?: string } | undefined;
    if (!ref?.name) return;
    this.bindings.push({
      kind,
      name: o.metadata.name,
      namespace: kind === 'RoleBinding' ? o.metadata.namespace : undefined,
      roleRef: { kind: ref.kind === 'Role' ? 'Role' : 'ClusterRole', name: ref.name },
      subjects: ((o.subjects as RbacSubject[] | undefined) ?? []).map((s) => ({
        kind: s.kind,
        name: s.name,
        ...(s.kind === 'ServiceAccount' ? { namespace: s.namespace ?? o.metadata.namespace } : {}),
      })),
    });
  }

  /** The role a binding grants (a RoleBinding's Role lives in its namespace). */
  roleOf(b: Binding): Role | undefined {
    return this.roles.get(
      `${b.roleRef.kind}/${b.roleRef.kind === 'Role' ? (b.namespace ?? '') : ''}/${b.roleRef.name}`,
    );
  }

  /** Subjects allowed `verb` on `resource` (`pods`, `pods/log`, `deployments.apps`) in `namespace` (absent: cluster-wide). */
  whoCan(verb: string, resourceArg: string, namespace?: string): WhoCanResult {
    const [resource, ...g] = resourceArg.split('/')[0].split('.');
    const sub = resourceArg.includes('/') ? resourceArg.slice(resourceArg.indexOf('/') + 1) : undefined;
    const group = g.length ? g.join('.') : undefined;
    const full = sub ? `${resource}/${sub}` : resource;
    const subjects = new Map<string, WhoCanSubject>();
    for (const b of this.bindings) {
      if (b.kind === 'RoleBinding' && (!namespace || b.namespace !== namespace)) continue;
      const role = this.roleOf(b);
      if (!role) continue;
      for (const rule of role.rules) {
        if (!ruleAllows(rule, verb, full, group)) continue;
        for (const s of b.subjects) {
          const key = `${s.kind}/${s.namespace ?? ''}/${s.name}`;
          const entry = subjects.get(key) ?? { ...s, via: [] };
          subjects.set(key, entry);
          if (!entry.via.some((v) => v.binding.name === b.name && v.binding.kind === b.kind))
            entry.via.push({
              binding: { kind: b.kind, name: b.name, ...(b.namespace ? { namespace: b.namespace } : {}) },
              role: { kind: role.kind, name: role.name },
              ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}),
            });
        }
        break;
      }
    }
    return {
      verb,
      resource: resourceArg,
      ...(group !== undefined ? { group } : {}),
      ...(namespace ? { namespace } : {}),
      subjects: [...subjects.values()].sort(
        (a, b) =>
          a.kind.localeCompare(b.kind) ||
          (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
          a.name.localeCompare(b.name),
      ),
    };
  }

  /** Roles no binding refers to. */
  unusedRoles(): Role[] {
    const used = new Set<string>();
    for (const b of this.bindings)
      used.add(`${b.roleRef.kind}/${b.roleRef.kind === 'Role' ? (b.namespace ?? '') : ''}/${b.roleRef.name}`);
    const aggregatedInto = new Set(this.aggregatedMembers);
    for (const r of this.roles.values())
      if (Object.keys(r.labels).some((k) => k.startsWith('rbac.authorization.k8s.io/aggregate-to-')))
        aggregatedInto.add(`${r.kind}/${r.namespace ?? ''}/${r.name}`);
    return [...this.roles.entries()]
      .filter(([k, r]) => !used.has(k) && !aggregatedInto.has(k) && !isSystemRole(r.name) && !BUILTIN[r.name])
      .map(([, r]) => r);
  }
}

const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

export function ruleAllows(rule: Rule, verb: string, resource: string, group: string | undefined): boolean {
  if (!rule.resources?.length) return false;
  if (!has(rule.verbs, verb)) return false;
  if (group !== undefined && !has(rule.apiGroups, group)) return false;
  const top = resource.split('/')[0];
  const r = rule.resources;
  return r.includes('*') || r.includes(resource) || (resource.includes('/') && r.includes(`${top}/*`));
}

/** A rule granting everything (`*` verbs on `*` resources in `*` groups): cluster-admin in all but name. */
export const isAdminRule = (r: Rule) =>
  has(r.verbs, '*') && !!r.resources?.includes('*') && !!r.apiGroups?.includes('*');
export const isWildcardRule = (r: Rule) =>
  !!(r.verbs?.includes('*') || r.resources?.includes('*') || r.nonResourceURLs?.includes('*'));
export const ESCALATION_VERBS = ['escalate', 'bind', 'impersonate'];
export const escalationVerbs = (r: Rule) => ESCALATION_VERBS.filter((v) => r.verbs?.includes(v));
export const readsSecrets = (r: Rule) =>
  !r.resourceNames?.length && ['get', 'list', 'watch'].some((v) => ruleAllows(r, v, 'secrets', ''));
