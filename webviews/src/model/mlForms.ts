// The checks of the training-job and inference-service forms, as the user types: each turns a field's text into a
// value or a sentence saying what is wrong (validate.ts's contract). Also the example request bodies of the test panel
// and the shell-like split of a command line. Pure, unit-tested.
import { STORAGE_URI } from '../../../src/shared/routes/integrations';
import type { Checked } from './validate';

/** A name the API server accepts for an object (RFC 1035 label: a letter first, as TrainJob requires). */
export function objectName(text: string, what: string, max = 63): Checked<string> {
  const t = text.trim();
  if (!t) return { ok: false, error: `Enter a name for the ${what}` };
  if (t.length > max) return { ok: false, error: `Too long: at most ${max} characters` };
  if (/[A-Z]/.test(t)) return { ok: false, error: 'Use lower-case letters: Kubernetes names are lower-case' };
  if (/[_.\s]/.test(t)) return { ok: false, error: 'Use "-" between words (no spaces, dots or underscores)' };
  if (!/^[a-z]/.test(t)) return { ok: false, error: 'Start with a letter' };
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(t))
    return { ok: false, error: 'Use lower-case letters, digits and "-", ending with a letter or digit' };
  return { ok: true, value: t };
}

/** A container image reference: `[registry[:port]/]repo/name[:tag][@digest]`. */
export function imageRef(text: string): Checked<string> {
  const t = text.trim();
  if (!t)
    return { ok: false, error: 'Enter the image to run, e.g. docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727' };
  if (/\s/.test(t)) return { ok: false, error: 'An image reference has no spaces' };
  const at = t.indexOf('@');
  const named = at < 0 ? t : t.slice(0, at);
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const tag = colon > slash ? named.slice(colon + 1) : undefined;
  const repo = colon > slash ? named.slice(0, colon) : named;
  const parts = repo.split('/');
  // The first part is a registry when it looks like a host (a dot, a port, or localhost).
  const registry = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts.shift() : undefined;
  if (registry !== undefined && !/^[A-Za-z0-9.-]+(:[0-9]+)?$/.test(registry))
    return { ok: false, error: `"${registry}" is not a registry host` };
  const path = parts.join('/');
  if (/[A-Z]/.test(path)) return { ok: false, error: 'Use lower-case letters in the repository name' };
  if (!/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(path))
    return { ok: false, error: 'Not an image reference: use registry/name:tag' };
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag))
    return { ok: false, error: 'A tag has letters, digits, "_", "." and "-" (at most 128)' };
  const digest = at < 0 ? undefined : t.slice(at + 1);
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest))
    return { ok: false, error: 'A digest is sha256: followed by 64 hex digits' };
  return { ok: true, value: t };
}

/** A resource quantity as the API server parses it (what the route accepts: 500m, 2, 1.5, 512Mi, 16Gi). */
export function quantity(text: string, resource: 'cpu' | 'memory'): Checked<string | undefined> {
  const t = text.trim();
  if (!t) return { ok: true, value: undefined };
  const example = resource === 'cpu' ? '2 or 500m' : '512Mi or 16Gi';
  if (/^-/.test(t)) return { ok: false, error: `Cannot be negative: use e.g. ${example}` };
  if (/\s/.test(t)) return { ok: false, error: `No space between number and unit: e.g. ${example}` };
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(t);
  if (!m) {
    if (/^[0-9.]+[a-zA-Z]+$/.test(t)) return { ok: false, error: `Unknown unit: use e.g. ${example}` };
    return { ok: false, error: `Not a quantity: use e.g. ${example}` };
  }
  if (Number(m[1]) === 0) return { ok: false, error: 'Must be more than 0 (leave empty for no request)' };
  if (resource === 'memory' && m[2] === 'm')
    return { ok: false, error: '"m" means thousandths of a byte: use Mi (mebibytes) or Gi' };
  if (resource === 'cpu' && m[2] && m[2] !== 'm')
    return { ok: false, error: 'CPU is counted in cores (2) or millicores (500m)' };
  return { ok: true, value: t };
}

/** Splits a command line as a shell would into argv (quotes group, backslash escapes); empty text is no command. */
export function commandLine(text: string): Checked<string[] | undefined> {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += ch;
  }
  if (quote) return { ok: false, error: `Close the ${quote === '"' ? 'double' : 'single'} quote` };
  if (has || cur) out.push(cur);
  return { ok: true, value: out.length ? out : undefined };
}

/** A model location KServe's storage initializer can fetch (the server checks the same pattern). */
export function storageUri(text: string): Checked<string> {
  const t = text.trim();
  if (!t)
    return {
      ok: false,
      error: 'Enter where the model is stored, e.g. gs://kfserving-examples/models/sklearn/1.0/model',
    };
  if (/\s/.test(t)) return { ok: false, error: 'A URI has no spaces' };
  if (!/^[a-z0-9+.-]+:\/\//i.test(t))
    return { ok: false, error: 'Start with a scheme: gs://, s3://, pvc://, hf://, oci:// or https://' };
  if (!STORAGE_URI.test(t))
    return { ok: false, error: 'KServe loads models from gs://, s3://, pvc://, hf://, oci://, http(s):// or hdfs://' };
  return { ok: true, value: t };
}

export type Protocol = 'v1' | 'v2';

const IRIS = [
  [6.8, 2.8, 4.8, 1.4],
  [6.0, 3.4, 4.5, 1.6],
];

const flat = (v: unknown) => v === null || typeof v !== 'object';
const inline = (v: unknown) => Array.isArray(v) && v.every((x) => flat(x) || (Array.isArray(x) && x.every(flat)));

/** JSON indented by 2, but tensors (arrays of numbers, rows of numbers) kept on one line each: `[[6.8, 2.8], …]`. */
export function prettyJson(v: unknown, indent = ''): string {
  if (inline(v))
    return `[${(v as unknown[]).map((x) => (Array.isArray(x) ? `[${x.map((y) => JSON.stringify(y)).join(', ')}]` : JSON.stringify(x))).join(', ')}]`;
  const inner = `${indent}  `;
  if (Array.isArray(v))
    return v.length ? `[\n${v.map((x) => inner + prettyJson(x, inner)).join(',\n')}\n${indent}]` : '[]';
  if (v && typeof v === 'object') {
    const e = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return e.length
      ? `{\n${e.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${prettyJson(x, inner)}`).join(',\n')}\n${indent}}`
      : '{}';
  }
  return JSON.stringify(v);
}

/** A request body the model can answer: the iris rows of KServe's sklearn sample in the protocol's shape. */
export function exampleBody(protocol: Protocol): string {
  const body =
    protocol === 'v1'
      ? { instances: IRIS }
      : { inputs: [{ name: 'input-0', shape: [IRIS.length, IRIS[0].length], datatype: 'FP32', data: IRIS }] };
  return prettyJson(body);
}

/** The offset where a JSON text stops being JSON, and why (engines word and place parse errors differently). */
function jsonError(text: string): { at: number; why: string } {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (why: string): never => {
    throw { at: i, why: i >= text.length ? 'it ends too early (a bracket or quote is not closed)' : why };
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a "quoted" key');
        str();
        ws();
        if (text[i] !== ':') fail('expected ":" after the key');
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail('expected "," or "}"');
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail('expected "," or "]"');
      }
    } else if (ch === '"') str();
    else {
      const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
      if (!m) fail(ch === "'" ? 'strings take double quotes' : `unexpected "${ch}"`);
      i += m![0].length;
    }
  };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('a string does not span lines');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('');
    i++;
  };
  try {
    value();
    ws();
    if (i < text.length) fail('unexpected text after the end');
  } catch (e) {
    return e as { at: number; why: string };
  }
  return { at: 0, why: 'not valid JSON' };
}

/** "Not valid JSON at line 3, column 7: expected "," or "]"". */
function jsonProblem(text: string): string {
  const { at, why } = jsonError(text);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `Not valid JSON at line ${line}, column ${before.length - before.lastIndexOf('\n')}: ${why}`;
}

/** The test panel's body: JSON in the shape the chosen protocol asks for. */
export function requestBody(text: string, protocol: Protocol): Checked<Record<string, unknown>> {
  if (!text.trim()) return { ok: false, error: 'Enter a JSON request body' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, error: jsonProblem(text) };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    return { ok: false, error: 'The body is a JSON object: {"instances": [...]} or {"inputs": [...]}' };
  const o = v as Record<string, unknown>;
  if (protocol === 'v1') {
    if (!Array.isArray(o.instances) && !Array.isArray(o.inputs))
      return {
        ok: false,
        error: 'A V1 request has "instances": a list of inputs, e.g. {"instances": [[6.8, 2.8, 4.8, 1.4]]}',
      };
    return { ok: true, value: o };
  }
  if (!Array.isArray(o.inputs) || !o.inputs.length)
    return { ok: false, error: 'A V2 request has "inputs": a list of tensors with name, shape, datatype and data' };
  for (const [i, t] of (o.inputs as unknown[]).entries()) {
    const x = (t ?? {}) as Record<string, unknown>;
    const missing = ['name', 'shape', 'datatype', 'data'].filter((k) => x[k] === undefined);
    if (missing.length) return { ok: false, error: `Input ${i + 1} needs ${missing.join(', ')}` };
    if (!Array.isArray(x.shape) || !x.shape.every((n) => Number.isInteger(n) && (n as number) >= 0))
      return { ok: false, error: `Input ${i + 1}: "shape" is a list of whole numbers, e.g. [2, 4]` };
  }
  return { ok: true, value: o };
}
