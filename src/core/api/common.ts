// Helpers every handler file and engine shares: which context a call is for, objects of a kind from the watch cache,
// label selectors, namespace checks.
import type { KindDescriptor } from '../kube/descriptors';
import { KubeError } from '../kube/errors';
import type { ViewOf } from '../kube/objects';
import type { LabelSelector } from '../kube/objectIndex';
import type { ApiDeps } from './deps';
import { ApiError, badRequest, notInstalled } from './errors';

export function contextOf(deps: ApiDeps, context?: string): string {
  const c = context || deps.kube.currentContext();
  if (!c)
    throw new ApiError('noContext', 'no kubeconfig context is configured; start with --kubeconfig FILE or --demo', 503);
  return c;
}

/** Objects of a kind (cache-backed), or undefined when the cluster does not serve the kind at all. */
export async function objects<K extends string>(
  deps: ApiDeps,
  context: string | undefined,
  kind: K,
  namespace?: string,
): Promise<ViewOf<K>[] | undefined> {
  const ctx = contextOf(deps, context);
  try {
    deps.kube.descriptor(ctx, kind);
  } catch (e) {
    if (e instanceof KubeError && e.code === 'notFound') return undefined;
    throw e;
  }
  const { cache } = await deps.lists.cache(ctx, kind, namespace || undefined);
  return (namespace ? cache.index.inNamespace(namespace) : cache.list()) as ViewOf<K>[];
}

/** Objects of a kind the cluster must serve; a 424 naming `what` when it does not. */
export async function must<K extends string>(
  deps: ApiDeps,
  context: string | undefined,
  kind: K,
  what: string,
  namespace?: string,
): Promise<ViewOf<K>[]> {
  const o = await objects(deps, context, kind, namespace);
  if (!o) throw notInstalled(`${what} is not installed in this cluster (no ${kind} CRD)`);
  return o;
}

/** Namespaced kinds need a namespace for one object; cluster-scoped kinds ignore it. */
export function nsFor(d: KindDescriptor, namespace: string | undefined): string | undefined {
  if (!d.namespaced) return undefined;
  if (!namespace) throw badRequest(`namespace is required for ${d.plural}`);
  return namespace;
}

const KEY = /^([A-Za-z0-9][-A-Za-z0-9_.]*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** `a=b,c!=d,e,!f,g in (x,y),h notin (z)` → a LabelSelector; anything else is a 400. */
export function parseLabelSelector(s: string): LabelSelector {
  const sel: Required<LabelSelector> = { matchLabels: {}, matchExpressions: [] } as Required<LabelSelector>;
  const parts = s.match(/([^,(]+(\([^)]*\))?)/g) ?? [];
  for (const raw of parts.map((x) => x.trim()).filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if ((m = raw.match(/^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const values = m[3]
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      check(m[1], raw);
      sel.matchExpressions.push({ key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = raw.match(/^(\S+?)\s*(==|=|!=)\s*(\S*)$/))) {
      check(m[1], raw);
      if (m[2] === '!=') sel.matchExpressions.push({ key: m[1], operator: 'NotIn', values: [m[3]] });
      else sel.matchLabels[m[1]] = m[3];
    } else if ((m = raw.match(/^!(\S+)$/))) {
      check(m[1], raw);
      sel.matchExpressions.push({ key: m[1], operator: 'DoesNotExist' });
    } else {
      check(raw, raw);
      sel.matchExpressions.push({ key: raw, operator: 'Exists' });
    }
  }
  return sel;
}

function check(key: string, raw: string): void {
  if (!KEY.test(key)) throw badRequest(`labelSelector: "${raw}" is not a valid requirement`);
}
