// The privacy step every byte passes before it goes to an AI provider (see the guide's "recommended pipeline"):
// objects lose Secret values, managed fields, last-applied copies and sensitive env/args/ConfigMap values; all text
// (logs and events included) is scanned for keys, tokens and credentials. Emails and public IPs become stable local
// placeholders (`<email-1>`, `<ip-1>`) that `restore` turns back in the answer the user sees; private (RFC 1918)
// addresses stay, since they say where a pod runs and nothing about who.

/** Key and flag names whose values are credentials (derived from gitleaks' generic-api-key keyword list). */
export const SENSITIVE_NAME =
  /(passw(or)?d|secret|token|api[_-]?key|access[_-]?key|credential|creds|auth|private[_-]?key|conn(ection)?[_-]?string|dsn|client-key|certificate-data)/i;

/** Annotations that carry whole copies of an object (a Secret's data included). */
const COPY_ANNOTATIONS =
  /^(kubectl\.kubernetes\.io\/last-applied-configuration|kapp\.k14s\.io\/original|meta\.helm\.sh\/.*-values)$/;

const REDACTED = '[redacted]';

interface Scanner {
  name: string;
  re: RegExp;
  /** Replacement; `$1` keeps a captured prefix (the `Authorization: Bearer ` part). */
  to: string;
  /** Matches that name a reference (`secretName: x`), not a value: kept. */
  keep?: (prefix: string) => boolean;
}

/** Keys that refer to a credential rather than hold one: `secretName`, `secretKeyRef`, `tokenExpirationSeconds`. */
const REFERENCE_KEY =
  /(name|names|ref|kind|type|path|mode|namespace|seconds|enabled|file|issuer|audience|expiration)["']?\s*[:=]?\s*["']?$/i;

// Order matters: whole blocks before the token patterns that would match inside them.
const SCANNERS: Scanner[] = [
  {
    name: 'private key',
    re: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----|$)/g,
    to: '[redacted private key]',
  },
  { name: 'private key header', re: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY[^\n]*/g, to: '[redacted private key]' },
  {
    name: 'bearer token',
    re: /\b((?:authorization|proxy-authorization)\s*[:=]\s*["']?(?:bearer|basic|token)\s+)[^\s"',;]+/gi,
    to: `$1${REDACTED}`,
  },
  { name: 'bearer', re: /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, to: `$1${REDACTED}` },
  { name: 'jwt', re: /\bey[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g, to: '[redacted jwt]' },
  { name: 'url credentials', re: /\b([a-z][a-z0-9+.-]{1,20}:\/\/)[^\s:/@"'<>]+:[^\s@/"'<>]+@/gi, to: `$1${REDACTED}@` },
  { name: 'aws key', re: /\b(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g, to: '[redacted aws key]' },
  {
    name: 'github token',
    re: /\b(ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36}\b|\bgithub_pat_[0-9A-Za-z_]{22,}\b/g,
    to: '[redacted github token]',
  },
  { name: 'slack token', re: /\bxox[baprs]-[0-9A-Za-z-]{10,}/g, to: '[redacted slack token]' },
  { name: 'gcp api key', re: /\bAIza[\w-]{35}\b/g, to: '[redacted gcp key]' },
  { name: 'openai key', re: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g, to: '[redacted api key]' },
  // kubeconfig and docker config fields, in YAML (`token: x`) or JSON (`"token":"x"`) form.
  {
    name: 'kubeconfig credential',
    re: /(["']?\b(?:token|client-key-data|client-certificate-data|id-token|refresh-token|access-token|password|auth)["']?\s*[:=]\s*["']?)(?!\[redacted)[^\s"',}]{6,}/gi,
    to: `$1${REDACTED}`,
  },
  // `--password=x`, `PASSWORD=x`, `api_key: x` in logs, args and env dumps.
  {
    name: 'assignment',
    re: /((?:--?|\b)[A-Za-z0-9_.-]*(?:passw(?:or)?d|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)[A-Za-z0-9_.-]*\s*[=:]\s*["']?)(?!\[redacted)[^\s"',;}]{3,}/gi,
    to: `$1${REDACTED}`,
    keep: (prefix) => REFERENCE_KEY.test(prefix),
  },
];

const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;
const IPV4 = /\b((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})\b/g;

/** RFC 1918, loopback, link-local, CGNAT and unspecified: internal addresses we keep. */
export function isPrivateIp(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

export interface RedactorOptions {
  /** Replace emails with placeholders (default true). */
  emails?: boolean;
  /** Replace public IPv4 addresses with placeholders (default true). */
  publicIps?: boolean;
}

/**
 * One per conversation: its placeholder mapping stays stable across turns (the model can refer to `<ip-1>` later)
 * and never leaves the process.
 */
export class Redactor {
  /** Values replaced so far (a count, for the user and the audit, never the values). */
  count = 0;
  private readonly toToken = new Map<string, string>();
  private readonly fromToken = new Map<string, string>();
  private readonly counters = { email: 0, ip: 0 };

  constructor(private readonly o: RedactorOptions = {}) {}

  /** Scans free text: logs, events, messages, the user's own prompt. */
  text(s: string): string {
    let out = s;
    for (const sc of SCANNERS) {
      out = out.replace(sc.re, (...m: unknown[]) => {
        const prefix = typeof m[1] === 'string' ? m[1] : '';
        if (sc.keep?.(prefix)) return String(m[0]);
        this.count++;
        return sc.to.replace('$1', prefix);
      });
    }
    if (this.o.emails !== false) out = out.replace(EMAIL, (e) => this.placeholder('email', e.toLowerCase()));
    if (this.o.publicIps !== false)
      out = out.replace(IPV4, (ip) => (isPrivateIp(ip) ? ip : this.placeholder('ip', ip)));
    return out;
  }

  /** Sanitizes a Kubernetes object (or anything JSON) structurally, then scans every string in it. */
  value(v: unknown): unknown {
    return this.walk(this.structural(v), undefined);
  }

  /** The JSON text of `v` after redaction: what a tool result becomes before it is sent. */
  json(v: unknown, maxChars = 12_000): string {
    const s = JSON.stringify(this.value(v));
    return s.length > maxChars ? `${s.slice(0, maxChars)}… [truncated ${s.length - maxChars} characters]` : s;
  }

  /** Puts the real values back into text the model wrote (placeholders only; redacted secrets stay redacted). */
  restore(s: string): string {
    return s.replace(/<(email|ip)-(\d+)>/g, (t) => this.fromToken.get(t) ?? t);
  }

  private placeholder(kind: 'email' | 'ip', value: string): string {
    let t = this.toToken.get(value);
    if (!t) {
      t = `<${kind}-${++this.counters[kind]}>`;
      this.toToken.set(value, t);
      this.fromToken.set(t, value);
    }
    return t;
  }

  private walk(v: unknown, key: string | undefined): unknown {
    if (typeof v === 'string') {
      if (
        key &&
        SENSITIVE_NAME.test(key) &&
        !REFERENCE_KEY.test(key) &&
        v.length > 0 &&
        !v.startsWith('[redacted') &&
        !/^(\d+ bytes|value hidden)$/.test(v)
      ) {
        this.count++;
        return REDACTED;
      }
      return this.text(v);
    }
    if (Array.isArray(v)) return v.map((x) => this.walk(x, key));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.walk(x, k);
      return out;
    }
    return v;
  }

  /** Object-shape rules: what a Kubernetes object may never carry out, whatever its strings look like. */
  private structural(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.structural(x));
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const isSecret =
      o.kind === 'Secret' ||
      (o.kind === undefined &&
        typeof o.type === 'string' &&
        /^(Opaque|kubernetes\.io\/)/.test(String(o.type)) &&
        ('data' in o || 'stringData' in o));
    for (const [k, x] of Object.entries(o)) {
      if (k === 'managedFields') continue;
      if (isSecret && (k === 'data' || k === 'stringData') && x && typeof x === 'object') {
        // Keys and sizes only, as `kubectl describe secret` shows them.
        const entries = x && typeof x === 'object' ? Object.entries(x as Record<string, unknown>) : [];
        out[k === 'data' ? 'dataKeys' : 'stringDataKeys'] = Object.fromEntries(
          entries.map(([dk, dv]) => [
            dk,
            typeof dv === 'string' && dv !== '********'
              ? `${k === 'data' ? Math.floor((dv.length * 3) / 4) - (dv.endsWith('==') ? 2 : dv.endsWith('=') ? 1 : 0) : dv.length} bytes`
              : 'value hidden',
          ]),
        );
        if (entries.length) this.count += entries.length;
        continue;
      }
      if (k === 'binaryData' && x && typeof x === 'object') {
        // Opaque bytes: nothing a model can read, anything a key file could be.
        out.binaryDataKeys = Object.fromEntries(
          Object.entries(x as Record<string, unknown>).map(([bk, bv]) => [
            bk,
            typeof bv === 'string' ? `${Math.floor((bv.length * 3) / 4)} bytes` : 'value hidden',
          ]),
        );
        continue;
      }
      if (k === 'annotations' && x && typeof x === 'object') {
        const ann: Record<string, unknown> = {};
        for (const [ak, av] of Object.entries(x as Record<string, unknown>)) {
          if (COPY_ANNOTATIONS.test(ak)) {
            ann[ak] = '[removed: full object copy]';
            this.count++;
          } else ann[ak] = av;
        }
        out[k] = ann;
        continue;
      }
      if (k === 'env' && Array.isArray(x)) {
        out[k] = x.map((e) => {
          const ev = e as { name?: string; value?: unknown };
          if (
            ev &&
            typeof ev.value === 'string' &&
            ev.name &&
            SENSITIVE_NAME.test(ev.name) &&
            !REFERENCE_KEY.test(ev.name)
          ) {
            this.count++;
            return { ...ev, value: REDACTED };
          }
          return this.structural(e);
        });
        continue;
      }
      if ((k === 'args' || k === 'command') && Array.isArray(x)) {
        out[k] = redactArgs(x, () => this.count++);
        continue;
      }
      out[k] = this.structural(x);
    }
    return out;
  }
}

/** `--password secret` and `--password=secret`: the value after a sensitive flag goes. */
function redactArgs(args: unknown[], hit: () => void): unknown[] {
  const out: unknown[] = [];
  let nextIsValue = false;
  for (const a of args) {
    if (typeof a !== 'string') {
      out.push(a);
      continue;
    }
    if (nextIsValue && !a.startsWith('-')) {
      out.push(REDACTED);
      hit();
      nextIsValue = false;
      continue;
    }
    nextIsValue = false;
    const m = /^(--?[A-Za-z0-9_.-]+)(=)(.*)$/.exec(a);
    if (m && SENSITIVE_NAME.test(m[1])) {
      out.push(`${m[1]}=${REDACTED}`);
      hit();
    } else {
      if (/^--?[A-Za-z0-9_.-]+$/.test(a) && SENSITIVE_NAME.test(a)) nextIsValue = true;
      out.push(a);
    }
  }
  return out;
}

/** What the providers route tells the user is removed. */
export const REDACTION_RULES = [
  'Secret values (only key names and sizes are sent)',
  'managedFields and last-applied-configuration copies',
  'env values, args and fields whose names look like passwords, tokens, keys or credentials',
  'private keys, bearer tokens, JWTs, cloud and GitHub/Slack tokens, API keys, user:password@ in URLs, kubeconfig credentials',
  'emails and public IP addresses (replaced with placeholders, restored in the answer you see)',
];
