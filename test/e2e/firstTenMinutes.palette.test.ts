// The first ten minutes, in real Chromium over the local server on the demo cluster: dead ends lead somewhere, the
// palette finds a pod by name and acts on it, every incident count on screen agrees (also within a namespace scope),
// a direct link opens no socket it then drops, and the AI pages set a provider up (with a connection test against the
// offline fake provider) in plain words.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type FakeAiApp, useFakeAiApp } from './helpers/fakeAiApp';
import { SHOTS } from './helpers/webDemo';

const KEY = 'sk-first-ten-minutes-4242';

describe('first ten minutes: dead ends, palette, counts, AI setup (Chromium)', function () {
  this.timeout(120_000);
  let { app, fake, browser, page, pageErrors } = {} as FakeAiApp;
  useFakeAiApp(
    { name: 'first-ten', script: () => ({ text: 'OK' }) },
    (started) => ({ app, fake, browser, page, pageErrors } = started),
  );

  const base = () => app.server.url;
  const apiGet = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${base()}${path}`, { headers: { Authorization: `Bearer ${app.token}` } });
    assert.equal(r.status, 200, `${path} answered ${r.status}`);
    return (await r.json()) as T;
  };
  /** Polls a condition read from the page (the CSP forbids evaluating strings; this tsconfig has no DOM). */
  const until = async (what: string, cond: () => Promise<boolean>, timeout = 20_000) => {
    const end = Date.now() + timeout;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const shot = async (name: string, p: Page = page) => {
    mkdirSync(SHOTS, { recursive: true });
    await p.screenshot({ path: join(SHOTS, `first-ten-${name}.png`) });
  };
  /** Nothing on screen that only a developer reads: route paths, HTTP status codes, error codes. */
  const assertPlain = async (p: Page = page) => {
    const text = await p.locator('body').innerText();
    assert.doesNotMatch(
      text,
      /\/api\/|HTTP \d{3}|\b(424|501)\b|aiNotConfigured|invalidParams/,
      `developer text on screen: ${text.slice(0, 600)}`,
    );
  };

  before(async () => {
    await page.goto(app.launchUrl);
    await page.getByTestId('page-dashboard').waitFor();
  });

  afterEach(() => assert.deepEqual(pageErrors.splice(0), []));

  describe('dead ends', () => {
    it('an unknown path on the server shows "Page not found" with a way back to the dashboard', async () => {
      const res = await page.goto(`${base()}/this/does/not/exist`);
      assert.equal(res?.status(), 404);
      await page.getByTestId('not-found').waitFor();
      assert.match(await page.getByTestId('not-found').innerText(), /Page not found[\s\S]*\/this\/does\/not\/exist/);
      await shot('server-not-found');
      await page.getByTestId('not-found-home').click();
      await page.getByTestId('page-dashboard').waitFor();
      assert.equal(new URL(page.url()).pathname, '/');
      // The API keeps answering unknown routes as JSON errors.
      const api = await fetch(`${base()}/api/this/does/not/exist`, {
        headers: { Authorization: `Bearer ${app.token}` },
      });
      assert.equal(api.status, 404);
      const body = (await api.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'notFound');
      assert.ok(body.error.message);
    });

    it('an unknown #/ route shows "not found" (not the dashboard) and leads back', async () => {
      await page.goto(`${base()}/#/no-such-page`);
      await page.getByTestId('page-not-found').waitFor();
      assert.equal(await page.getByTestId('page-dashboard').count(), 0);
      assert.match(await page.getByTestId('page-not-found').innerText(), /Page not found[\s\S]*no-such-page/);
      await shot('route-not-found');
      await page.getByTestId('not-found-home').click();
      await page.getByTestId('page-dashboard').waitFor();
      assert.equal(new URL(page.url()).hash, '#/dashboard');
    });
  });

  describe('direct links and sockets', () => {
    it('a direct link without a session shows the sign-in page and opens no socket it then drops', async () => {
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      const sockets: string[] = [];
      const logs: string[] = [];
      p.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));
      p.on('console', (m) => logs.push(m.text()));
      try {
        await p.goto(`${base()}/#/metrics`);
        await p.getByTestId('sign-in').waitFor();
        assert.deepEqual(sockets, [], 'sockets opened before the server let the page in');
        assert.deepEqual(
          logs.filter((m) => /closed before the connection is established/.test(m)),
          [],
        );
      } finally {
        await ctx.close();
      }
    });

    it('a direct link with the token opens the metrics page and its stream once', async () => {
      const ctx = await browser.newContext();
      const p = await ctx.newPage();
      const sockets: string[] = [];
      const logs: string[] = [];
      p.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));
      p.on('console', (m) => logs.push(m.text()));
      try {
        await p.goto(`${app.launchUrl}#/metrics`);
        await p.getByTestId('page-metrics').waitFor();
        await until('the metrics stream is open', async () => sockets.includes('/ws/metrics'));
        await p.getByText('live, every 5 s').waitFor();
        assert.equal(sockets.filter((s) => s === '/ws/metrics').length, 1);
        // Another page that shows metrics takes the same stream over.
        await p.getByTestId('nav-nodes').click();
        await p.getByTestId('node-usage').waitFor();
        await p.getByTestId('nav-dashboard').click();
        await p.getByTestId('page-dashboard').waitFor();
        assert.equal(sockets.filter((s) => s === '/ws/metrics').length, 1);
        assert.deepEqual(
          logs.filter((m) => /closed before the connection is established|WebSocket connection .* failed/.test(m)),
          [],
        );
      } finally {
        await ctx.close();
      }
    });
  });

  describe('the palette finds things', () => {
    const openPalette = async () => {
      await page.keyboard.press('Control+K');
      await page.getByTestId('palette-input').waitFor();
    };

    it('typing a pod name finds the pod (and other kinds named so); choosing it opens its details', async () => {
      await page.goto(`${base()}/#/dashboard`);
      await page.getByTestId('page-dashboard').waitFor();
      const pods = (
        await apiGet<{ items: Array<{ name: string; namespace: string }> }>('/api/pods?namespace=shop')
      ).items.filter((p) => p.name.startsWith('checkout-'));
      assert.ok(pods.length, 'the demo has checkout pods');
      await openPalette();
      await page.getByTestId('palette-input').fill('checkout');
      const pod = page.getByTestId('palette-item').filter({ hasText: pods[0].name });
      await pod.waitFor();
      assert.match(await pod.innerText(), /Pod · shop/);
      const groups = await page
        .getByTestId('palette-item')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-group')));
      assert.ok(groups.includes('Resources'));
      const labels = await page.getByTestId('palette-item').allInnerTexts();
      assert.ok(
        labels.some((l) => /^checkout\s*Deployment/.test(l)),
        `no Deployment checkout in ${labels.join(' | ')}`,
      );
      await shot('palette-search');
      await pod.click();
      await page.getByTestId('page-pods').waitFor();
      await page.getByTestId('drawer-title').filter({ hasText: pods[0].name }).waitFor();
      await page.getByTestId('overview').waitFor();
    });

    it('runs an action on a pod found by name: → lists its actions, Restart asks, then replaces the pod', async () => {
      await page.goto(`${base()}/#/dashboard`);
      await page.getByTestId('page-dashboard').waitFor();
      const before = (await apiGet<{ items: Array<{ name: string }> }>('/api/pods?namespace=shop')).items.map(
        (p) => p.name,
      );
      const target = before.find((n) => n.startsWith('checkout-'))!;
      await openPalette();
      await page.getByTestId('palette-input').fill(target);
      const item = page.getByTestId('palette-item').filter({ hasText: target }).first();
      await item.waitFor();
      // The exact name is the first result: → shows what can be done to it.
      await until(
        'the pod is highlighted',
        async () =>
          (await page.getByTestId('palette-item').first().getAttribute('aria-selected')) === 'true' &&
          (await page.getByTestId('palette-item').first().innerText()).includes(target),
      );
      await page.keyboard.press('ArrowRight');
      await page.getByTestId('palette-crumb').filter({ hasText: target }).waitFor();
      const actions = await page.getByTestId('palette-item').allInnerTexts();
      for (const a of ['Open details', 'Logs', 'Shell', 'Restart', 'Delete'])
        assert.ok(
          actions.some((x) => x.startsWith(a)),
          `${a} missing from ${actions.join(' | ')}`,
        );
      await page.getByTestId('palette-input').fill('restart');
      await shot('palette-actions');
      await page.keyboard.press('Enter');
      await page.getByTestId('confirm').filter({ hasText: target }).waitFor();
      await page.getByTestId('confirm-ok').click();
      await page.getByTestId('toast').first().waitFor();
      await until(`${target} is replaced`, async () => {
        const now = (await apiGet<{ items: Array<{ name: string }> }>('/api/pods?namespace=shop')).items.map(
          (p) => p.name,
        );
        return !now.includes(target) && now.some((n) => n.startsWith('checkout-') && !before.includes(n));
      });
    });

    it('"logs <pod>" lists the logs action for the pod and opens its logs', async () => {
      const running = (
        await apiGet<{ items: Array<{ name: string; status: string }> }>('/api/pods?namespace=shop')
      ).items.find((p) => p.name.startsWith('frontend-') && p.status === 'Running');
      assert.ok(running, 'a running frontend pod');
      await openPalette();
      await page.getByTestId('palette-input').fill(`logs ${running.name}`);
      const item = page.getByTestId('palette-item').filter({ hasText: `Logs: Pod ${running.name}` });
      await item.waitFor();
      await item.click();
      await page.getByTestId('logs-modal').waitFor();
      await page.getByTestId('logs').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('logs-modal').waitFor({ state: 'detached' });
    });

    it('":deploy" goes to a page, as k9s does', async () => {
      await openPalette();
      await page.getByTestId('palette-input').fill(':deploy');
      await page.getByTestId('palette-item').first().filter({ hasText: 'Go to Deployments' }).waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId('page-deployments').waitFor();
    });

    it('switches the namespace from the palette', async () => {
      await openPalette();
      await page.getByTestId('palette-input').fill('namespace shop');
      const item = page.getByTestId('palette-item').filter({ hasText: 'Show namespace shop' });
      await item.waitFor();
      await item.click();
      await page.getByTestId('namespace-picker').filter({ hasText: 'shop' }).waitFor();
      await openPalette();
      await page.getByTestId('palette-input').fill('all namespaces');
      await page.getByTestId('palette-item').filter({ hasText: 'Show all namespaces' }).click();
      await page.getByTestId('namespace-picker').filter({ hasText: 'All namespaces' }).waitFor();
    });
  });

  describe('counters agree', () => {
    const badge = async () =>
      (await page.getByTestId('nav-incidents-count').count())
        ? Number(await page.getByTestId('nav-incidents-count').innerText())
        : 0;
    const chips = async () => {
      let sum = 0;
      for (const s of ['critical', 'high', 'medium', 'low'])
        sum += Number(await page.getByTestId(`sev-${s}-count`).innerText());
      return sum;
    };
    /** The same number in two places at one moment (the feed refreshes underneath, so read both, then compare). */
    const agree = async (what: string, read: () => Promise<number[]>) => {
      let last: number[] = [];
      try {
        await until(`${what} agree`, async () => {
          last = await read();
          return last.every((n) => Number.isFinite(n) && n === last[0]);
        });
      } catch (e) {
        throw new Error(`${(e as Error).message}: last read ${last.join(' / ')}`, { cause: e });
      }
      return last[0];
    };

    it('the sidebar badge, the dashboard, the incident list (rows and chips) and the SRE agent page show one number', async () => {
      await apiGet('/api/incidents/v2');
      await until(
        'the demo has open incidents',
        async () => (await apiGet<{ incidents: unknown[] }>('/api/incidents/v2?status=open')).incidents.length > 0,
        60_000,
      );
      await page.goto(`${base()}/#/dashboard`);
      await page.getByTestId('page-dashboard').waitFor();
      const onDashboard = await agree('badge and dashboard card', async () => [
        await badge(),
        Number(await page.getByTestId('card-incidents-value').innerText()),
      ]);
      assert.ok(onDashboard > 0);
      await shot('counts-dashboard');
      await page.goto(`${base()}/#/incidents`);
      await page.getByTestId('sev-critical-count').waitFor();
      await agree('badge, chips and rows', async () => [
        await badge(),
        await chips(),
        await page.getByTestId('incident-row').count(),
      ]);
      await shot('counts-incidents');
      await page.goto(`${base()}/#/sre-agent`);
      await page.getByTestId('page-sre-agent').waitFor();
      await agree('badge and SRE agent page', async () => [
        await badge(),
        Number(await page.getByTestId('sre-open-count').innerText()),
      ]);
      await shot('counts-sre-agent');
      await assertPlain();
    });

    it('a namespace scope applies to every count at once', async () => {
      await page.goto(`${base()}/#/incidents`);
      await page.getByTestId('sev-critical-count').waitFor();
      await page.getByTestId('namespace-picker').click();
      await page.getByTestId('ns-shop').click();
      await page.getByTestId('page-incidents').click({ position: { x: 5, y: 5 } });
      const shopOpen = async () =>
        (await apiGet<{ incidents: unknown[] }>('/api/incidents/v2?status=open&namespace=shop')).incidents.length;
      await agree('badge, chips, rows and the shop incidents', async () => [
        await badge(),
        await chips(),
        await page.getByTestId('incident-row').count(),
        await shopOpen(),
      ]);
      for (const row of await page.getByTestId('incident-row').allInnerTexts()) assert.match(row, /\/shop\//);
      await shot('counts-scoped');
      await page.getByTestId('namespace-picker').click();
      await page.getByLabel('All namespaces').check();
      await page.getByTestId('page-incidents').click({ position: { x: 5, y: 5 } });
      await page.getByTestId('namespace-picker').filter({ hasText: 'All namespaces' }).waitFor();
    });
  });

  describe('AI without a provider', () => {
    it('Send on the assistant says plainly that no provider is set up, next to the setup form', async () => {
      await page.goto(`${base()}/#/ai-assistant`);
      await page.getByTestId('ai-config').waitFor();
      await page.getByTestId('ai-input').fill('What is failing?');
      await page.getByTestId('ai-send').click();
      await page.getByTestId('ai-error').waitFor();
      assert.match(await page.getByTestId('ai-error').innerText(), /No AI provider is set up yet/);
      await assertPlain();
      await shot('ai-assistant-no-provider');
    });

    it('the AI Agents page checks the fields as they are typed, tests the connection, and saves the provider', async () => {
      await page.goto(`${base()}/#/ai-agents`);
      await page.getByTestId('page-ai-agents').waitFor();
      const assistant = page.getByTestId('agent-assistant');
      await assistant.getByText('not set up').waitFor();
      await assistant.getByTestId('ai-setup-intro').waitFor();
      assert.ok(
        (await page.getByTestId('agent-assistant-tools').locator('li').count()) > 3,
        'the tools it may use are listed',
      );
      assert.match(await page.getByTestId('agent-assistant-limits').innerText(), /rounds of tool calls/);

      await page.getByTestId('ai-provider').selectOption('openai');
      await page.getByTestId('ai-base-url').fill('not a url');
      await page.getByTestId('ai-model').fill('gpt e2e');
      await page.getByTestId('ai-model').blur();
      await page.getByTestId('ai-base-url').focus();
      await page.getByTestId('ai-base-url').blur();
      await page.getByTestId('ai-base-url-error').filter({ hasText: 'Enter a full address' }).waitFor();
      await page.getByTestId('ai-model-error').filter({ hasText: 'no spaces' }).waitFor();
      assert.equal(await page.getByTestId('ai-base-url').getAttribute('aria-invalid'), 'true');
      await page.getByTestId('ai-test').click();
      assert.equal(fake.requests.length, 0, 'a test with bad fields went out');
      await shot('ai-agents-invalid');

      // A server that does not answer: said in plain words.
      await page.getByTestId('ai-base-url').fill('http://127.0.0.1:9/v1');
      await page.getByTestId('ai-model').fill('gpt-e2e');
      await page.getByTestId('ai-test').click();
      await page.getByTestId('ai-config-error').filter({ hasText: 'cannot be reached' }).waitFor();
      await assertPlain();

      await page.getByTestId('ai-base-url').fill(fake.baseUrl.openai);
      await page.getByTestId('ai-api-key').fill(KEY);
      await page.getByTestId('ai-test').click();
      await page.getByTestId('ai-test-result').filter({ hasText: 'Connection works' }).waitFor();
      assert.match(await page.getByTestId('ai-test-result').innerText(), /gpt-e2e[\s\S]*OK/);
      assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`);
      // Testing saved nothing.
      assert.equal((await apiGet<{ active: string | null }>('/api/ai/providers')).active, null);
      await shot('ai-agents-tested');

      await page.getByTestId('ai-save').click();
      await assistant.getByText('OpenAI-compatible · gpt-e2e').waitFor();
      assert.equal(await page.getByTestId('ai-config').count(), 0, 'the form closes once a provider is saved');
      assert.ok(!(await page.content()).includes(KEY), 'the key is in the page');
      await page.getByTestId('agent-sre').getByTestId('sre-enabled').waitFor();
      await shot('ai-agents-saved');
    });

    it('the SRE agent’s limits are checked as typed and saved', async () => {
      await page.goto(`${base()}/#/ai-agents`);
      const sre = page.getByTestId('agent-sre');
      await sre.getByTestId('sre-enabled').check();
      await sre.getByTestId('sre-per-hour').fill('abc');
      await sre.getByTestId('sre-per-hour-error').filter({ hasText: 'whole number' }).waitFor();
      assert.equal(await sre.getByTestId('sre-save').isDisabled(), true);
      await sre.getByTestId('sre-per-hour').fill('3');
      await sre.getByTestId('sre-protected').fill('kube-system, Payments');
      await sre.getByText('"Payments" is not a namespace name').waitFor();
      await sre.getByTestId('sre-protected').fill('kube-system, payments');
      await sre.getByTestId('sre-save').click();
      await sre.getByText('may act on its own').waitFor();
      const st = await apiGet<{
        policy: { enabled: boolean; maxActionsPerHour: number; protectedNamespaces: string[] };
      }>('/api/incidents/auto-remediation/status');
      assert.equal(st.policy.enabled, true);
      assert.equal(st.policy.maxActionsPerHour, 3);
      assert.deepEqual(st.policy.protectedNamespaces, ['kube-system', 'payments']);
      await sre.getByTestId('sre-enabled').uncheck();
      await sre.getByTestId('sre-save').click();
      await sre.getByText('watching only').waitFor();
    });
  });
});
