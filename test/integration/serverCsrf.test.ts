// Cross-site request forgery and small auth gaps: a cookie alone never changes state without the Origin a browser
// sends, GETs change nothing, validate-token checks the token it is given, and names only look like loopback.
import assert from 'node:assert/strict';
import { isLoopback } from '../../src/server/auth';
import { api, request, startHarness, type Harness } from './serverHelpers';

describe('kubegraf web: CSRF and token checks', function () {
  this.timeout(60_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const cookie = () => ({ Cookie: `kubegraf_token=${encodeURIComponent(h.token)}` });

  before(async () => {
    h = await startHarness();
    A = api(h);
  });
  after(async () => h?.close());

  it('refuses a cookie-only state change without Origin (query parameters, empty body), in POST and DELETE', async () => {
    const before = (await A.get('/api/settings')).body;
    const r = await request(
      { base: h.base },
      'POST',
      '/api/deployment/scale?namespace=shop&name=checkout&replicas=0',
      undefined,
      cookie(),
    );
    assert.equal(r.status, 403, `${r.status} ${r.text.slice(0, 200)}`);
    const d = await request(
      { base: h.base },
      'DELETE',
      '/api/configmap/delete?namespace=shop&name=settings',
      undefined,
      cookie(),
    );
    assert.equal(d.status, 403, `${d.status} ${d.text.slice(0, 200)}`);
    const s = await request({ base: h.base }, 'POST', '/api/settings', { theme: 'light' }, cookie());
    assert.equal(s.status, 403);
    assert.deepEqual((await A.get('/api/settings')).body, before);
    const dep = (await A.get('/api/deployment/details?namespace=shop&name=checkout')).body;
    assert.notEqual(JSON.stringify(dep).includes('"replicas":0'), true, 'checkout was not scaled to 0');
  });

  it('accepts the same change from our own page (cookie and same-origin Origin) and from scripts (Bearer, no Origin)', async () => {
    const fromPage = await request(
      { base: h.base },
      'POST',
      '/api/settings',
      { autoCheckUpdates: false },
      { ...cookie(), Origin: h.base },
    );
    assert.equal(fromPage.status, 200, fromPage.text);
    const fromScript = await A.post('/api/settings', { autoCheckUpdates: true });
    assert.equal(fromScript.status, 200, fromScript.text);
  });

  it('GET /api/update/auto-check?enabled=false changes no setting', async () => {
    assert.equal((await A.post('/api/settings', { autoCheckUpdates: true })).status, 200);
    const r = await request({ base: h.base }, 'GET', '/api/update/auto-check?enabled=false', undefined, {
      ...cookie(),
      Origin: 'https://evil.example',
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.enabled, false);
    assert.equal((await A.get('/api/settings')).body.autoCheckUpdates, true);
  });

  it('validate-token answers for the token it is given, not for the request', async () => {
    assert.equal((await A.get('/api/auth/validate-token?token=not-the-token')).body.valid, false);
    assert.equal((await A.get(`/api/auth/validate-token?token=${encodeURIComponent(h.token)}`)).body.valid, true);
    assert.equal((await A.get('/api/auth/validate-token')).body.valid, true);
  });

  it('counts only loopback addresses as loopback, not names that look like them', () => {
    for (const yes of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1'])
      assert.equal(isLoopback(yes), true, yes);
    for (const no of [
      '127.lan.test',
      '127.0.0.1.nip.io',
      '0.0.0.0',
      '::',
      '192.0.2.10',
      '::ffff:8.8.8.8',
      'example.com',
    ])
      assert.equal(isLoopback(no), false, no);
  });
});
