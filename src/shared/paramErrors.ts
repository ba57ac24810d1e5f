// Parameter problems in plain words, naming the field: "replicas must be a whole number", never a validator's
// "Invalid input: expected int, received number". The server and the webview bridge word their 400s with
// `describeIssues`; `plainMessage` is the webview's safety net for text that still reads like a validator's.

/** The parts of a zod issue we read (kept structural: this folder imports nothing of ours and no validator). */
export interface ParamIssue {
  code?: string;
  path?: ReadonlyArray<PropertyKey>;
  message: string;
  expected?: unknown;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  values?: ReadonlyArray<unknown>;
  keys?: ReadonlyArray<string>;
  errors?: ReadonlyArray<ReadonlyArray<ParamIssue>>;
}

const missing = (i: ParamIssue): boolean =>
  /received undefined/.test(i.message) ||
  (i.code === 'invalid_union' && !!i.errors?.length && i.errors.every((b) => b.every(missing)));

const VALIDATOR_WORDS = /^(Invalid|Too (small|big)|Expected|Required|Unrecognized)/;

const KIND_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** One issue as a phrase that starts with the field's name. */
export function describeIssue(i: ParamIssue): string {
  const field = i.path?.length ? i.path.map(String).join('.') : 'the request';
  const n = (v: number | bigint | undefined) => String(v ?? '');
  if (missing(i)) return `${field} is required`;
  // Our own schema messages are written for people ("must be a namespace name…", "YAML is empty"); keep them.
  if (i.code !== 'invalid_union' && !VALIDATOR_WORDS.test(i.message))
    return /^(must|is|needs|has) /.test(i.message) ? `${field} ${i.message}` : i.message;
  switch (i.code) {
    case 'invalid_type':
      return `${field} must be ${KIND_WORDS[String(i.expected)] ?? `a valid ${String(i.expected)}`}`;
    case 'too_small':
      if (i.origin === 'string')
        return Number(i.minimum) <= 1
          ? `${field} must not be empty`
          : `${field} must be at least ${n(i.minimum)} characters`;
      if (i.origin === 'array' || i.origin === 'set')
        return `${field} needs at least ${n(i.minimum)} item${Number(i.minimum) === 1 ? '' : 's'}`;
      return i.inclusive === false
        ? `${field} must be more than ${n(i.minimum)}`
        : `${field} must be ${n(i.minimum)} or more`;
    case 'too_big':
      if (i.origin === 'string') return `${field} must be at most ${n(i.maximum)} characters`;
      if (i.origin === 'array' || i.origin === 'set')
        return `${field} takes at most ${n(i.maximum)} item${Number(i.maximum) === 1 ? '' : 's'}`;
      return i.inclusive === false
        ? `${field} must be less than ${n(i.maximum)}`
        : `${field} must be at most ${n(i.maximum)}`;
    case 'invalid_value':
      return i.values?.length
        ? `${field} must be one of ${i.values.map((v) => String(v)).join(', ')}`
        : `${field} has a value that is not allowed`;
    case 'unrecognized_keys':
      return `unknown field${(i.keys?.length ?? 0) > 1 ? 's' : ''} ${(i.keys ?? []).join(', ')}`;
    case 'invalid_union': {
      // A number-or-string field (query strings carry numbers as text): the string branch's message is the useful one.
      const branch = i.errors?.flat().find((e) => !/^Invalid|^Too /.test(e.message));
      return branch ? `${field} ${branch.message}` : `${field} is not valid`;
    }
  }
  return `${field} is not valid`;
}

/** Every issue, in one sentence a user can act on. */
export function describeIssues(issues: ReadonlyArray<ParamIssue>): string {
  const parts = [...new Set(issues.map(describeIssue))];
  if (!parts.length) return 'The request was not valid';
  const text = parts.join('; ');
  return text[0].toUpperCase() + text.slice(1);
}

/** Rewrites validator and transport phrasing that reached a message anyway (older servers, other engines). */
export function plainMessage(message: string): string {
  let m = message
    // "invalid parameters for deployment.scale: " / "invalid parameters for POST /api/x: " — the route id says nothing to a user.
    .replace(/^invalid parameters(?: for [^:]+)?:\s*/i, '')
    .replace(/Invalid input: expected (\w+), received undefined/g, 'is required')
    .replace(
      /Invalid input: expected (\w+), received \w+/g,
      (_, k: string) => `must be ${KIND_WORDS[k] ?? `a valid ${k}`}`,
    )
    .replace(/Too small: expected \w+ to (?:be|have) >=\s*(\S+?)(?: characters| items)?$/gm, 'must be $1 or more')
    .replace(/Too big: expected \w+ to (?:be|have) <=\s*(\S+?)(?: characters| items)?$/gm, 'must be at most $1')
    .replace(/Too small: expected \w+ to (?:be|have) >\s*(\S+)/g, 'must be more than $1')
    .replace(/Too big: expected \w+ to (?:be|have) <\s*(\S+)/g, 'must be less than $1')
    .replace(/Invalid (?:input|option)[^;]*/g, 'is not valid')
    // "replicas: must be…" → "replicas must be…"
    .replace(/(^|;\s*)([\w.[\]]+): (must|is|needs|takes|has) /g, '$1$2 $3 ')
    .replace(/\(params\)\s*/g, '');
  m = m.replace(/\bHTTP \d{3}\b:?\s*/g, '').trim();
  // Messages that needed no rewording are the engine's own words: keep them exactly.
  if (m === message) return message;
  return m ? m[0].toUpperCase() + m.slice(1) : message;
}
