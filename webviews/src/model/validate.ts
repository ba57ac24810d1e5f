// Form values checked as the user types: each check turns the field's text into a value or a sentence saying what is
// wrong, never into a guessed number ("abc" is not 0, "-1" is not 1). Pure, shared by every form.

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export interface WholeNumberRule {
  min: number;
  max: number;
  /** What the number counts, for the messages: "replicas", "a port". */
  what: string;
  /** Empty text is allowed and means this value (e.g. "any free port"). */
  emptyMeans?: number;
}

/** A whole number written in digits, within [min, max]. */
export function wholeNumber(text: string, r: WholeNumberRule): Checked<number> {
  const t = text.trim();
  if (!t)
    return r.emptyMeans !== undefined ? { ok: true, value: r.emptyMeans } : { ok: false, error: `Enter ${r.what}` };
  const range = `${r.min.toLocaleString('en-US')} to ${r.max.toLocaleString('en-US')}`;
  if (/^-\s*\d+([.,]\d*)?$/.test(t)) return { ok: false, error: `Cannot be negative: use ${range}` };
  if (/^\d*[.,]\d+$|^\d+[.,]$/.test(t)) return { ok: false, error: 'Use a whole number, without decimals' };
  if (!/^\d+$/.test(t)) return { ok: false, error: 'Use digits only (0–9)' };
  const value = Number(t);
  if (value > r.max) return { ok: false, error: `Too large: at most ${r.max.toLocaleString('en-US')}` };
  if (value < r.min) return { ok: false, error: `Too small: at least ${r.min.toLocaleString('en-US')}` };
  return { ok: true, value };
}

const NS_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A namespace name (RFC 1123 label), or empty when `optional`. */
export function namespaceName(text: string, optional = false): Checked<string> {
  const t = text.trim();
  if (!t) return optional ? { ok: true, value: '' } : { ok: false, error: 'Enter a namespace' };
  if (t.length > 63) return { ok: false, error: 'Too long: a namespace has at most 63 characters' };
  if (/[A-Z]/.test(t)) return { ok: false, error: 'Use lower-case letters: namespaces are lower-case' };
  if (!NS_RE.test(t))
    return { ok: false, error: 'Use lower-case letters, digits and "-", starting and ending with a letter or digit' };
  return { ok: true, value: t };
}

/** The sentence to show next to the field, or nothing when the value is fine. */
export const problem = (c: Checked<unknown>): string | undefined => (c.ok ? undefined : c.error);
