// What a pod's spec decides about its containers before and while they run, as a real kubelet derives it: the
// references a container needs (ConfigMaps, Secrets), the volumes it mounts, the program it runs in the built-in
// shell, and whether a probe can reach what it probes. Pure functions over the store: the kubelet calls them once
// per container start, never per tick.
import { imagePorts } from '../images';
import { appKind } from '../logs';
import type { KObj } from '../store';
import type { Json, Runtime } from './runtime';

interface KeyRef {
  name?: string;
  key?: string;
  optional?: boolean;
}
interface EnvVar {
  name: string;
  valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef };
}
interface EnvFrom {
  configMapRef?: KeyRef;
  secretRef?: KeyRef;
}
export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: EnvFrom[];
  ports?: Array<{ containerPort: number; name?: string }>;
  stdin?: boolean;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}
export interface Probe {
  httpGet?: { port: number | string; path?: string; host?: string; scheme?: string };
  tcpSocket?: { port: number | string };
  grpc?: { port: number };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

const keysOf = (o: KObj | undefined): string[] =>
  o ? [...Object.keys(o.data ?? {}), ...Object.keys(o.binaryData ?? {}), ...Object.keys(o.stringData ?? {})] : [];

/**
 * Why the kubelet cannot build this container's environment (waiting reason CreateContainerConfigError), in its
 * words: `configmap "x" not found`, `couldn't find key k in Secret ns/x`. Optional references may be missing.
 */
export function configError(r: Runtime, ns: string, c: ContainerSpec): string | undefined {
  const check = (kind: 'ConfigMap' | 'Secret', ref: KeyRef | undefined, needKey: boolean): string | undefined => {
    if (!ref?.name) return undefined;
    const obj = r.get(kind === 'ConfigMap' ? 'configmaps' : 'secrets', ns, ref.name);
    if (!obj) return ref.optional ? undefined : `${kind.toLowerCase()} "${ref.name}" not found`;
    if (needKey && ref.key !== undefined && !keysOf(obj).includes(ref.key))
      return ref.optional ? undefined : `couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}`;
    return undefined;
  };
  for (const f of c.envFrom ?? []) {
    const why = check('ConfigMap', f.configMapRef, false) ?? check('Secret', f.secretRef, false);
    if (why) return why;
  }
  for (const e of c.env ?? []) {
    const why =
      check('ConfigMap', e.valueFrom?.configMapKeyRef, true) ?? check('Secret', e.valueFrom?.secretKeyRef, true);
    if (why) return why;
  }
  return undefined;
}

/** The first volume the kubelet cannot set up (event FailedMount), with its message. */
export function mountError(r: Runtime, pod: KObj): string | undefined {
  const ns = pod.metadata.namespace;
  for (const v of (pod.spec?.volumes ?? []) as Json[]) {
    const fail = (why: string) => `MountVolume.SetUp failed for volume "${v.name}" : ${why}`;
    const source = v.configMap
      ? {
          kind: 'configmap',
          tk: 'configmaps',
          name: v.configMap.name,
          optional: v.configMap.optional,
          items: v.configMap.items,
        }
      : v.secret
        ? {
            kind: 'secret',
            tk: 'secrets',
            name: v.secret.secretName,
            optional: v.secret.optional,
            items: v.secret.items,
          }
        : undefined;
    if (source?.name) {
      const obj = r.get(source.tk, ns, source.name);
      if (!obj) {
        if (!source.optional) return fail(`${source.kind} "${source.name}" not found`);
        continue;
      }
      const keys = keysOf(obj);
      const missing = ((source.items ?? []) as Array<{ key: string }>).find((i) => !keys.includes(i.key));
      if (missing && !source.optional)
        return fail(
          `${source.kind} references non-existent ${source.kind === 'configmap' ? 'config ' : 'secret '}key: ${missing.key}`,
        );
    }
    for (const s of (v.projected?.sources ?? []) as Json[]) {
      const ref = s.configMap
        ? { kind: 'configmap', tk: 'configmaps', ...s.configMap }
        : s.secret
          ? { kind: 'secret', tk: 'secrets', ...s.secret }
          : undefined;
      if (ref?.name && !ref.optional && !r.get(ref.tk, ns, ref.name))
        return fail(`${ref.kind} "${ref.name}" not found`);
    }
  }
  return undefined;
}

/** Programs the built-in shell runs itself; anything else is the image's own (long-running) program. */
const SCRIPTABLE = new Set([
  'sh',
  'bash',
  'ash',
  'dash',
  'echo',
  'sleep',
  'true',
  'false',
  'printf',
  'cat',
  'env',
  'printenv',
  'date',
  'ls',
  'test',
]);

/**
 * The argv a container runs in the built-in shell, or undefined when it runs its image's program (nginx, an app
 * binary, `python app.py`), which keeps running as the log profiles describe. `args` alone replace the command of
 * images without an entrypoint (busybox, alpine).
 */
export function scriptOf(c: ContainerSpec): string[] | undefined {
  let argv: string[];
  if (c.command?.length) argv = [...c.command, ...(c.args ?? [])];
  else if (c.args?.length && appKind(c.image ?? '') === 'shell') argv = c.args;
  else return undefined;
  return SCRIPTABLE.has(argv[0].replace(/^.*\//, '')) ? argv : undefined;
}

/** The port a probe targets, resolved against the container's named ports. */
function probePort(c: ContainerSpec, p: Probe): number | string | undefined {
  const port = p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port;
  if (typeof port === 'number' || port === undefined) return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((x) => x.name === port)?.containerPort ?? port;
}

/**
 * Why a network probe (httpGet, tcpSocket, grpc) fails, or undefined when it succeeds. A port is served when a
 * container of the pod declares it in `ports` or its image serves it (see images.ts); anything else refuses the
 * connection. The answer depends on the spec only, so the kubelet computes it once per container start.
 */
export function networkProbeFailure(pod: KObj, c: ContainerSpec, p: Probe, podIP: string): string | undefined {
  const port = probePort(c, p);
  if (port === undefined) return undefined;
  if (typeof port === 'string') return `couldn't find port: ${port} in container ${c.name}`;
  const served = ((pod.spec?.containers ?? []) as ContainerSpec[]).some(
    (x) => (x.ports ?? []).some((q) => q.containerPort === port) || imagePorts(x.image ?? '').includes(port),
  );
  if (served) return undefined;
  const host = p.httpGet?.host ?? podIP;
  const dial = `dial tcp ${host}:${port}: connect: connection refused`;
  if (p.httpGet) {
    const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase();
    return `Get "${scheme}://${host}:${port}${p.httpGet.path ?? '/'}": ${dial}`;
  }
  if (p.grpc) return `timeout: failed to connect service "${host}:${port}" within 1s: context deadline exceeded`;
  return dial;
}
