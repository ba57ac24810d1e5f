// Row filters for resource tables: free text, a Kubernetes label selector, and a set of statuses. Pure and DOM-free.

import { matchesLabels, parseLabelSelector } from '../../../src/shared/labelSelector';

export { matchesLabels, parseLabelSelector };

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
