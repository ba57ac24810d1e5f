// Defaults the API server fills in on every write (the Go types' SetDefaults_*), for the fields clients read back:
// `kubectl rollout status` refuses a StatefulSet or DaemonSet whose updateStrategy is not RollingUpdate, and
// `kubectl debug` panics on a pod without spec.securityContext.
import type { ResourceType } from './kinds';
import type { KObj } from './store';
import { withPodDefaults } from './controllers/runtime';

export function applyDefaults(rt: ResourceType, o: KObj): void {
  // A pod always has spec.securityContext (kubectl debug dereferences it) and its containers' pull policy and
  // termination-message defaults, as the workload controllers' pods already do.
  if (rt.group === '' && rt.resource === 'pods' && o.spec && typeof o.spec === 'object') {
    o.spec = withPodDefaults(o.spec);
    return;
  }
  // A Secret's stringData is write-only: the API server merges it into data (base64; it wins over data) and never
  // stores it (core/v1 conversion of Secret).
  if (rt.group === '' && rt.resource === 'secrets' && o.stringData && typeof o.stringData === 'object') {
    const data: Record<string, string> = { ...((o.data as Record<string, string> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(o.stringData as Record<string, unknown>))
      data[k] = Buffer.from(String(v)).toString('base64');
    o.data = data;
    delete o.stringData;
    return;
  }
  if (rt.group !== 'apps' || !o.spec || typeof o.spec !== 'object') return;
  const spec = o.spec;
  switch (rt.resource) {
    case 'statefulsets':
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate ??= { partition: 0 };
      spec.revisionHistoryLimit ??= 10;
      spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      break;
    case 'daemonsets':
      spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (spec.updateStrategy.type === 'RollingUpdate')
        spec.updateStrategy.rollingUpdate ??= { maxUnavailable: 1, maxSurge: 0 };
      spec.revisionHistoryLimit ??= 10;
      break;
  }
}
