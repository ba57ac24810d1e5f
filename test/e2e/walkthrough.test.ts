// A first-time user's walk through the dashboard on the demo cluster: every page of the navigation and every row
// action, in the dark and the light theme. It fails on what makes a user stop trusting the screen: a console error,
// a request that failed without the user asking for it, a blank page, raw API text (route paths, HTTP codes, JSON,
// camelCase keys as labels, ISO timestamps, unrounded floats), or a serious/critical axe-core (WCAG 2.1 A/AA) violation.
// Screenshots land in test-results/walk-<theme>-<page>.png.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PAGES } from '../../webviews/src/model/nav';
import { type DemoPage, useDemoPage } from './helpers/webDemo';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Text a user reads, minus the places that show raw text on purpose: YAML, logs, terminals, kubectl describe. */
// `code.kg-command`: a runbook's kubectl line is a command to copy, so its JSON patch is shown as typed.
const RAW_OK =
  '.cm-editor, .kg-logbox, .xterm, [data-testid=yaml-view], [data-testid=describe], [data-testid=log-lines], .kg-diff, code.kg-command';

/** What raw API text looks like on screen; each pattern names what it caught. */
const RAW_PATTERNS: Array<[string, RegExp]> = [
  ['a route path', /\b(GET|POST|PUT|PATCH|DELETE) \/api\//],
  ['an HTTP status', /\bHTTP [45]\d\d\b/],
  ['a JSON dump', /[{[]\s*"[\w.-]+"\s*:/],
  ['an ISO timestamp', /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/],
  // Four or more significant decimals: 0.004549444 and 12.3456 are unrounded; a price of $0.0045 is not.
  ['an unrounded number', /(?<![\w.:/-])\d+\.0*[1-9]\d{3,}(?![\w.-])/],
];
/** A camelCase word alone in a label (a column title, a field name, a card title): an API key shown as is. */
const CAMEL_LABEL = /^[a-z]+(?:[A-Z][a-z0-9]*)+$/;

interface Found {
  where: string;
  what: string;
}

describe('walkthrough: every page and row action on the demo cluster, both themes (Chromium)', function () {
  this.timeout(600_000);
  let { server, page, pageErrors, shot } = {} as DemoPage;
  useDemoPage({ name: 'walk', signIn: false }, (demo) => ({ server, page, pageErrors, shot } = demo));
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  let where = 'start';

  /** Polls a condition; the walk never sleeps for a fixed time. */
  const until = async (what: string, cond: () => Promise<boolean>, timeout = 30_000) => {
    const end = Date.now() + timeout;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`${where}: timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  before(async function () {
    this.timeout(180_000);
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${where}: ${m.text()}`);
    });
    page.on('requestfailed', (r) => {
      // ERR_ABORTED is the app cancelling its own request (a page left, a stream closed), not a failure.
      const err = r.failure()?.errorText ?? '';
      if (!/ERR_ABORTED/.test(err)) failedRequests.push(`${where}: ${r.method()} ${new URL(r.url()).pathname} ${err}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400)
        failedRequests.push(`${where}: ${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`);
    });
    await page.goto(server.url);
    await page.getByTestId('page-dashboard').waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor();
  });

  /** Serious and critical axe-core violations inside `scope` (the whole document by default). */
  const axe = async (scope = 'body'): Promise<string[]> => {
    if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
    const v = await page.evaluate(
      async ([sel, tags]) => {
        const a = (
          globalThis as unknown as {
            axe: {
              run: (
                c: unknown,
                o: unknown,
              ) => Promise<{
                violations: Array<{
                  id: string;
                  impact: string;
                  help: string;
                  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
                }>;
              }>;
            };
          }
        ).axe;
        const r = await a.run(sel, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return r.violations
          .filter((x) => x.impact === 'serious' || x.impact === 'critical')
          .flatMap((x) =>
            x.nodes
              .slice(0, 4)
              .map(
                (n) =>
                  `${x.id} (${x.impact}) ${JSON.stringify(n.target)}: ${(n.failureSummary ?? x.help).replace(/\s+/g, ' ').slice(0, 220)}`,
              ),
          );
      },
      [scope, AXE_TAGS] as const,
    );
    return v;
  };

  /** Raw API text on screen inside `scope`, outside the views that show raw text on purpose. */
  const rawText = async (scope: string): Promise<string[]> => {
    const { text, labels } = await page.evaluate(
      ([sel, ok]) => {
        // This tsconfig has no DOM types: the few calls used are typed here.
        type Text = { nodeValue: string | null };
        type El = {
          querySelectorAll: (s: string) => ArrayLike<{ remove: () => void; textContent: string | null }>;
          textContent: string | null;
          cloneNode: (deep: boolean) => El;
        };
        const d = (
          globalThis as unknown as {
            document: {
              querySelectorAll: (s: string) => ArrayLike<El>;
              createTreeWalker: (root: El, what: number) => { nextNode: () => Text | null };
            };
          }
        ).document;
        let text = '';
        const labels: string[] = [];
        for (const root of Array.from(d.querySelectorAll(sel))) {
          const c = root.cloneNode(true);
          for (const x of Array.from(c.querySelectorAll(ok))) x.remove();
          // One line per text node: cells must not run together ("Analysed0.0045" would hide an unrounded number).
          const walker = d.createTreeWalker(c, 4);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) text += `${n.nodeValue ?? ''}\n`;
          for (const l of Array.from(c.querySelectorAll('th, dt, [role=columnheader], .kg-card-title, h2, h3, label')))
            labels.push((l.textContent ?? '').trim());
        }
        return { text, labels };
      },
      [scope, RAW_OK] as const,
    );
    const out: string[] = [];
    for (const [what, re] of RAW_PATTERNS) {
      const m = re.exec(text);
      if (m) out.push(`${what}: "${text.slice(Math.max(0, m.index - 30), m.index + 50).replace(/\s+/g, ' ')}"`);
    }
    for (const l of labels) if (CAMEL_LABEL.test(l)) out.push(`a camelCase key as a label: "${l}"`);
    return out;
  };

  /** The page settles: content shown, no spinner left in the main area. */
  const settle = async () => {
    await until('the page shows content', async () => (await page.locator('main').innerText()).trim().length > 20);
    await until(
      'the page stops loading',
      async () => (await page.locator('main [data-testid=state-loading]').count()) === 0,
    );
    // A table's rows come with their column titles.
    await until(
      'the table shows its columns',
      async () =>
        (await page.locator('main [data-testid=row]').count()) === 0 ||
        (await page.locator('main [role=columnheader] .kg-sort').count()) > 0,
    );
  };

  const closeDialog = async () => {
    const dialog = page.getByRole('dialog');
    // The shell dialog keeps Escape for the terminal (vi, less); every dialog has a Close button.
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'detached' });
  };

  /** What has the focus, and whether it shows a focus ring (an outline). */
  const focused = async () =>
    (await page.evaluate(`(() => {
      const el = document.activeElement;
      const cs = el ? getComputedStyle(el) : undefined;
      return {
        testId: el?.getAttribute('data-testid') ?? '',
        label: el?.getAttribute('aria-label') ?? el?.textContent?.trim().slice(0, 40) ?? '',
        cls: el?.className ?? '',
        inDialog: !!el?.closest('[role=dialog]'),
        inPalette: !!el?.closest('[data-testid=palette]'),
        ring: !!cs && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0,
      };
    })()`)) as { testId: string; label: string; cls: string; inDialog: boolean; inPalette: boolean; ring: boolean };

  it('works from the keyboard alone, with a visible focus ring on every stop', async () => {
    where = 'keyboard';
    await page.evaluate(`location.hash = '#/dashboard'`);
    await page.getByTestId('page-dashboard').waitFor();
    // The first Tab stop skips the navigation; Enter lands in the page.
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('Tab');
    let f = await focused();
    assert.match(String(f.cls), /kg-skip/, `first Tab stop: ${JSON.stringify(f)}`);
    assert.ok(f.ring, 'the skip link shows its focus');
    await page.keyboard.press('Enter');
    assert.equal((await page.evaluate('document.activeElement?.id')) as string, 'kg-main');
    // A sidebar link opens its page with Enter.
    await page.getByTestId('nav-deployments').focus();
    assert.ok((await focused()).ring, 'a sidebar link shows its focus');
    await page.keyboard.press('Enter');
    await page.getByTestId('page-deployments').locator('[data-testid=row]').first().waitFor();
    // The table: Arrow keys move the row, Enter opens the drawer, Escape closes it and gives the focus back.
    await page.getByTestId('table-body').focus();
    assert.ok((await focused()).ring, 'the table shows its focus');
    await page.keyboard.press('ArrowDown');
    await page.locator('[data-testid=row].kg-active[aria-rowindex="3"]').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('drawer').waitFor();
    assert.ok((await focused()).inDialog, 'the drawer takes the focus');
    await page.keyboard.press('Tab');
    f = await focused();
    assert.ok(f.inDialog && f.ring, `Tab moves inside the drawer with a visible ring: ${JSON.stringify(f)}`);
    await page.keyboard.press('Escape');
    await page.getByTestId('drawer').waitFor({ state: 'detached' });
    assert.equal((await focused()).testId, 'table-body', 'the focus returns to the table');
    // A row action's dialog: focus inside, Tab stays inside, Escape closes and returns the focus to the button.
    await page.locator('[data-testid=row]').first().getByTestId('action-scale').focus();
    assert.ok((await focused()).ring, 'a row action shows its focus');
    await page.keyboard.press('Enter');
    await page.getByTestId('scale-dialog').waitFor();
    for (let i = 0; i < 6; i++) {
      f = await focused();
      assert.ok(f.inDialog && f.ring, `Tab ${i} stays in the dialog with a visible ring: ${JSON.stringify(f)}`);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // Rows are live (the demo is seconds old): the focus may come back a frame later, to the button in the same row.
    await until('the focus returns to the action', async () => (await focused()).testId === 'action-scale', 5000);
    // The palette: Ctrl+K, type, Enter.
    await page.keyboard.press('Control+K');
    await page.getByTestId('palette').waitFor();
    assert.ok((await focused()).inPalette, 'the palette takes the focus');
    await page.keyboard.type('events');
    await page.keyboard.press('Enter');
    await page.getByTestId('page-events').waitFor();
    const report = [...pageErrors, ...consoleErrors, ...failedRequests];
    pageErrors.length = consoleErrors.length = failedRequests.length = 0;
    assert.deepEqual(report, []);
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`${theme} theme: every page and row action is readable, accessible and error-free`, async () => {
      const found: Found[] = [];
      const add = (what: string[]) => found.push(...what.map((w) => ({ where, what: w })));
      const isDark = /vscode-dark/.test((await page.locator('body').getAttribute('class')) ?? '');
      if ((theme === 'dark') !== isDark) await page.getByTestId('theme-toggle').click();
      await until(`the ${theme} theme applies`, async () =>
        new RegExp(`vscode-${theme}`).test((await page.locator('body').getAttribute('class')) ?? ''),
      );
      const actionsSeen = new Set<string>();
      for (const pg of PAGES) {
        where = `${theme} #/${pg.id}`;
        try {
          await visit(pg);
        } catch (e) {
          // One page that never settles must not hide what the rest of the walk finds.
          add([(e as Error).message.split('\n')[0]]);
          await page.keyboard.press('Escape');
        }
      }
      async function visit(pg: (typeof PAGES)[number]) {
        await page.evaluate(`location.hash = '#/${pg.id}'`);
        await page
          .locator(`[data-testid=nav-${pg.id}][aria-current=page], main [data-testid^=page-]`)
          .first()
          .waitFor();
        await settle();
        await shot(`${theme}-${pg.id}`);
        add(await rawText('main'));
        add(await axe());
        // Row actions: the first row's, each kind of action once per theme (they are the same dialogs on every kind).
        const row = page.locator('main [data-testid=row]').first();
        if (pg.view.type !== 'resource' || !(await row.count())) return;
        for (const id of await row
          .locator('[data-testid^=action-]')
          .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid') ?? ''))) {
          const key = `${id}${id === 'action-logs' && pg.id !== 'pods' ? '-workload' : ''}`;
          if (actionsSeen.has(key)) continue;
          actionsSeen.add(key);
          where = `${theme} #/${pg.id} ${id}`;
          await row.getByTestId(id).click();
          if (key === 'action-logs-workload') {
            // A workload's logs open on the Logs page, merged across its pods.
            await page.getByTestId('page-logs').waitFor();
            await settle();
            await shot(`${theme}-${pg.id}-${id}`);
            add(await rawText('main'));
            add(await axe());
            await page.goBack();
            await page.locator(`main [data-testid=page-${pg.view.many}]`).waitFor();
            continue;
          }
          const dialog = page.getByRole('dialog');
          await dialog.waitFor();
          await until('the dialog stops loading', async () => !/Loading/.test(await dialog.innerText()));
          await shot(`${theme}-${pg.id}-${id}`);
          add(await rawText('[role=dialog]'));
          add(await axe());
          await closeDialog();
        }
        // The detail drawer of the first row (keyboard: Enter on the focused table opens it, Escape closes it).
        where = `${theme} #/${pg.id} drawer`;
        await page.getByTestId('table-body').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('drawer').waitFor();
        await until(
          'the drawer stops loading',
          async () => (await page.locator('[data-testid=drawer] [data-testid=state-loading]').count()) === 0,
        );
        if (pg.id === 'pods' || pg.id === 'deployments') {
          await shot(`${theme}-${pg.id}-drawer`);
          add(await rawText('[data-testid=drawer]'));
          add(await axe());
        }
        await page.keyboard.press('Escape');
        await page.getByTestId('drawer').waitFor({ state: 'detached' });
      }
      where = `${theme} end`;
      const report = [
        ...found.map((f) => `${f.where}: ${f.what}`),
        ...pageErrors.map((e) => `uncaught: ${e}`),
        ...consoleErrors.map((e) => `console: ${e}`),
        ...failedRequests.map((e) => `request: ${e}`),
      ];
      pageErrors.length = consoleErrors.length = failedRequests.length = 0;
      assert.deepEqual(report, [], `the walkthrough found ${report.length} problems:\n${report.join('\n')}`);
    });
  }

  it("follows VS Code's high-contrast theme: outlined badges and states, no serious or critical axe violation", async () => {
    // What the VS Code panel gets in "Dark High Contrast": the body class and the theme's variables on <html>
    // (values of VS Code's hc-black theme). The browser tab's own theme classes are taken off for the check.
    const HC_BLACK: Record<string, string> = {
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': 'monospace',
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-sideBar-background': '#000000',
      '--vscode-sideBar-foreground': '#ffffff',
      '--vscode-panel-background': '#000000',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-focusBorder': '#f38518',
      '--vscode-input-background': '#000000',
      '--vscode-input-foreground': '#ffffff',
      '--vscode-input-border': '#6fc3df',
      '--vscode-input-placeholderForeground': '#ffffffb3',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-list-hoverBackground': '#000000',
      '--vscode-list-activeSelectionBackground': '#000000',
      '--vscode-list-inactiveSelectionBackground': '#000000',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-errorForeground': '#f48771',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-yellow': '#ffd370',
      '--vscode-charts-red': '#f48771',
      '--vscode-charts-blue': '#75beff',
      '--vscode-editorWidget-background': '#0c141f',
      '--vscode-widget-shadow': 'transparent',
    };
    where = 'high contrast';
    await page.evaluate(`(() => {
      document.body.classList.remove('vscode-dark', 'vscode-light');
      document.body.classList.add('vscode-high-contrast');
      for (const [k, v] of Object.entries(${JSON.stringify(HC_BLACK)})) document.documentElement.style.setProperty(k, v);
    })()`);
    const found: string[] = [];
    for (const id of ['dashboard', 'pods', 'incidents', 'cost']) {
      where = `high contrast #/${id}`;
      await page.evaluate(`location.hash = '#/${id}'`);
      await settle();
      await shot(`hc-${id}`);
      found.push(...(await axe()).map((v) => `${where}: ${v}`));
    }
    // Colour alone says nothing in high contrast: the incident count badge is outlined, on the page's own background.
    const badge = (await page.evaluate(
      `(() => { const b = document.querySelector('.kg-pulse, .kg-badge'); const cs = b && getComputedStyle(b); return cs ? { border: cs.borderTopStyle, bg: cs.backgroundColor } : undefined; })()`,
    )) as { border: string; bg: string } | undefined;
    found.push(...pageErrors, ...consoleErrors, ...failedRequests);
    pageErrors.length = consoleErrors.length = failedRequests.length = 0;
    assert.equal(badge?.border, 'solid', 'badges are outlined');
    assert.equal(badge?.bg, 'rgb(0, 0, 0)', 'badges sit on the editor background');
    assert.deepEqual(found, []);
  });
});
