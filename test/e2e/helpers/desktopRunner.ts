// Desktop route for people with internet: @vscode/test-electron downloads VS Code and runs desktopSuite.ts in it
// against an in-process simulator. `npx tsx test/e2e/helpers/desktopRunner.ts`. It cannot run on the CI machines
// (no access to Microsoft's download servers); there the code-server route (vscodeExtension.test.ts) runs instead.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { startTestSim } from '../../helpers/sim';
import { REPO_ROOT } from './codeServerInstall';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubegraf-desktop-e2e-'));
  const suite = join(dir, 'suite.js');
  await build({
    entryPoints: [join(__dirname, 'desktopSuite.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: suite,
    external: ['vscode'],
  });
  const sim = await startTestSim({ scenario: 'demo' });
  try {
    await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: suite,
      launchArgs: [dir, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { KUBEGRAF_E2E_KUBECONFIG: sim.kubeconfig },
    });
  } finally {
    await sim.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
