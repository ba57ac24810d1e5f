// Row filters for resource tables: free text, a Kubernetes label selector, and a set of statuses. Pure and DOM-free.

export type Requirement =
  | { key: string; op: 'exists' | 'notExists' }
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const KEY_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses: `app in (a,b), tier=web`. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter(Boolean);
}

/** Parses the selector syntax kubectl accepts (`a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`). */
export function parseLabelSelector(input: string): Parsed<Requirement[]> {
  const reqs: Requirement[] = [];
  for (const part of splitTop(input)) {
    let m: RegExpMatchArray | null;
    let req: Requirement;
    if ((m = part.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3]
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      if (!values.length) return { ok: false, error: `"${part}": give at least one value in the parentheses` };
      req = { key: m[1], op: m[2] as 'in' | 'notin', values };
    } else if ((m = part.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      req = { key: m[1], op: m[2] === '!=' ? 'neq' : 'eq', value: m[3] };
    } else if ((m = part.match(/^!\s*(\S+)$/))) {
      req = { key: m[1], op: 'notExists' };
    } else if ((m = part.match(/^(\S+)$/))) {
      req = { key: m[1], op: 'exists' };
    } else {
      return {
        ok: false,
        error: `"${part}" is not a label requirement (try app=web, tier!=db, env in (a,b), !canary)`,
      };
    }
    if (!KEY_RE.test(req.key)) return { ok: false, error: `"${req.key}" is not a valid label key` };
    const values = 'value' in req ? [req.value] : 'values' in req ? req.values : [];
    const bad = values.find((v) => !VALUE_RE.test(v) || v.length > 63);
    if (bad !== undefined) return { ok: false, error: `"${bad}" is not a valid label value` };
    reqs.push(req);
  }
  return { ok: true, value: reqs };
}

export function matchesLabels(
  reqs: readonly Requirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case 'notExists':
        if (has) return false;
        break;
      case 'eq':
        if (!has || v !== r.value) return false;
        break;
      case 'neq':
        if (has && v === r.value) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(v)) return false;
        break;
    }
  }
  return true;
}

export interface FilterInput {
  text: string;
  labelSelector: string;
  /** Empty = any status. */
  statuses: readonly string[];
}

export interface Filterable {
  name: string;
  namespace?: string;
  labels?: Readonly<Record<string, string>>;
  status?: string;
  /** Every displayed cell, so text search finds what the user sees (node, IP, image...). */
  search: string;
}

export interface CompiledFilter {
  test: (r: Filterable) => boolean;
  /** Set when the label selector does not parse; the table shows it instead of silently matching nothing. */
  error?: string;
  active: boolean;
}

/**
 * Text terms are AND-ed and case-insensitive; a term `key:value` is a shortcut for a field
 * (`ns:kube-system`, `status:Running`, `label:app=web`), so one search box can do everything.
 */
export function compileFilter(f: FilterInput): CompiledFilter {
  const terms: string[] = [];
  const nsTerms: string[] = [];
  const statusTerms: string[] = [];
  const selectorParts: string[] = f.labelSelector.trim() ? [f.labelSelector.trim()] : [];
  for (const raw of f.text.trim().split(/\s+/).filter(Boolean)) {
    const m = raw.match(/^(ns|namespace|status|label|l):(.+)$/i);
    if (!m) terms.push(raw.toLowerCase());
    else if (/^(ns|namespace)$/i.test(m[1])) nsTerms.push(m[2].toLowerCase());
    else if (/^status$/i.test(m[1])) statusTerms.push(m[2].toLowerCase());
    else selectorParts.push(m[2]);
  }
  const parsed = parseLabelSelector(selectorParts.join(','));
  const reqs = parsed.ok ? parsed.value : [];
  const statuses = new Set(f.statuses.map((s) => s.toLowerCase()));
  const active = terms.length + nsTerms.length + statusTerms.length + reqs.length + statuses.size > 0;
  const test = (r: Filterable): boolean => {
    const st = (r.status ?? '').toLowerCase();
    if (statuses.size && !statuses.has(st)) return false;
    for (const s of statusTerms) if (!st.includes(s)) return false;
    for (const n of nsTerms) if (!(r.namespace ?? '').toLowerCase().includes(n)) return false;
    if (terms.length) {
      const hay = r.search;
      for (const t of terms) if (!hay.includes(t)) return false;
    }
    return matchesLabels(reqs, r.labels);
  };
  return parsed.ok ? { test, active } : { test: () => false, active: true, error: parsed.error };
}
