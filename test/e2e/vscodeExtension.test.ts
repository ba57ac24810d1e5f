// The extension in a real VS Code workbench (code-server + chromium, headless) against the simulator: the VSIX is
// built and installed, then each step is driven through the UI as a user would, with a screenshot per step in
// test-results/vscode-e2e/. See ../shared/guides/vscode-e2e.md for the setup.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { eventually, kubectl, kubectlOk, startTestSim, type Sim } from '../helpers/sim';
import {
  buildVsix,
  openFile,
  runCommand,
  SHOTS,
  startWorkbench,
  treeContextMenu,
  viewLines,
  type Workbench,
  reportFailure,
} from './helpers/codeServer';
import { ensureCodeServer } from './helpers/codeServerInstall';

const UNREACHABLE = 'kubegraf-unreachable';

function unreachableKubeconfig(dir: string): string {
  const f = join(dir, 'unreachable.kubeconfig');
  // Port 1 on loopback refuses at once: the context is unreachable with a reason, and must not hold up the others.
  writeFileSync(
    f,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: nowhere',
      '  cluster:',
      '    server: https://127.0.0.1:1',
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: nobody',
      '  user:',
      '    token: none',
      'contexts:',
      `- name: ${UNREACHABLE}`,
      '  context:',
      '    cluster: nowhere',
      '    user: nobody',
      '',
    ].join('\n'),
  );
  return f;
}

describe('VS Code extension in a real workbench (code-server)', function () {
  this.timeout(240_000);
  let sim: Sim;
  let wb: Workbench;
  let page: Page;

  /** A tree row whose accessible name (label, then description) starts with `name`. */
  const row = (name: string | RegExp): Locator =>
    page
      .getByRole('treeitem', {
        name: typeof name === 'string' ? new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`) : name,
      })
      .first();

  async function expand(name: string | RegExp): Promise<void> {
    const r = row(name);
    await r.waitFor({ timeout: 30_000 });
    // A row re-rendered by a live update (a context's state arriving) can swallow a click: click its twistie until open.
    await eventually(async () => {
      if ((await r.getAttribute('aria-expanded')) === 'true') return true;
      await r.locator('.monaco-tl-twistie').click();
      await page.waitForTimeout(300);
      return (await r.getAttribute('aria-expanded')) === 'true';
    }, 20_000);
  }

  async function collapse(name: string | RegExp): Promise<void> {
    const r = row(name);
    await r.waitFor({ timeout: 30_000 });
    await eventually(async () => {
      if ((await r.getAttribute('aria-expanded')) !== 'true') return true;
      await r.locator('.monaco-tl-twistie').click();
      await page.waitForTimeout(300);
      return (await r.getAttribute('aria-expanded')) !== 'true';
    }, 20_000);
  }

  const contextMenu = (rowName: string | RegExp, item: string) => treeContextMenu(page, row(rowName), item);

  before(async function () {
    // The one-time install (about two minutes) is not part of the suite's time.
    this.timeout(600_000);
    ensureCodeServer((s) => console.log(`[e2e] ${s}`));
    sim = await startTestSim({ scenario: 'demo' });
    const dir = mkdtempSync(join(tmpdir(), 'kubegraf-vscode-e2e-kube-'));
    const vsix = buildVsix(join(dir, 'vsix'));
    wb = await startWorkbench({
      vsix,
      settings: {
        'kubegraf.kubeconfigPaths': [sim.kubeconfig, unreachableKubeconfig(dir)],
        'kubegraf.probeTimeoutMs': 4000,
        'kubegraf.tree.refreshDebounceMs': 200,
      },
    });
    page = wb.page;
  });

  after(async () => {
    await wb?.close();
    await sim?.close();
  });

  afterEach(async function () {
    await reportFailure(wb, 'FAILED-', this.currentTest);
  });

  it('shows the KubeGraf icon in the activity bar and opens its views', async () => {
    const icon = page.locator('.part.activitybar .action-item a[aria-label^="KubeGraf"]');
    await icon.waitFor({ timeout: 30_000 });
    await icon.click();
    await page.locator('.pane-header', { hasText: 'Clusters' }).first().waitFor();
    await page.locator('.pane-header', { hasText: 'Incidents' }).first().waitFor();
    await wb.shot('activity-bar');
  });

  it('shows an unreachable context with its reason without blocking the others', async () => {
    // Only rendered rows can be read: fold the Incidents view (detection keeps running) so the Clusters view has the
    // side bar's height for the demo's many namespaces. The incidents test opens it again.
    const incidents = page.locator('.pane-header', { hasText: 'Incidents' }).first();
    if ((await incidents.getAttribute('aria-expanded')) === 'true') await incidents.click();
    await page.locator('.pane-header[aria-expanded="false"]', { hasText: 'Incidents' }).waitFor();
    const r = row(UNREACHABLE);
    await eventually(
      async () => /unreachable: .*(ECONNREFUSED|connect)/i.test((await r.getAttribute('aria-label')) ?? ''),
      30_000,
    );
    await expand(UNREACHABLE);
    await row(/^Unreachable: /).waitFor({ timeout: 15_000 });
    // The reachable context kept working meanwhile: its namespaces are listed.
    await row('payments').waitFor();
    await wb.shot('unreachable-context');
    await row(UNREACHABLE).click();
    await eventually(async () => (await row(UNREACHABLE).getAttribute('aria-expanded')) === 'false', 10_000);
  });

  it('lists the demo contexts and expands to namespaces, kinds and pods with their status', async () => {
    await row('kubegraf-sim').waitFor({ timeout: 30_000 });
    await row('kubegraf-sim-viewer').waitFor();
    await expand('kubegraf-sim');
    await expand('payments');
    await expand('Workloads');
    await expand('Pods');
    // A healthy StatefulSet pod and the demo's crash-looping worker, with status, readiness and restarts.
    await eventually(
      async () => /Running · 1\/1/.test((await row('ledger-db-0').getAttribute('aria-label')) ?? ''),
      30_000,
    );
    const worker = row(/^payments-worker-/);
    await eventually(
      async () =>
        /(CrashLoopBackOff|Error|Running) · 0\/1 · \d+ restarts/.test((await worker.getAttribute('aria-label')) ?? ''),
      30_000,
    );
    const fromKubectl = await kubectlOk(sim, ['get', 'pods', '-n', 'payments', '-o', 'name']);
    assert.match(fromKubectl, /pod\/ledger-db-0/);
    await wb.shot('tree-pods');
    // The extension is up and talking to the cluster: client-node's OIDC libraries, which read `navigator` when they
    // load, stayed out of its start-up (see esbuild.mjs).
    assert.doesNotMatch(wb.extHostLog(), /PendingMigrationError/);
  });

  it('opens the dashboard panel from the command palette with real cluster data', async () => {
    await runCommand(page, 'KubeGraf: Open Dashboard');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const body = frame.locator('body');
    await body.waitFor({ timeout: 30_000 });
    const count = async (args: string[]) =>
      (await kubectlOk(sim, [...args, '--no-headers'])).trim().split('\n').filter(Boolean).length;
    const nodes = await count(['get', 'nodes']);
    const namespaces = await count(['get', 'namespaces']);
    // The numbers come from the cluster through the webview bridge (route handlers in the extension host).
    const text = await eventually(async () => {
      const t = (await body.innerText()).replace(/\u00a0/g, ' ');
      return new RegExp(`Nodes\\s+${nodes}\\b`).test(t) &&
        new RegExp(`Namespaces\\s+${namespaces}\\b`).test(t) &&
        /Pods\s+\d+/.test(t)
        ? t
        : undefined;
    }, 30_000).catch(async (e) => {
      await wb.shot('dashboard-not-ready');
      throw new Error(
        `dashboard never showed ${nodes} nodes and ${namespaces} namespaces: ${(e as Error).message}\n${await body.innerText()}`,
      );
    });
    assert.match(text, /kubegraf-sim/);
    await wb.shot('dashboard');
    await page.keyboard.press('Control+W').catch(() => undefined);
  });

  it('opens a terminal into a pod where a command runs', async () => {
    await contextMenu('ledger-db-0', 'Open Terminal (Exec)');
    const terminal = page.locator('.terminal-wrapper .xterm-rows').last();
    await terminal.waitFor({ timeout: 30_000 });
    await eventually(async () => /Connecting to payments\/ledger-db-0/.test(await terminal.innerText()), 20_000);
    await page.locator('.terminal-wrapper .xterm').last().click();
    await page.waitForTimeout(1000);
    await page.keyboard.type('printenv KUBERNETES_SERVICE_HOST\n');
    await eventually(
      async () => /^10\.96\.0\.1\s*$/m.test((await terminal.innerText()).replace(/\u00a0/g, ' ')),
      20_000,
    );
    await wb.shot('exec-terminal');
    await page.keyboard.type('exit 3\n');
    await eventually(async () => /process exited with code 3/.test(await terminal.innerText()), 20_000);
    await wb.shot('exec-exit-code');
    await page.keyboard.press('Enter');
  });

  it('shows the logs of a pod', async () => {
    await contextMenu('ledger-db-0', 'Show Logs');
    const shown = await eventually(async () => {
      const lines = (await viewLines(page, '.part.panel')).filter((l) => l.trim() && !l.startsWith('#'));
      return lines.length >= 2 ? lines : undefined;
    }, 20_000);
    const real = await kubectlOk(sim, ['logs', '-n', 'payments', 'ledger-db-0']);
    assert.ok(
      shown.some((l) => real.includes(l.trim())),
      `none of the shown lines is in kubectl logs:\n${shown.join('\n')}`,
    );
    await wb.shot('logs');
  });

  it('describes a pod and shows its YAML in read-only editors', async () => {
    await contextMenu('ledger-db-0', 'Describe');
    await eventually(async () => {
      const text = (await viewLines(page, '.part.editor')).join('\n');
      return /Name:\s+ledger-db-0/.test(text) && /Namespace:\s+payments/.test(text);
    }, 20_000);
    await wb.shot('describe');
    await contextMenu('ledger-db-0', 'Show YAML');
    await eventually(async () => {
      const text = (await viewLines(page, '.part.editor')).join('\n');
      return /kind: Pod/.test(text) && /name: ledger-db-0/.test(text);
    }, 20_000);
    await wb.shot('yaml');
  });

  it('scales a deployment from the context menu and the cluster has the new replica count', async () => {
    // The terminal and output of the earlier tests take the lower half: hide the panel (VS Code's own command).
    await runCommand(page, 'View: Hide Panel');
    await page.locator('.part.panel').waitFor({ state: 'hidden' });
    // Fold the pods away so the deployments fit on screen (tree rows off screen are not rendered).
    await row(/^Pods\b/).click();
    await expand(/^Deployments/);
    await contextMenu(/^payments-api, /, 'Scale…');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill('3');
    // The quick input validates as one types (a round trip to the extension host): press Enter once it holds the
    // value and shows its prompt again, not the complaint about an earlier value.
    await eventually(
      async () =>
        (await input.inputValue()) === '3' &&
        /^Replicas \(now \d+\)/.test(
          (await page.locator('.quick-input-widget .quick-input-message').allInnerTexts()).join(''),
        ),
      30_000,
    );
    await wb.shot('scale-input');
    await page.keyboard.press('Enter');
    await eventually(
      async () =>
        (
          await kubectlOk(sim, [
            'get',
            'deployment',
            'payments-api',
            '-n',
            'payments',
            '-o',
            'jsonpath={.spec.replicas}',
          ])
        ).trim() === '3',
      60_000,
    );
    // The tree follows the watch: the row's readiness moves to x/3.
    await eventually(
      async () => /\d\/3 ready/.test((await row(/^payments-api, /).getAttribute('aria-label')) ?? ''),
      60_000,
    );
    await wb.shot('scaled');
  });

  it("lists the demo's incidents by severity with a live count badge", async () => {
    const header = page.locator('.pane-header', { hasText: 'Incidents' }).first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Incidents' }) });
    const rows = pane.locator('.monaco-list-row');
    // The crash-looping payments worker is an incident of the demo cluster from the start.
    await rows
      .filter({ hasText: 'payments-worker' })
      .first()
      .waitFor({ timeout: 90_000 })
      .catch(async (e) => {
        await wb.shot('incidents-missing');
        throw new Error(`${(e as Error).message}\nIncidents view shows: ${(await rows.allInnerTexts()).join(' | ')}`);
      });
    assert.ok(
      (await pane.getByRole('treeitem', { name: /^(Critical|High|Medium|Low)\b/ }).count()) > 0,
      'incidents are grouped by severity',
    );
    const badge = page.locator('.part.activitybar .action-item:has(a[aria-label^="KubeGraf"]) .badge-content');
    await eventually(async () => Number((await badge.innerText()).trim()) > 0, 15_000);
    await wb.shot('incidents');
  });

  it("opens the dashboard in a browser tab through code-server's proxy, with live data and working changes", async () => {
    // The palette lists the command once the extension's contributions are in (as its activity bar icon).
    await page.locator('.part.activitybar .action-item a[aria-label^="KubeGraf"]').waitFor({ timeout: 30_000 });
    const opened = page.context().waitForEvent('page', { timeout: 30_000 });
    await runCommand(page, 'KubeGraf: Open Dashboard in Browser');
    // code-server may first ask whether to open the website: confirm when it does, else the tab just opens.
    const confirm = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Open', exact: true });
    const tab = await Promise.race([
      opened,
      confirm.waitFor({ timeout: 30_000 }).then(async () => {
        await confirm.click();
        return opened;
      }),
    ]);
    const shot = async (name: string) => tab.screenshot({ path: join(SHOTS, `browser-tab-${name}.png`) });
    try {
      await tab.waitForLoadState('domcontentloaded');
      // Through code-server itself (its host, the server's port as a path prefix), not the server's own loopback port.
      const at = new URL(tab.url());
      assert.equal(at.origin, new URL(wb.url).origin, tab.url());
      assert.match(at.pathname, /^\/proxy\/\d+\/$/);
      await tab.getByTestId('page-dashboard').waitFor({ timeout: 30_000 });
      assert.ok(!tab.url().includes('token='), `token still in ${tab.url()}`);
      // The push socket goes through the proxy too (Host and Origin are code-server's): a refused socket would show
      // "Server disconnected" / "Connecting"; once open it reports the cluster's state.
      await tab
        .getByTestId('connection')
        .filter({ hasText: /Connected|Idle|Reconnecting|Cluster unreachable/ })
        .waitFor({ timeout: 30_000 });

      const base = `${at.origin}${at.pathname}`;
      await tab.goto(`${base}#/pods`);
      await tab.getByTestId('page-pods').waitFor();
      await tab.getByTestId('filter-text').fill('ledger-db');
      const pods = (await kubectlOk(sim, ['get', 'pods', '-n', 'payments', '-o', 'name']))
        .split('\n')
        .map((l) => l.replace('pod/', '').trim())
        .filter((n) => n.startsWith('ledger-db'));
      assert.ok(pods.length > 0, 'kubectl lists ledger-db pods');
      await eventually(async () => {
        const rows = await tab.getByTestId('row').allTextContents();
        return pods.every((p) => rows.some((r) => r.includes(p)));
      }, 30_000);
      await shot('pods');

      // A state change (POST) through the proxy: the server accepts code-server's Origin for this window.
      await tab.goto(`${base}#/settings`);
      const refresh = tab.getByLabel('Refresh interval (seconds)');
      await refresh.waitFor({ timeout: 30_000 });
      const value = String(Number(await refresh.inputValue()) === 17 ? 23 : 17);
      await refresh.fill(value);
      await tab.getByTestId('page-settings').getByRole('button', { name: 'Save', exact: true }).click();
      await tab
        .locator('.kg-toast', { hasText: /Settings saved|Save failed/ })
        .first()
        .waitFor({ timeout: 15_000 });
      assert.equal(
        await tab.locator('.kg-toast', { hasText: 'Save failed' }).count(),
        0,
        (await tab.locator('.kg-toast').allTextContents()).join(' | '),
      );
      // Stored by the server: a fresh load (the token stays with the tab) shows the new value.
      await tab.reload();
      await tab.getByTestId('page-settings').waitFor({ timeout: 30_000 });
      await eventually(async () => (await tab.getByLabel('Refresh interval (seconds)').inputValue()) === value, 20_000);
      await shot('settings-saved');
    } catch (e) {
      await shot('FAILED').catch(() => undefined);
      throw e;
    } finally {
      await tab.close();
      await page.bringToFront();
    }
  });

  it('rolls a StatefulSet back to an earlier ControllerRevision from the context menu, after a dry-run summary', async () => {
    const image = async () =>
      (
        await kubectlOk(sim, [
          'get',
          'statefulset',
          'ledger-db',
          '-n',
          'payments',
          '-o',
          'jsonpath={.spec.template.spec.containers[0].image}',
        ])
      ).trim();
    assert.equal(await image(), 'postgres:16.4');
    // Revision 2 of the StatefulSet: a new pod template, recorded by the controller as a second ControllerRevision.
    await kubectlOk(sim, ['set', 'image', 'statefulset/ledger-db', 'postgres=postgres:16.6', '-n', 'payments']);
    await eventually(async () => {
      const revs = JSON.parse(await kubectlOk(sim, ['get', 'controllerrevisions', '-n', 'payments', '-o', 'json']))
        .items as Array<{ revision: number; metadata: { ownerReferences?: Array<{ name: string }> } }>;
      return revs
        .filter((r) => r.metadata.ownerReferences?.some((o) => o.name === 'ledger-db'))
        .some((r) => r.revision === 2);
    }, 20_000);
    await collapse(/^Deployments/);
    await expand(/^StatefulSets/);
    await contextMenu(/^ledger-db, /, 'Roll Back…');
    // The revisions other than the current one, with their images.
    const rev1 = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Revision 1' }).first();
    await rev1.waitFor({ timeout: 15_000 });
    assert.match(await rev1.innerText(), /postgres:16\.4/);
    assert.equal(
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Revision 2' }).count(),
      0,
      'the current revision is not offered',
    );
    await wb.shot('rollback-revisions');
    await rev1.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 20_000 });
    const text = (await dialog.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /Roll back StatefulSet payments\/ledger-db to revision 1\?/);
    // The dry run's diff: the image goes from the running one back to revision 1's.
    assert.match(text, /^-.*postgres:16\.6/m);
    assert.match(text, /^\+.*postgres:16\.4/m);
    await wb.shot('rollback-confirm');
    await dialog.getByRole('button', { name: 'Roll Back', exact: true }).click();
    await eventually(async () => (await image()) === 'postgres:16.4', 20_000);
    await wb.shot('rolled-back');
  });

  it('applies the YAML of the active editor to the cluster after a dry-run diff and a modal confirm', async () => {
    const ns = `e2e-apply-${Date.now().toString(36)}`;
    const file = 'e2e-apply.yaml';
    writeFileSync(
      join(wb.workspace, file),
      [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        `  name: ${ns}`,
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: greeting',
        `  namespace: ${ns}`,
        'data:',
        '  hello: world',
        '',
      ].join('\n'),
    );
    await openFile(page, file);
    await runCommand(page, 'KubeGraf: Apply YAML to Cluster…');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    // The confirm names the context it applies to; the dry run's diff is open beside the YAML.
    const text = (await dialog.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /Apply 2 objects to context "kubegraf-sim"\?/);
    assert.match(text, new RegExp(`ConfigMap ${ns}/greeting`));
    await eventually(
      async () =>
        (await viewLines(page, '.part.editor')).some((l) =>
          /^# kubectl apply --server-side .* review for context kubegraf-sim/.test(l),
        ),
      15_000,
    );
    assert.notEqual((await kubectl(sim, ['get', 'namespace', ns])).code, 0, 'nothing is created before the confirm');
    await wb.shot('apply-confirm');
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await eventually(
      async () =>
        (await kubectlOk(sim, ['get', 'configmap', 'greeting', '-n', ns, '-o', 'jsonpath={.data.hello}'])).trim() ===
        'world',
      20_000,
    );
    await page
      .locator('.notification-toast', { hasText: `Applied ${file} to kubegraf-sim` })
      .first()
      .waitFor({ timeout: 15_000 });
    await wb.shot('applied');
  });
});
