// Fault knobs: annotations on a pod (or a workload's pod template, or a node) that make the simulated
// kubelet misbehave. Tests, scenarios and the fault-injection API set these; nothing else is magic.

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

/** An image whose tag (or name) contains this cannot be pulled. */
export const MISSING_IMAGE_MARK = 'does-not-exist';

export type PodFault = 'crashloop' | 'oomkill' | 'imagepull' | 'unready' | 'fail';
const POD_FAULTS = new Set<string>(['crashloop', 'oomkill', 'imagepull', 'unready', 'fail']);

export function podFault(annotations: Record<string, string> | undefined): PodFault | undefined {
  const f = annotations?.[FAULT_ANNOTATION];
  return f && POD_FAULTS.has(f) ? (f as PodFault) : undefined;
}

/** The fault that hits this container, if any: the pod's fault for its target container, or a missing image. */
export function containerFault(
  annotations: Record<string, string> | undefined,
  containers: Array<{ name: string; image?: string }>,
  name: string,
): PodFault | undefined {
  const c = containers.find((x) => x.name === name);
  if (c?.image?.includes(MISSING_IMAGE_MARK)) return 'imagepull';
  const f = podFault(annotations);
  if (!f) return undefined;
  const target = annotations?.[FAULT_CONTAINER_ANNOTATION] ?? containers[0]?.name;
  return target === name ? f : undefined;
}
