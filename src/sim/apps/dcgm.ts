// NVIDIA dcgm-exporter's /metrics: the default counters in Prometheus text format, one series per GPU of the node
// the exporter pod runs on. GPUs are handed to the node's GPU pods in order (as the device plugin would); a GPU in
// use shows load, a free one idles, and both carry the pod mapping labels when assigned.
import type { KObj } from '../store';
import type { AppRequest, SimApp } from './app';
import { seedOf, wave } from './app';

const GAUGES: Array<[string, string, string]> = [
  ['DCGM_FI_DEV_SM_CLOCK', 'gauge', 'SM clock frequency (in MHz).'],
  ['DCGM_FI_DEV_MEM_CLOCK', 'gauge', 'Memory clock frequency (in MHz).'],
  ['DCGM_FI_DEV_MEMORY_TEMP', 'gauge', 'Memory temperature (in C).'],
  ['DCGM_FI_DEV_GPU_TEMP', 'gauge', 'GPU temperature (in C).'],
  ['DCGM_FI_DEV_POWER_USAGE', 'gauge', 'Power draw (in W).'],
  ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'counter', 'Total energy consumption since boot (in mJ).'],
  ['DCGM_FI_DEV_PCIE_REPLAY_COUNTER', 'counter', 'Total number of PCIe retries.'],
  ['DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization (in %).'],
  ['DCGM_FI_DEV_MEM_COPY_UTIL', 'gauge', 'Memory utilization (in %).'],
  ['DCGM_FI_DEV_ENC_UTIL', 'gauge', 'Encoder utilization (in %).'],
  ['DCGM_FI_DEV_DEC_UTIL', 'gauge', 'Decoder utilization (in %).'],
  ['DCGM_FI_DEV_XID_ERRORS', 'gauge', 'Value of the last XID error encountered.'],
  ['DCGM_FI_DEV_FB_FREE', 'gauge', 'Framebuffer memory free (in MiB).'],
  ['DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used (in MiB).'],
  ['DCGM_FI_DEV_FB_RESERVED', 'gauge', 'Framebuffer memory reserved (in MiB).'],
  ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'gauge', 'Ratio of time the graphics engine is active.'],
  ['DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 'gauge', 'Ratio of cycles the tensor (HMMA) pipe is active.'],
  [
    'DCGM_FI_PROF_DRAM_ACTIVE',
    'gauge',
    'Ratio of cycles the device memory interface is active sending or receiving data.',
  ],
];

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

const gpuCount = (node: KObj) =>
  Math.floor(
    Number(node.status?.capacity?.['nvidia.com/gpu'] ?? node.metadata.labels?.['nvidia.com/gpu.count'] ?? 0),
  ) || 0;

/** GPU index → the container holding it, for running pods on the node that request GPUs. */
function assignments(
  r: AppRequest,
  nodeName: string,
  count: number,
): Array<{ namespace: string; pod: string; container: string } | undefined> {
  const out: Array<{ namespace: string; pod: string; container: string } | undefined> = Array.from(
    { length: count },
    () => undefined,
  );
  const pods = [...r.ctx.store.iterate('pods')]
    .filter((p) => p.spec?.nodeName === nodeName && p.status?.phase === 'Running')
    .sort((a, b) =>
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
    );
  let next = 0;
  for (const p of pods) {
    for (const c of (p.spec?.containers ?? []) as KObj[]) {
      const n =
        Math.floor(Number(c.resources?.limits?.['nvidia.com/gpu'] ?? c.resources?.requests?.['nvidia.com/gpu'] ?? 0)) ||
        0;
      for (let i = 0; i < n && next < count; i++)
        out[next++] = { namespace: p.metadata.namespace!, pod: p.metadata.name, container: c.name };
    }
  }
  return out;
}

export const dcgmApp: SimApp = (r) => {
  if (r.path === '/health') return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
  if (r.path !== '/metrics')
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };
  if (r.method !== 'GET' && r.method !== 'HEAD')
    return { status: 405, contentType: 'text/plain; charset=utf-8', body: 'Method Not Allowed\n' };
  const nodeName = String(r.pod.spec?.nodeName ?? '');
  const node = r.ctx.store.get('nodes', undefined, nodeName);
  const count = node ? gpuCount(node) : 0;
  const l = node?.metadata.labels ?? {};
  const model = String(l['nvidia.com/gpu.product'] ?? 'NVIDIA-A100-SXM4-80GB')
    .replace(/-/g, ' ')
    .replace(/ SHARED$/, '');
  const memTotal = Number(l['nvidia.com/gpu.memory'] ?? 81920);
  const driver = String(l['nvidia.com/cuda.driver-version.full'] ?? '550.107.02');
  const used = assignments(r, nodeName, count);
  const lines: string[] = [];
  const series = GAUGES.map(() => [] as string[]);
  for (let g = 0; g < count; g++) {
    const a = used[g];
    // Each GPU a third of a period apart, so their curves are told apart on a chart.
    const w = wave(r.ctx, seedOf(nodeName) + g * 2.1);
    const util = a ? Math.round(60 + 35 * w) : 0;
    const fbUsed = a ? Math.round(memTotal * (0.55 + 0.3 * w)) : 0;
    const fbReserved = 591;
    const values = [
      a ? 1410 : 210,
      a ? 1593 : 1593,
      a ? Math.round(48 + 20 * w) : 31,
      a ? Math.round(52 + 22 * w) : 29,
      a ? Math.round((260 + 120 * w) * 1000) / 1000 : 61.874,
      Math.round(r.ctx.clock.now() * (a ? 330 : 62)),
      0,
      util,
      a ? Math.round(util * 0.6) : 0,
      0,
      0,
      0,
      memTotal - fbUsed - fbReserved,
      fbUsed,
      fbReserved,
      a ? Math.round(util * 9.5) / 1000 : 0,
      a ? Math.round(util * 4.2) / 1000 : 0,
      a ? Math.round(util * 5.1) / 1000 : 0,
    ];
    const uuid = `GPU-${(seedOf(nodeName) * 1e6).toString(16).padStart(8, '0').slice(0, 8)}-0000-4000-8000-${String(g).padStart(12, '0')}`;
    const labels = [
      `gpu="${g}"`,
      `UUID="${uuid}"`,
      `pci_bus_id="00000000:${(0x07 + g * 0x10).toString(16).toUpperCase().padStart(2, '0')}:00.0"`,
      `device="nvidia${g}"`,
      `modelName="${esc(model)}"`,
      `hostname="${esc(nodeName)}"`,
      `DCGM_FI_DRIVER_VERSION="${esc(driver)}"`,
    ];
    if (a) labels.push(`container="${esc(a.container)}"`, `namespace="${esc(a.namespace)}"`, `pod="${esc(a.pod)}"`);
    values.forEach((v, i) => series[i].push(`${GAUGES[i][0]}{${labels.join(',')}} ${v}`));
  }
  GAUGES.forEach(([name, type, help], i) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...series[i]);
  });
  return { status: 200, contentType: 'text/plain; version=0.0.4; charset=utf-8', body: lines.join('\n') + '\n' };
};
