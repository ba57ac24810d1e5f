// How the details drawer shows API data a person reads: API keys become titles ("memoryLimitBytes" → "Memory limit"),
// values get units, rounding and relative times, and values that name a cluster object become links. Pure: no DOM.
import { RESOURCE_KINDS } from '../../../src/shared/routes/resources';
import { PAGES, toHash } from './nav';

/** Words that keep their own spelling when a key is split into words. */
const WORDS: Record<string, string> = {
  id: 'ID',
  ids: 'IDs',
  url: 'URL',
  uri: 'URI',
  api: 'API',
  cpu: 'CPU',
  gpu: 'GPU',
  gpus: 'GPUs',
  ip: 'IP',
  ips: 'IPs',
  oom: 'OOM',
  pdb: 'PDB',
  pdbs: 'PDBs',
  hpa: 'HPA',
  tls: 'TLS',
  dns: 'DNS',
  ml: 'ML',
  ai: 'AI',
  cuda: 'CUDA',
  dcgm: 'DCGM',
  rbac: 'RBAC',
  pvc: 'PVC',
  pvcs: 'PVCs',
  mib: 'MiB',
  gib: 'GiB',
  kib: 'KiB',
  ram: 'RAM',
  sre: 'SRE',
  ui: 'UI',
  crd: 'CRD',
  k8s: 'Kubernetes',
  kserve: 'KServe',
  mlflow: 'MLflow',
  argocd: 'Argo CD',
  helm: 'Helm',
  os: 'OS',
  tpu: 'TPU',
};

/** A unit a key ends with: the title drops it, the value shows it. */
type Unit = 'bytes' | 'kib' | 'mib' | 'gib' | 'millicores' | 'cores' | 'percent' | 'seconds' | 'ms';
const UNIT_SUFFIXES: Array<[RegExp, Unit]> = [
  [/Bytes$/, 'bytes'],
  [/KiB$/, 'kib'],
  [/MiB$/, 'mib'],
  [/GiB$/, 'gib'],
  [/(Millicores|Milli|MilliCpu)$/, 'millicores'],
  [/Cores$/, 'cores'],
  [/(Percent|Pct)$/, 'percent'],
  [/(Seconds|Secs|Sec)$/, 'seconds'],
  [/Ms$/, 'ms'],
];

function unitOf(key: string): Unit | undefined {
  return UNIT_SUFFIXES.find(([re]) => re.test(key))?.[1];
}

/** `memoryLimitBytes` → "Memory limit", `repoURL` → "Repo URL", `oom_kills` → "OOM kills", `cpuPerCoreHour` → "CPU per core hour". */
export function humanizeKey(key: string): string {
  const base = key.replace(
    /(?<=[a-z0-9])(Bytes|KiB|MiB|GiB|Millicores|MilliCpu|Cores|Percent|Pct|Seconds|Secs|Ms)$/,
    '',
  );
  // Words of camelCase, snake_case and kebab-case alike; binary units and acronyms (`repoURL`) stay whole.
  const words = (base.match(/KiB|MiB|GiB|TiB|[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? []).map(
    (w) => WORDS[w.toLowerCase()] ?? w.toLowerCase(),
  );
  if (!words.length) return key;
  const first = words[0];
  words[0] = first === first.toLowerCase() ? first[0].toUpperCase() + first.slice(1) : first;
  return words.join(' ');
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const ISO_IN_TEXT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})\b/g;
export const isIsoTime = (v: unknown): boolean => typeof v === 'string' && ISO.test(v);
const TIME_KEY =
  /(At|Time|Timestamp|Since|Until|Date)$|^(time|timestamp|date|since|created|updated|lastSeen|firstSeen)$/;

/** "5m ago", "in 2h", or the date for anything older than a week. */
export function relativeTime(t: number, now: number): string {
  const s = Math.round((now - t) / 1000);
  const abs = Math.abs(s);
  if (abs < 45) return s >= 0 ? 'just now' : 'in a moment';
  const [n, u] =
    abs < 3600
      ? [Math.round(abs / 60), 'm']
      : abs < 86_400
        ? [Math.round(abs / 3600), 'h']
        : abs < 7 * 86_400
          ? [Math.round(abs / 86_400), 'd']
          : [0, ''];
  if (!u) return new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  return s >= 0 ? `${n}${u} ago` : `in ${n}${u}`;
}

/** Rounded for reading: whole numbers stay, others keep 2 decimals (2 significant digits below 1). */
export function roundNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (Math.abs(n) < 1) return String(Number(n.toPrecision(2)));
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
export function formatBytes(b: number): string {
  let i = 0;
  while (Math.abs(b) >= 1024 && i < IEC.length - 1) {
    b /= 1024;
    i++;
  }
  return `${roundNumber(i ? Number(b.toFixed(1)) : b)} ${IEC[i]}`;
}

function withUnit(n: number, unit: Unit): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(n);
    case 'kib':
      return formatBytes(n * 1024);
    case 'mib':
      return formatBytes(n * 1024 ** 2);
    case 'gib':
      return formatBytes(n * 1024 ** 3);
    case 'millicores':
      return n >= 1000 ? `${roundNumber(n / 1000)} cores` : `${Math.round(n)}m CPU`;
    case 'cores':
      return `${roundNumber(n)} ${n === 1 ? 'core' : 'cores'}`;
    case 'percent':
      return `${roundNumber(n)}%`;
    case 'seconds':
      return duration(n * 1000);
    case 'ms':
      return n < 1000 ? `${Math.round(n)} ms` : duration(n);
  }
}

function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${roundNumber(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${roundNumber(s / 3600)} h`;
  return `${roundNumber(s / 86_400)} d`;
}

export interface Shown {
  text: string;
  /** The full value when `text` shortens it (a relative time's date, an exact number). */
  title?: string;
  /** Where a value that names a cluster object or an incident leads. */
  href?: string;
  tone?: 'ok' | 'warn' | 'danger';
  /** A command to copy and run (a runbook's kubectl line): shown as code, as typed. */
  command?: boolean;
}

const COST = /(cost|price|PerHour|PerCoreHour|PerGiBHour)$/i;
const SEVERITY_TONE: Record<string, Shown['tone']> = {
  critical: 'danger',
  high: 'danger',
  error: 'danger',
  failed: 'danger',
  medium: 'warn',
  warning: 'warn',
  low: undefined,
  ok: 'ok',
  healthy: 'ok',
  synced: 'ok',
  running: 'ok',
};

/** One value of a record, shown for reading. `row` is the record it belongs to (for links and currency). */
export function present(key: string, v: unknown, row: Record<string, unknown> = {}, now = Date.now()): Shown {
  if (v === null || v === undefined || v === '') return { text: '—' };
  if (typeof v === 'boolean') return { text: v ? 'Yes' : 'No' };
  if (typeof v === 'number') {
    if (TIME_KEY.test(key) && v > 1e12) return { text: relativeTime(v, now), title: new Date(v).toLocaleString() };
    if (COST.test(key))
      return {
        text: `${typeof row.currency === 'string' && row.currency !== 'USD' ? `${row.currency} ` : '$'}${v < 1 && v > 0 ? Number(v.toPrecision(2)) : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
        title: String(v),
      };
    const unit = unitOf(key);
    const text = unit ? withUnit(v, unit) : roundNumber(v);
    return text === String(v) ? { text } : { text, title: String(v) };
  }
  if (typeof v === 'string') {
    if (ISO.test(v)) {
      const t = Date.parse(v);
      return { text: relativeTime(t, now), title: new Date(t).toLocaleString() };
    }
    if (/^kubectl /.test(v)) return { text: v, command: true };
    // An enum value in snake_case (`incident_opened`) reads as words.
    if (/^[a-z]+(_[a-z]+)+$/.test(v)) return { text: humanizeKey(v) };
    // A time inside a sentence ("since 2026-12-02T17:08:22Z") reads as local time.
    const text = v.replace(ISO_IN_TEXT, (m) => new Date(Date.parse(m)).toLocaleString());
    const href = linkFor(key, text, row);
    const tone = /^(severity|status|health|healthStatus|syncStatus|state|phase|level|type)$/i.test(key)
      ? SEVERITY_TONE[text.toLowerCase()]
      : undefined;
    return { text, ...(href ? { href } : {}), ...(tone ? { tone } : {}) };
  }
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object'))
      return { text: v.length ? v.map((x) => present(key, x, row, now).text).join(', ') : '—' };
    return { text: `${v.length} ${v.length === 1 ? 'item' : 'items'}` };
  }
  return { text: `${Object.keys(v as object).length} fields` };
}

const byOne = new Map<string, string>(RESOURCE_KINDS.map((k) => [k.one.replace(/-/g, ''), k.many]));
const pageOfMany = (many: string): string | undefined =>
  PAGES.find((p) => p.view.type === 'resource' && p.view.many === many)?.id;

/** A link for a value that names an object: `kind`+`name` in a record, `pod`/`deployment`/`namespace` fields, incident ids. */
export function linkFor(key: string, v: string, row: Record<string, unknown>): string | undefined {
  const ns = typeof row.namespace === 'string' ? row.namespace : undefined;
  if (/^(incidentId|incident)$/.test(key) || (key === 'id' && /^inc-/.test(v))) return toHash('incidents', { id: v });
  if (key === 'namespace') return toHash('namespaces', { name: v });
  let one: string | undefined;
  if (key === 'name' && typeof row.kind === 'string') one = row.kind.toLowerCase();
  else if (byOne.has(key.toLowerCase())) one = key.toLowerCase();
  const many = one ? byOne.get(one) : undefined;
  const page = many ? pageOfMany(many) : undefined;
  if (!page || many === 'nodes') return undefined;
  const namespaced = RESOURCE_KINDS.find((k) => k.many === many)?.namespaced;
  if (namespaced && !ns) return undefined;
  return toHash(page, { name: v, ...(namespaced && ns ? { ns } : {}) });
}
