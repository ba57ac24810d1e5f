// The YAML editor of the dashboard in real Chromium against `kubegraf web --demo`: highlighting, live lint, the
// kubectl-edit identity rules, Review → Apply read back from the cluster, a conflict and its reload, unsaved edits.
// Debian's chromium is driven by playwright-core; nothing is downloaded.
import assert from 'node:assert/strict';
import { type DemoPage, useDemoPage } from './helpers/webDemo';

const NS = 'monitoring';
const NAME = 'grafana';
const DRAWER = `#/deployments?name=${NAME}&ns=${NS}&tab=yaml`;

interface Deployment {
  metadata: { resourceVersion: string };
  spec: { replicas: number };
  status?: {
    readyReplicas?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
  };
}

describe('YAML editor (kubegraf web --demo, Chromium)', function () {
  this.timeout(120_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'yaml' }, (demo) => ({ server, page, pageErrors, shot } = demo));

  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${server.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${server.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.equal(r.status, 200, `${method} ${path} answered ${r.status}: ${await r.clone().text()}`);
    return (await r.json()) as T;
  };
  const deployment = async () =>
    (await call<{ object: Deployment }>('GET', `/api/deployment/details?namespace=${NS}&name=${NAME}`)).object;
  const until = async (what: string, cond: () => Promise<boolean>, timeout = 15_000) => {
    const end = Date.now() + timeout;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** The deployment's controller has caught up, so its resourceVersion holds still while the test edits it. */
  const settled = async (replicas: number) => {
    await until(
      `${NAME} runs ${replicas} ready replicas`,
      async () => {
        const d = await deployment();
        return (
          d.spec.replicas === replicas &&
          d.status?.readyReplicas === replicas &&
          d.status?.updatedReplicas === replicas &&
          d.status?.availableReplicas === replicas
        );
      },
      60_000,
    );
    let rv = '';
    await until(
      'the deployment stops changing',
      async () => {
        const now = (await deployment()).metadata.resourceVersion;
        const same = now === rv;
        rv = now;
        if (!same) await new Promise((r) => setTimeout(r, 1000));
        return same;
      },
      30_000,
    );
  };
  const line = (re: RegExp) => page.locator('[data-testid=yaml-editor] .cm-line').filter({ hasText: re }).first();
  const disabled = async (testId: string) => (await page.getByTestId(testId).getAttribute('disabled')) !== null;
  const editorText = async () =>
    (await page.locator('[data-testid=yaml-editor] .cm-content').innerText()).replace(/\u00a0/g, ' ');
  const openDrawer = async () => {
    await page.goto(`${server.base}/#/dashboard`);
    await page.getByTestId('page-dashboard').waitFor();
    await page.goto(`${server.base}/${DRAWER}`);
    await page.getByTestId('drawer').waitFor();
  };
  /** The 1-based line of `text` in the YAML the server sends for this object. */
  const lineOf = async (re: RegExp) => {
    const y = (await call<{ yaml: string }>('GET', `/api/deployment/yaml?namespace=${NS}&name=${NAME}`)).yaml;
    const i = y.split('\n').findIndex((l) => re.test(l));
    assert.ok(i >= 0, `${re} is in the YAML`);
    return i + 1;
  };
  const undoUntilClean = async () => {
    for (let i = 0; i < 6 && (await page.getByTestId('yaml-problems').count()) > 0; i++) {
      await page.keyboard.press('Control+z');
      await new Promise((r) => setTimeout(r, 450));
    }
    await page.getByTestId('yaml-problems').waitFor({ state: 'detached' });
  };

  before(async function () {
    this.timeout(180_000);
    await settled(1);
  });

  it('shows the YAML highlighted, with line numbers and folding, read-only until Edit', async () => {
    await openDrawer();
    const view = page.getByTestId('yaml-view');
    await view.locator('.cm-content').filter({ hasText: 'kind: Deployment' }).waitFor();
    // Highlighting is token spans: keys, and values typed the way YAML reads them.
    await view
      .locator('.kg-tok-key', { hasText: /^apiVersion$/ })
      .first()
      .waitFor();
    await view
      .locator('.kg-tok-value', { hasText: /^Deployment$/ })
      .first()
      .waitFor();
    await view.locator('.kg-tok-number', { hasText: /^1$/ }).first().waitFor();
    assert.ok((await view.locator('.cm-lineNumbers .cm-gutterElement').count()) > 10, 'line numbers are shown');
    assert.ok(
      (await view.locator('.cm-foldGutter .cm-gutterElement span[title]').count()) > 0,
      'fold markers are shown',
    );
    const content = view.locator('.cm-content');
    assert.equal(await content.getAttribute('aria-label'), `YAML of Deployment ${NAME}`);
    assert.equal(await content.getAttribute('aria-readonly'), 'true');
    await shot('view');
  });

  it('moves focus into the editor on Edit and marks a syntax error on its line, with Apply disabled', async () => {
    await page.getByTestId('yaml-edit').click();
    await page.locator('[data-testid=yaml-editor] .cm-editor.cm-focused').waitFor();
    assert.equal(await page.locator('[data-testid=yaml-editor] .cm-content').getAttribute('aria-readonly'), 'false');
    assert.ok(await disabled('yaml-apply'), 'nothing reviewed yet: Apply is disabled');
    const n = await lineOf(/^ {2}replicas: 1$/);
    // Search (Ctrl-F) finds the line; Escape closes the panel and leaves the match selected.
    await page.keyboard.press('Control+f');
    await page.locator('.cm-search input[name=search]').waitFor();
    await page.keyboard.type('  replicas: 1');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.locator('.cm-search').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('drawer').count(), 1, 'Escape in the editor does not close the drawer');
    await page.keyboard.press('End');
    await page.keyboard.type(': 3');
    await page.getByTestId('yaml-problem').first().waitFor();
    const problem = (await page.getByTestId('yaml-problem').first().textContent()) ?? '';
    assert.match(problem, new RegExp(`^Line ${n}, col \\d+ error: `), problem);
    // The inline mark sits on that line.
    const marked = page
      .locator('[data-testid=yaml-editor] .cm-line')
      .filter({ has: page.locator('.cm-lintRange-error') })
      .first();
    assert.equal((await marked.innerText()).replace(/\u00a0/g, ' '), '  replicas: 1: 3');
    assert.ok(
      (await page.locator('[data-testid=yaml-editor] .cm-lint-marker-error').count()) > 0,
      'the gutter marks it too',
    );
    assert.ok(await disabled('yaml-apply'), 'Apply is disabled while there are errors');
    assert.ok(await disabled('yaml-review'), 'Review is disabled while there are errors');
    assert.match((await page.getByTestId('yaml-status').textContent()) ?? '', /1 problem/);
    await shot('syntax-error');
    await undoUntilClean();
    assert.match(await editorText(), /\n {2}replicas: 1\n/);
  });

  it('refuses a change of kind with a clear message, as kubectl edit does', async () => {
    await line(/^kind: Deployment$/)
      .locator('.kg-tok-value')
      .dblclick();
    await page.keyboard.type('StatefulSet');
    const problem = page
      .getByTestId('yaml-problem')
      .filter({ hasText: 'kind cannot be changed from Deployment to StatefulSet' });
    await problem.waitFor();
    assert.match((await problem.textContent()) ?? '', /^Line 2, col 7 error: /);
    // Ctrl-S does not send it to the server.
    await page.keyboard.press('Control+s');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await page.getByTestId('yaml-preview').count(), 0);
    assert.ok(await disabled('yaml-apply'));
    await shot('kind-refused');
    await undoUntilClean();
    assert.match(await editorText(), /^apiVersion: apps\/v1\nkind: Deployment\n/);
  });

  it('edits replicas, reviews the server dry-run diff with Ctrl-S, applies it, and the cluster has the change', async () => {
    await line(/^ {2}replicas: 1$/).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('2');
    await until('Review is enabled', async () => !(await disabled('yaml-review')));
    await page.keyboard.press('Control+s');
    const diff = page.getByTestId('yaml-diff');
    await diff.waitFor();
    const lines = await diff.locator('div').allTextContents();
    assert.ok(lines.includes('-  replicas: 1') && lines.includes('+  replicas: 2'), lines.join('\n'));
    // replicas, and the generation the server bumps for a spec change.
    assert.match(await page.getByTestId('yaml-diff-summary').innerText(), /^\+\d+ −\d+/);
    assert.equal((await deployment()).spec.replicas, 1, 'a review changes nothing on the cluster');
    assert.ok(!(await disabled('yaml-apply')), 'reviewed: Apply is enabled');
    await shot('review-diff');
    await page.getByTestId('yaml-apply').click();
    await page.getByTestId('yaml-edit').waitFor();
    assert.equal((await deployment()).spec.replicas, 2);
    // The view reloads with what the server now stores.
    await page
      .getByTestId('yaml-view')
      .locator('.cm-line', { hasText: /^ {2}replicas: 2$/ })
      .waitFor();
  });

  it('reports a conflict when the object changed on the cluster meanwhile, and reloads the latest keeping the edit', async () => {
    await settled(2);
    await openDrawer();
    await page
      .getByTestId('yaml-view')
      .locator('.cm-line', { hasText: /^ {2}replicas: 2$/ })
      .waitFor();
    await page.getByTestId('yaml-edit').click();
    await line(/^ {2}replicas: 2$/).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('3');
    await until('Review is enabled', async () => !(await disabled('yaml-review')));
    await page.getByTestId('yaml-review').click();
    await page.getByTestId('yaml-diff').waitFor();
    // Someone else scales it between the review and the apply.
    await call('POST', '/api/deployment/scale', { namespace: NS, name: NAME, replicas: 4 });
    // Its controller then rolls the status for a while; the reloaded version must be the last one.
    await settled(4);
    await page.getByTestId('yaml-apply').click();
    const conflict = page.getByTestId('yaml-conflict');
    await conflict.waitFor();
    assert.match((await conflict.textContent()) ?? '', /changed on the cluster since you opened it/);
    assert.equal((await deployment()).spec.replicas, 4, 'the other change was not overwritten');
    assert.match(await editorText(), /\n {2}replicas: 3\n/, 'the edit is still in the editor');
    await shot('conflict');
    await page.getByTestId('yaml-reload').click();
    await page.getByTestId('yaml-conflict').waitFor({ state: 'detached' });
    await line(/^ {2}replicas: 4$/).waitFor();
    const stash = (await page.getByTestId('yaml-stash').textContent()) ?? '';
    assert.match(stash, /\n {2}replicas: 3\n/, "the user's text is kept to copy");
    await shot('conflict-reloaded');
    // The reloaded text is current: making the change again applies cleanly.
    await line(/^ {2}replicas: 4$/).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('3');
    await until('Review is enabled', async () => !(await disabled('yaml-review')));
    await page.keyboard.press('Control+s');
    await page.getByTestId('yaml-diff').waitFor();
    await page.getByTestId('yaml-apply').click();
    await page.getByTestId('yaml-edit').waitFor();
    assert.equal((await deployment()).spec.replicas, 3);
  });

  it('keeps unsaved edits: Cancel asks first, and closing the drawer does not lose them', async () => {
    await settled(3);
    await openDrawer();
    await page.getByTestId('yaml-edit').click();
    await line(/^ {2}replicas: 3$/).click();
    await page.keyboard.press('End');
    await page.keyboard.type('0');
    // Tab inserts two spaces (YAML has no tabs); undo takes them back out.
    await page.keyboard.press('Tab');
    assert.match(await editorText(), /\n {2}replicas: 30 {2}\n/);
    await page.keyboard.press('Control+z');
    await until('undo removes the spaces', async () => /\n {2}replicas: 30\n/.test(await editorText()));
    await page.getByTestId('yaml-cancel').click();
    await page.getByTestId('confirm').waitFor();
    assert.match((await page.getByTestId('confirm').textContent()) ?? '', /Discard your changes\?/);
    await page.getByTestId('confirm').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('confirm').waitFor({ state: 'detached' });
    assert.match(await editorText(), /\n {2}replicas: 30\n/);
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.getByTestId('drawer').waitFor({ state: 'detached' });
    await page.goto(`${server.base}/${DRAWER}`);
    await page.getByTestId('yaml-restored').waitFor();
    assert.match(await editorText(), /\n {2}replicas: 30\n/, 'the draft came back');
    await page.getByTestId('yaml-cancel').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('yaml-edit').waitFor();
    await page
      .getByTestId('yaml-view')
      .locator('.cm-line', { hasText: /^ {2}replicas: 3$/ })
      .waitFor();
    assert.equal((await deployment()).spec.replicas, 3, 'nothing was applied');
  });

  it("takes its colours from the theme: VS Code variables, with the app's dark and light fallbacks", async () => {
    const key = page
      .getByTestId('yaml-view')
      .locator('.kg-tok-key', { hasText: /^apiVersion$/ })
      .first();
    const bg = page.getByTestId('yaml-view').locator('.cm-editor');
    // No DOM types in this tsconfig: the page's own getComputedStyle, reached through globalThis.
    const style = (l: typeof key, prop: 'color' | 'backgroundColor') =>
      l.evaluate(
        (el, pr) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(el)[pr],
        prop,
      );
    assert.match((await page.locator('body').getAttribute('class')) ?? '', /vscode-dark/);
    // Keys mix the theme's link colour into its text colour (WCAG contrast on every theme): whatever the theme's
    // variables are, the key is that mix. A probe element in the editor resolves the same expression.
    const KEY =
      'color-mix(in srgb, var(--vscode-symbolIcon-variableForeground, var(--vscode-textLink-foreground)) 80%, var(--vscode-editor-foreground))';
    const themed = () =>
      bg.evaluate((el, expr) => {
        const g = globalThis as unknown as {
          document: { createElement(t: string): { style: Record<string, string>; remove(): void } };
          getComputedStyle(e: unknown): Record<string, string>;
        };
        const probe = g.document.createElement('span');
        probe.style.color = expr;
        (el as { appendChild(n: unknown): void }).appendChild(probe);
        const c = g.getComputedStyle(probe).color;
        probe.remove();
        return c;
      }, KEY);
    const darkKey = await style(key, 'color');
    assert.equal(darkKey, await themed());
    assert.equal(await style(bg, 'backgroundColor'), 'rgb(31, 31, 31)');
    // The drawer covers the header's theme button; the click goes to the button itself.
    await page.getByTestId('theme-toggle').dispatchEvent('click');
    await until('the light theme is on', async () =>
      /vscode-light/.test((await page.locator('body').getAttribute('class')) ?? ''),
    );
    assert.equal(await style(key, 'color'), await themed());
    assert.notEqual(await style(key, 'color'), darkKey, 'the light theme has its own key colour');
    assert.equal(await style(bg, 'backgroundColor'), 'rgb(255, 255, 255)');
    await page.getByTestId('yaml-edit').click();
    await line(/^ {2}replicas: 3$/).click();
    await page.keyboard.press('End');
    await page.keyboard.type(': x');
    await page.getByTestId('yaml-problem').first().waitFor();
    await shot('light');
    await undoUntilClean();
    await page.getByTestId('yaml-cancel').click();
    await page.getByTestId('theme-toggle').dispatchEvent('click');
    assert.deepEqual(pageErrors, []);
  });
});
