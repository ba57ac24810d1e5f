// Helpers every handler file shares: which context a call is for, label selectors, namespace checks.
import type { KindDescriptor } from '../kube/descriptors';
import type { LabelSelector } from '../kube/objectIndex';
import { parseLabelSelector as parseSelector, toSelectorObject } from '../../shared/labelSelector';
import type { ApiDeps } from './deps';
import { ApiError, badRequest } from './errors';

export function contextOf(deps: ApiDeps, context?: string): string {
  const c = context || deps.kube.currentContext();
  if (!c)
    throw new ApiError('noContext', 'no kubeconfig context is configured; start with --kubeconfig FILE or --demo', 503);
  return c;
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
