// Parameter schemas every route table shares. Query strings arrive as strings, JSON bodies as typed values: the
// helpers accept both so one schema validates every face (HTTP query, HTTP body, webview bridge).
import { z } from 'zod';

/** Kubernetes object names (RFC 1123 subdomains, plus ':' and '@' that RBAC names use). No '/', no '..'. */
const NAME_RE = /^[A-Za-z0-9]([A-Za-z0-9._:@-]{0,251}[A-Za-z0-9])?$/;
/** Namespace names are RFC 1123 labels. */
const NS_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const name = z
  .string()
  .regex(NAME_RE, 'must be a Kubernetes object name (letters, digits, ".", "-", ":"; no "/")');
export const namespaceName = z.string().regex(NS_RE, 'must be a namespace name (lower-case letters, digits and "-")');
/** Absent or empty means every namespace. */
export const namespaceFilter = z.union([z.literal(''), namespaceName]).optional();
export const contextName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[^\s/\\][^\s]*$/, 'must be a kubeconfig context name')
  .optional();

/** `true`/`false`/`1`/`0` from a query string, or a JSON boolean. */
export const boolish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
  .transform((v) => v === true || v === 'true' || v === '1');

/** An integer from a query string or JSON. */
export const int = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^-?\d{1,12}$/, 'must be a whole number')])
    .transform((v) => Number(v))
    .pipe(z.number().int().min(min).max(max));

/** YAML documents up to 1 MiB (the Kubernetes object size limit is ~1.5 MiB of etcd value). */
export const yamlText = z.string().min(1, 'YAML is empty').max(1_048_576, 'YAML is larger than 1 MiB');

export const base = { context: contextName };

export const listParams = z.object({
  ...base,
  namespace: namespaceFilter,
  labelSelector: z.string().max(1024).optional(),
});
export const objectParams = z.object({ ...base, namespace: namespaceName.optional(), name });
export const yamlParams = objectParams.extend({ reveal: z.string().max(253).optional() });
export const updateParams = z.object({
  ...base,
  namespace: namespaceName.optional(),
  name: name.optional(),
  yaml: yamlText,
  dryRun: boolish.optional(),
});
export const deleteParams = objectParams.extend({
  gracePeriodSeconds: int(0, 86_400).optional(),
  dryRun: boolish.optional(),
});
export const bulkItems = z
  .array(z.object({ namespace: namespaceName.optional(), name }))
  .min(1, 'give at least one item')
  .max(500, 'at most 500 items per bulk call');
export const bulkParams = z.object({ ...base, items: bulkItems, dryRun: boolish.optional() });

export type ListParams = z.infer<typeof listParams>;
export type ObjectParams = z.infer<typeof objectParams>;
