// Label and field selectors with the operators kubectl and client-node send.
import { badRequest } from './status';

type Labels = Record<string, string> | undefined;
export type Predicate<T> = (x: T) => boolean;

interface Requirement {
  key: string;
  op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

/** Splits on commas that are not inside parentheses: `a in (x,y),b=c`. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseRequirement(term: string): Requirement {
  let m = /^([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m)
    return {
      key: m[1],
      op: m[2] as 'in' | 'notin',
      values: m[3]
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    };
  m = /^([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)$/.exec(term);
  if (m) return { key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] };
  m = /^!([A-Za-z0-9_./-]+)$/.exec(term);
  if (m) return { key: m[1], op: '!exists', values: [] };
  m = /^([A-Za-z0-9_./-]+)$/.exec(term);
  if (m) return { key: m[1], op: 'exists', values: [] };
  throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
}

export function parseLabelSelector(s: string | undefined | null): Predicate<Labels> | undefined {
  if (!s) return undefined;
  const reqs = splitTopLevel(s).map(parseRequirement);
  return (labels) => {
    const l = labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case '=':
          return has && l[r.key] === r.values[0];
        case '!=':
          return !has || l[r.key] !== r.values[0];
        case 'in':
          return has && r.values.includes(l[r.key]);
        case 'notin':
          return !has || !r.values.includes(l[r.key]);
        case 'exists':
          return has;
        case '!exists':
          return !has;
      }
    });
  };
}

/** matchLabels / matchExpressions, as used in Deployment, Service, PDB and NetworkPolicy selectors. */
export function labelSelectorMatches(
  sel:
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
      }
    | undefined,
  labels: Labels,
): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = k(l, e.key);
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
const k = (l: Record<string, string>, key: string) => Object.prototype.hasOwnProperty.call(l, key);

/** `a=b,c!=d` over dotted paths. Unknown fields are rejected like the API server does. */
export function parseFieldSelector(
  s: string | undefined | null,
  allowed: (field: string) => boolean,
): Predicate<unknown> | undefined {
  if (!s) return undefined;
  const reqs = splitTopLevel(s).map((term) => {
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    if (!allowed(m[1])) throw badRequest(`field label not supported: ${m[1]}`);
    return { path: m[1].split('.'), neg: m[2] === '!=', value: m[3] };
  });
  return (obj) =>
    reqs.every((r) => {
      let cur: unknown = obj;
      for (const p of r.path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
      const v = cur === undefined || cur === null ? '' : String(cur);
      return r.neg ? v !== r.value : v === r.value;
    });
}

const COMMON_FIELDS = new Set(['metadata.name', 'metadata.namespace']);
const EXTRA_FIELDS: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  nodes: ['spec.unschedulable'],
  secrets: ['type'],
  namespaces: ['status.phase'],
  replicasets: ['status.replicas'],
  jobs: ['status.successful'],
};

export function fieldAllowed(resource: string): (field: string) => boolean {
  return (f) => COMMON_FIELDS.has(f) || (EXTRA_FIELDS[resource] ?? []).includes(f);
}
