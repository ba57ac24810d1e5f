// Fuzzy ranking for the command palette. Pure: no DOM, unit-tested under mocha.
// A query matches when its characters appear in order in the label; the score rewards what a person typing means:
// a prefix, word starts ("gtp" -> "Go To Pods"), runs of consecutive characters, and short labels.

export interface FuzzyMatch {
  score: number;
  /** Indexes in the label of the matched characters, for highlighting. */
  positions: number[];
}

const isWordStart = (s: string, i: number): boolean => {
  if (i === 0) return true;
  const prev = s[i - 1];
  const cur = s[i];
  if (/[\s\-_/.:>]/.test(prev)) return true;
  // camelCase boundary: "StatefulSets" -> "S"ets
  return prev === prev.toLowerCase() && cur !== cur.toLowerCase();
};

/** Best-effort greedy match with a look-ahead for word starts; undefined when the query is not a subsequence. */
export function fuzzyMatch(query: string, label: string): FuzzyMatch | undefined {
  const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!q) return { score: 0, positions: [] };
  const l = label.toLowerCase();
  // Exact substring gets a strong, simple score: users often type a whole word.
  const sub = l.indexOf(q);
  if (sub >= 0) {
    const positions = Array.from({ length: q.length }, (_, k) => sub + k);
    const score = 1000 + (sub === 0 ? 500 : isWordStart(label, sub) ? 250 : 0) - label.length;
    return { score, positions };
  }
  const positions: number[] = [];
  let score = 0;
  let li = 0;
  for (let qi = 0; qi < q.length; qi++) {
    const ch = q[qi];
    if (ch === ' ') continue;
    // Prefer the next word start holding this character; fall back to the next occurrence.
    let found = -1;
    for (let j = li; j < l.length; j++) {
      if (l[j] === ch && isWordStart(label, j)) {
        found = j;
        break;
      }
    }
    const next = l.indexOf(ch, li);
    if (next < 0) return undefined;
    const prevPos = positions[positions.length - 1];
    // Keep a consecutive run when it exists: "pod" in "Pods" should not jump to a later word start.
    if (prevPos !== undefined && next === prevPos + 1) found = next;
    if (found < 0) found = next;
    positions.push(found);
    if (isWordStart(label, found)) score += 30;
    if (prevPos !== undefined && found === prevPos + 1) score += 20;
    if (found === 0) score += 40;
    score -= Math.min(10, found - (prevPos ?? -1) - 1);
    li = found + 1;
  }
  score -= label.length * 0.5;
  return { score, positions };
}

export interface Rankable {
  label: string;
  /** Extra words that match but are not shown (aliases, short names: "po", "deploy"). */
  keywords?: string[];
}

/** Items matching the query, best first; ties keep the input order (the palette lists recent commands first). */
export function rank<T extends Rankable>(
  items: readonly T[],
  query: string,
  limit = 50,
): Array<{ item: T; match: FuzzyMatch }> {
  const out: Array<{ item: T; match: FuzzyMatch; i: number }> = [];
  items.forEach((item, i) => {
    let best = fuzzyMatch(query, item.label);
    for (const k of item.keywords ?? []) {
      const m = fuzzyMatch(query, k);
      // A keyword hit ranks the item but highlights nothing in the label.
      if (m && (!best || m.score - 5 > best.score)) best = { score: m.score - 5, positions: [] };
    }
    if (best) out.push({ item, match: best, i });
  });
  out.sort((a, b) => b.match.score - a.match.score || a.i - b.i);
  return out.slice(0, limit).map(({ item, match }) => ({ item, match }));
}
