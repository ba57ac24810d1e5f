// Helpers every handler file and engine shares: which context a call is for, objects of a kind from the watch cache,
// label selectors, namespace checks.
import type { KindDescriptor } from '../kube/descriptors';
import { KubeError } from '../kube/errors';
import type { ViewOf } from '../kube/objects';
import type { LabelSelector } from '../kube/objectIndex';
import { parseLabelSelector as parseSelector, toSelectorObject } from '../../shared/labelSelector';
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

/** `a=b,c!=d,e,!f,g in (x,y),h notin (z)` → a LabelSelector; anything else is a 400 that says what is wrong. */
export function parseLabelSelector(s: string): LabelSelector {
  const parsed = parseSelector(s);
  if (!parsed.ok) throw badRequest(`labelSelector: ${parsed.error}`);
  return toSelectorObject(parsed.value);
}
