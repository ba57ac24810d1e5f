// DTOs the Kubernetes engine hands to every face (VS Code, local server, webviews). Pure types and tiny helpers only.

export type KubeErrorCode =
  | 'notFound'
  | 'forbidden'
  | 'unauthorized'
  | 'conflict'
  | 'alreadyExists'
  | 'invalid'
  | 'badRequest'
  | 'unreachable'
  | 'timeout'
  | 'notApproved'
  | 'unsupported'
  | 'serverError'
  | 'unknown';

export interface KubeErrorDto {
  code: KubeErrorCode;
  message: string;
  details?: unknown;
}

export type Capability =
  'logs' | 'exec' | 'scale' | 'restart' | 'rollback' | 'cordon' | 'drain' | 'portForward' | 'edit' | 'delete';

/** Identifies a kind on a cluster: `plural.group` with the version the engine talks (`pods`, `deployments.apps`). */
export interface KindRef {
  group: string;
  version: string;
  plural: string;
}

export interface ColumnDto {
  id: string;
  label: string;
  /** Hidden unless a "wide" view is asked for. */
  wide?: boolean;
}

export interface KindDto extends KindRef {
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  columns: ColumnDto[];
  capabilities: Capability[];
  /** True for kinds built from discovery (CRDs) rather than the built-in table. */
  custom: boolean;
}

export type ConnectionState =
  | { state: 'idle' }
  | { state: 'connecting'; since: string }
  | { state: 'connected'; since: string }
  | { state: 'reconnecting'; since: string; reason: string }
  | { state: 'unreachable'; since: string; reason: string; code: KubeErrorCode };

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  server: string;
  namespace?: string;
  current: boolean;
  /** The kubeconfig user runs an exec credential plugin. */
  execCommand?: string;
  connection: ConnectionState;
  /** Known once a probe reached the server. */
  serverVersion?: string;
  nodeCount?: number;
  namespaceCount?: number;
}

export interface ObjectKey {
  namespace?: string;
  name: string;
}

export type WatchEventType = 'added' | 'modified' | 'deleted';

/** One batch of cache changes for one subscription key (context + kind + namespace scope). */
export interface ChangeBatch {
  context: string;
  kind: KindRef;
  /** Namespace the subscription covers; undefined = all namespaces. */
  namespace?: string;
  /** True when the batch is a full resync (faces should drop what they held and take `added` as the new truth). */
  reset: boolean;
  added: unknown[];
  modified: unknown[];
  deleted: ObjectKey[];
}

export interface CacheStatus {
  /** Data was listed and the watch is live. */
  live: boolean;
  /** Data may be behind the cluster (reconnecting or resyncing); never show it as live. */
  stale: boolean;
  synced: boolean;
  error?: KubeErrorDto;
  resourceVersion?: string;
}

export interface ApplyPreview {
  /** Unified diff of the object as stored vs. as the server would store it (server-side dry run). */
  diff: string;
  changed: boolean;
}

export interface DrainResult {
  evicted: string[];
  skipped: Array<{ pod: string; reason: string }>;
  failed: Array<{ pod: string; reason: string }>;
}

export interface BulkDeleteResult {
  deleted: ObjectKey[];
  failed: Array<{ key: ObjectKey; error: KubeErrorDto }>;
}

export interface RevisionInfo {
  revision: number;
  name: string;
  images: string[];
  createdAt?: string;
  current: boolean;
}

export interface PortForwardDto {
  id: string;
  context: string;
  namespace: string;
  pod: string;
  remotePort: number;
  localPort: number;
  address: string;
  connections: number;
}

export interface AccessCheck {
  verb: string;
  group?: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface ExecApprovalRequest {
  context: string;
  user: string;
  command: string;
  args: string[];
  /** The exact command line as it will run. */
  commandLine: string;
}
