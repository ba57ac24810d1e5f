// What the simulated container runtime keeps beside the API objects, per container: its own file system (so a
// file `kubectl cp` or an exec writes is there for the next exec) and what a finished one-shot command printed
// (its logs). In memory only, keyed by pod uid, the oldest forgotten past a cap.

interface ContainerState {
  files?: Record<string, string>;
  output?: string[];
}

const CAP = 2000; // pods remembered
const pods = new Map<string, Map<string, ContainerState>>();

function state(podUid: string, container: string): ContainerState {
  let byName = pods.get(podUid);
  if (byName)
    pods.delete(podUid); // most recently used last
  else byName = new Map();
  pods.set(podUid, byName);
  while (pods.size > CAP) pods.delete(pods.keys().next().value as string);
  let s = byName.get(container);
  if (!s) byName.set(container, (s = {}));
  return s;
}

/** The container's files, made by `init` the first time (a fresh container's image contents). */
export function containerFiles(
  podUid: string | undefined,
  container: string,
  init: () => Record<string, string>,
): Record<string, string> {
  if (!podUid) return init();
  const s = state(podUid, container);
  s.files ??= init();
  return s.files;
}

export function setContainerOutput(podUid: string, container: string, output: string[]): void {
  state(podUid, container).output = output;
}

/** What the container's command printed, when it ran as a one-shot command (ephemeral containers). */
export function containerOutput(podUid: string | undefined, container: string): string[] | undefined {
  return podUid ? pods.get(podUid)?.get(container)?.output : undefined;
}

/** A deleted pod's containers are gone, files and all. */
export function forgetPod(podUid: string): void {
  pods.delete(podUid);
}
