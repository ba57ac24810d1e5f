// `kubegraf web`: the dashboard server. Prints one JSON "ready" line on stdout; everything for humans goes to stderr.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSim, type Sim } from '../sim/index';
import { kubeconfigFiles } from '../core/kube/kubeconfig';
import { isLoopback } from '../server/auth';
import { startApp, type App } from '../server/app';
import { Command } from './args';
import { WEB_HELP, WEB_USAGE } from './help';

const command = new Command({
  prog: 'kubegraf web',
  usage: `usage: ${WEB_USAGE}`,
  help: WEB_HELP,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    demo: { type: 'boolean' },
    'data-dir': { type: 'string' },
    'no-open': { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});
function fail(message: string): never {
  return command.fail(message);
}

function openBrowser(url: string): void {
  // No shell: the URL is one argv entry.
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  execFile(cmd, args as string[], { timeout: 10_000 }, (e) => {
    if (e)
      process.stderr.write(
        `kubegraf web: could not open a browser (${e.message.split('\n')[0]}); open the URL above yourself\n`,
      );
  }).unref();
}

export async function web(argv: string[]): Promise<void> {
  const values = command.parse(argv);
  if (!values) return;
  const port = command.int('port', values.port, 0, 65535) ?? 0;
  const host = values.host ?? '127.0.0.1';
  let tls: { key: Buffer; cert: Buffer } | undefined;
  if (values['tls-cert'] || values['tls-key']) {
    if (!values['tls-cert'] || !values['tls-key']) fail('--tls-cert and --tls-key go together');
    try {
      tls = { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) };
    } catch (e) {
      fail(`cannot read the TLS files: ${(e as Error).message}`);
    }
  }
  if (!isLoopback(host) && !tls)
    fail(
      `--host ${host} is reachable from other machines: give --tls-cert and --tls-key (accounts are then required: register the first admin at /api/auth/register)`,
    );
  const dataDir = resolve(values['data-dir'] ?? join(homedir(), '.kubegraf'));
  // Ours alone (settings, the database, keys, the demo's admin kubeconfig), whichever mode writes into it first.
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (e) {
    fail(`cannot create the data directory ${dataDir}: ${(e as Error).message}`);
  }
  let sim: Sim | undefined;
  let app: App | undefined;

  const startDemo = async (why: string) => {
    sim = await startSim({ scenario: 'demo', kubeconfigOut: join(dataDir, 'demo', 'kubeconfig') });
    process.stderr.write(
      `kubegraf web: DEMO MODE (${why}): serving the built-in simulated cluster at ${sim.server}, not a real one\n`,
    );
    return startApp({ kubeconfigFiles: [sim.kubeconfig], dataDir, host, port, demo: true, tls });
  };

  try {
    if (values.demo) app = await startDemo('--demo');
    else {
      const files = values.kubeconfig ? [resolve(values.kubeconfig)] : kubeconfigFiles();
      app = await startApp({ kubeconfigFiles: files, context: values.context, dataDir, host, port, tls });
      const cur = app.engine.currentContext();
      const state = cur ? app.engine.context(cur).connection : undefined;
      if (!cur || (state?.state === 'unreachable' && !values.context)) {
        const why = !cur
          ? `no kubeconfig context in ${files.join(', ')}`
          : `context "${cur}" is unreachable: ${state?.state === 'unreachable' ? state.reason : ''}`;
        await app.close();
        app = await startDemo(why);
      }
    }
  } catch (e) {
    await sim?.close();
    fail((e as Error).message);
  }
  const a = app!;
  process.stdout.write(JSON.stringify({ event: 'ready', url: a.launchUrl, token: a.token }) + '\n');
  // The token goes to stdout only (the ready line): stderr often ends up in logs.
  const shown = new URL(a.launchUrl);
  shown.search = '';
  process.stderr.write(
    `kubegraf web: dashboard at ${shown.href} (context ${a.engine.currentContext()}); open the url of the ready line above, which carries the access token\n`,
  );
  if (!values['no-open']) openBrowser(a.launchUrl);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void a
      .close()
      .then(() => sim?.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
