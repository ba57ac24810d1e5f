// Server-side field validation (the `fieldValidation` query parameter): fields the kind's schema does not declare are
// an error under Strict, a `Warning:` header under Warn (the server's default), and dropped silently under Ignore —
// in every mode but Strict they never reach storage, as the API server's decoder drops them.
import type { ServerResponse } from 'node:http';
import type { ResourceRequest, SimContext } from './context';
import type { KObj } from './store';
import { kindSchemaOf } from './openapi';
import { StatusError, invalid } from './status';

type Schema = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const MODES = ['Ignore', 'Warn', 'Strict'] as const;
export type FieldValidation = (typeof MODES)[number];

const isMap = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The request's directive; an unknown value is 422 Invalid on the request's options, as the server words it. */
export function fieldValidationOf(r: ResourceRequest): FieldValidation {
  const v = r.url.searchParams.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if ((MODES as readonly string[]).includes(v)) return v as FieldValidation;
  const options = r.verb === 'create' ? 'CreateOptions' : r.verb === 'update' ? 'UpdateOptions' : 'PatchOptions';
  throw invalid(options, 'meta.k8s.io', '', [
    {
      reason: 'FieldValueNotSupported',
      field: 'fieldValidation',
      message: `Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`,
    },
  ]);
}

function deref(s: Schema | undefined, components: Record<string, Schema>): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && i < 8; i++) {
    const ref =
      (cur.$ref as string | undefined) ?? ((cur.allOf as Schema[] | undefined)?.[0]?.$ref as string | undefined);
    if (!ref) break;
    cur = components[ref.replace('#/components/schemas/', '')];
  }
  return cur;
}

/** Paths of undeclared fields (`spec.template.spec.containers[0].foo`); `drop` removes them from `v` as it goes. */
export function unknownFields(
  v: Json,
  schema: Schema | undefined,
  components: Record<string, Schema>,
  drop: boolean,
  path = '',
  out: string[] = [],
): string[] {
  const s = deref(schema, components);
  if (!s) return out;
  if (Array.isArray(v)) {
    const items = s.items as Schema | undefined;
    if (items) v.forEach((x, i) => unknownFields(x, items, components, drop, `${path}[${i}]`, out));
    return out;
  }
  if (!isMap(v)) return out;
  const props = s.properties as Record<string, Schema> | undefined;
  const additional = s.additionalProperties;
  const open = s['x-kubernetes-preserve-unknown-fields'] === true;
  for (const k of Object.keys(v)) {
    const sub = path ? `${path}.${k}` : k;
    if (props && k in props) unknownFields(v[k], props[k], components, drop, sub, out);
    else if (isMap(additional)) unknownFields(v[k], additional as Schema, components, drop, sub, out);
    else if (props && !open && additional !== true) {
      out.push(sub);
      if (drop) delete v[k];
    }
  }
  return out;
}

/**
 * Checks `o` (a create/update body or a patch's result) against the kind's schema. Strict throws 400 BadRequest
 * with the decoder's message; Warn adds one `Warning` header per field; unknown fields are dropped otherwise.
 */
export function checkFields(
  ctx: SimContext,
  r: ResourceRequest,
  res: ServerResponse,
  o: KObj,
  how: 'decode' | 'patch' | 'apply',
): void {
  const mode = fieldValidationOf(r);
  const { schema, components } = kindSchemaOf(ctx, r.rt);
  const found = unknownFields(o, schema, components, mode !== 'Strict');
  if (!found.length) return;
  if (mode === 'Strict') {
    const list = found.map((f) => `unknown field "${f}"`).join(', ');
    if (how === 'apply') {
      const id = `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`;
      throw new StatusError(
        400,
        'BadRequest',
        `failed to create typed patch object (${id}; ${r.rt.group ? `${r.rt.group}/` : ''}${r.rt.version}, Kind=${r.rt.kind}): ${found.map((f) => `.${f}: field not declared in schema`).join(', ')}`,
      );
    }
    if (how === 'patch') throw new StatusError(400, 'BadRequest', `strict decoding error: ${list}`);
    throw new StatusError(
      400,
      'BadRequest',
      `${r.rt.kind} in version "${r.rt.version}" cannot be handled as a ${r.rt.kind}: strict decoding error: ${list}`,
    );
  }
  if (mode === 'Warn') {
    const prev = res.getHeader('Warning');
    const warnings = (Array.isArray(prev) ? prev : prev ? [String(prev)] : []).concat(
      found.map((f) => `299 - ${JSON.stringify(`unknown field "${f}"`)}`),
    );
    res.setHeader('Warning', warnings);
  }
}
