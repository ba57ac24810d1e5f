// The security checks: one table row per check (family, default severity, why it matters, the remediation), and the
// checks of one workload's pod spec. Polaris's checks (security, efficiency, reliability) plus secrets in env,
// service-account tokens, seccomp and the Pod Security Standards.
import type { Finding, FindingSeverity } from '../../../shared/insights';
import { findingId } from '../analysis';
import type { Container, Workload } from './podSpec';

export interface CheckDef {
  family: string;
  severity: FindingSeverity;
  title: string;
  why: string;
  remediation: string;
  /** The fix's description when KubeGraf can patch or create what resolves it (`{c}`: the container). */
  fix?: string;
  fixType?: 'patch' | 'create';
}

export const FAMILIES = {
  pod: 'Pod security',
  host: 'Host access',
  pss: 'Pod Security Standards',
  resources: 'Resources',
  health: 'Health checks',
  images: 'Images',
  secrets: 'Secrets',
  network: 'Network',
  exposure: 'Exposure',
  rbac: 'RBAC',
} as const;

export const CHECKS: Record<string, CheckDef> = {
  privileged: {
    family: FAMILIES.pod,
    severity: 'critical',
    title: 'Privileged container',
    why: 'A privileged container has every capability and the host’s devices, so escaping it is trivial.',
    remediation: 'Set securityContext.privileged: false and grant only the capabilities needed',
    fix: 'Set privileged: false on container {c}',
  },
  runAsRoot: {
    family: FAMILIES.pod,
    severity: 'medium',
    title: 'May run as root',
    why: 'A process running as root inside the container is root on the host once it escapes.',
    remediation: 'Set securityContext.runAsNonRoot: true (and a non-zero runAsUser)',
    fix: 'Set runAsNonRoot: true on container {c} (the image must run as a non-root user)',
  },
  runAsUidZero: {
    family: FAMILIES.pod,
    severity: 'high',
    title: 'Runs as UID 0',
    why: 'runAsUser: 0 makes the process root explicitly, whatever the image declares.',
    remediation: 'Set runAsUser to a non-zero UID and runAsNonRoot: true',
  },
  privilegeEscalation: {
    family: FAMILIES.pod,
    severity: 'medium',
    title: 'Privilege escalation allowed',
    why: 'Without allowPrivilegeEscalation: false a setuid binary can gain more privileges than its parent process.',
    remediation: 'Set securityContext.allowPrivilegeEscalation: false',
    fix: 'Set allowPrivilegeEscalation: false on container {c}',
  },
  readOnlyRootFilesystem: {
    family: FAMILIES.pod,
    severity: 'low',
    title: 'Writable root filesystem',
    why: 'A writable root filesystem lets an attacker drop tools and modify binaries inside the container.',
    remediation: 'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir where writes are needed',
    fix: 'Set readOnlyRootFilesystem: true on container {c} (mount an emptyDir where it writes)',
  },
  dangerousCapabilities: {
    family: FAMILIES.pod,
    severity: 'high',
    title: 'Adds dangerous capabilities',
    why: 'Capabilities like SYS_ADMIN or NET_ADMIN give near-root control over the node’s kernel or network.',
    remediation: 'Remove the capability from capabilities.add and drop ALL',
    fix: 'Remove the dangerous capabilities of container {c} and drop ALL',
  },
  capabilitiesNotDropped: {
    family: FAMILIES.pod,
    severity: 'low',
    title: 'Capabilities not dropped',
    why: 'The runtime’s default capabilities (NET_RAW, CHOWN, SETUID…) stay available to an attacker unless ALL are dropped.',
    remediation: 'Set securityContext.capabilities.drop: [ALL] and add back only what the process needs',
    fix: 'Drop ALL capabilities of container {c}',
  },
  seccomp: {
    family: FAMILIES.pod,
    severity: 'low',
    title: 'No seccomp profile',
    why: 'Without the RuntimeDefault seccomp profile every syscall of the kernel is reachable from the container.',
    remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod',
    fix: 'Set the pod’s seccompProfile to RuntimeDefault',
  },
  automountToken: {
    family: FAMILIES.pod,
    severity: 'low',
    title: 'Service-account token mounted',
    why: 'A mounted token lets anyone who compromises the container call the Kubernetes API as its service account.',
    remediation: 'Set automountServiceAccountToken: false unless the app calls the Kubernetes API',
    fix: 'Set automountServiceAccountToken: false on the pod template',
  },
  hostNetwork: {
    family: FAMILIES.host,
    severity: 'high',
    title: 'Uses the host network',
    why: 'A pod on the host network sees every node interface and bypasses NetworkPolicies.',
    remediation: 'Remove spec.hostNetwork unless the pod must bind node interfaces directly',
  },
  hostPID: {
    family: FAMILIES.host,
    severity: 'high',
    title: 'Shares the host PID namespace',
    why: 'With the host PID namespace the pod can see and signal every process on the node.',
    remediation: 'Remove spec.hostPID',
  },
  hostIPC: {
    family: FAMILIES.host,
    severity: 'high',
    title: 'Shares the host IPC namespace',
    why: 'With the host IPC namespace the pod can read shared memory of every process on the node.',
    remediation: 'Remove spec.hostIPC',
  },
  hostPath: {
    family: FAMILIES.host,
    severity: 'high',
    title: 'Mounts a host path',
    why: 'A hostPath volume exposes the node’s filesystem, often enough to take over the node.',
    remediation: 'Use a PersistentVolumeClaim, ConfigMap or emptyDir instead of hostPath',
  },
  hostPort: {
    family: FAMILIES.host,
    severity: 'medium',
    title: 'Binds a host port',
    why: 'A hostPort exposes the container on the node’s address and limits where the pod can be scheduled.',
    remediation: 'Use a Service instead of hostPort',
  },
  pssViolation: {
    family: FAMILIES.pss,
    severity: 'high',
    title: 'Violates its namespace’s enforced Pod Security level',
    why: 'The namespace enforces a Pod Security level this workload fails, so its next pod will be refused by admission.',
    remediation: 'Harden the pod spec to the enforced level, or lower the namespace label deliberately',
  },
  pssNotEnforced: {
    family: FAMILIES.pss,
    severity: 'low',
    title: 'No Pod Security level enforced',
    why: 'Without a pod-security.kubernetes.io/enforce label any pod, even a privileged one, is admitted to the namespace.',
    remediation: 'Label the namespace pod-security.kubernetes.io/enforce with the strictest level its workloads pass',
    fix: 'Label the namespace pod-security.kubernetes.io/enforce={level}',
  },
  requestsMissing: {
    family: FAMILIES.resources,
    severity: 'medium',
    title: 'No CPU or memory request',
    why: 'Without requests the scheduler cannot place the pod fairly and it is the first evicted under pressure.',
    remediation: 'Set resources.requests for cpu and memory',
  },
  memoryLimitMissing: {
    family: FAMILIES.resources,
    severity: 'medium',
    title: 'No memory limit',
    why: 'A container without a memory limit can exhaust its node’s memory and get its neighbours OOM-killed.',
    remediation: 'Set resources.limits.memory',
  },
  cpuLimitMissing: {
    family: FAMILIES.resources,
    severity: 'low',
    title: 'No CPU limit',
    why: 'A container without a CPU limit can starve its neighbours on a busy node.',
    remediation: 'Set resources.limits.cpu (or accept bursting deliberately)',
  },
  livenessProbeMissing: {
    family: FAMILIES.health,
    severity: 'low',
    title: 'No liveness probe',
    why: 'Without a liveness probe a hung process keeps its pod Running and nobody restarts it.',
    remediation: 'Add a livenessProbe',
  },
  readinessProbeMissing: {
    family: FAMILIES.health,
    severity: 'low',
    title: 'No readiness probe',
    why: 'Without a readiness probe traffic reaches the pod before it can serve and while it is failing.',
    remediation: 'Add a readinessProbe',
  },
  imageTagLatest: {
    family: FAMILIES.images,
    severity: 'medium',
    title: 'Mutable image tag',
    why: 'An image tagged latest (or untagged) changes under the same name, so nodes may run different code.',
    remediation: 'Pin the image to a version tag, ideally a digest',
  },
  imageNoDigest: {
    family: FAMILIES.images,
    severity: 'info',
    title: 'Image not pinned by digest',
    why: 'A tag can be moved to other content in the registry; only a digest names exactly what runs.',
    remediation: 'Reference the image as name@sha256:…',
  },
  pullPolicy: {
    family: FAMILIES.images,
    severity: 'low',
    title: 'Mutable tag without imagePullPolicy: Always',
    why: 'With a mutable tag and a cached image, each node keeps whatever version it pulled first.',
    remediation: 'Set imagePullPolicy: Always, or pin the image',
  },
  secretInEnv: {
    family: FAMILIES.secrets,
    severity: 'high',
    title: 'Literal secret in an environment variable',
    why: 'A credential written into the pod spec is readable by anyone who can read the workload, and lands in Git and logs.',
    remediation: 'Move the value into a Secret and reference it with valueFrom.secretKeyRef',
  },
  notCoveredByNetworkPolicy: {
    family: FAMILIES.network,
    severity: 'low',
    title: 'Selected by no NetworkPolicy',
    why: 'Pods no NetworkPolicy selects accept traffic from every pod in the cluster.',
    remediation: 'Add a NetworkPolicy that selects these pods (a default-deny covers the whole namespace)',
  },
  noDefaultDeny: {
    family: FAMILIES.network,
    severity: 'medium',
    title: 'No default-deny NetworkPolicy',
    why: 'Without a default-deny policy every new pod in the namespace is reachable from anywhere until someone writes a policy.',
    remediation: 'Add a default-deny NetworkPolicy and allow only the flows you need',
    fix: 'Create NetworkPolicy default-deny-ingress (pods then accept only traffic other policies allow)',
    fixType: 'create',
  },
  loadBalancer: {
    family: FAMILIES.exposure,
    severity: 'medium',
    title: 'Exposed by a LoadBalancer',
    why: 'A LoadBalancer Service gives the pods an address outside the cluster, usually on the internet.',
    remediation: 'Set loadBalancerSourceRanges, or use an Ingress with TLS and authentication',
  },
  nodePort: {
    family: FAMILIES.exposure,
    severity: 'low',
    title: 'Exposed on every node’s port',
    why: 'A NodePort opens the port on every node’s address, bypassing the ingress and its TLS.',
    remediation: 'Use a ClusterIP Service behind an Ingress',
  },
  ingressNoTls: {
    family: FAMILIES.exposure,
    severity: 'medium',
    title: 'Ingress without TLS',
    why: 'An Ingress without TLS serves its hosts over plain HTTP, so credentials and cookies travel in clear text.',
    remediation: 'Add spec.tls with a certificate for its hosts',
  },
  clusterAdminBinding: {
    family: FAMILIES.rbac,
    severity: 'high',
    title: 'Bound to cluster-admin',
    why: 'cluster-admin can do anything anywhere in the cluster, including reading every Secret.',
    remediation: 'Bind a narrower role that grants only what the subject needs',
  },
  wildcardRole: {
    family: FAMILIES.rbac,
    severity: 'high',
    title: 'Wildcard in a role',
    why: 'A * in verbs or resources also grants every verb and resource added later, including Secrets.',
    remediation: 'List the verbs and resources the subjects need',
  },
  escalationVerbs: {
    family: FAMILIES.rbac,
    severity: 'high',
    title: 'Grants escalate, bind or impersonate',
    why: 'escalate, bind and impersonate let a subject give itself permissions it does not have.',
    remediation: 'Remove escalate, bind and impersonate unless the subject administers RBAC',
  },
  readsSecrets: {
    family: FAMILIES.rbac,
    severity: 'low',
    title: 'Can read Secrets',
    why: 'Reading Secrets exposes every credential stored in them, including service-account tokens.',
    remediation: 'Narrow the rule with resourceNames, or drop get/list/watch on secrets',
  },
  secretsReadableByMany: {
    family: FAMILIES.rbac,
    severity: 'medium',
    title: 'Secrets readable by many subjects',
    why: 'The more subjects can read a namespace’s Secrets, the more ways there are to leak them.',
    remediation: 'Review who can read Secrets (who-can get secrets) and narrow the roles',
  },
  unusedRole: {
    family: FAMILIES.rbac,
    severity: 'info',
    title: 'Role bound to nothing',
    why: 'An unused role is dead weight that someone may bind later without reviewing what it grants.',
    remediation: 'Delete the role if nothing needs it',
  },
  danglingBinding: {
    family: FAMILIES.rbac,
    severity: 'low',
    title: 'Binding to a missing role',
    why: 'A binding to a role that does not exist grants nothing today, and everything if someone creates that role.',
    remediation: 'Delete the binding or create the role it expects',
  },
};

export const SEVERITY_WEIGHT: Record<FindingSeverity, number> = { critical: 10, high: 5, medium: 3, low: 1, info: 0 };

const DANGEROUS_CAPS = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'BPF',
  'DAC_READ_SEARCH',
]);
const SENSITIVE_PATHS = [
  '/',
  '/etc',
  '/proc',
  '/sys',
  '/root',
  '/var/run/docker.sock',
  '/run/containerd',
  '/var/lib/kubelet',
];
const SECRET_NAME = /(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)($|_)/i;
const SECRET_VALUE = [
  /^AKIA[0-9A-Z]{16}$/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:[^@\s]+@/i,
  /^gh[pousr]_[A-Za-z0-9]{30,}$/,
  /^xox[baprs]-/,
];

/** A literal env value that looks like a credential (by its name, or by its shape). */
export function looksSecret(name: string, value: string | undefined): boolean {
  if (!value || value.length < 4) return false;
  if (SECRET_VALUE.some((r) => r.test(value))) return true;
  if (!SECRET_NAME.test(name)) return false;
  // Names like TOKEN_FILE or PASSWORD_PATH point at a secret, they do not hold it.
  if (
    /(_FILE|_PATH|_DIR|_URL_?|_NAME|_KEY_ID|_ENABLED|_LENGTH|_TTL)$/i.test(name) &&
    !SECRET_VALUE.some((r) => r.test(value))
  )
    return false;
  return !/^(true|false|yes|no|none|null|changeme-?in-?prod)$/i.test(value) && !value.startsWith('/');
}

export function imageParts(image: string): { tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const last = name.slice(name.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return { tag: colon >= 0 ? last.slice(colon + 1) : undefined, digest };
}

export interface WorkloadContext {
  /** Network policies select these pods. */
  covered: boolean;
  /** The service account's mounted token is powerful (cluster-admin, wildcards, escalation): why, or undefined. */
  powerfulAccount?: string;
  /** The namespace's enforced PSS level and what the workload fails at it. */
  enforced?: { level: string; failures: string[] };
}

/**
 * The findings of one workload and the weight of the checks it was held to (a Polaris-like score is the passed
 * share of that weight).
 */
export function checkWorkload(w: Workload, ctx: WorkloadContext): { findings: Finding[]; weight: number } {
  const findings: Finding[] = [];
  let weight = 0;
  const target = { kind: w.kind, namespace: w.namespace, name: w.name };
  const seen = new Set<string>();
  const emit = (
    check: string,
    container?: string,
    o: { severity?: FindingSeverity; title?: string; why?: string } = {},
  ) => {
    const def = CHECKS[check];
    const id = findingId('security', check, target, container);
    if (seen.has(id)) return;
    seen.add(id);
    const fixable = def.fix && (w.patchable || def.fixType === 'create');
    findings.push({
      id,
      source: 'security',
      check,
      family: def.family,
      severity: o.severity ?? def.severity,
      target,
      ...(container ? { container } : {}),
      title: o.title ?? def.title,
      why: o.why ?? def.why,
      ...(fixable
        ? { fix: { description: def.fix!.replace('{c}', container ?? ''), type: def.fixType ?? 'patch' } }
        : {}),
    });
  };
  const hold = (check: string) => (weight += SEVERITY_WEIGHT[CHECKS[check].severity] || 0.5);
  const s = w.spec;
  const psc = s.securityContext ?? {};

  // Pod level
  for (const h of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    hold(h);
    if (s[h]) emit(h);
  }
  hold('hostPath');
  for (const v of s.volumes ?? [])
    if (v.hostPath) {
      const path = v.hostPath.path;
      const sensitive = SENSITIVE_PATHS.includes(path.replace(/\/+$/, '') || '/');
      emit('hostPath', undefined, {
        title: `Mounts host path ${path}`,
        ...(sensitive ? { severity: 'critical' as const } : {}),
      });
    }
  hold('automountToken');
  if (s.automountServiceAccountToken !== false)
    emit(
      'automountToken',
      undefined,
      ctx.powerfulAccount
        ? {
            severity: 'high',
            title: `Mounts the token of a powerful service account (${ctx.powerfulAccount})`,
            why: `Anyone who compromises this container gets the service account’s rights: ${ctx.powerfulAccount}.`,
          }
        : {},
    );
  hold('seccomp');
  hold('notCoveredByNetworkPolicy');
  if (!ctx.covered) emit('notCoveredByNetworkPolicy');
  if (ctx.enforced) {
    hold('pssViolation');
    if (ctx.enforced.failures.length)
      emit('pssViolation', undefined, {
        title: `Fails the enforced ${ctx.enforced.level} level`,
        why: `The namespace enforces ${ctx.enforced.level}, which refuses its next pod: ${ctx.enforced.failures.slice(0, 3).join('; ')}.`,
      });
  }

  const containers: Array<Container & { init?: boolean }> = [
    ...(s.initContainers ?? []).map((c) => ({ ...c, init: true })),
    ...(s.containers ?? []),
  ];
  let seccompMissing = false;
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    for (const k of [
      'privileged',
      'runAsRoot',
      'privilegeEscalation',
      'readOnlyRootFilesystem',
      'dangerousCapabilities',
      'capabilitiesNotDropped',
      'secretInEnv',
      'imageTagLatest',
      'imageNoDigest',
      'pullPolicy',
      'hostPort',
    ])
      hold(k);
    if (sc.privileged) emit('privileged', c.name);
    const uid = sc.runAsUser ?? psc.runAsUser;
    if (uid === 0) emit('runAsUidZero', c.name);
    else if (!(sc.runAsNonRoot ?? psc.runAsNonRoot) && !(uid && uid > 0)) emit('runAsRoot', c.name);
    if (sc.allowPrivilegeEscalation !== false && !sc.privileged) emit('privilegeEscalation', c.name);
    if (!sc.readOnlyRootFilesystem) emit('readOnlyRootFilesystem', c.name);
    const dangerous = (sc.capabilities?.add ?? []).filter((x) => DANGEROUS_CAPS.has(x.toUpperCase()));
    if (dangerous.length) emit('dangerousCapabilities', c.name, { title: `Adds capabilities ${dangerous.join(', ')}` });
    else if (!(sc.capabilities?.drop ?? []).some((x) => x.toUpperCase() === 'ALL') && !sc.privileged)
      emit('capabilitiesNotDropped', c.name);
    const sec = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (sec === 'Unconfined') emit('seccomp', c.name, { severity: 'medium', title: 'Seccomp explicitly Unconfined' });
    else if (!sec) seccompMissing = true;
    if ((c.ports ?? []).some((p) => p.hostPort)) emit('hostPort', c.name);
    const secrets = (c.env ?? []).filter((e) => e.value !== undefined && !e.valueFrom && looksSecret(e.name, e.value));
    if (secrets.length)
      emit('secretInEnv', c.name, {
        title: `Literal secret in env ${secrets.map((e) => e.name).join(', ')}`,
      });
    const img = c.image ?? '';
    const { tag, digest } = imageParts(img);
    if (!digest && (!tag || tag === 'latest')) {
      emit('imageTagLatest', c.name, { title: tag ? `Image ${img} uses the latest tag` : `Image ${img} has no tag` });
      if (c.imagePullPolicy && c.imagePullPolicy !== 'Always') emit('pullPolicy', c.name);
    } else if (!digest) emit('imageNoDigest', c.name);
    if (c.init) continue;
    for (const k of ['requestsMissing', 'memoryLimitMissing', 'cpuLimitMissing']) hold(k);
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (!(req.cpu ?? lim.cpu) || !(req.memory ?? lim.memory)) emit('requestsMissing', c.name);
    if (!lim.memory) emit('memoryLimitMissing', c.name);
    if (!lim.cpu) emit('cpuLimitMissing', c.name);
    if (!w.batch) {
      hold('livenessProbeMissing');
      hold('readinessProbeMissing');
      if (!c.livenessProbe) emit('livenessProbeMissing', c.name);
      if (!c.readinessProbe) emit('readinessProbeMissing', c.name);
    }
  }
  if (seccompMissing) emit('seccomp');
  return { findings, weight };
}
