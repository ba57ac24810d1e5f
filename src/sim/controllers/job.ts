// Job controller: runs pods to completion (parallelism, completions), counts failures against backoffLimit,
// and records Complete / Failed conditions; finished Jobs with ttlSecondsAfterFinished are removed.
import type { KObj } from '../store';
import { nowIso } from '../store';
import type { Runtime } from './runtime';
import { createPod, findCondition, isActive, isReady, ownedPods, podFromTemplate, setCondition } from './runtime';

export function jobFinished(j: KObj): 'Complete' | 'Failed' | undefined {
  for (const t of ['Complete', 'Failed'] as const)
    if (findCondition(j.status?.conditions, t)?.status === 'True') return t;
  return undefined;
}

export function installJobs(r: Runtime): void {
  r.on('batch/jobs', (e) => e.type !== 'DELETED' && r.enqueue('job', e.object.metadata.uid!));
  r.on('pods', (e) => {
    const ref = e.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Job');
    if (ref) r.enqueue('job', ref.uid);
  });
  const ttlArmed = new Set<string>();
  /** Jobs whose activeDeadlineSeconds is armed, and those past it. */
  const deadlineArmed = new Set<string>();
  const pastDeadline = new Set<string>();
  /** Failed pods seen per Job and when (simulated ms): the controller waits 10s, 20s, 40s … before the next pod. */
  const failures = new Map<string, { count: number; at: number }>();

  r.handle('job', (uid) => {
    const job = r.ctx.store.getByUid(uid)?.object;
    if (!job || job.kind !== 'Job' || job.metadata.deletionTimestamp) return;
    const done = jobFinished(job);
    if (done) {
      deadlineArmed.delete(uid);
      pastDeadline.delete(uid);
      failures.delete(uid);
      const ttl = job.spec?.ttlSecondsAfterFinished;
      if (ttl !== undefined && !ttlArmed.has(uid)) {
        ttlArmed.add(uid);
        r.after(ttl * 1000, () => {
          ttlArmed.delete(uid);
          const j = r.ctx.store.getByUid(uid)?.object;
          if (j) r.remove('batch/jobs', j.metadata.namespace, j.metadata.name);
        });
      }
      return;
    }
    const name = job.metadata.name;
    const completions = job.spec?.completions ?? 1;
    const parallelism = job.spec?.parallelism ?? 1;
    const backoffLimit = job.spec?.backoffLimit ?? 6;
    const pods = ownedPods(r, job);
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    const restarts = pods.reduce(
      (n, p) => n + (p.status?.containerStatuses ?? []).reduce((m: number, c: KObj) => m + (c.restartCount ?? 0), 0),
      0,
    );
    const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
    let active = pods.filter(isActive);
    const startTime = job.status?.startTime ?? nowIso();
    let conds = job.status?.conditions ?? [];
    let completionTime: string | undefined;
    const deadline = job.spec?.activeDeadlineSeconds;
    if (deadline !== undefined && !job.spec?.suspend && !deadlineArmed.has(uid)) {
      deadlineArmed.add(uid);
      const elapsed = (Date.now() - Date.parse(startTime)) * r.ctx.clock.speed;
      r.after(deadline * 1000 - elapsed, () => {
        pastDeadline.add(uid);
        r.enqueue('job', uid);
      });
    }
    const fail = (reason: string, message: string) => {
      for (const p of active) r.remove('pods', p.metadata.namespace, p.metadata.name);
      active = [];
      const c = { reason, message, lastProbeTime: nowIso() };
      if (r.ctx.kubeMinor >= 31) conds = setCondition(conds, { type: 'FailureTarget', status: 'True', ...c });
      conds = setCondition(conds, { type: 'Failed', status: 'True', ...c });
      r.event(job, 'Warning', reason, message, 'job-controller');
    };
    const seen = failures.get(uid);
    if (!seen || seen.count !== failed + restarts)
      failures.set(uid, { count: failed + restarts, at: r.ctx.clock.now() });

    if (job.spec?.suspend) {
      for (const p of active) r.remove('pods', p.metadata.namespace, p.metadata.name);
      active = [];
      conds = setCondition(conds, {
        type: 'Suspended',
        status: 'True',
        reason: 'JobSuspended',
        message: 'Job suspended',
        lastProbeTime: nowIso(),
      });
    } else if (failed + restarts > backoffLimit) {
      fail('BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    } else if (pastDeadline.has(uid) && succeeded < completions) {
      fail('DeadlineExceeded', 'Job was active longer than specified deadline');
    } else if (succeeded >= completions) {
      completionTime = nowIso();
      if (r.ctx.kubeMinor >= 31)
        conds = setCondition(conds, {
          type: 'SuccessCriteriaMet',
          status: 'True',
          reason: 'CompletionsReached',
          message: 'Reached expected number of succeeded pods',
          lastProbeTime: nowIso(),
        });
      conds = setCondition(conds, {
        type: 'Complete',
        status: 'True',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
        lastProbeTime: nowIso(),
      });
      r.event(job, 'Normal', 'Completed', 'Job completed', 'job-controller');
    } else {
      let need = Math.min(parallelism, completions - succeeded) - active.length;
      // After a failed pod the real controller waits before replacing it: 10s, doubling, capped at 6 minutes.
      const f = failures.get(uid)!;
      const wait = failed ? Math.min(10 * 2 ** (failed - 1), 360) * 1000 - (r.ctx.clock.now() - f.at) : 0;
      if (need > 0 && wait > 0) {
        need = 0;
        r.after(wait, () => r.enqueue('job', uid));
      }
      for (let i = 0; i < need; i++) {
        const pod = createPod(
          r,
          job,
          'job-controller',
          podFromTemplate(job, job.spec.template, {
            generateName: `${name}-`,
            labels: {
              'batch.kubernetes.io/controller-uid': job.metadata.uid!,
              'batch.kubernetes.io/job-name': name,
              'controller-uid': job.metadata.uid!,
              'job-name': name,
            },
          }),
        );
        if (!pod) break;
        active.push(pod);
        r.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'job-controller');
      }
    }
    const status: KObj['status'] = {
      ...(conds.length ? { conditions: conds } : {}),
      startTime,
      ...(completionTime ? { completionTime } : {}),
      ...(active.length ? { active: active.length } : {}),
      ...(succeeded ? { succeeded } : {}),
      ...(failed ? { failed } : {}),
      ready: active.filter(isReady).length,
      terminating: 0,
      uncountedTerminatedPods: {},
    };
    r.setStatus('batch/jobs', job, status);
  });
}
