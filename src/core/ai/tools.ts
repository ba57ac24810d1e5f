// The assistant's tools: read-only looks at the cluster through the same handlers the API routes use (so RBAC,
// caches and secret masking are the same), each result trimmed to what a model needs and redacted before it leaves.
// Nothing here writes: no apply, delete, scale, exec or port-forward.
import { z } from 'zod';
import type { Caller } from '../../shared/route';
import { RESOURCE_KINDS } from '../../shared/routes/resources';
import type { Incident } from '../../shared/incidents';
import { CLUSTER_HANDLERS } from '../api/cluster';
import type { ApiDeps } from '../api/deps';
import { toApiError } from '../api/errors';
import { INCIDENT_HANDLERS } from '../api/incidents';
import { METRIC_HANDLERS } from '../api/metrics';
import { detailsOf, listKind } from '../api/resources';
import type { ToolSpec } from './providers';
import type { Redactor } from './redact';

/** Where the tools look: the chat's context, and the namespace the user has in focus (a default, not a limit). */
export interface ToolScope {
  context?: string;
  namespace?: string;
}

export interface ToolResult {
  /** What goes back to the model (redacted JSON or text). */
  content: string;
  /** One line for the user (`3 open incidents`). */
  summary: string;
  ok: boolean;
}

interface ToolDef<S extends z.ZodType> {
  name: string;
  description: string;
  schema: S;
  run(args: z.output<S>, deps: ApiDeps, scope: ToolScope, caller: Caller): Promise<{ data: unknown; summary: string }>;
}

const MANY = RESOURCE_KINDS.map((k) => k.many) as unknown as [string, ...string[]];
const ONE = RESOURCE_KINDS.map((k) => k.one) as unknown as [string, ...string[]];
const kindByWord = (w: string) => RESOURCE_KINDS.find((k) => k.many === w || k.one === w);

const ns = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a namespace name')
  .describe('Namespace; omit for all namespaces');
const objName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9._:@-]*[A-Za-z0-9])?$/, 'a Kubernetes object name');
const MAX_ITEMS = 60;

const cap = <T>(items: T[], n = MAX_ITEMS) => ({
  items: items.slice(0, n),
  ...(items.length > n ? { note: `showing ${n} of ${items.length}; narrow by namespace` } : {}),
});

function incidentBrief(i: Incident) {
  return {
    id: i.id,
    type: i.type,
    severity: i.severity,
    status: i.status,
    title: i.title,
    resource: i.resource,
    rootCause: i.rootCause,
    occurrences: i.occurrences,
    firstSeen: i.firstSeen,
    lastSeen: i.lastSeen,
    fixes: i.recommendedFixes
      .slice(0, 4)
      .map((f) => ({ id: f.id, description: f.description, risk: f.risk, preview: f.preview })),
  };
}

function def<S extends z.ZodType>(d: ToolDef<S>): ToolDef<S> {
  return d;
}

const TOOL_DEFS = [
  def({
    name: 'list_incidents',
    description:
      'List incidents KubeGraf detected in the cluster (crash loops, OOM kills, image pull errors, failing probes, pending pods, node problems…) with severity, affected object and root cause. Start here for "what is wrong".',
    schema: z.object({
      status: z.enum(['open', 'resolved', 'all']).optional().describe('Default: open'),
      namespace: ns.optional(),
      severity: z.enum(['critical', 'high', 'medium', 'low', 'info']).optional(),
    }),
    run: async (a, d, s, caller) => {
      const r = await INCIDENT_HANDLERS['incidents.list'](
        { context: s.context, status: a.status ?? 'open', namespace: a.namespace ?? '', severity: a.severity } as never,
        d,
        caller,
      );
      return {
        data: {
          context: r.context,
          synced: r.synced,
          total: r.incidents.length,
          ...cap(r.incidents.map(incidentBrief)),
        },
        summary: `${r.incidents.length} ${a.status ?? 'open'} incident${r.incidents.length === 1 ? '' : 's'}${a.namespace ? ` in ${a.namespace}` : ''}`,
      };
    },
  }),
  def({
    name: 'get_incident',
    description:
      'One incident in full: evidence (events, logs excerpts, container states, metrics), root cause, recommended fixes, history and similar incidents.',
    schema: z.object({ id: z.string().min(1).max(200).describe('Incident id from list_incidents') }),
    run: async (a, d, _s, caller) => {
      const r = await INCIDENT_HANDLERS['incidents.get']({ id: a.id } as never, d, caller);
      return { data: r, summary: `incident ${a.id}` };
    },
  }),
  def({
    name: 'get_pod_status',
    description:
      'Status of one pod: phase, node, IP, containers (ready, restarts, state), conditions and its recent events.',
    schema: z.object({ namespace: ns, name: objName }),
    run: async (a, d, s) => {
      const r = await detailsOf(d, 'pods', { context: s.context, namespace: a.namespace, name: a.name });
      const o = r.object as {
        status?: { conditions?: unknown; containerStatuses?: unknown; reason?: string; message?: string };
        spec?: { containers?: Array<{ name: string; image: string; resources?: unknown }> };
      };
      const data = {
        name: r.name,
        namespace: r.namespace,
        phase: r.phase,
        reason: o.status?.reason,
        message: o.status?.message,
        node: r.nodeName,
        podIP: r.podIP,
        containers: r.containers,
        resources: o.spec?.containers?.map((c) => ({ name: c.name, resources: c.resources })),
        containerStatuses: o.status?.containerStatuses,
        conditions: o.status?.conditions,
        events: r.events.slice(0, 20),
      };
      return {
        data,
        summary: `pod ${a.namespace}/${a.name}: ${String(r.phase ?? 'unknown')}, ${r.events.length} events`,
      };
    },
  }),
  def({
    name: 'get_pod_logs',
    description: "The last lines of a pod container's logs (previous=true: the crashed previous instance).",
    schema: z.object({
      namespace: ns,
      name: objName,
      container: z.string().max(253).optional(),
      tailLines: z.number().int().min(1).max(300).optional().describe('Default 100'),
      previous: z.boolean().optional(),
    }),
    run: async (a, d, s, caller) => {
      const r = await CLUSTER_HANDLERS['pod.logs'](
        {
          context: s.context,
          namespace: a.namespace,
          name: a.name,
          container: a.container,
          tailLines: a.tailLines ?? 100,
          previous: a.previous,
          limitBytes: 64_000,
        } as never,
        d,
        caller,
      );
      const text = r.lines
        .map((l) => (l.container && r.container === undefined ? `[${l.container}] ${l.text}` : l.text))
        .join('\n');
      return {
        data: text || '(no log lines)',
        summary: `${r.lines.length} log lines of ${a.namespace}/${a.name}${a.previous ? ' (previous)' : ''}`,
      };
    },
  }),
  def({
    name: 'list_resources',
    description: `List objects of one kind (with status columns), in a namespace or all namespaces. Kinds: ${MANY.join(', ')}.`,
    schema: z.object({ kind: z.enum(MANY), namespace: ns.optional(), labelSelector: z.string().max(512).optional() }),
    run: async (a, d, s) => {
      const k = kindByWord(a.kind)!;
      const r = await listKind(d, k.kind, {
        context: s.context,
        namespace: k.namespaced ? (a.namespace ?? '') : undefined,
        labelSelector: a.labelSelector,
      });
      const items = r.items.map(({ uid: _uid, ...rest }) => rest);
      return {
        data: { kind: a.kind, total: items.length, ...(r.stale ? { stale: true } : {}), ...cap(items) },
        summary: `${items.length} ${a.kind}${a.namespace && k.namespaced ? ` in ${a.namespace}` : ''}`,
      };
    },
  }),
  def({
    name: 'get_resource',
    description: `One object: its spec and status (Secret values are never included, only key names), events and, for workloads and services, their pods. Kinds: ${ONE.join(', ')}.`,
    schema: z.object({ kind: z.enum(ONE), namespace: ns.optional(), name: objName }),
    run: async (a, d, s) => {
      const k = kindByWord(a.kind)!;
      const r = await detailsOf(d, k.kind, {
        context: s.context,
        namespace: k.namespaced ? (a.namespace ?? s.namespace) : undefined,
        name: a.name,
      });
      const { uid: _uid, ...rest } = r;
      return {
        data: { ...rest, events: r.events.slice(0, 20), pods: r.pods?.slice(0, 30) },
        summary: `${a.kind} ${r.namespace ? `${r.namespace}/` : ''}${a.name}`,
      };
    },
  }),
  def({
    name: 'list_events',
    description:
      'Cluster events, newest first (type=Warning for problems); filter by namespace, involved object kind and name.',
    schema: z.object({
      namespace: ns.optional(),
      type: z.enum(['Normal', 'Warning']).optional(),
      kind: z.string().max(63).optional(),
      name: objName.optional(),
      limit: z.number().int().min(1).max(100).optional().describe('Default 40'),
    }),
    run: async (a, d, s, caller) => {
      const r = await CLUSTER_HANDLERS['events.list'](
        {
          context: s.context,
          namespace: a.namespace ?? '',
          type: a.type,
          kind: a.kind,
          name: a.name,
          limit: a.limit ?? 40,
        } as never,
        d,
        caller,
      );
      return {
        data: { total: r.total, events: r.events },
        summary: `${r.events.length} ${a.type ? `${a.type} ` : ''}events${a.namespace ? ` in ${a.namespace}` : ''}`,
      };
    },
  }),
  def({
    name: 'get_metrics',
    description: 'CPU and memory now: cluster totals, per node, and the busiest pods (from metrics.k8s.io).',
    schema: z.object({ namespace: ns.optional() }),
    run: async (a, d, s, caller) => {
      const r = await METRIC_HANDLERS.metrics({ context: s.context, namespace: a.namespace ?? '' } as never, d, caller);
      const pods = [...r.pods]
        .sort((x, y) => y.cpuUsage - x.cpuUsage)
        .slice(0, 25)
        .map(({ containers: _c, ...p }) => p);
      return {
        data: { ...r, pods, note: 'pods: the 25 busiest by CPU (cpuUsage millicores, memoryUsage MiB)' },
        summary: r.available
          ? `metrics${a.namespace ? ` of ${a.namespace}` : ''}: cluster CPU ${r.cluster.cpuPercent}%, memory ${r.cluster.memoryPercent}%`
          : `metrics unavailable: ${r.reason ?? 'no metrics.k8s.io'}`,
      };
    },
  }),
];

export const TOOL_NAMES = TOOL_DEFS.map((t) => t.name);

/** The tools as providers take them (JSON Schema parameters). */
export function toolSpecs(): ToolSpec[] {
  return TOOL_DEFS.map((t) => {
    const { $schema: _s, ...parameters } = z.toJSONSchema(t.schema) as Record<string, unknown>;
    return { name: t.name, description: `Read-only. ${t.description}`, parameters };
  });
}

export const TOOL_LIST = (): Array<{ name: string; description: string }> =>
  TOOL_DEFS.map((t) => ({ name: t.name, description: t.description }));

/** Short `k=v` text of a call's arguments, for the user. */
export function argsSummary(args: unknown): string {
  if (!args || typeof args !== 'object') return '';
  return Object.entries(args as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ')
    .slice(0, 200);
}

/**
 * Runs one tool call. Bad arguments and cluster errors come back as results the model can read (and correct);
 * nothing throws. The result is redacted here, so no caller can forget.
 */
export async function runTool(
  name: string,
  rawArgs: unknown,
  deps: ApiDeps,
  scope: ToolScope,
  redactor: Redactor,
  caller: Caller = { face: 'http' },
): Promise<ToolResult> {
  const t = TOOL_DEFS.find((x) => x.name === name);
  if (!t)
    return {
      content: `error: no tool named "${name}"; tools: ${TOOL_NAMES.join(', ')}`,
      summary: `unknown tool ${name}`,
      ok: false,
    };
  const parsed = (t.schema as z.ZodType).safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    return {
      content: `error: invalid arguments for ${name}: ${why}`,
      summary: `invalid arguments: ${why}`.slice(0, 200),
      ok: false,
    };
  }
  try {
    const r = await (t as ToolDef<z.ZodType>).run(parsed.data, deps, scope, caller);
    const content =
      typeof r.data === 'string'
        ? redactor.text(r.data.length > 12_000 ? r.data.slice(-12_000) : r.data)
        : redactor.json(r.data);
    return { content, summary: redactor.text(r.summary), ok: true };
  } catch (e) {
    const err = toApiError(e);
    const msg = redactor.text(err.message);
    return { content: `error (${err.code}): ${msg}`, summary: `failed: ${msg}`.slice(0, 200), ok: false };
  }
}
