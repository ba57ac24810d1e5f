// Label selectors in the syntax kubectl and the API server read (`app=web,tier!=db,env in (a,b),!canary`): the one
// parser the engines, the simulator and the tables' filter box all use. Pure: no I/O, no DOM.

export type LabelRequirement =
  | { key: string; op: 'exists' | 'notExists' }
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The object form of Deployments, Services, PDBs...: what `{matchLabels, matchExpressions}` selectors look like. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

const KEY_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses: `app in (a,b), tier=web`. */
export function splitTopLevel(s: string): string[] {
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

/**
 * Parses `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`, comma-separated (AND). An empty selector is
 * no requirement. Keys and values are checked as the API server checks them; the error says what is wrong.
 */
export function parseLabelSelector(input: string): Parsed<LabelRequirement[]> {
  const reqs: LabelRequirement[] = [];
  for (const part of splitTopLevel(input)) {
    let m: RegExpMatchArray | null;
    let req: LabelRequirement;
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

/** Whether labels meet every requirement (`!=` and `notin` also hold when the label is absent, as in Kubernetes). */
export function matchesLabels(
  reqs: readonly LabelRequirement[],
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

/** The same requirements in the object form (equalities as matchLabels, the rest as matchExpressions). */
export function toSelectorObject(reqs: readonly LabelRequirement[]): Required<LabelSelectorObject> {
  const sel: Required<LabelSelectorObject> = { matchLabels: {}, matchExpressions: [] };
  for (const r of reqs) {
    if (r.op === 'eq') sel.matchLabels[r.key] = r.value;
    else if (r.op === 'neq') sel.matchExpressions.push({ key: r.key, operator: 'NotIn', values: [r.value] });
    else if (r.op === 'in' || r.op === 'notin')
      sel.matchExpressions.push({ key: r.key, operator: r.op === 'in' ? 'In' : 'NotIn', values: r.values });
    else sel.matchExpressions.push({ key: r.key, operator: r.op === 'exists' ? 'Exists' : 'DoesNotExist' });
  }
  return sel;
}
