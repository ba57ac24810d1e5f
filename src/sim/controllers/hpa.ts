// HorizontalPodAutoscaler: reads the simulated metrics for the target's pods, scales within min/max,
// and reports current metrics and the AbleToScale / ScalingActive / ScalingLimited conditions.
import { podUsage } from '../metrics';
import type { KObj } from '../store';
import { nowIso } from '../store';
import { containerRequests } from './quantity';
import type { Json, Runtime } from './runtime';
import { isActive, owned, ownedPods, setCondition } from './runtime';

const TARGET_TYPES: Record<string, string> = {
  Deployment: 'apps/deployments',
  StatefulSet: 'apps/statefulsets',
  ReplicaSet: 'apps/replicasets',
};

function targetPods(r: Runtime, target: KObj): KObj[] {
  if (target.kind === 'Deployment') return owned(r, target, 'apps/replicasets').flatMap((rs) => ownedPods(r, rs));
  return ownedPods(r, target);
}

export function installHpas(r: Runtime): void {
  r.on('autoscaling/horizontalpodautoscalers', (e) => e.type !== 'DELETED' && r.enqueue('hpa', e.object.metadata.uid!));
  r.tick(15000, 1000, () => {
    for (const h of r.ctx.store.iterate('autoscaling/horizontalpodautoscalers')) r.enqueue('hpa', h.metadata.uid!);
  });
  r.handle('hpa', (uid) => {
    const hpa = r.ctx.store.getByUid(uid)?.object;
    if (!hpa || hpa.kind !== 'HorizontalPodAutoscaler') return;
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const tk = TARGET_TYPES[ref.kind];
    const target = tk && r.get(tk, hpa.metadata.namespace, ref.name);
    let conds = hpa.status?.conditions ?? [];
    if (!target) {
      conds = setCondition(conds, {
        type: 'AbleToScale',
        status: 'False',
        reason: 'FailedGetScale',
        message: `the HPA controller was unable to get the target's current scale: ${tk ? tk.split('/')[1] : ref.kind}.apps "${ref.name}" not found`,
      });
      r.setStatus('autoscaling/horizontalpodautoscalers', hpa, {
        ...(hpa.status ?? {}),
        currentReplicas: 0,
        desiredReplicas: 0,
        conditions: conds,
      });
      return;
    }
    const pods = targetPods(r, target).filter((p) => isActive(p) && p.status?.phase === 'Running');
    const tSec = r.ctx.clock.now() / 1000;
    const current = target.spec?.replicas ?? 1;
    const min = hpa.spec?.minReplicas ?? 1;
    const max = hpa.spec?.maxReplicas ?? current;
    const currentMetrics: Json[] = [];
    let desired = 0;
    let reasonText = '';
    for (const m of hpa.spec?.metrics ?? [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]) {
      if (m.type !== 'Resource' || !pods.length) continue;
      const res = m.resource.name as 'cpu' | 'memory';
      let used = 0;
      let requested = 0;
      for (const p of pods) {
        for (const c of podUsage(p, tSec)) used += c.usage[res];
        for (const c of p.spec.containers ?? []) requested += containerRequests(c)[res] ?? 0;
      }
      const avg = used / pods.length;
      const fmt = res === 'cpu' ? `${Math.round(avg * 1000)}m` : `${Math.round(avg)}`;
      if (m.resource.target?.type === 'Utilization' && requested > 0) {
        const util = Math.round((100 * used) / requested);
        currentMetrics.push({
          type: 'Resource',
          resource: { name: res, current: { averageUtilization: util, averageValue: fmt } },
        });
        const want = Math.ceil((pods.length * util) / (m.resource.target.averageUtilization ?? 80));
        if (want > desired)
          [desired, reasonText] = [
            want,
            `${res} resource utilization (percentage of request) ${want > current ? 'above' : 'below'} target`,
          ];
      } else {
        currentMetrics.push({ type: 'Resource', resource: { name: res, current: { averageValue: fmt } } });
      }
    }
    let status: KObj['status'] = { ...(hpa.status ?? {}), currentReplicas: target.status?.replicas ?? current };
    if (!currentMetrics.length) {
      conds = setCondition(conds, {
        type: 'AbleToScale',
        status: 'True',
        reason: 'SucceededGetScale',
        message: "the HPA controller was able to get the target's current scale",
      });
      conds = setCondition(conds, {
        type: 'ScalingActive',
        status: 'False',
        reason: 'FailedGetResourceMetric',
        message:
          'the HPA was unable to compute the replica count: did not receive metrics for targeted pods (pods might be unready)',
      });
      r.setStatus('autoscaling/horizontalpodautoscalers', hpa, {
        ...status,
        desiredReplicas: current,
        conditions: conds,
      });
      return;
    }
    const bounded = Math.min(max, Math.max(min, desired));
    if (bounded !== current) {
      r.update(tk, { ...target, spec: { ...target.spec, replicas: bounded } });
      r.event(
        hpa,
        'Normal',
        'SuccessfulRescale',
        `New size: ${bounded}; reason: ${reasonText}`,
        'horizontal-pod-autoscaler',
      );
      status = { ...status, lastScaleTime: nowIso() };
    }
    conds = setCondition(conds, {
      type: 'AbleToScale',
      status: 'True',
      reason: 'ReadyForNewScale',
      message: 'recommended size matches current size',
    });
    conds = setCondition(conds, {
      type: 'ScalingActive',
      status: 'True',
      reason: 'ValidMetricFound',
      message: `the HPA was able to successfully calculate a replica count from ${currentMetrics[0].resource.name} resource utilization (percentage of request)`,
    });
    conds = setCondition(
      conds,
      desired > max
        ? {
            type: 'ScalingLimited',
            status: 'True',
            reason: 'TooManyReplicas',
            message: 'the desired replica count is more than the maximum replica count',
          }
        : desired < min
          ? {
              type: 'ScalingLimited',
              status: 'True',
              reason: 'TooFewReplicas',
              message: 'the desired replica count is less than the minimum replica count',
            }
          : {
              type: 'ScalingLimited',
              status: 'False',
              reason: 'DesiredWithinRange',
              message: 'the desired count is within the acceptable range',
            },
    );
    r.setStatus('autoscaling/horizontalpodautoscalers', hpa, {
      ...status,
      desiredReplicas: bounded,
      currentMetrics,
      conditions: conds,
    });
  });
}
