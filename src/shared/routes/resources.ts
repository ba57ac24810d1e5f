// The generic per-kind routes (`/api/{kind}s`, `/api/{kind}/details|yaml|describe|update|delete`, bulk and workload
// actions), generated from one data list: a documented resource word is one row here.
import { z } from 'zod';
import type { ColumnDto, KubeErrorDto, ObjectKey, ApplyPreview, BulkDeleteResult } from '../kube';
import { route, type Route } from '../route';
import {
  KINDS,
  ROUTE_CAPABILITIES,
  kindById,
  kindId,
  type KindDef,
  type RouteCapability,
  type RoutedKind,
} from '../kinds';
import {
  base,
  boolish,
  bulkItems,
  bulkParams,
  deleteParams,
  int,
  listParams,
  namespaceName,
  objectParams,
  updateParams,
  yamlParams,
} from './params';

/** The route words, engine kind id and route capabilities of one kind that has the generic routes. */
type EntryOf<D> = D extends {
  one: infer O extends string;
  many: infer M extends string;
  capabilities: readonly (infer C)[];
}
  ? { one: O; many: M; kind: string; namespaced: boolean; caps: readonly Extract<C, RouteCapability>[] }
  : never;

export type ResourceEntry = EntryOf<RoutedKind>;

/**
 * `one`/`many`: the words the documented API uses (`/api/pod/details`, `/api/pods`); `kind`: the engine's kind id;
 * `caps`: the workload actions the kind has routes for (logs/exec/port-forward of pods are routes of their own).
 * Derived from the shared table of kinds (../kinds.ts), in its order.
 */
export const RESOURCE_KINDS: readonly ResourceEntry[] = (KINDS as readonly KindDef[]).flatMap((d) =>
  d.one && d.many
    ? [
        {
          one: d.one,
          many: d.many,
          kind: kindId(d),
          namespaced: d.namespaced,
          caps: d.capabilities.filter((c): c is RouteCapability =>
            (ROUTE_CAPABILITIES as readonly string[]).includes(c),
          ),
        } as ResourceEntry,
      ]
    : [],
);

export type ResourceOp =
  | 'list'
  | 'details'
  | 'yaml'
  | 'describe'
  | 'update'
  | 'delete'
  | 'bulkDelete'
  | 'scale'
  | 'restart'
  | 'bulkRestart'
  | 'rollback';

// ---------- results ----------

/** One row of a list: identity plus every column of the kind's descriptor, keyed by column id. */
export interface ResourceRow {
  name: string;
  namespace?: string;
  uid?: string;
  createdAt?: string;
  labels?: Record<string, string>;
  [column: string]: unknown;
}

export interface ResourceList {
  /** Engine kind id: `pods`, `deployments.apps`. */
  kind: string;
  columns: ColumnDto[];
  items: ResourceRow[];
  /** The watch is live: the rows are the cluster as of now. */
  live: boolean;
  /** The rows may be behind the cluster (reconnecting); never show them as live. */
  stale: boolean;
  resourceVersion?: string;
  error?: KubeErrorDto;
}

export interface EventRow {
  namespace?: string;
  name: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  source?: string;
  object: { kind: string; name: string; namespace?: string };
  firstSeen?: string;
  lastSeen?: string;
}

export interface ResourceDetails extends ResourceRow {
  kind: string;
  apiVersion?: string;
  annotations?: Record<string, string>;
  /** The object as the server stores it (secret values masked unless one key was revealed). */
  object: unknown;
  events: EventRow[];
  /** Pods the object selects or owns (workloads, services). */
  pods?: ResourceRow[];
  [k: string]: unknown;
}

export interface YamlResult {
  name: string;
  namespace?: string;
  yaml: string;
  /** Secrets: the key whose value is shown decoded, if one was asked for. */
  revealed?: { key: string; value: string };
}

export interface DescribeResult {
  name: string;
  namespace?: string;
  describe: string;
}

export interface UpdateResult {
  /** false: dry run only (or nothing changed). */
  applied: boolean;
  preview: ApplyPreview;
  object?: unknown;
}

export interface ActionResult {
  ok: true;
  message: string;
  [k: string]: unknown;
}

export interface DeleteResult extends ActionResult {
  deleted: ObjectKey[];
  dryRun: boolean;
}

export type BulkResult = BulkDeleteResult & { dryRun?: boolean; restarted?: ObjectKey[] };

// ---------- params ----------

export const scaleParams = objectParams.extend({ replicas: int(0, 100_000), namespace: namespaceName });
export const restartParams = objectParams.extend({ namespace: namespaceName, force: boolish.optional() });
export const rollbackParams = objectParams.extend({ namespace: namespaceName, revision: int(1, 1_000_000).optional() });
export const bulkRestartParams = z.object({ ...base, items: bulkItems });

type RouteOf<P extends z.ZodType, R> = Route<z.output<P>, R>;
type Caps<E> = E extends { caps: readonly (infer C)[] } ? C : never;

export type ResourceTable = {
  [E in ResourceEntry as `${E['many']}.list`]: RouteOf<typeof listParams, ResourceList>;
} & {
  [E in ResourceEntry as `${E['one']}.details`]: RouteOf<typeof yamlParams, ResourceDetails>;
} & { [E in ResourceEntry as `${E['one']}.yaml`]: RouteOf<typeof yamlParams, YamlResult> } & {
  [E in ResourceEntry as `${E['one']}.describe`]: RouteOf<typeof objectParams, DescribeResult>;
} & {
  [E in ResourceEntry as 'edit' extends Caps<E> ? `${E['one']}.update` : never]: RouteOf<
    typeof updateParams,
    UpdateResult
  >;
} & {
  [E in ResourceEntry as 'delete' extends Caps<E> ? `${E['one']}.delete` : never]: RouteOf<
    typeof deleteParams,
    DeleteResult
  >;
} & {
  [E in ResourceEntry as 'delete' extends Caps<E> ? `${E['many']}.bulkDelete` : never]: RouteOf<
    typeof bulkParams,
    BulkResult
  >;
} & {
  [E in ResourceEntry as 'scale' extends Caps<E> ? `${E['one']}.scale` : never]: RouteOf<
    typeof scaleParams,
    ActionResult
  >;
} & {
  [E in ResourceEntry as 'restart' extends Caps<E> ? `${E['one']}.restart` : never]: RouteOf<
    typeof restartParams,
    ActionResult
  >;
} & {
  [E in ResourceEntry as 'restart' extends Caps<E> ? `${E['many']}.bulkRestart` : never]: RouteOf<
    typeof bulkRestartParams,
    BulkResult
  >;
} & {
  [E in ResourceEntry as 'rollback' extends Caps<E> ? `${E['one']}.rollback` : never]: RouteOf<
    typeof rollbackParams,
    ActionResult
  >;
};

/** Which row and operation a generated route id stands for (handlers are generated from the same list). */
export const RESOURCE_ROUTE_INFO: Record<string, { entry: ResourceEntry; op: ResourceOp }> = {};

function build(): ResourceTable {
  const t: Record<string, Route> = {};
  const add = (id: string, e: ResourceEntry, op: ResourceOp, r: Route) => {
    t[id] = r;
    RESOURCE_ROUTE_INFO[id] = { entry: e, op };
  };
  for (const e of RESOURCE_KINDS) {
    const K = e.one;
    add(
      `${e.many}.list`,
      e,
      'list',
      route<ResourceList>()(
        'GET',
        `/api/${e.many}`,
        'kube',
        `List ${e.many} (all namespaces when namespace is absent or empty)`,
        listParams,
      ),
    );
    add(
      `${K}.details`,
      e,
      'details',
      route<ResourceDetails>()('GET', `/api/${K}/details`, 'kube', `Get ${K} details with its events`, yamlParams),
    );
    add(`${K}.yaml`, e, 'yaml', route<YamlResult>()('GET', `/api/${K}/yaml`, 'kube', `Get ${K} YAML`, yamlParams));
    add(
      `${K}.describe`,
      e,
      'describe',
      route<DescribeResult>()('GET', `/api/${K}/describe`, 'kube', `kubectl describe output of a ${K}`, objectParams),
    );
    const caps = e.caps as readonly string[];
    if (caps.includes('edit'))
      add(
        `${K}.update`,
        e,
        'update',
        route<UpdateResult>()(
          'POST',
          `/api/${K}/update`,
          'kube',
          `Apply edited ${K} YAML (server-side dry run first; dryRun=true previews only)`,
          updateParams,
        ),
      );
    if (caps.includes('delete')) {
      add(
        `${K}.delete`,
        e,
        'delete',
        route<DeleteResult>()(
          'DELETE',
          `/api/${K}/delete`,
          'kube',
          `Delete a ${K} (dryRun=true previews)`,
          deleteParams,
        ),
      );
      add(
        `${e.many}.bulkDelete`,
        e,
        'bulkDelete',
        route<BulkResult>()('DELETE', `/api/${e.many}/bulk/delete`, 'kube', `Bulk delete ${e.many}`, bulkParams),
      );
    }
    if (caps.includes('scale'))
      add(
        `${K}.scale`,
        e,
        'scale',
        route<ActionResult>()('POST', `/api/${K}/scale`, 'kube', `Scale a ${K}`, scaleParams),
      );
    if (caps.includes('restart')) {
      add(
        `${K}.restart`,
        e,
        'restart',
        route<ActionResult>()(
          'POST',
          `/api/${K}/restart`,
          'kube',
          kindById(e.kind)?.restartBy === 'recreate'
            ? `Restart a ${K} (delete it so its controller recreates it)`
            : `Restart a ${K} (rollout restart)`,
          restartParams,
        ),
      );
      add(
        `${e.many}.bulkRestart`,
        e,
        'bulkRestart',
        route<BulkResult>()('POST', `/api/${e.many}/bulk/restart`, 'kube', `Bulk restart ${e.many}`, bulkRestartParams),
      );
    }
    if (caps.includes('rollback'))
      add(
        `${K}.rollback`,
        e,
        'rollback',
        route<ActionResult>()(
          'POST',
          `/api/${K}/rollback`,
          'kube',
          `Roll a ${K} back to a revision (default: the previous one)`,
          rollbackParams,
        ),
      );
  }
  return t as unknown as ResourceTable;
}

// ---------- apply a manifest (any kinds, many documents) ----------

/** What applying one object of a manifest did (or, in a dry run, would do). */
export interface ManifestObjectResult {
  /** 1-based document number and line in the submitted YAML. */
  doc: number;
  line: number;
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  /** `failed`: see error; nothing was changed for this object. */
  action: 'created' | 'configured' | 'unchanged' | 'failed';
  /** Unified diff, live object vs. what the server stores after the apply (from a server-side dry run). */
  diff: string;
  error?: KubeErrorDto & {
    /** The HTTP status the cluster answered for this object (403 for a read-only user). */
    status?: number;
    /** Field-manager conflicts (server-side apply): who owns which field; retry with force to take them over. */
    conflicts?: Array<{ manager: string; field: string }>;
  };
  /** Why a dry-run result is not the server's own verdict (e.g. its namespace is created by the same manifest). */
  note?: string;
}

export interface ManifestApplyResult {
  context: string;
  dryRun: boolean;
  results: ManifestObjectResult[];
  /** Objects created or configured (in a dry run: that would be). */
  applied: number;
  failed: number;
}

/** A manifest may hold many objects, so it may be larger than one object's YAML. */
export const manifestApplyParams = z.object({
  ...base,
  yaml: z
    .string()
    .min(1, 'YAML is empty')
    .max(2 * 1_048_576, 'YAML is larger than 2 MiB'),
  namespace: namespaceName.optional(),
  dryRun: boolish.optional(),
  force: boolish.optional(),
});

const MANIFEST_ROUTES = {
  'manifests.apply': route<ManifestApplyResult>()(
    'POST',
    '/api/manifests/apply',
    'kube',
    'Apply multi-document YAML (server-side apply, field manager kubegraf; dryRun=true reviews per-object actions and diffs; force=true takes over conflicting fields)',
    manifestApplyParams,
    { timeoutMs: 120_000 },
  ),
};

export const RESOURCE_ROUTES: ResourceTable & typeof MANIFEST_ROUTES = { ...build(), ...MANIFEST_ROUTES };
