// The sizing rule for OOM-killed containers, and the verdict on an applied fix from what the detector shows.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableDb } from '../../src/core/store/durableDb';
import { KubeGrafStore, MIGRATIONS } from '../../src/core/store/store';
import { formatMi, memorySizing } from '../../src/core/incidents/fixes';
import { judge, nextSteps, type Observation } from '../../src/core/incidents/verification';
import type { FixVerification, RecommendedFix } from '../../src/shared/incidents';

const MI = 1024 * 1024;

describe('memory sizing after an OOM kill', () => {
  it('steps from the limit at the kill: 1.5×, at least +128Mi, rounded up to 64Mi', () => {
    const cases: Array<[limitMi: number, peakMi: number | undefined, expected: string]> = [
      [512, undefined, '768Mi'],
      [512, 507, '768Mi'], // the peak of a container killed at its limit is the limit: it adds nothing
      [768, 760, '1152Mi'],
      [200, undefined, '384Mi'], // +128Mi is more than 1.5× here
      [100, undefined, '256Mi'], // never below 256Mi
      [2048, undefined, '3Gi'],
      [512, 900, '1408Mi'], // seen above the limit (an earlier, larger limit): the peak is the basis
    ];
    for (const [limit, peak, expected] of cases)
      assert.equal(
        formatMi(memorySizing(limit * MI, peak === undefined ? undefined : peak * MI).bytes),
        expected,
        `${limit}Mi, peak ${peak}`,
      );
  });

  it('states the rule and the reason in words', () => {
    const s = memorySizing(512 * MI, 507 * MI);
    assert.match(
      s.rationale,
      /OOM-killed at its 512Mi limit: at the kill it used all of it \(the highest usage seen, 507Mi, is the limit itself\), so its real need is unknown and above 512Mi\./,
    );
    assert.match(
      s.rationale,
      /Rule \(as the Vertical Pod Autoscaler sizes after an OOM kill\): 1\.5× the memory at the kill, at least \+128Mi, rounded up to 64Mi → 768Mi\./,
    );
    assert.match(
      memorySizing(NaN, 300 * MI).rationale,
      /no memory limit and was killed when the node ran out of memory; the highest usage seen was 300Mi/,
    );
    assert.equal(formatMi(memorySizing(NaN, 300 * MI).bytes), '512Mi');
  });
});

describe('fix verdicts', () => {
  const t0 = Date.parse('2026-01-01T10:00:00Z');
  const at = (s: number) => t0 + s * 1000;
  const v = (o: Partial<FixVerification> = {}): FixVerification => ({
    executionId: 'exec-1',
    incidentId: 'inc-1',
    context: 'c',
    incidentType: 'oom_killed',
    action: 'increase_memory_limit',
    description: "Increase memory limit of 'loader' to 768Mi",
    target: { kind: 'Deployment', namespace: 'data', name: 'loader' },
    initiator: 'user',
    appliedAt: new Date(t0).toISOString(),
    windowSeconds: 60,
    outcome: 'verifying',
    summary: '',
    evidence: [],
    nextSteps: [],
    ...o,
  });
  const obs = (o: Partial<Observation> = {}): Observation => ({ open: true, recurrences: [], worse: [], ...o });
  const oom = {
    time: new Date(at(5)).toISOString(),
    type: 'Warning',
    reason: 'OOMKilled',
    message: 'pod loader-b, started after the fix, was OOMKilled again at its 768Mi limit (exit code 137)',
    object: { kind: 'Pod', namespace: 'data', name: 'loader-b' },
  };

  it('waits while the old pods still fail and the window has not passed', () => {
    assert.equal(judge(v(), obs(), at(30)), undefined);
  });

  it('did not help: the failure on a pod made after the fix, at once, with it as evidence', () => {
    const r = judge(v(), obs({ recurrences: [oom] }), at(6));
    assert.ok(r && 'outcome' in r);
    assert.equal(r.outcome, 'did_not_help');
    assert.equal(r.summary, `It happened again after the fix: ${oom.message}.`);
    assert.deepEqual(r.evidence, [oom]);
  });

  it('did not help: still present when the window has passed', () => {
    const r = judge(v(), obs(), at(61));
    assert.ok(r && 'outcome' in r && r.outcome === 'did_not_help');
    assert.equal(r.summary, 'The condition was still present 1 min after the fix.');
  });

  it('did not help: cleared, then came back within the window', () => {
    const r = judge(v({ clearedAt: new Date(at(10)).toISOString() }), obs(), at(20));
    assert.ok(r && 'outcome' in r && r.outcome === 'did_not_help');
    assert.match(r.summary, /cleared at 10:00:10 UTC but came back within 1 min/);
  });

  it('resolved only once the condition stayed clear for the window after it cleared', () => {
    assert.deepEqual(judge(v(), obs({ open: false, clearedAt: at(10) }), at(12)), {
      clearedAt: new Date(at(10)).toISOString(),
    });
    assert.equal(judge(v({ clearedAt: new Date(at(10)).toISOString() }), obs({ open: false }), at(69)), undefined);
    const r = judge(v({ clearedAt: new Date(at(10)).toISOString() }), obs({ open: false }), at(70));
    assert.ok(r && 'outcome' in r);
    assert.equal(r.outcome, 'resolved');
    assert.equal(r.summary, 'The condition cleared at 10:00:10 UTC and stayed clear for 1 min.');
  });

  it('made it worse: new failures on the target outrank the old one', () => {
    const pull = {
      ...oom,
      reason: 'ImagePullBackOff',
      message: 'pod loader-c, started after the fix, image cannot be pulled',
    };
    const r = judge(v(), obs({ worse: [pull], recurrences: [oom] }), at(6));
    assert.ok(r && 'outcome' in r);
    assert.equal(r.outcome, 'made_worse');
    assert.match(r.summary, /^After the fix, new failures appeared on Deployment data\/loader: pod loader-c/);
    assert.deepEqual(r.evidence, [pull, oom]);
  });

  it('offers the best fix now and undoing this one (undo first when it made things worse)', () => {
    const fix = {
      id: 'increase_memory_limit:Deployment/data/loader',
      description: "Increase memory limit of 'loader' to 1152Mi",
    } as RecommendedFix;
    const undo = { description: 're-apply Deployment data/loader as it was before the fix', yaml: 'kind: Deployment' };
    assert.deepEqual(nextSteps(v({ outcome: 'did_not_help' }), [fix], undo), [
      { kind: 'fix', fixId: fix.id, label: fix.description },
      { kind: 'undo', executionId: 'exec-1', label: `Undo the fix (${undo.description})` },
    ]);
    assert.equal(nextSteps(v({ outcome: 'made_worse' }), [fix], undo)[0].kind, 'undo');
    assert.deepEqual(
      nextSteps(v({ outcome: 'did_not_help' }), [], { description: 'a deleted pod cannot be brought back' }),
      [],
    );
  });
});

describe('fix outcomes in the store', () => {
  it('migrates a version-2 database to keep fix outcomes, and counts success rates per fix action', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kubegraf-outcomes-'));
    const old = await DurableDb.open(
      join(d, 'kubegraf.db'),
      MIGRATIONS.filter((m) => m.version <= 2),
    );
    await old.run('INSERT INTO settings(key, value) VALUES (?, ?)', ['kept', '1']);
    await old.close();
    const s = await KubeGrafStore.open({ dataDir: d });
    try {
      assert.equal(s.backupStatus().schemaVersion, Math.max(...MIGRATIONS.map((m) => m.version)));
      assert.equal(s.getSetting('kept'), 1);
      const base = {
        context: 'c',
        incidentType: 'oom_killed' as const,
        action: 'increase_memory_limit' as const,
        description: 'd',
        target: { kind: 'Deployment', namespace: 'data', name: 'loader' },
        initiator: 'user' as const,
        windowSeconds: 60,
        summary: '',
        evidence: [],
        nextSteps: [],
      };
      await s.saveFixOutcome({
        ...base,
        executionId: 'e1',
        incidentId: 'i1',
        appliedAt: '2026-01-01T10:00:00Z',
        outcome: 'did_not_help',
      });
      await s.saveFixOutcome({
        ...base,
        executionId: 'e2',
        incidentId: 'i1',
        appliedAt: '2026-01-01T10:05:00Z',
        outcome: 'verifying',
      });
      assert.equal(s.fixTrackRecords('oom_killed').get('increase_memory_limit')?.successRate, 0);
      await s.saveFixOutcome({
        ...base,
        executionId: 'e2',
        incidentId: 'i1',
        appliedAt: '2026-01-01T10:05:00Z',
        outcome: 'resolved',
      });
      await s.saveFixOutcome({
        ...base,
        executionId: 'e3',
        incidentId: 'i2',
        appliedAt: '2026-01-01T11:00:00Z',
        outcome: 'superseded',
      });
      assert.deepEqual(s.fixTrackRecords('oom_killed').get('increase_memory_limit'), {
        action: 'increase_memory_limit',
        resolved: 1,
        didNotHelp: 1,
        madeWorse: 0,
        successRate: 0.5,
      });
      assert.equal(s.fixTrackRecords('pod_crash_loop').size, 0);
      assert.deepEqual(
        s.fixOutcomes({ incidentId: 'i1' }).map((o) => [o.executionId, o.outcome]),
        [
          ['e2', 'resolved'],
          ['e1', 'did_not_help'],
        ],
      );
      assert.deepEqual(
        s
          .fixOutcomes({ target: base.target, action: 'increase_memory_limit', outcome: 'did_not_help' })
          .map((o) => o.executionId),
        ['e1'],
      );
      assert.equal(s.fixScores('oom_killed').get('increase_memory_limit'), 0, 'one worked, one did not');
    } finally {
      await s.close();
    }
  });
});
