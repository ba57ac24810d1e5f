// Defaults the API server fills in on every write (the Go types' SetDefaults_*), for the fields clients read back:
// `kubectl rollout status` refuses a StatefulSet or DaemonSet whose updateStrategy is not RollingUpdate.
import type { ResourceType } from './kinds';
import type { KObj } from './store';

export function applyDefaults(rt: ResourceType, o: KObj): void {
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
