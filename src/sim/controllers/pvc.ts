// Persistent volumes: claims bind to a matching Available volume, or get one provisioned from their
// StorageClass; a claim naming a missing class stays Pending and says so.
import type { KObj } from '../store';
import { parseQuantity } from './quantity';
import type { Runtime } from './runtime';
import { keyOf } from './runtime';

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

export function installVolumes(r: Runtime): void {
  r.on('persistentvolumeclaims', (e) => {
    if (e.type !== 'DELETED') return r.enqueue('pvc', keyOf(e.object));
    for (const pv of [...r.ctx.store.iterate('persistentvolumes')]) {
      if (pv.spec?.claimRef?.uid !== e.object.metadata.uid) continue;
      if ((pv.spec.persistentVolumeReclaimPolicy ?? 'Delete') === 'Delete')
        r.remove('persistentvolumes', undefined, pv.metadata.name);
      else r.setStatus('persistentvolumes', pv, { phase: 'Released' });
    }
  });
  r.on('storage.k8s.io/storageclasses', () => {
    for (const ns of r.ctx.store.iterate('namespaces'))
      for (const c of r.ctx.store.iterate('persistentvolumeclaims', ns.metadata.name))
        if (c.status?.phase !== 'Bound') r.enqueue('pvc', keyOf(c));
  });
  r.on('persistentvolumes', (e) => {
    if (e.type === 'ADDED' && !e.object.status?.phase) r.enqueue('pv', e.object.metadata.name);
  });
  r.handle('pv', (name) => {
    const pv = r.get('persistentvolumes', undefined, name);
    if (pv && !pv.status?.phase)
      r.setStatus('persistentvolumes', pv, { phase: pv.spec?.claimRef ? 'Bound' : 'Available' });
  });

  r.handle('pvc', (key) => {
    const pvc = r.byKey('persistentvolumeclaims', key);
    if (!pvc || pvc.metadata.deletionTimestamp || pvc.status?.phase === 'Bound') return;
    const ns = pvc.metadata.namespace;
    if (pvc.spec?.volumeName) {
      const pv = r.get('persistentvolumes', undefined, pvc.spec.volumeName);
      if (pv) bind(r, pvc, pv);
      return;
    }
    const classes = [...r.ctx.store.iterate('storage.k8s.io/storageclasses')];
    const className: string | undefined =
      pvc.spec?.storageClassName ??
      classes.find((c) => c.metadata.annotations?.[DEFAULT_CLASS] === 'true')?.metadata.name;
    const size = parseQuantity(pvc.spec?.resources?.requests?.storage);
    const modes: string[] = pvc.spec?.accessModes ?? [];
    const match = [...r.ctx.store.iterate('persistentvolumes')].find(
      (pv) =>
        (!pv.status?.phase || pv.status.phase === 'Available') &&
        !pv.spec?.claimRef &&
        (pv.spec?.storageClassName ?? '') === (className ?? '') &&
        parseQuantity(pv.spec?.capacity?.storage) >= size &&
        modes.every((m) => (pv.spec?.accessModes ?? []).includes(m)),
    );
    if (match) return bind(r, pvc, match);
    const pending = () =>
      pvc.status?.phase !== 'Pending' && r.setStatus('persistentvolumeclaims', pvc, { phase: 'Pending' });
    if (!className) {
      pending();
      r.event(
        pvc,
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
        'persistentvolume-controller',
      );
      return;
    }
    const sc = classes.find((c) => c.metadata.name === className);
    if (!sc) {
      pending();
      r.event(
        pvc,
        'Warning',
        'ProvisioningFailed',
        `storageclass.storage.k8s.io "${className}" not found`,
        'persistentvolume-controller',
      );
      return;
    }
    if (sc.provisioner === 'kubernetes.io/no-provisioner') {
      pending();
      r.event(
        pvc,
        'Normal',
        'WaitForFirstConsumer',
        'waiting for first consumer to be created before binding',
        'persistentvolume-controller',
      );
      return;
    }
    pending();
    r.event(
      pvc,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      'persistentvolume-controller',
    );
    r.event(
      pvc,
      'Normal',
      'Provisioning',
      `External provisioner is provisioning volume for claim "${ns}/${pvc.metadata.name}"`,
      sc.provisioner,
    );
    r.after(400, () => {
      const claim = r.byKey('persistentvolumeclaims', key);
      if (!claim || claim.status?.phase === 'Bound' || claim.metadata.uid !== pvc.metadata.uid) return;
      const name = `pvc-${claim.metadata.uid}`;
      const pv =
        r.get('persistentvolumes', undefined, name) ??
        r.create('persistentvolumes', {
          metadata: {
            name,
            annotations: {
              'pv.kubernetes.io/provisioned-by': sc.provisioner,
              'volume.kubernetes.io/provisioner-deletion-secret-name': '',
              'volume.kubernetes.io/provisioner-deletion-secret-namespace': '',
            },
            finalizers: ['kubernetes.io/pv-protection'],
          },
          spec: {
            accessModes: modes,
            capacity: { storage: claim.spec?.resources?.requests?.storage ?? '1Gi' },
            persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
            storageClassName: className,
            volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
            csi: { driver: sc.provisioner, volumeHandle: claim.metadata.uid, fsType: 'ext4' },
          },
          status: { phase: 'Available' },
        });
      r.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`, sc.provisioner);
      bind(r, claim, pv);
    });
  });
}

function bind(r: Runtime, pvc: KObj, pv: KObj): void {
  const claimRef = {
    kind: 'PersistentVolumeClaim',
    namespace: pvc.metadata.namespace,
    name: pvc.metadata.name,
    uid: pvc.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: pvc.metadata.resourceVersion,
  };
  const boundPv = r.update('persistentvolumes', { ...pv, spec: { ...pv.spec, claimRef } });
  r.setStatus('persistentvolumes', boundPv, { phase: 'Bound' });
  const provisioner = pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'];
  const annotations = {
    ...(pvc.metadata.annotations ?? {}),
    'pv.kubernetes.io/bind-completed': 'yes',
    'pv.kubernetes.io/bound-by-controller': 'yes',
    ...(provisioner
      ? {
          'volume.beta.kubernetes.io/storage-provisioner': provisioner,
          'volume.kubernetes.io/storage-provisioner': provisioner,
        }
      : {}),
  };
  const claim = r.update('persistentvolumeclaims', {
    ...pvc,
    metadata: {
      ...pvc.metadata,
      annotations,
      finalizers: [...new Set([...(pvc.metadata.finalizers ?? []), 'kubernetes.io/pvc-protection'])],
    },
    spec: {
      ...pvc.spec,
      volumeName: pv.metadata.name,
      ...(pvc.spec?.storageClassName === undefined && pv.spec?.storageClassName
        ? { storageClassName: pv.spec.storageClassName }
        : {}),
    },
  });
  r.setStatus('persistentvolumeclaims', claim, {
    phase: 'Bound',
    accessModes: pv.spec?.accessModes ?? [],
    capacity: pv.spec?.capacity ?? {},
  });
}
