// Command palette ranking: what comes first for what people type, and the navigation table behind it.
import assert from 'node:assert/strict';
import { fuzzyMatch, rank } from '../../webviews/src/model/fuzzy';
import { PAGES, SECTIONS, parseHash, toHash } from '../../webviews/src/model/nav';
import { RESOURCE_KINDS } from '../../src/shared/routes/resources';

const items = PAGES.map((p) => ({ label: `Go to ${p.label}`, keywords: [p.label, ...(p.keywords ?? [])], id: p.id }));
const top = (q: string) => rank(items, q, 5).map((r) => r.item.id);

describe('webview command palette', () => {
  it('finds pages by words, initials and kubectl short names', () => {
    assert.equal(top('pods')[0], 'pods');
    assert.equal(top('deploy')[0], 'deployments');
    assert.equal(top('incid')[0], 'incidents');
    assert.equal(top('po')[0], 'pods', 'short name');
    assert.equal(top('sts')[0], 'statefulsets', 'short name');
    assert.equal(top('pvc')[0], 'pvcs');
    assert.equal(top('gtn')[0], 'nodes', 'initials of "Go To Nodes"');
  });

  it('ranks a prefix above a match in the middle, and a shorter label above a longer one', () => {
    const r = rank([{ label: 'Network Policies' }, { label: 'Nodes' }, { label: 'Persistent Volumes' }], 'no');
    assert.equal(r[0].item.label, 'Nodes');
    const s = rank([{ label: 'Service Accounts' }, { label: 'Services' }], 'serv');
    assert.equal(s[0].item.label, 'Services');
  });

  it('returns no match when the characters are not in order, and highlights matched characters', () => {
    assert.equal(fuzzyMatch('sdop', 'Pods'), undefined);
    assert.deepEqual(rank([{ label: 'Pods' }], 'xyz'), []);
    const m = fuzzyMatch('pds', 'Pods');
    assert.deepEqual(m?.positions, [0, 2, 3]);
  });

  it('keeps the input order for equal scores (recent commands stay first)', () => {
    const r = rank([{ label: 'Restart B' }, { label: 'Restart A' }], '');
    assert.deepEqual(
      r.map((x) => x.item.label),
      ['Restart B', 'Restart A'],
    );
  });

  it('has a page in a seed section for every resource kind the server lists', () => {
    const many = new Set(PAGES.filter((p) => p.view.type === 'resource').map((p) => (p.view as { many: string }).many));
    // A kind may have a page of its own instead of the resource table (Nodes, Certificates), under the same id.
    const own = new Set(PAGES.filter((p) => p.view.type === 'custom').map((p) => p.id));
    for (const k of RESOURCE_KINDS) assert.ok(many.has(k.many) || own.has(k.many), `no page for ${k.many}`);
    for (const p of PAGES) assert.ok((SECTIONS as readonly string[]).includes(p.section), p.id);
    assert.equal(new Set(PAGES.map((p) => p.id)).size, PAGES.length, 'page ids are unique');
  });

  it('round-trips page links through the URL hash and falls back to the dashboard', () => {
    assert.deepEqual(parseHash(toHash('pods', { ns: 'shop', name: 'web-1' })), {
      page: 'pods',
      params: { ns: 'shop', name: 'web-1' },
    });
    assert.deepEqual(parseHash('#/no-such-page'), { page: 'not-found', params: { path: 'no-such-page' } });
    assert.equal(parseHash('').page, 'dashboard');
  });
});
