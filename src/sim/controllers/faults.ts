// Fault knobs: annotations on a pod (or a workload's pod template, or a node) that make the simulated
// kubelet misbehave. Tests, scenarios and the fault-injection API set these; nothing else is magic.
import { parseQuantity } from './quantity';

/** Pod: `crashloop` | `oomkill` | `imagepull` | `unready` | `fail`. Node: `notready`. */
export const FAULT_ANNOTATION = 'sim.kubegraf.io/fault';
/** Pod: the container the fault applies to (default: the first container). */
export const FAULT_CONTAINER_ANNOTATION = 'sim.kubegraf.io/fault-container';
/** Pod: simulated seconds a run-to-completion container (Job pods) runs before it exits. Default 5. */
export const DURATION_ANNOTATION = 'sim.kubegraf.io/duration-seconds';
/** Pod: restarts already counted when the pod starts, so a seeded crash loop looks lived-in. */
export const INITIAL_RESTARTS_ANNOTATION = 'sim.kubegraf.io/initial-restarts';
/** Pod: CPU usage as a multiple of the request (default: a per-pod value between 0.2 and 0.7). */
export const LOAD_ANNOTATION = 'sim.kubegraf.io/load';

/**
 * Pod: a periodic CPU burst, as a batch step inside a service makes: CPU jumps to this multiple of its usual use for
 * 15 simulated seconds of every 5 minutes (capped by the CPU limit).
 */
export const CPU_BURST_ANNOTATION = 'sim.kubegraf.io/cpu-burst';
/** Every how many simulated seconds a CPU burst starts, and for how long it lasts. */
export const CPU_BURST_PERIOD_S = 300;
export const CPU_BURST_LENGTH_S = 15;

/**
 * Pod: the memory the fault container needs to do its work (`900Mi`). Below it, its memory limit kills it (OOMKilled)
 * every run; at or above it, it runs and its usage settles just under the need. Unlike the `oomkill` fault, a larger
 * limit fixes it, as on a real cluster.
 */
export const MEMORY_NEED_ANNOTATION = 'sim.kubegraf.io/memory-need';

/** An image whose tag (or name) contains this cannot be pulled. */
export const MISSING_IMAGE_MARK = 'does-not-exist';

export type PodFault = 'crashloop' | 'oomkill' | 'imagepull' | 'unready' | 'fail';
const POD_FAULTS = new Set<string>(['crashloop', 'oomkill', 'imagepull', 'unready', 'fail']);

export function podFault(annotations: Record<string, string> | undefined): PodFault | undefined {
  const f = annotations?.[FAULT_ANNOTATION];
  return f && POD_FAULTS.has(f) ? (f as PodFault) : undefined;
}

/** The fault that hits this container, if any: the pod's fault for its target container, or a missing image. */
type Container = {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  resources?: { limits?: Record<string, string> };
};

export function containerFault(
  annotations: Record<string, string> | undefined,
  containers: Container[],
  name: string,
): PodFault | undefined {
  const c = containers.find((x) => x.name === name);
  if (c?.image?.includes(MISSING_IMAGE_MARK)) return 'imagepull';
  // A program that says how much it allocates (the Kubernetes docs' `stress --vm-bytes`) is killed above its limit.
  if (c && stressMemory(c) > memoryLimit(c)) return 'oomkill';
  const target = annotations?.[FAULT_CONTAINER_ANNOTATION] ?? containers[0]?.name;
  if (target !== name) return undefined;
  const f = podFault(annotations);
  if (f) return f;
  return memoryNeed(annotations, c) > memoryLimit(c) ? 'oomkill' : undefined;
}

/** Bytes the fault container needs (0: no need declared). */
export function memoryNeed(
  annotations: Record<string, string> | undefined,
  c: { resources?: { limits?: Record<string, string> } } | undefined,
): number {
  const need = annotations?.[MEMORY_NEED_ANNOTATION];
  return need && c ? parseQuantity(need) : 0;
}

/**
 * Bytes a `stress` / `stress-ng` container allocates: `--vm N --vm-bytes SIZE` (N workers, default 1), as in the
 * Kubernetes documentation's memory-limit example. 0 for any other program.
 */
export function stressMemory(c: Container): number {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  const i = argv.indexOf('--vm-bytes');
  const prog = (argv[0] ?? '').replace(/^.*\//, '');
  const isStress = /^stress(-ng)?$/.test(prog) || (!c.command?.length && /stress/.test(c.image ?? ''));
  if (i < 0 || !isStress) return 0;
  const workers = Number(argv[argv.indexOf('--vm') + 1]) || 1;
  const size = argv[i + 1]?.replace(/^(\d+(?:\.\d+)?)([KMGT])$/i, (_m, n, u) => `${n}${u.toUpperCase()}i`);
  return workers * (parseQuantity(size) || 0);
}

/** The container's memory limit in bytes; without one, only the node bounds it. */
export const memoryLimit = (c: { resources?: { limits?: Record<string, string> } } | undefined): number =>
  parseQuantity(c?.resources?.limits?.memory) || Infinity;
