// The Prometheus text exposition format (version 0.0.4), as exporters such as dcgm-exporter serve it, read into
// samples; and the DCGM exporter's series folded into one record per GPU. Hand-written: the npm parsers found are
// unmaintained, and the format is small and fully specified (exposition_formats.md).

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  timestamp?: number;
}

export interface PromFamily {
  type?: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
}

export interface PromParse {
  samples: PromSample[];
  families: Record<string, PromFamily>;
  /** Lines that could not be read (1-based), skipped. */
  errors: Array<{ line: number; message: string }>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(s: string): number | undefined {
  if (s === 'NaN') return NaN;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

const unescapeHelp = (s: string) => s.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));

/** Reads `{a="x",b="y\"z"}` starting at `i` (the "{"); returns the labels and the index after "}". */
function parseLabels(line: string, i: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  i++;
  const ws = () => {
    while (line[i] === ' ' || line[i] === '\t') i++;
  };
  for (;;) {
    ws();
    if (line[i] === '}') return { labels, end: i + 1 };
    const m = LABEL_NAME.exec(line.slice(i));
    if (!m) throw new Error(`expected a label name at column ${i + 1}`);
    const key = m[0];
    i += key.length;
    ws();
    if (line[i] !== '=') throw new Error(`expected "=" after label ${key}`);
    i++;
    ws();
    if (line[i] !== '"') throw new Error(`expected a quoted value for label ${key}`);
    i++;
    let v = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) throw new Error(`unterminated value for label ${key}`);
      if (c === '\\') {
        const n = line[i + 1];
        if (n === 'n') v += '\n';
        else if (n === '\\' || n === '"') v += n;
        else throw new Error(`invalid escape "\\${n ?? ''}" in label ${key}`);
        i += 2;
        continue;
      }
      if (c === '"') break;
      v += c;
      i++;
    }
    i++;
    if (key in labels) throw new Error(`label ${key} appears twice`);
    labels[key] = v;
    ws();
    if (line[i] === ',') i++;
    else if (line[i] !== '}') throw new Error(`expected "," or "}" after label ${key}`);
  }
}

/** Parses exposition text. Bad lines are skipped and reported; the rest still count. */
export function parsePromText(text: string): PromParse {
  const out: PromParse = { samples: [], families: {}, errors: [] };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].replace(/\r$/, '').trim();
    if (!line) continue;
    try {
      if (line.startsWith('#')) {
        const m = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(line);
        if (!m) continue; // Any other comment.
        const fam = (out.families[m[2]] ??= {});
        if (m[1] === 'HELP') fam.help = unescapeHelp(m[3] ?? '');
        else {
          const t = (m[3] ?? '').trim();
          if (!TYPES.has(t)) throw new Error(`unknown metric type "${t}"`);
          fam.type = t as PromFamily['type'];
        }
        continue;
      }
      const nm = NAME.exec(line);
      if (!nm) throw new Error('expected a metric name');
      let i = nm[0].length;
      let labels: Record<string, string> = {};
      if (line[i] === '{') ({ labels, end: i } = parseLabels(line, i));
      const rest = line
        .slice(i)
        .trim()
        .split(/[ \t]+/);
      if (!rest[0]) throw new Error(`no value for ${nm[0]}`);
      if (rest.length > 2) throw new Error(`unexpected text after the value of ${nm[0]}`);
      const value = parseValue(rest[0]);
      if (value === undefined) throw new Error(`"${rest[0]}" is not a number`);
      const s: PromSample = { name: nm[0], labels, value };
      if (rest[1] !== undefined) {
        if (!/^-?\d+$/.test(rest[1])) throw new Error(`"${rest[1]}" is not a timestamp`);
        s.timestamp = Number(rest[1]);
      }
      out.samples.push(s);
    } catch (e) {
      out.errors.push({ line: n + 1, message: (e as Error).message });
    }
  }
  return out;
}

export interface GpuMetrics {
  node: string;
  gpu: string;
  uuid?: string;
  device?: string;
  modelName?: string;
  pciBusId?: string;
  driverVersion?: string;
  /** The container the GPU is assigned to, when the exporter maps pods. */
  pod?: { namespace: string; name: string; container?: string };
  utilizationPercent?: number;
  memoryCopyUtilizationPercent?: number;
  memoryUsedMiB?: number;
  memoryFreeMiB?: number;
  memoryTotalMiB?: number;
  temperatureC?: number;
  memoryTemperatureC?: number;
  powerW?: number;
  smClockMHz?: number;
  memClockMHz?: number;
  xidErrors?: number;
  tensorActive?: number;
}

const FIELDS: Record<string, keyof GpuMetrics> = {
  DCGM_FI_DEV_GPU_UTIL: 'utilizationPercent',
  DCGM_FI_DEV_MEM_COPY_UTIL: 'memoryCopyUtilizationPercent',
  DCGM_FI_DEV_FB_USED: 'memoryUsedMiB',
  DCGM_FI_DEV_FB_FREE: 'memoryFreeMiB',
  DCGM_FI_DEV_GPU_TEMP: 'temperatureC',
  DCGM_FI_DEV_MEMORY_TEMP: 'memoryTemperatureC',
  DCGM_FI_DEV_POWER_USAGE: 'powerW',
  DCGM_FI_DEV_SM_CLOCK: 'smClockMHz',
  DCGM_FI_DEV_MEM_CLOCK: 'memClockMHz',
  DCGM_FI_DEV_XID_ERRORS: 'xidErrors',
  DCGM_FI_PROF_PIPE_TENSOR_ACTIVE: 'tensorActive',
};

/**
 * One record per GPU from dcgm-exporter samples. Accepts both label generations: `hostname`/`Hostname`,
 * `UUID`/`uuid`, `pod`/`pod_name`, `namespace`/`pod_namespace`, `container`/`container_name`.
 */
export function dcgmGpus(samples: PromSample[], fallbackNode = ''): GpuMetrics[] {
  const byKey = new Map<string, GpuMetrics & { reserved?: number }>();
  for (const s of samples) {
    const field = FIELDS[s.name];
    if (!field && s.name !== 'DCGM_FI_DEV_FB_RESERVED') continue;
    const l = s.labels;
    const node = l.hostname ?? l.Hostname ?? l.kubernetes_node ?? fallbackNode;
    const gpu = l.gpu ?? '';
    const mig = l.GPU_I_ID !== undefined ? `/mig${l.GPU_I_ID}` : '';
    const key = `${node}\0${gpu}${mig}\0${l.UUID ?? l.uuid ?? ''}`;
    let g = byKey.get(key);
    if (!g) {
      g = { node, gpu: gpu + (l.GPU_I_PROFILE ? ` (${l.GPU_I_PROFILE})` : '') };
      const uuid = l.UUID ?? l.uuid;
      if (uuid) g.uuid = uuid;
      if (l.device) g.device = l.device;
      if (l.modelName) g.modelName = l.modelName;
      if (l.pci_bus_id) g.pciBusId = l.pci_bus_id;
      if (l.DCGM_FI_DRIVER_VERSION) g.driverVersion = l.DCGM_FI_DRIVER_VERSION;
      byKey.set(key, g);
    }
    const pod = l.pod ?? l.pod_name;
    const ns = l.namespace ?? l.pod_namespace;
    if (pod && ns && !g.pod)
      g.pod = {
        namespace: ns,
        name: pod,
        ...((l.container ?? l.container_name) ? { container: l.container ?? l.container_name } : {}),
      };
    if (!Number.isFinite(s.value)) continue;
    if (field) (g as unknown as Record<string, number>)[field] = s.value;
    else g.reserved = s.value;
  }
  const out = [...byKey.values()].map(({ reserved, ...g }) => {
    if (g.memoryUsedMiB !== undefined && g.memoryFreeMiB !== undefined)
      g.memoryTotalMiB = g.memoryUsedMiB + g.memoryFreeMiB + (reserved ?? 0);
    return g;
  });
  return out.sort((a, b) => a.node.localeCompare(b.node) || a.gpu.localeCompare(b.gpu, undefined, { numeric: true }));
}
