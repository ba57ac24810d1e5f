// Words and units of the Timeline, Anomalies and Knowledge Bank pages: pure, so they test without a browser.

/** Bucket width for a timeline window: 12 to 36 points whatever the window. */
export function bucketMs(hours: number): number {
  const h = 3_600_000;
  if (hours <= 1) return 5 * 60_000;
  if (hours <= 6) return 15 * 60_000;
  if (hours <= 24) return h;
  if (hours <= 72) return 3 * h;
  if (hours <= 168) return 6 * h;
  return 24 * h;
}

/** Event messages quote times as ISO strings ("missed its 2026-12-03T17:00:00Z run"): shown as local times. */
export const readableTimes = (text: string, format = (t: number) => new Date(t).toLocaleString()): string =>
  text.replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?/g, (m) => {
    const t = Date.parse(m);
    return Number.isFinite(t) ? format(t) : m;
  });

/** 1536 MiB → "1.5 GiB"; bytes in, binary units out. */
export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${n < 0 ? '-' : ''}${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** Millicores → "250m" or "1.5 cores". */
export const cpu = (m: number): string =>
  m >= 1000 ? `${(m / 1000).toFixed(m >= 10_000 ? 0 : 1)} cores` : `${Math.round(m)}m`;

/** "in about 40 minutes", "in about 3 hours". */
export function until(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  if (ms <= 0) return 'now, if the trend held';
  const min = Math.round(ms / 60_000);
  return min < 90 ? `in about ${min} minute${min === 1 ? '' : 's'}` : `in about ${Math.round(min / 60)} hours`;
}

/** pod_crash_loop → "Pod crash loop". */
export const typeLabel = (t: string): string => {
  const s = t.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};
