// The security analysis over the watch cache: every workload's pod spec (Polaris's checks and more), the Pod Security
// Standards per workload and namespace, RBAC (wildcards, escalation, cluster-admin, Secrets readers, unused roles,
// who-can), NetworkPolicy coverage and exposure; scored per namespace and cluster as the passed share of the weighted
// checks, like Polaris. `GET /api/security` and the insights registry both read it.
import type { Finding, FindingSeverity } from '../../shared/insights';
import type { SecurityFinding, SecurityReport } from '../../shared/routes/integrations';
import type { PssLevel, PssNamespace, RbacSummary, WhoCanResult } from '../../shared/security';
import type { ApiDeps } from '../api/deps';
import { objects } from '../api/common';
import type { KObject } from '../kube/descriptors';
import { KubeError } from '../kube/errors';
import { matchesSelector, type LabelSelector } from '../kube/objectIndex';
import { findingId, type InsightAnalysis, type Scores } from './analysis';
import { CHECKS, SEVERITY_WEIGHT, checkWorkload } from './security/checks';
import { collectWorkloads, templateOf, type Container, type PodSpec, type Workload } from './security/podSpec';
import { asPssLevel, evaluatePss, pssRank, weakest } from './security/pss';
import {
  RbacIndex,
  escalationVerbs,
  isAdminRule,
  isSystemRole,
  isSystemSubject,
  isWildcardRule,
  readsSecrets,
} from './security/rbac';

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
/** More subjects than this able to read a namespace's Secrets is a finding. */
export const SECRET_READERS_LIMIT = 5;

export interface SecurityScan {
  findings: Finding[];
  /** Weight of the checks held per namespace ('' = cluster-scoped objects). */
  weights: Map<string, number>;
  namespaces: string[];
  pss: PssNamespace[];
  rbac: RbacSummary;
  index: RbacIndex;
  workloads: Workload[];
  pods: number;
  namespacesWithoutNetworkPolicy: string[];
}

/** Objects of a kind, or none when the cluster does not serve it or the user may not list it. */
async function read(deps: ApiDeps, context: string, kind: string, namespace?: string): Promise<KObject[]> {
  try {
    return ((await objects(deps, context, kind, namespace)) ?? []) as KObject[];
  } catch (e) {
    if (e instanceof KubeError && (e.code === 'forbidden' || e.code === 'unauthorized' || e.code === 'notFound'))
      return [];
    throw e;
  }
}

const isDefaultDeny = (np: KObject) => {
  const s = (np.spec ?? {}) as { podSelector?: LabelSelector; policyTypes?: string[]; ingress?: unknown[] };
  const empty =
    !Object.keys(s.podSelector?.matchLabels ?? {}).length && !(s.podSelector?.matchExpressions ?? []).length;
  const ingress = !s.policyTypes || s.policyTypes.includes('Ingress');
  return empty && ingress && !(s.ingress ?? []).length;
};

/** Everything the security analysis knows, over the context's watch cache, in `namespace` (absent: all). */
export async function securityScan(deps: ApiDeps, context: string, namespace?: string): Promise<SecurityScan> {
  const ns = namespace || undefined;
  const [pods, deployments, statefulSets, daemonSets, jobs, cronJobs, replicaSets] = await Promise.all(
    [
      'pods',
      'deployments.apps',
      'statefulsets.apps',
      'daemonsets.apps',
      'jobs.batch',
      'cronjobs.batch',
      'replicasets.apps',
    ].map((k) => read(deps, context, k, ns)),
  );
  const [netpols, services, ingresses, roles, roleBindings] = await Promise.all(
    [
      'networkpolicies.networking.k8s.io',
      'services',
      'ingresses.networking.k8s.io',
      'roles.rbac.authorization.k8s.io',
      'rolebindings.rbac.authorization.k8s.io',
    ].map((k) => read(deps, context, k, ns)),
  );
  // Cluster-scoped: needed even for one namespace (what a ClusterRoleBinding grants there, the namespace's labels).
  const [nsObjs, clusterRoles, clusterBindings, allRoleBindings] = await Promise.all([
    read(deps, context, 'namespaces'),
    read(deps, context, 'clusterroles.rbac.authorization.k8s.io'),
    read(deps, context, 'clusterrolebindings.rbac.authorization.k8s.io'),
    ns ? read(deps, context, 'rolebindings.rbac.authorization.k8s.io') : Promise.resolve(roleBindings),
  ]);
  const namespaces = ns ? [ns] : nsObjs.map((n) => n.metadata.name);
  const nsLabels = new Map(nsObjs.map((n) => [n.metadata.name, n.metadata.labels ?? {}]));

  const findings: Finding[] = [];
  const weights = new Map<string, number>();
  const hold = (namespaceKey: string, w: number) => weights.set(namespaceKey, (weights.get(namespaceKey) ?? 0) + w);
  const weightOf = (check: string) => SEVERITY_WEIGHT[CHECKS[check].severity] || 0.5;
  const add = (
    check: string,
    target: Finding['target'],
    o: { severity?: FindingSeverity; title?: string; why?: string; fix?: Finding['fix']; container?: string } = {},
  ) => {
    const def = CHECKS[check];
    findings.push({
      id: findingId('security', check, target, o.container),
      source: 'security',
      check,
      family: def.family,
      severity: o.severity ?? def.severity,
      target,
      ...(o.container ? { container: o.container } : {}),
      title: o.title ?? def.title,
      why: o.why ?? def.why,
      ...(o.fix
        ? { fix: o.fix }
        : def.fix && def.fixType === 'create'
          ? { fix: { description: def.fix, type: 'create' } }
          : {}),
    });
  };

  // RBAC first: workloads need to know whose tokens are powerful. Cluster-wide bindings are read whatever the scope.
  const index = new RbacIndex(roles, clusterRoles, ns ? allRoleBindings : roleBindings, clusterBindings);
  const powerful = new Map<string, string>();
  const boundRoles = new Map<string, Set<string>>();
  for (const b of index.bindings) {
    const role = index.roleOf(b);
    const key = `${b.roleRef.kind}/${b.roleRef.kind === 'Role' ? (b.namespace ?? '') : ''}/${b.roleRef.name}`;
    const subs = boundRoles.get(key) ?? new Set<string>();
    boundRoles.set(key, subs);
    for (const s of b.subjects) subs.add(`${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`);
    if (!role) continue;
    const why = role.rules.some(isAdminRule)
      ? `${role.kind} ${role.name} grants * on *`
      : role.rules.some(isWildcardRule)
        ? `${role.kind} ${role.name} has wildcards`
        : role.rules.some((r) => escalationVerbs(r).length)
          ? `${role.kind} ${role.name} grants ${role.rules.flatMap(escalationVerbs).join(', ')}`
          : undefined;
    if (why)
      for (const s of b.subjects)
        if (s.kind === 'ServiceAccount' && !powerful.has(`${s.namespace}/${s.name}`))
          powerful.set(`${s.namespace}/${s.name}`, why);
  }
  const inScope = (n: string | undefined) => !ns || n === ns;
  const subjectText = (subs: Set<string> | undefined) => [...(subs ?? [])].slice(0, 3).join(', ');
  for (const [key, role] of index.roles) {
    if (isSystemRole(role.name) || (role.namespace && SYSTEM_NAMESPACES.has(role.namespace))) continue;
    if (role.kind === 'ClusterRole' ? ns : !inScope(role.namespace)) continue;
    const target = { kind: role.kind, ...(role.namespace ? { namespace: role.namespace } : {}), name: role.name };
    const nsKey = role.namespace ?? '';
    const subs = boundRoles.get(key);
    const bound = !!subs?.size;
    hold(nsKey, weightOf('wildcardRole') + weightOf('escalationVerbs') + weightOf('readsSecrets'));
    const wild = role.rules.filter(isWildcardRule);
    if (wild.length && !role.aggregated) {
      const admin = role.rules.some(isAdminRule);
      add('wildcardRole', target, {
        severity: admin && bound ? 'critical' : bound ? 'high' : 'medium',
        title: admin ? 'Grants * on * (cluster-admin in all but name)' : 'Wildcard in verbs or resources',
        why: bound
          ? `A * also grants every verb and resource added later, and ${subjectText(subs)} hold${subs!.size > 1 ? '' : 's'} it.`
          : CHECKS.wildcardRole.why,
      });
    }
    const esc = [...new Set(role.rules.flatMap(escalationVerbs))];
    if (esc.length && !role.aggregated)
      add('escalationVerbs', target, {
        severity: bound ? 'high' : 'medium',
        title: `Grants ${esc.join(', ')}`,
      });
    if (bound && !wild.length && role.rules.some(readsSecrets))
      add('readsSecrets', target, { severity: role.kind === 'ClusterRole' ? 'medium' : 'low' });
    if (!bound) {
      hold(nsKey, 0.5);
      add('unusedRole', target);
    }
  }
  for (const b of index.bindings) {
    if (b.kind === 'ClusterRoleBinding' ? ns : !inScope(b.namespace)) continue;
    if (b.namespace && SYSTEM_NAMESPACES.has(b.namespace)) continue;
    if (b.name.startsWith('system:')) continue;
    const target = { kind: b.kind, ...(b.namespace ? { namespace: b.namespace } : {}), name: b.name };
    const nsKey = b.namespace ?? '';
    hold(nsKey, weightOf('clusterAdminBinding') + weightOf('danglingBinding'));
    const role = index.roleOf(b);
    if (!role) {
      if (!isSystemRole(b.roleRef.name))
        add('danglingBinding', target, { title: `Binds ${b.roleRef.kind} ${b.roleRef.name}, which does not exist` });
      continue;
    }
    const subjects = b.subjects.filter((s) => !isSystemSubject(s));
    if (
      subjects.length &&
      (b.roleRef.name === 'cluster-admin' || (role.kind === 'ClusterRole' && role.rules.some(isAdminRule)))
    ) {
      const who = subjects.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ');
      add('clusterAdminBinding', target, {
        severity: b.kind === 'ClusterRoleBinding' ? 'high' : 'medium',
        title: `${who} bound to ${b.roleRef.name === 'cluster-admin' ? 'cluster-admin' : `${role.name} (* on *)`}`,
        why:
          b.kind === 'ClusterRoleBinding'
            ? CHECKS.clusterAdminBinding.why
            : `Within ${b.namespace}, ${who} can do anything, including reading every Secret and editing RoleBindings.`,
      });
    }
  }

  // Workloads
  const all = collectWorkloads({ pods, deployments, statefulSets, daemonSets, jobs, cronJobs, replicaSets });
  const policiesByNs = new Map<string, KObject[]>();
  for (const np of netpols) {
    const n = np.metadata.namespace ?? '';
    const list = policiesByNs.get(n);
    if (list) list.push(np);
    else policiesByNs.set(n, [np]);
  }
  const pssByNs = new Map<string, PssNamespace>();
  for (const n of namespaces) {
    const l = nsLabels.get(n) ?? {};
    pssByNs.set(n, {
      namespace: n,
      ...(asPssLevel(l['pod-security.kubernetes.io/enforce'])
        ? { enforce: asPssLevel(l['pod-security.kubernetes.io/enforce']) }
        : {}),
      ...(asPssLevel(l['pod-security.kubernetes.io/audit'])
        ? { audit: asPssLevel(l['pod-security.kubernetes.io/audit']) }
        : {}),
      ...(asPssLevel(l['pod-security.kubernetes.io/warn'])
        ? { warn: asPssLevel(l['pod-security.kubernetes.io/warn']) }
        : {}),
      workloads: 0,
      passing: { privileged: 0, baseline: 0, restricted: 0 },
      couldEnforce: 'restricted',
      violations: [],
    });
  }
  const levels = new Map<string, PssLevel[]>();
  for (const w of all) {
    const pss = evaluatePss(w.spec, w.annotations);
    const p = pssByNs.get(w.namespace);
    if (p) {
      p.workloads++;
      for (const l of ['privileged', 'baseline', 'restricted'] as const)
        if (pssRank(pss.level) >= pssRank(l)) p.passing[l]++;
      if (pss.level !== 'restricted')
        p.violations.push({
          kind: w.kind,
          name: w.name,
          passes: pss.level,
          baseline: pss.baseline,
          restricted: pss.restricted,
        });
      const l = levels.get(w.namespace);
      if (l) l.push(pss.level);
      else levels.set(w.namespace, [pss.level]);
    }
    const enforce = p?.enforce;
    const pols = policiesByNs.get(w.namespace) ?? [];
    const covered = pols.some((np) => {
      const s = (np.spec ?? {}) as { podSelector?: LabelSelector; policyTypes?: string[] };
      return (!s.policyTypes || s.policyTypes.includes('Ingress')) && matchesSelector(w.labels, s.podSelector ?? {});
    });
    const sa = w.spec.serviceAccountName ?? w.spec.serviceAccount ?? 'default';
    const r = checkWorkload(w, {
      covered,
      powerfulAccount: powerful.get(`${w.namespace}/${sa}`)
        ? `${sa}: ${powerful.get(`${w.namespace}/${sa}`)}`
        : undefined,
      ...(enforce && enforce !== 'privileged'
        ? {
            enforced: {
              level: enforce,
              failures: enforce === 'baseline' ? pss.baseline : [...pss.baseline, ...pss.restricted],
            },
          }
        : {}),
    });
    findings.push(...r.findings);
    hold(w.namespace, r.weight);
  }
  for (const p of pssByNs.values()) {
    p.couldEnforce = weakest(levels.get(p.namespace) ?? []);
    p.violations.sort((a, b) => pssRank(a.passes) - pssRank(b.passes) || a.name.localeCompare(b.name));
  }

  // Namespaces: default deny, an enforced Pod Security level, how many can read their Secrets.
  const withWorkloads = new Set(all.map((w) => w.namespace));
  const namespacesWithoutNetworkPolicy = namespaces.filter((n) => !policiesByNs.has(n) && !n.startsWith('kube-'));
  for (const n of namespaces) {
    if (SYSTEM_NAMESPACES.has(n) || !withWorkloads.has(n)) continue;
    const target = { kind: 'Namespace', name: n };
    hold(n, weightOf('noDefaultDeny') + weightOf('pssNotEnforced') + weightOf('secretsReadableByMany'));
    if (!(policiesByNs.get(n) ?? []).some(isDefaultDeny)) add('noDefaultDeny', target);
    const p = pssByNs.get(n)!;
    if (!p.enforce || p.enforce === 'privileged')
      add('pssNotEnforced', target, {
        ...(p.couldEnforce !== 'privileged'
          ? {
              fix: {
                description: CHECKS.pssNotEnforced.fix!.replace('{level}', p.couldEnforce),
                type: 'patch' as const,
              },
              why: `Without an enforce label any pod, even a privileged one, is admitted; every workload here already passes ${p.couldEnforce}.`,
            }
          : {}),
      });
  }
  const secretReaders: RbacSummary['secretReaders'] = [];
  for (const n of namespaces) {
    if (SYSTEM_NAMESPACES.has(n)) continue;
    const readers = new Set<string>();
    for (const v of ['get', 'list', 'watch'])
      for (const s of index.whoCan(v, 'secrets', n).subjects)
        if (!isSystemSubject(s) && !s.via.every((x) => x.resourceNames))
          readers.add(`${s.kind}/${s.namespace}/${s.name}`);
    secretReaders.push({ namespace: n, subjects: readers.size });
    if (readers.size > SECRET_READERS_LIMIT && withWorkloads.has(n))
      add(
        'secretsReadableByMany',
        { kind: 'Namespace', name: n },
        { title: `${readers.size} subjects can read Secrets` },
      );
  }

  // Exposure
  for (const s of services) {
    const type = (s.spec as { type?: string } | undefined)?.type;
    const n = s.metadata.namespace ?? '';
    if (SYSTEM_NAMESPACES.has(n)) continue;
    const target = { kind: 'Service', namespace: n, name: s.metadata.name };
    hold(n, weightOf('loadBalancer'));
    const ranges = (s.spec as { loadBalancerSourceRanges?: string[] } | undefined)?.loadBalancerSourceRanges;
    if (type === 'LoadBalancer')
      add(
        'loadBalancer',
        target,
        ranges?.length ? { severity: 'low', title: `Exposed by a LoadBalancer to ${ranges.join(', ')}` } : {},
      );
    else if (type === 'NodePort') add('nodePort', target);
  }
  for (const i of ingresses) {
    const n = i.metadata.namespace ?? '';
    hold(n, weightOf('ingressNoTls'));
    if (!((i.spec as { tls?: unknown[] } | undefined)?.tls ?? []).length)
      add('ingressNoTls', { kind: 'Ingress', namespace: n, name: i.metadata.name });
  }

  const unused = index
    .unusedRoles()
    .filter((r) => (r.kind === 'ClusterRole' ? !ns : inScope(r.namespace)))
    .map((r) => ({ kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) }));
  const clusterAdmins: RbacSummary['clusterAdmins'] = [];
  for (const b of index.bindings) {
    const role = index.roleOf(b);
    if (b.kind !== 'ClusterRoleBinding' || !role || !role.rules.some(isAdminRule)) continue;
    for (const s of b.subjects) clusterAdmins.push({ ...s, binding: b.name });
  }
  findings.sort(
    (a, b) =>
      SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity] ||
      (a.target.namespace ?? '').localeCompare(b.target.namespace ?? '') ||
      a.target.name.localeCompare(b.target.name) ||
      a.check.localeCompare(b.check),
  );
  for (const [k, v] of weights) lastWeights.set(k, v);
  return {
    findings,
    weights,
    namespaces,
    pss: [...pssByNs.values()].filter((p) => p.workloads > 0 || p.enforce),
    rbac: {
      roles: roles.length,
      clusterRoles: clusterRoles.length,
      bindings: roleBindings.length,
      clusterBindings: clusterBindings.length,
      clusterAdmins,
      secretReaders,
      unusedRoles: unused,
    },
    index,
    workloads: all,
    pods: pods.length,
    namespacesWithoutNetworkPolicy,
  };
}

/** The weight of the checks last held per namespace, so `scores(findings)` can score passed checks, not just failures. */
const lastWeights = new Map<string, number>();
/** A workload's usual weight, for a namespace never scanned as a whole. */
const TYPICAL_WEIGHT = 60;

export function scoreFindings(
  findings: Finding[],
  namespaces: string[],
  weights: Map<string, number> = lastWeights,
): Scores {
  const failed = new Map<string, number>();
  const targets = new Map<string, Set<string>>();
  for (const f of findings) {
    const n = f.target.namespace ?? (f.target.kind === 'Namespace' ? f.target.name : '');
    failed.set(n, (failed.get(n) ?? 0) + SEVERITY_WEIGHT[f.severity]);
    const t = targets.get(n) ?? new Set<string>();
    targets.set(n, t);
    t.add(`${f.target.kind}/${f.target.name}`);
  }
  const held = (n: string) => weights.get(n) ?? Math.max(1, (targets.get(n)?.size ?? 0) * TYPICAL_WEIGHT);
  const score = (f: number, h: number) => (h <= 0 ? 100 : Math.max(0, Math.min(100, Math.round(100 * (1 - f / h)))));
  const out: Record<string, number> = {};
  let f = failed.get('') ?? 0;
  let h = weights.get('') ?? 0;
  for (const n of namespaces) {
    out[n] = score(failed.get(n) ?? 0, held(n));
    f += failed.get(n) ?? 0;
    h += held(n);
  }
  return { cluster: score(f, h), namespaces: out };
}

export interface SecurityReportFull extends SecurityReport {
  insights: Finding[];
  scores: Scores;
  pss: PssNamespace[];
  rbac: RbacSummary;
  checks: Array<{ id: string; family: string; severity: string; title: string }>;
}

const legacy = (f: Finding): SecurityFinding => ({
  severity: f.severity === 'info' ? 'low' : f.severity,
  rule: f.check,
  title: f.title,
  ...(f.target.namespace
    ? { namespace: f.target.namespace }
    : f.target.kind === 'Namespace'
      ? { namespace: f.target.name }
      : {}),
  kind: f.target.kind,
  name: f.target.name,
  ...(f.container ? { container: f.container } : {}),
  remediation: f.fix?.description ?? CHECKS[f.check]?.remediation ?? '',
});

/** `GET /api/security`: the old report's keys, computed by this analysis, with the richer answer beside them. */
export async function securityReport(
  deps: ApiDeps,
  context: string,
  namespace?: string,
  legacyFindings = true,
): Promise<SecurityReportFull> {
  const s = await securityScan(deps, context, namespace);
  const scores = scoreFindings(s.findings, s.namespaces, s.weights);
  const summary = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of s.findings) summary[f.severity === 'info' ? 'low' : f.severity]++;
  return {
    score: scores.cluster,
    summary,
    findings: legacyFindings ? s.findings.map(legacy) : [],
    namespacesWithoutNetworkPolicy: s.namespacesWithoutNetworkPolicy,
    scanned: { pods: s.pods, namespaces: s.namespaces.length, workloads: s.workloads.length },
    insights: s.findings,
    scores,
    pss: s.pss,
    rbac: s.rbac,
    checks: Object.entries(CHECKS).map(([id, c]) => ({ id, family: c.family, severity: c.severity, title: c.title })),
  };
}

/** `GET /api/security/who-can`: the subjects allowed `verb` on `resource`, from the cached RBAC objects. */
export async function whoCan(
  deps: ApiDeps,
  context: string,
  verb: string,
  resource: string,
  namespace?: string,
): Promise<WhoCanResult> {
  const [roles, clusterRoles, roleBindings, clusterBindings] = await Promise.all(
    [
      'roles.rbac.authorization.k8s.io',
      'clusterroles.rbac.authorization.k8s.io',
      'rolebindings.rbac.authorization.k8s.io',
      'clusterrolebindings.rbac.authorization.k8s.io',
    ].map((k) => read(deps, context, k, k.startsWith('role') ? namespace || undefined : undefined)),
  );
  return new RbacIndex(roles, clusterRoles, roleBindings, clusterBindings).whoCan(
    verb,
    resource,
    namespace || undefined,
  );
}

// ---------- fixes

function containerOf(spec: PodSpec, f: Finding): Container {
  const c = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((x) => x.name === f.container);
  if (!c) throw new KubeError('invalid', `${f.target.kind} ${f.target.name} has no container ${f.container} any more`);
  return c;
}

function patchWorkload(f: Finding, live: KObject): KObject {
  const out = structuredClone(live);
  const spec = templateOf(out)?.spec;
  if (!spec) throw new KubeError('invalid', `${live.kind} ${live.metadata.name} has no pod template`);
  const sc = (c: Container) => (c.securityContext ??= {});
  switch (f.check) {
    case 'privileged':
      sc(containerOf(spec, f)).privileged = false;
      break;
    case 'runAsRoot': {
      const s = sc(containerOf(spec, f));
      s.runAsNonRoot = true;
      if (s.runAsUser === 0) delete s.runAsUser;
      break;
    }
    case 'privilegeEscalation': {
      const s = sc(containerOf(spec, f));
      s.allowPrivilegeEscalation = false;
      if (s.privileged) s.privileged = false;
      break;
    }
    case 'readOnlyRootFilesystem':
      sc(containerOf(spec, f)).readOnlyRootFilesystem = true;
      break;
    case 'dangerousCapabilities':
    case 'capabilitiesNotDropped': {
      const s = sc(containerOf(spec, f));
      const caps = (s.capabilities ??= {});
      const keep = (caps.add ?? []).filter(
        (x) =>
          ![
            'ALL',
            'SYS_ADMIN',
            'NET_ADMIN',
            'SYS_PTRACE',
            'SYS_MODULE',
            'SYS_RAWIO',
            'BPF',
            'DAC_READ_SEARCH',
          ].includes(x.toUpperCase()),
      );
      if (keep.length) caps.add = keep;
      else delete caps.add;
      caps.drop = ['ALL'];
      break;
    }
    case 'seccomp':
      (spec.securityContext ??= {}).seccompProfile = { type: 'RuntimeDefault' };
      if (f.container) {
        const s = sc(containerOf(spec, f));
        if (s.seccompProfile?.type === 'Unconfined') delete s.seccompProfile;
      }
      break;
    case 'automountToken':
      spec.automountServiceAccountToken = false;
      break;
    default:
      throw new KubeError('invalid', `Check ${f.check} has no patch`);
  }
  return out;
}

async function fixObject(f: Finding, live: KObject, deps: ApiDeps, context: string): Promise<KObject> {
  if (!f.fix) throw new KubeError('invalid', `Finding ${f.id} has no fix`);
  if (f.check === 'noDefaultDeny') {
    const ns = f.target.name;
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-ingress', namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'kubegraf' } },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    };
  }
  if (f.check === 'pssNotEnforced') {
    const s = await securityScan(deps, context, f.target.name);
    const level = s.pss.find((p) => p.namespace === f.target.name)?.couldEnforce;
    if (!level || level === 'privileged')
      throw new KubeError(
        'invalid',
        `A workload of ${f.target.name} fails baseline now: enforcing it would refuse its pods`,
      );
    const out = structuredClone(live);
    out.metadata.labels = { ...(out.metadata.labels ?? {}), 'pod-security.kubernetes.io/enforce': level };
    return out;
  }
  return patchWorkload(f, live);
}

export const securityInsights: InsightAnalysis = {
  source: 'security',
  findings: async (deps, context, namespace) => (await securityScan(deps, context, namespace)).findings,
  scores: (findings, namespaces) => scoreFindings(findings, namespaces),
  fixObject,
};
