// The Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/, v1.30 policy) as
// pure functions of a pod spec: what a pod fails at baseline and at restricted, and the strictest level it passes.
import type { PssLevel } from '../../../shared/security';
import type { Container, PodSpec } from './podSpec';

const BASELINE_CAPS = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUMES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

export interface PssResult {
  baseline: string[];
  restricted: string[];
  level: PssLevel;
}

const allContainers = (s: PodSpec): Container[] => [
  ...(s.initContainers ?? []),
  ...(s.containers ?? []),
  ...(s.ephemeralContainers ?? []),
];

/** What `spec` fails at each level (messages name the container), and the strictest level it passes. */
export function evaluatePss(spec: PodSpec, annotations: Record<string, string> = {}): PssResult {
  const baseline: string[] = [];
  const restricted: string[] = [];
  const b = (m: string) => baseline.includes(m) || baseline.push(m);
  const r = (m: string) => restricted.includes(m) || restricted.push(m);
  const psc = spec.securityContext ?? {};
  const cs = allContainers(spec);

  // ---- baseline
  if (psc.windowsOptions?.hostProcess || cs.some((c) => c.securityContext?.windowsOptions?.hostProcess))
    b('HostProcess containers');
  for (const h of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[h]) b(`${h}: true`);
  for (const c of cs) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) b(`privileged container ${c.name}`);
    const extra = (sc.capabilities?.add ?? []).filter((x) => !BASELINE_CAPS.has(x));
    if (extra.length) b(`container ${c.name} adds ${extra.join(', ')}`);
    if ((c.ports ?? []).some((p) => p.hostPort)) b(`container ${c.name} uses a hostPort`);
    if (sc.procMount && sc.procMount !== 'Default') b(`container ${c.name} procMount ${sc.procMount}`);
    if (sc.seccompProfile?.type === 'Unconfined') b(`container ${c.name} seccomp Unconfined`);
    if (sc.appArmorProfile?.type === 'Unconfined') b(`container ${c.name} AppArmor Unconfined`);
    const se = sc.seLinuxOptions;
    if (se && (!SELINUX_TYPES.has(se.type ?? '') || se.user || se.role))
      b(`container ${c.name} custom SELinux options`);
  }
  for (const v of spec.volumes ?? []) if (v.hostPath) b(`hostPath volume ${v.name}`);
  if (psc.seccompProfile?.type === 'Unconfined') b('seccomp Unconfined');
  if (psc.appArmorProfile?.type === 'Unconfined') b('AppArmor Unconfined');
  for (const [k, v] of Object.entries(annotations))
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v === 'unconfined')
      b(`AppArmor unconfined (${k.split('/')[1]})`);
  if (psc.seLinuxOptions && (!SELINUX_TYPES.has(psc.seLinuxOptions.type ?? '') || psc.seLinuxOptions.user))
    b('custom SELinux options');
  const unsafe = (psc.sysctls ?? []).filter((s) => !SAFE_SYSCTLS.has(s.name)).map((s) => s.name);
  if (unsafe.length) b(`unsafe sysctls ${unsafe.join(', ')}`);

  // ---- restricted
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.includes(type) && type !== 'hostPath') r(`${type} volume ${v.name}`);
  }
  const podNonRoot = psc.runAsNonRoot === true;
  const podSeccomp = psc.seccompProfile?.type;
  for (const c of cs) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) r(`container ${c.name} allows privilege escalation`);
    const nonRoot = sc.runAsNonRoot ?? (podNonRoot ? true : undefined);
    if (nonRoot !== true) r(`container ${c.name} may run as root (runAsNonRoot not set)`);
    if ((sc.runAsUser ?? psc.runAsUser) === 0) r(`container ${c.name} runs as UID 0`);
    const sec = sc.seccompProfile?.type ?? podSeccomp;
    if (sec !== 'RuntimeDefault' && sec !== 'Localhost') r(`container ${c.name} has no RuntimeDefault seccomp profile`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) r(`container ${c.name} does not drop ALL capabilities`);
    const added = (sc.capabilities?.add ?? []).filter((x) => x !== 'NET_BIND_SERVICE');
    if (added.length) r(`container ${c.name} adds ${added.join(', ')}`);
  }
  return {
    baseline,
    restricted,
    level: baseline.length ? 'privileged' : restricted.length ? 'baseline' : 'restricted',
  };
}

/** The strictest of `levels` (every one of them passes it). */
export const weakest = (levels: PssLevel[]): PssLevel =>
  levels.includes('privileged') ? 'privileged' : levels.includes('baseline') ? 'baseline' : 'restricted';

export const pssRank = (l: PssLevel): number => (l === 'restricted' ? 2 : l === 'baseline' ? 1 : 0);

export const asPssLevel = (v: string | undefined): PssLevel | undefined =>
  v === 'privileged' || v === 'baseline' || v === 'restricted' ? v : undefined;
