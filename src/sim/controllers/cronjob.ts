// CronJob controller: creates Jobs when the schedule fires in simulated time, honours suspend and
// concurrencyPolicy, tracks active Jobs and prunes finished ones past the history limits.
import { CronExpressionParser } from 'cron-parser';
import type { KObj } from '../store';
import { nowIso } from '../store';
import { jobFinished } from './job';
import type { Runtime } from './runtime';
import { owned, ownerRef } from './runtime';

export function installCronJobs(r: Runtime): void {
  const t0 = Date.now();
  /** Simulated wall-clock: the real start time plus simulated time elapsed, so schedules run `speed`× faster. */
  const simDate = () => new Date(t0 + r.ctx.clock.now());
  const nextRun = new Map<string, { at: number; schedule: string }>(); // cronjob uid -> simulated epoch ms of the next fire

  r.on('batch/cronjobs', (e) => {
    if (e.type === 'DELETED') nextRun.delete(e.object.metadata.uid!);
    else r.enqueue('cronjob', e.object.metadata.uid!);
  });
  r.on('batch/jobs', (e) => {
    const ref = e.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'CronJob');
    if (ref) r.enqueue('cronjob', ref.uid);
  });
  r.tick(1000, 250, () => {
    const now = simDate().getTime();
    for (const [uid, n] of nextRun) if (n.at <= now) r.enqueue('cronjob', uid);
  });

  r.handle('cronjob', (uid) => {
    const cj = r.ctx.store.getByUid(uid)?.object;
    if (!cj || cj.kind !== 'CronJob' || cj.metadata.deletionTimestamp) return;
    const now = simDate();
    const schedule = `${cj.spec?.schedule}|${cj.spec?.timeZone ?? ''}`;
    let next = nextRun.get(uid)?.schedule === schedule ? nextRun.get(uid)!.at : undefined;
    if (next === undefined) {
      next = nextAfter(cj, now);
      if (next === undefined) return;
      nextRun.set(uid, { at: next, schedule });
    }
    const jobs = owned(r, cj, 'batch/jobs');
    let active = jobs.filter((j) => !jobFinished(j));
    let lastScheduleTime = cj.status?.lastScheduleTime;
    if (next <= now.getTime()) {
      nextRun.set(uid, { at: nextAfter(cj, now) ?? Infinity, schedule });
      const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
      if (cj.spec?.suspend) {
        // A suspended CronJob skips its runs.
      } else if (policy === 'Forbid' && active.length) {
        r.event(
          cj,
          'Normal',
          'JobAlreadyActive',
          'Not starting job because prior execution is running and concurrency policy is Forbid',
          'cronjob-controller',
        );
      } else {
        if (policy === 'Replace') {
          for (const j of active) {
            r.remove('batch/jobs', j.metadata.namespace, j.metadata.name);
            r.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`, 'cronjob-controller');
          }
          active = [];
        }
        const tpl = cj.spec.jobTemplate ?? {};
        const job = r.create('batch/jobs', {
          metadata: {
            name: `${cj.metadata.name}-${Math.floor(next / 60000)}`,
            namespace: cj.metadata.namespace,
            labels: { ...(tpl.metadata?.labels ?? {}) },
            annotations: {
              ...(tpl.metadata?.annotations ?? {}),
              'batch.kubernetes.io/cronjob-scheduled-timestamp': new Date(next).toISOString().replace(/\.\d+Z$/, 'Z'),
            },
            ownerReferences: [ownerRef(cj)],
          },
          spec: structuredClone(tpl.spec ?? {}),
        });
        active.push(job);
        lastScheduleTime = nowIso();
        r.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`, 'cronjob-controller');
      }
    }
    // History limits.
    let lastSuccessfulTime = cj.status?.lastSuccessfulTime;
    const finished = (kind: string) =>
      jobs
        .filter((j) => jobFinished(j) === kind && r.ctx.store.getByUid(j.metadata.uid!))
        .sort((a, b) => Date.parse(a.metadata.creationTimestamp!) - Date.parse(b.metadata.creationTimestamp!));
    const ok = finished('Complete');
    if (ok.length) lastSuccessfulTime = ok[ok.length - 1].status?.completionTime ?? lastSuccessfulTime;
    for (const [list, limit] of [
      [ok, cj.spec?.successfulJobsHistoryLimit ?? 3],
      [finished('Failed'), cj.spec?.failedJobsHistoryLimit ?? 1],
    ] as Array<[KObj[], number]>) {
      for (const j of list.slice(0, Math.max(0, list.length - limit))) {
        r.remove('batch/jobs', j.metadata.namespace, j.metadata.name);
        r.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`, 'cronjob-controller');
      }
    }
    const status = {
      ...(active.length
        ? {
            active: active.map((j) => ({
              kind: 'Job',
              namespace: j.metadata.namespace,
              name: j.metadata.name,
              uid: j.metadata.uid,
              apiVersion: 'batch/v1',
              resourceVersion: j.metadata.resourceVersion,
            })),
          }
        : {}),
      ...(lastScheduleTime ? { lastScheduleTime } : {}),
      ...(lastSuccessfulTime ? { lastSuccessfulTime } : {}),
    };
    r.setStatus('batch/cronjobs', cj, status);
  });
}

function nextAfter(cj: KObj, after: Date): number | undefined {
  try {
    return CronExpressionParser.parse(cj.spec.schedule, {
      currentDate: after,
      ...(cj.spec.timeZone ? { tz: cj.spec.timeZone } : {}),
    })
      .next()
      .getTime();
  } catch {
    return undefined;
  }
}
