// What the simulator's parts share: the store, the clock, users, and the hooks through which
// subresource handlers (logs, exec, port-forward, metrics, access reviews) plug into the HTTP server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ResourceType, TypeRegistry } from './kinds';
import type { Store } from './store';

export interface User {
  name: string;
  groups: string[];
  /** 'admin' may do anything; 'viewer' may get, list and watch. */
  role: 'admin' | 'viewer';
}

/** Simulated time runs `speed` times faster than wall time (controllers, log lines, metrics curves). */
export interface Clock {
  speed: number;
  /** Simulated milliseconds since start, scaled by speed. */
  now(): number;
  /** Wall-time timer for a simulated delay; unref'd so it never holds the process open. */
  after(simMs: number, fn: () => void): NodeJS.Timeout;
  every(simMs: number, fn: () => void): NodeJS.Timeout;
}

/** A parsed resource request: /api/v1/namespaces/NS/RESOURCE/NAME/SUB or the cluster-scoped form. */
export interface ResourceRequest {
  req: IncomingMessage;
  url: URL;
  user: User;
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The HTTP verb mapped to a Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection. */
  verb: string;
}

export type SubresourceHandler = (r: ResourceRequest, res: ServerResponse, body: Buffer) => void | Promise<void>;
export type UpgradeHandler = (r: ResourceRequest, socket: Duplex, head: Buffer) => void;

/** What a container instance wrote (a script run in the built-in shell), line by line with wall-clock times. */
export interface RecordedOutput {
  lines: Array<{ time: number; text: string }>;
  /** Output after the last newline. */
  partial: string;
}

/** The kubelet's view of running containers, for logs and exec. */
export interface ContainerProcesses {
  /** The filesystem of a running container, shared by its main process, exec probes and kubectl exec. */
  files(podUid: string, container: string): Record<string, string> | undefined;
  /** What a container instance (by containerID) wrote, when it ran a command in the built-in shell. */
  output(containerID: string): RecordedOutput | undefined;
}

export interface SimContext {
  store: Store;
  types: TypeRegistry;
  clock: Clock;
  kubeMinor: number;
  /** Subresource handlers keyed "resource/subresource" (e.g. "pods/log", "deployments/scale"), or "*\/status". */
  subresources: Map<string, SubresourceHandler>;
  /** WebSocket / SPDY upgrades keyed "pods/exec", "pods/attach", "pods/portforward". */
  upgrades: Map<string, UpgradeHandler>;
  /** Virtual (computed) resources, keyed by "group/resource" e.g. "metrics.k8s.io/pods". */
  virtual: Map<string, SubresourceHandler>;
  /** Set by the kubelet: container filesystems and recorded output. */
  processes?: ContainerProcesses;
  /** Registers a function to run when the simulator stops (timers, sockets). */
  onClose(fn: () => void | Promise<void>): void;
}
