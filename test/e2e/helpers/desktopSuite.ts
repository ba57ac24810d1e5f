// Runs inside a desktop VS Code started by @vscode/test-electron (see desktopRunner.ts): the extension activates,
// lists the simulator's contexts, and its commands run. The headless CI route is code-server (vscodeExtension.test.ts).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubeGrafApi } from '../../../src/vscode/extension';

export async function run(): Promise<void> {
  const kubeconfig = process.env.KUBEGRAF_E2E_KUBECONFIG;
  assert.ok(kubeconfig, 'KUBEGRAF_E2E_KUBECONFIG is set by the runner');
  await vscode.workspace
    .getConfiguration('kubegraf')
    .update('kubeconfigPaths', [kubeconfig], vscode.ConfigurationTarget.Global);
  const ext = vscode.extensions.getExtension<KubeGrafApi>('kubegraf.kubegraf');
  assert.ok(ext, 'the extension is installed');
  const api = await ext.activate();
  await vscode.commands.executeCommand('kubegraf.refresh');
  const names = api.host.engine.contextNames();
  assert.ok(names.includes('kubegraf-sim') && names.includes('kubegraf-sim-viewer'), `contexts: ${names.join(', ')}`);
  const info = await api.host.engine.connect('kubegraf-sim');
  assert.equal(info.connection.state, 'connected');
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['kubegraf.openDashboard', 'kubegraf.scale', 'kubegraf.exec', 'kubegraf.logs'])
    assert.ok(commands.includes(id), `${id} is registered`);
  await vscode.commands.executeCommand('kubegraf.openDashboard');
}
