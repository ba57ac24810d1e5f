// Query parameters, decoded the way the API server's parameter codec (apimachinery's url.Values conversions) decodes
// them, so every client's spelling works: `watch=True`, `stdout=1`, `follow=` all mean true; only an absent
// parameter, `0` or `false` in any case mean false. Integers are Go's strconv.ParseInt (base 10, optional sign, 64-bit)
// and a bad one is a 400 whose message is the conversion error, as the real server words it. The first value of a
// repeated parameter wins, except for lists (`command`, `dryRun`, `ports`).
import { badRequest, invalid, type StatusCause } from './status';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, bits), with its error text. */
function parseGoInt(s: string, bits = 64, fn = 'ParseInt'): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.${fn}: parsing ${JSON.stringify(s)}: invalid syntax`);
  const v = BigInt(s);
  const [min, max] = bits === 64 ? [INT64_MIN, INT64_MAX] : [-(2n ** BigInt(bits - 1)), 2n ** BigInt(bits - 1) - 1n];
  if (v < min || v > max) throw new Error(`strconv.${fn}: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(v);
}

/** Go's strconv.ParseUint(s, 10, bits). */
function parseGoUint(s: string, bits: number): number {
  if (!/^\d+$/.test(s)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  const v = BigInt(s);
  if (v > 2n ** BigInt(bits) - 1n)
    throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(v);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export class Params {
  constructor(readonly q: URLSearchParams) {}

  static of(url: URL): Params {
    return new Params(url.searchParams);
  }

  has(name: string): boolean {
    return this.q.has(name);
  }

  /** The first value; undefined when absent (an empty value is ""). */
  string(name: string): string | undefined {
    return this.q.get(name) ?? undefined;
  }

  /** Every value of a repeated parameter (`command=sh&command=-c`). */
  strings(name: string): string[] {
    return this.q.getAll(name);
  }

  /** Convert_Slice_string_To_bool: absent, `0` and `false` (any case) are false; anything else, even "", is true. */
  bool(name: string): boolean {
    const v = this.q.get(name);
    if (v === null) return false;
    return !(v === '0' || v.toLowerCase() === 'false');
  }

  /** A *bool field (sendInitialEvents, orphanDependents): undefined when absent. */
  optBool(name: string): boolean | undefined {
    return this.q.has(name) ? this.bool(name) : undefined;
  }

  /** Convert_Slice_string_To_Pointer_int64: undefined when absent; `?limit=` or `?limit=x` is a 400. */
  int(name: string): number | undefined {
    const v = this.q.get(name);
    if (v === null) return undefined;
    try {
      return parseGoInt(v);
    } catch (e) {
      throw badRequest((e as Error).message);
    }
  }

  /** metav1.Time in a query (sinceTime): RFC 3339; "" and "null" mean unset. */
  time(name: string): number | undefined {
    const v = this.q.get(name);
    if (v === null || v === '' || v === 'null') return undefined;
    const t = RFC3339.test(v) ? Date.parse(v) : NaN;
    if (!Number.isFinite(t))
      throw badRequest(
        `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"`,
      );
    return t;
  }

  /** Convert_Slice_string_To_Slice_int32 for port-forward: repeated and/or comma-separated 16-bit ports. */
  ports(name = 'ports'): number[] {
    const out: number[] = [];
    for (const s of this.q.getAll(name))
      for (const p of s.split(',')) {
        try {
          out.push(parseGoUint(p, 16));
        } catch (e) {
          throw badRequest(`cannot convert to []int32: ${(e as Error).message}`);
        }
      }
    return out;
  }
}

const notSupported = (field: string, value: string, supported: string[]): StatusCause => ({
  reason: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});
const forbiddenCause = (field: string, message: string): StatusCause => ({
  reason: 'FieldValueForbidden',
  field,
  message: `Forbidden: ${message}`,
});

export interface ListParams {
  watch: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  /** Absent unless the client set it (a *bool in ListOptions). */
  sendInitialEvents?: boolean;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  limit: number;
  continue?: string;
}

/** ListOptions for list and watch, decoded and then validated as ValidateListOptions does (422 on bad combinations). */
export function listParams(p: Params): ListParams {
  const o: ListParams = {
    watch: p.bool('watch'),
    labelSelector: p.string('labelSelector'),
    fieldSelector: p.string('fieldSelector'),
    resourceVersion: p.string('resourceVersion') || undefined,
    resourceVersionMatch: p.string('resourceVersionMatch') || undefined,
    sendInitialEvents: p.optBool('sendInitialEvents'),
    allowWatchBookmarks: p.bool('allowWatchBookmarks'),
    timeoutSeconds: p.int('timeoutSeconds'),
    limit: p.int('limit') ?? 0,
    continue: p.string('continue') || undefined,
  };
  const errs: StatusCause[] = [];
  const match = o.resourceVersionMatch;
  if (o.watch) {
    if (o.sendInitialEvents !== undefined && match !== 'NotOlderThan')
      errs.push(
        forbiddenCause(
          'resourceVersionMatch',
          'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
        ),
      );
    if (match) {
      if (o.sendInitialEvents === undefined)
        errs.push(
          forbiddenCause(
            'resourceVersionMatch',
            'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
          ),
        );
      if (match !== 'NotOlderThan') errs.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (o.continue)
        errs.push(
          forbiddenCause('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
        );
    }
  } else {
    if (match) {
      if (!o.resourceVersion)
        errs.push(
          forbiddenCause(
            'resourceVersionMatch',
            'resourceVersionMatch is forbidden unless resourceVersion is provided',
          ),
        );
      if (o.continue)
        errs.push(
          forbiddenCause('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'),
        );
      if (match !== 'Exact' && match !== 'NotOlderThan')
        errs.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
      if (match === 'Exact' && o.resourceVersion === '0')
        errs.push(
          forbiddenCause('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'),
        );
    }
    if (o.sendInitialEvents !== undefined)
      errs.push(forbiddenCause('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  if (errs.length) throw invalid('ListOptions', 'meta.k8s.io', '', errs);
  if (o.limit < 0) o.limit = 0; // a negative limit means "no limit", as the storage layer treats it
  return o;
}

/** `dryRun`: only `All` is defined; anything else is 422 on the verb's options kind. */
export function dryRunParam(p: Params, optionsKind: string): boolean {
  const values = p.strings('dryRun');
  const bad = values.filter((v) => v !== 'All');
  if (bad.length)
    throw invalid(optionsKind, 'meta.k8s.io', '', [
      {
        reason: 'FieldValueNotSupported',
        field: 'dryRun',
        message: `Unsupported value: []string{${values.map((v) => JSON.stringify(v)).join(', ')}}: supported values: "All"`,
      },
    ]);
  return values.length > 0;
}

export interface DeleteParams {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/**
 * DeleteOptions: from the body when there is one (the query is then ignored, as the API server does), else from the
 * query; validated as ValidateDeleteOptions does. orphanDependents is folded into propagationPolicy (true → Orphan).
 */
export function deleteParams(p: Params, body: Buffer): DeleteParams {
  let o: DeleteParams;
  if (body.length) {
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw badRequest(`the body of the request was not valid DeleteOptions JSON: ${(e as Error).message}`);
    }
    if (!b || typeof b !== 'object' || Array.isArray(b))
      throw badRequest('the body of the request must be a JSON object');
    const dry = (b.dryRun as string[] | undefined) ?? [];
    o = {
      gracePeriodSeconds: typeof b.gracePeriodSeconds === 'number' ? b.gracePeriodSeconds : undefined,
      propagationPolicy: typeof b.propagationPolicy === 'string' ? b.propagationPolicy : undefined,
      orphanDependents: typeof b.orphanDependents === 'boolean' ? b.orphanDependents : undefined,
      dryRun: dryRunValues(dry),
      preconditions: (b.preconditions as DeleteParams['preconditions']) ?? undefined,
    };
  } else {
    o = {
      gracePeriodSeconds: p.int('gracePeriodSeconds'),
      propagationPolicy: p.string('propagationPolicy') || undefined,
      orphanDependents: p.optBool('orphanDependents'),
      dryRun: dryRunParam(p, 'DeleteOptions'),
    };
  }
  const errs: StatusCause[] = [];
  if (o.orphanDependents !== undefined && o.propagationPolicy !== undefined)
    errs.push({
      reason: 'FieldValueInvalid',
      field: 'propagationPolicy',
      message: `Invalid value: ${JSON.stringify(o.propagationPolicy)}: orphanDependents and deletionPropagation cannot be both set`,
    });
  if (o.propagationPolicy !== undefined && !['Foreground', 'Background', 'Orphan'].includes(o.propagationPolicy))
    errs.push(notSupported('propagationPolicy', o.propagationPolicy, ['Foreground', 'Background', 'Orphan', 'nil']));
  if (errs.length) throw invalid('DeleteOptions', 'meta.k8s.io', '', errs);
  if (o.orphanDependents !== undefined) o.propagationPolicy = o.orphanDependents ? 'Orphan' : 'Background';
  return o;
}

function dryRunValues(values: string[]): boolean {
  if (!Array.isArray(values) || values.some((v) => v !== 'All'))
    throw invalid('DeleteOptions', 'meta.k8s.io', '', [
      {
        reason: 'FieldValueNotSupported',
        field: 'dryRun',
        message: `Unsupported value: []string{${(Array.isArray(values) ? values : [String(values)]).map((v) => JSON.stringify(v)).join(', ')}}: supported values: "All"`,
      },
    ]);
  return values.length > 0;
}

export interface ExecParams {
  command: string[];
  container?: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** PodExecOptions / PodAttachOptions. */
export function execParams(p: Params): ExecParams {
  return {
    command: p.strings('command'),
    container: p.string('container') || undefined,
    stdin: p.bool('stdin'),
    stdout: p.bool('stdout'),
    stderr: p.bool('stderr'),
    tty: p.bool('tty'),
  };
}

export interface LogParams {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: number;
  limitBytes?: number;
}

/** PodLogOptions, decoded then validated as ValidatePodLogOptions does. */
export function logParams(p: Params): LogParams {
  const o: LogParams = {
    container: p.string('container') || undefined,
    follow: p.bool('follow'),
    previous: p.bool('previous'),
    timestamps: p.bool('timestamps'),
    tailLines: p.int('tailLines'),
    sinceSeconds: p.int('sinceSeconds'),
    sinceTime: p.time('sinceTime'),
    limitBytes: p.int('limitBytes'),
  };
  if (o.tailLines !== undefined && o.tailLines < 0)
    throw badRequest('PodLogOptions "" is invalid: tailLines: Invalid value: must be greater than or equal to 0');
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined)
    throw badRequest('at most one of sinceTime or sinceSeconds may be specified');
  if (o.sinceSeconds !== undefined && o.sinceSeconds < 1)
    throw badRequest('PodLogOptions "" is invalid: sinceSeconds: Invalid value: must be greater than 0');
  if (o.limitBytes !== undefined && o.limitBytes < 1)
    throw badRequest('PodLogOptions "" is invalid: limitBytes: Invalid value: must be greater than 0');
  return o;
}
