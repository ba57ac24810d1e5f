// kubectl's human durations (45s, 7m56s, 12m, 3h4m, 5d, 2y), one formula for the server's columns and the webview's
// live ages, so a row's age reads the same before and after the clock ticks.

/** A duration in milliseconds, as kubectl prints ages. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** The age of something that happened at `from` (epoch ms or an ISO time); '' when unknown. */
export function ageSince(from: number | string | undefined, now: number): string {
  const t = typeof from === 'string' ? Date.parse(from) : from;
  return t === undefined || !Number.isFinite(t) ? '' : humanDuration(now - t);
}
