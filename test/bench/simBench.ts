// Simulator at scale: start time, one paged full list (as kubectl and the engine page), memory.
import https from 'node:https';
import { startSim } from '../../src/sim/index';

export interface SimBenchResult {
  pods: number;
  nodes: number;
  startMs: number;
  pagedListMs: number;
  pages: number;
  bytes: number;
  rssMb: number;
}

function getJson(
  url: string,
  ca: string,
  token: string,
): Promise<{ body: { metadata: { continue?: string }; items: unknown[] }; bytes: number }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, headers: { Authorization: `Bearer ${token}` }, agent: keepAlive }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({ body: JSON.parse(buf.toString('utf8')), bytes: buf.length });
        });
      })
      .on('error', reject);
  });
}
const keepAlive = new https.Agent({ keepAlive: true });

export async function benchSim(pods: number, nodes: number): Promise<SimBenchResult> {
  const t0 = performance.now();
  const sim = await startSim({ scenario: 'scale', pods, nodes });
  const startMs = performance.now() - t0;
  const t1 = performance.now();
  let cont: string | undefined;
  let pages = 0;
  let items = 0;
  let bytes = 0;
  do {
    const q = `limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
    const r = await getJson(`${sim.server}/api/v1/pods?${q}`, sim.caPem, sim.tokens.admin);
    pages++;
    items += r.body.items.length;
    bytes += r.bytes;
    cont = r.body.metadata.continue;
  } while (cont);
  const pagedListMs = performance.now() - t1;
  if (items < pods) throw new Error(`listed ${items} pods, expected at least ${pods}`);
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  await sim.close();
  keepAlive.destroy();
  return { pods: items, nodes, startMs, pagedListMs, pages, bytes, rssMb };
}
