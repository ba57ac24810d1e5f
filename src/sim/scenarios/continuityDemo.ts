// The continuity insights' planted cases. The demo already has single-replica StatefulSets holding data with no
// PodDisruptionBudget (payments/ledger-db, shop/redis, monitoring/prometheus) on volumes that are deleted with their
// claims. Here: Velero's CRDs (velero.io/v1), a storage location, two Schedules and their Backups: shop and
// monitoring backed up nightly and recently; payments' schedule failing for two days, so its last successful backup is
// three days old; and no schedule at all for the data namespace.
import type { SimContext } from '../context';
import { crdToType } from '../crd';
import type { Json } from '../controllers/runtime';
import { crd, namespace, put } from './seed';

const ago = (now: number, hours: number) => new Date(now - hours * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
const stamp = (iso: string) => iso.replace(/[-:TZ]/g, '').slice(0, 14);

export function loadContinuityDemo(ctx: SimContext): void {
  const p = (o: Json) => put(ctx, o);
  p(namespace('velero'));
  for (const c of [
    crd('velero.io', 'BackupStorageLocation', 'backupstoragelocations', {
      version: 'v1',
      shortNames: ['bsl'],
      categories: ['velero'],
      columns: [
        { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
        { name: 'Last Validated', type: 'date', jsonPath: '.status.lastValidationTime' },
      ],
    }),
    crd('velero.io', 'Schedule', 'schedules', {
      version: 'v1',
      categories: ['velero'],
      columns: [
        { name: 'Status', type: 'string', jsonPath: '.status.phase' },
        { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule' },
        { name: 'LastBackup', type: 'date', jsonPath: '.status.lastBackup' },
        { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused' },
      ],
    }),
    crd('velero.io', 'Backup', 'backups', {
      version: 'v1',
      categories: ['velero'],
      columns: [
        { name: 'Status', type: 'string', jsonPath: '.status.phase' },
        { name: 'Errors', type: 'integer', jsonPath: '.status.errors' },
        { name: 'Created', type: 'date', jsonPath: '.status.startTimestamp' },
        { name: 'Expires', type: 'date', jsonPath: '.status.expiration' },
      ],
    }),
  ])
    ctx.types.add(crdToType(p(c)));

  const now = Date.now();
  p({
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    metadata: { name: 'default', namespace: 'velero' },
    spec: {
      provider: 'gcp',
      default: true,
      objectStorage: { bucket: 'acme-velero-backups', prefix: 'demo-cluster' },
      accessMode: 'ReadWrite',
    },
    status: { phase: 'Available', lastValidationTime: ago(now, 0.1) },
  });
  const schedule = (name: string, cron: string, namespaces: string[], lastHours: number) =>
    p({
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name, namespace: 'velero' },
      spec: {
        schedule: cron,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: namespaces,
          snapshotVolumes: true,
          storageLocation: 'default',
          ttl: '720h0m0s',
        },
      },
      status: { phase: 'Enabled', lastBackup: ago(now, lastHours) },
    });
  schedule('nightly-apps', '0 2 * * *', ['shop', 'monitoring'], 5);
  schedule('payments-db', '0 */12 * * *', ['payments'], 3);
  const backup = (sched: string, namespaces: string[], hours: number, phase: string, errors = 0) => {
    const started = ago(now, hours);
    p({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: {
        name: `${sched}-${stamp(started)}`,
        namespace: 'velero',
        labels: { 'velero.io/schedule-name': sched, 'velero.io/storage-location': 'default' },
      },
      spec: { includedNamespaces: namespaces, snapshotVolumes: true, storageLocation: 'default', ttl: '720h0m0s' },
      status: {
        phase,
        version: 1,
        startTimestamp: started,
        ...(phase === 'InProgress' ? {} : { completionTimestamp: ago(now, hours - 0.1) }),
        expiration: ago(now, hours - 720),
        ...(errors ? { errors } : {}),
        ...(phase === 'Completed' ? { progress: { itemsBackedUp: 212, totalItems: 212 } } : {}),
      },
    });
  };
  backup('nightly-apps', ['shop', 'monitoring'], 29, 'Completed');
  backup('nightly-apps', ['shop', 'monitoring'], 5, 'Completed');
  backup('payments-db', ['payments'], 75, 'Completed');
  backup('payments-db', ['payments'], 63, 'PartiallyFailed', 2);
  backup('payments-db', ['payments'], 51, 'Failed', 1);
  backup('payments-db', ['payments'], 39, 'Failed', 1);
  backup('payments-db', ['payments'], 27, 'Failed', 1);
  backup('payments-db', ['payments'], 15, 'Failed', 1);
  backup('payments-db', ['payments'], 3, 'PartiallyFailed', 3);
}
