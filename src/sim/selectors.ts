// Label and field selectors with the operators kubectl and client-node send (labels parsed by src/shared).
import { badRequest } from './status';
import { matchesLabels, parseLabelSelector as parseSelector, splitTopLevel } from '../shared/labelSelector';

type Labels = Record<string, string> | undefined;
export type Predicate<T> = (x: T) => boolean;

/** A `labelSelector` query parameter as a predicate; a malformed one is a 400 like the API server's. */
export function parseLabelSelector(s: string | undefined | null): Predicate<Labels> | undefined {
  if (!s) return undefined;
  const parsed = parseSelector(s);
  if (!parsed.ok) throw badRequest(`unable to parse requirement: ${parsed.error}`);
  const reqs = parsed.value;
  return (labels) => matchesLabels(reqs, labels);
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
