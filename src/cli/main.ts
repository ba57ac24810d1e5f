// The `kubegraf` command: `kubegraf sim ...` (simulated cluster) and `kubegraf web ...` (dashboard server).
import { startSim, type Scenario } from '../sim/index';
import { Command } from './args';
import { SIM_HELP, USAGE } from './help';

const simCommand = new Command({
  prog: 'kubegraf',
  usage: USAGE,
  help: SIM_HELP,
  options: {
    port: { type: 'string' },
    scenario: { type: 'string' },
    pods: { type: 'string' },
    nodes: { type: 'string' },
    'kube-minor': { type: 'string' },
    'kubeconfig-out': { type: 'string' },
    speed: { type: 'string' },
  },
});

function fail(message: string): never {
  return simCommand.fail(message);
}

async function sim(argv: string[]): Promise<void> {
  const values = simCommand.parse(argv);
  if (!values) return;
  const scenario = (values.scenario ?? 'demo') as Scenario;
  if (!['demo', 'empty', 'scale'].includes(scenario))
    fail(`--scenario must be demo, empty or scale, got "${values.scenario}"`);
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0 && speed <= 1000)) fail(`--speed must be a number above 0 and at most 1000, got "${values.speed}"`);
  const s = await startSim({
    port: simCommand.int('port', values.port, 0, 65535),
    scenario,
    pods: simCommand.int('pods', values.pods, 0, 2_000_000),
    nodes: simCommand.int('nodes', values.nodes, 1, 100_000),
    kubeMinor: simCommand.int('kube-minor', values['kube-minor'], 20, 99),
    kubeconfigOut: values['kubeconfig-out'],
    speed,
  });
  process.stdout.write(JSON.stringify({ event: 'ready', server: s.server, kubeconfig: s.kubeconfig }) + '\n');
  const stop = () => void s.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case 'sim':
      return sim(rest);
    case 'web': {
      const { web } = await import('./web');
      return web(rest);
    }
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE + '\n');
      return;
    default:
      fail(`unknown command "${cmd}"`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`kubegraf: ${(e as Error)?.message ?? String(e)}\n`);
  process.exit(1);
});
