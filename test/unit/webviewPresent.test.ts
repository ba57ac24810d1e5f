// The presentation rules of API values in the details drawer (webviews/src/model/present.ts): what a person reads instead of API data.
import assert from 'node:assert/strict';
import { humanizeKey, linkFor, present, relativeTime, roundNumber } from '../../webviews/src/model/present';

describe('webview: presenting API data for reading', () => {
  it('turns API keys into titles, keeping acronyms and dropping unit suffixes the value shows', () => {
    assert.equal(humanizeKey('memoryLimitBytes'), 'Memory limit');
    assert.equal(humanizeKey('repoURL'), 'Repo URL');
    assert.equal(humanizeKey('totalGpus'), 'Total GPUs');
    assert.equal(humanizeKey('ramPerGiBHour'), 'RAM per GiB hour');
    assert.equal(humanizeKey('oom_kills'), 'OOM kills');
    assert.equal(humanizeKey('incidentId'), 'Incident ID');
    assert.equal(humanizeKey('memoryMiB'), 'Memory');
    assert.equal(humanizeKey('name'), 'Name');
  });

  it('rounds numbers, adds units from the key, and shows the exact value on hover', () => {
    assert.equal(roundNumber(0.004549444108288001), '0.0045');
    assert.equal(roundNumber(12.3456), '12.35');
    assert.equal(roundNumber(81920), '81,920');
    assert.deepEqual(present('memoryMiB', 81920), { text: '80 GiB', title: '81920' });
    assert.equal(present('memoryLimitBytes', 536870912).text, '512 MiB');
    assert.equal(present('cpuMillicores', 250).text, '250m CPU');
    assert.equal(present('cpuPercent', 41.23456).text, '41.23%');
    assert.equal(present('monthlyCost', 12.5).text, '$12.50');
    assert.equal(present('available', true).text, 'Yes');
    assert.equal(present('version', null).text, '—');
    assert.equal(present('kind', 'incident_opened').text, 'Incident opened');
  });

  it('shows times relative to now, with the date on hover; times inside sentences read as local time', () => {
    const now = Date.parse('2026-12-02T17:00:00Z');
    assert.equal(present('time', '2026-12-02T16:55:00Z', {}, now).text, '5m ago');
    assert.equal(relativeTime(now - 3 * 3600_000, now), '3h ago');
    assert.equal(relativeTime(now + 120_000, now), 'in 2m');
    assert.ok(present('time', '2026-12-02T16:55:00Z', {}, now).title);
    assert.doesNotMatch(present('message', 'image missing (2026-12-02T17:08:22Z).').text, /\d{4}-\d{2}-\d{2}T/);
  });

  it('links values that name an object or an incident', () => {
    assert.equal(
      linkFor('name', 'catalog', { kind: 'Deployment', namespace: 'shop' }),
      '#/deployments?name=catalog&ns=shop',
    );
    assert.equal(linkFor('pod', 'web-1', { namespace: 'default' }), '#/pods?name=web-1&ns=default');
    assert.equal(linkFor('incidentId', 'inc-1', {}), '#/incidents?id=inc-1');
    assert.equal(linkFor('namespace', 'shop', {}), '#/namespaces?name=shop');
    assert.equal(linkFor('name', 'x', {}), undefined);
  });
});
