// `npm run bench`: every benchmark, printed as a table to paste into BENCHMARKS.md.
import { benchSim } from './simBench';

async function main(): Promise<void> {
  const pods = Number(process.env.BENCH_PODS ?? 100_000);
  const nodes = Number(process.env.BENCH_NODES ?? 2_000);
  const r = await benchSim(pods, nodes);
  console.log(`simulator, scenario scale, ${r.pods} pods / ${r.nodes} nodes`);
  console.log(`  start (load + TLS + listen): ${r.startMs.toFixed(0)} ms`);
  console.log(`  one paged full list (limit=500, ${r.pages} pages, ${(r.bytes / 1e6).toFixed(1)} MB, client parses each page): ${r.pagedListMs.toFixed(0)} ms`);
  console.log(`  RSS after list (simulator and client in one process): ${r.rssMb.toFixed(0)} MB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
