// The words and units of the Timeline, Anomalies and Knowledge Bank pages: human units, relative times, local times
// for the ISO strings event messages quote, chart buckets sized to the window.
import assert from 'node:assert/strict';
import { bucketMs, bytes, cpu, readableTimes, typeLabel, until } from '../../webviews/src/model/insightFormat';

describe('insight pages: words and units', () => {
  it('formats memory in binary units and CPU in millicores or cores', () => {
    assert.equal(bytes(512), '512 B');
    assert.equal(bytes(1536 * 2 ** 20), '1.5 GiB');
    assert.equal(bytes(300 * 2 ** 20), '300 MiB');
    assert.equal(cpu(250.4), '250m');
    assert.equal(cpu(1500), '1.5 cores');
    assert.equal(cpu(12_000), '12 cores');
  });

  it('says when a prediction is due in minutes or hours', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    assert.equal(until('2026-12-03T12:40:00Z', now), 'in about 40 minutes');
    assert.equal(until('2026-12-03T15:10:00Z', now), 'in about 3 hours');
    assert.equal(until('2026-12-03T11:00:00Z', now), 'now, if the trend held');
  });

  it('turns ISO times inside messages into local times, and leaves other text alone', () => {
    const at = (t: number) => `<${new Date(t).toISOString().slice(11, 16)}>`;
    assert.equal(readableTimes('missed its 2026-12-03T17:00:00Z run', at), 'missed its <17:00> run');
    assert.equal(readableTimes('at 2026-12-03T17:05:09.123+00:00.', at), 'at <17:05>.');
    assert.equal(readableTimes('version 2026-12 of it', at), 'version 2026-12 of it');
  });

  it('sizes timeline buckets to the window and names incident types', () => {
    assert.equal(3_600_000 / bucketMs(1), 12);
    assert.equal((24 * 3_600_000) / bucketMs(24), 24);
    assert.equal((720 * 3_600_000) / bucketMs(720), 30);
    assert.equal(typeLabel('pod_crash_loop'), 'Pod crash loop');
  });
});
