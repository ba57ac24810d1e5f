// What KubeGraf's writes share: the field manager it writes as, objects as YAML, and objects as a diff compares them.
import { stringify } from 'yaml';
import type { KObject } from './descriptors';

export const FIELD_MANAGER = 'kubegraf';

/** What a YAML diff should show: no managedFields, no resourceVersion churn. */
export function forDiff(o: unknown): unknown {
  if (!o) return o;
  const c = JSON.parse(JSON.stringify(o)) as KObject;
  // What the server maintains itself (and a dry run of a new object invents) is noise in a review.
  for (const k of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp'] as const)
    delete c.metadata?.[k];
  return c;
}

export function toYaml(o: unknown): string {
  // YAML 1.1 quoting (`'yes'`, `'on'`), as kubectl's parser reads them; no folding, no anchors.
  return stringify(o, { version: '1.1', indent: 2, lineWidth: 0, aliasDuplicateObjects: false });
}
