// Continuity: what one lost pod, node or zone, one node drain, or one deleted claim would take down, and whether the
// data has a recent backup. Read from the watch caches: Deployments and StatefulSets with their pods (by owner),
// PodDisruptionBudgets, nodes' zones, PersistentVolumes and their claims, VolumeSnapshotClasses, and Velero's
// Schedules and Backups when its CRDs are served. Fixes: a PodDisruptionBudget, a second replica, a topology spread
// constraint, a PDB that allows one disruption, a volume that is retained when its claim goes.
import type {
  ContinuitySummary,
  ContinuityWorkload,
  NamespaceBackup,
  VeleroBackup,
  VeleroSchedule,
  VolumeRisk,
} from '../../shared/continuity';
import type { Finding, FindingSeverity } from '../../shared/insights';
import { contextOf, objects } from '../api/common';
import type { ApiDeps } from '../api/deps';
import type { KObject } from '../kube/descriptors';
import { KubeError } from '../kube/errors';
import { matchesSelector, type LabelSelector } from '../kube/objectIndex';
import { isActivePod } from '../analysis/reports';
import { findingId, type InsightAnalysis } from './analysis';
import { weightedScores } from './weights';
import { controllerRef } from './cost';
import { cacheVersion, Memo } from './memo';

const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';
/** A namespace with data and no successful backup for longer than this is a finding. */
export const MAX_BACKUP_AGE_HOURS = 24;
const HOUR = 3_600_000;

export interface ContinuityInput {
  deployments: KObject[];
  statefulSets: KObject[];
  replicaSets: KObject[];
  pods: KObject[];
  pdbs: KObject[];
  nodes: KObject[];
  pvcs: KObject[];
  pvs: KObject[];
  storageClasses: KObject[];
  /** Undefined: the kind is not served. */
  snapshotClasses?: KObject[];
  veleroSchedules?: KObject[];
  veleroBackups?: KObject[];
  now: number;
}

const CONTINUITY_KINDS = [
  'deployments.apps',
  'statefulsets.apps',
  'replicasets.apps',
  'pods',
  'poddisruptionbudgets.policy',
  'nodes',
  'persistentvolumeclaims',
  'persistentvolumes',
  'storageclasses.storage.k8s.io',
  'volumesnapshotclasses.snapshot.storage.k8s.io',
  'schedules.velero.io',
  'backups.velero.io',
];
const memo = new Memo<ContinuitySummary>();

async function readInput(deps: ApiDeps, context: string): Promise<ContinuityInput> {
  const get = async (k: string) => ((await objects(deps, context, k)) ?? []) as KObject[];
  const maybe = async (k: string) => (await objects(deps, context, k)) as KObject[] | undefined;
  const [
    deployments,
    statefulSets,
    replicaSets,
    pods,
    pdbs,
    nodes,
    pvcs,
    pvs,
    storageClasses,
    snapshotClasses,
    veleroSchedules,
    veleroBackups,
  ] = await Promise.all([
    get('deployments.apps'),
    get('statefulsets.apps'),
    get('replicasets.apps'),
    get('pods'),
    get('poddisruptionbudgets.policy'),
    get('nodes'),
    get('persistentvolumeclaims'),
    get('persistentvolumes'),
    get('storageclasses.storage.k8s.io'),
    maybe('volumesnapshotclasses.snapshot.storage.k8s.io'),
    maybe('schedules.velero.io'),
    maybe('backups.velero.io'),
  ]);
  return {
    deployments,
    statefulSets,
    replicaSets,
    pods,
    pdbs,
    nodes,
    pvcs,
    pvs,
    storageClasses,
    snapshotClasses,
    veleroSchedules,
    veleroBackups,
    now: Date.now(),
  };
}

export async function continuityAnalysis(
  deps: ApiDeps,
  context: string | undefined,
  namespace?: string,
): Promise<ContinuitySummary> {
  const ctx = contextOf(deps, context);
  // Backup ages follow the clock: the answer is kept for a minute at most.
  const version = `${await cacheVersion(deps, ctx, CONTINUITY_KINDS)}#${Math.floor(Date.now() / 60_000)}`;
  return memo.get(deps, `${ctx}|${namespace ?? ''}`, version, async () =>
    analyseContinuity(await readInput(deps, ctx), namespace || undefined),
  );
}

type Spec = {
  replicas?: number;
  selector?: LabelSelector;
  template?: {
    metadata?: { labels?: Record<string, string> };
    spec?: {
      affinity?: { podAntiAffinity?: unknown };
      topologySpreadConstraints?: unknown[];
      volumes?: Array<{ persistentVolumeClaim?: { claimName: string } }>;
    };
  };
  volumeClaimTemplates?: Array<{ metadata?: { name?: string } }>;
};

interface Analysed extends ContinuityWorkload {
  hasData: boolean;
}

const pct = (v: unknown, of: number): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) return Math.floor((Number(v.slice(0, -1)) / 100) * of);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
};

/** Disruptions a PDB allows with `replicas` healthy pods (by its spec, not its moving status). */
function allowedBySpec(pdb: KObject, replicas: number): number {
  const s = (pdb.spec ?? {}) as { minAvailable?: unknown; maxUnavailable?: unknown };
  if (s.maxUnavailable !== undefined) {
    // maxUnavailable percentages round up, as the disruption controller does.
    const v = s.maxUnavailable;
    if (typeof v === 'string' && v.endsWith('%')) return Math.ceil((Number(v.slice(0, -1)) / 100) * replicas);
    return pct(v, replicas) ?? 1;
  }
  if (s.minAvailable !== undefined) {
    const v = s.minAvailable;
    const min =
      typeof v === 'string' && v.endsWith('%')
        ? Math.ceil((Number(v.slice(0, -1)) / 100) * replicas)
        : pct(v, replicas);
    return Math.max(0, replicas - (min ?? 1));
  }
  return replicas;
}

const veleroNs = (o: KObject, at: 'spec' | 'template') => {
  const s = ((at === 'spec' ? o.spec : (o.spec as { template?: unknown } | undefined)?.template) ?? {}) as {
    includedNamespaces?: string[];
    excludedNamespaces?: string[];
  };
  return { included: s.includedNamespaces ?? [], excluded: s.excludedNamespaces ?? [] };
};
const covers = (inc: string[], exc: string[], ns: string) =>
  !exc.includes(ns) && (inc.length === 0 || inc.includes('*') || inc.includes(ns));

export function analyseContinuity(input: ContinuityInput, namespace?: string): ContinuitySummary {
  const inScope = (ns?: string) => !namespace || ns === namespace;
  // Nodes' zones, pods by their controller.
  const zoneOf = new Map<string, string>();
  for (const n of input.nodes) {
    const z = n.metadata.labels?.[ZONE];
    if (z) zoneOf.set(n.metadata.name, z);
  }
  const zones = [...new Set(zoneOf.values())].sort();
  const rsOwner = new Map<string, string>();
  for (const rs of input.replicaSets) {
    const o = rs.metadata.ownerReferences?.find((r) => r.controller);
    if (o?.kind === 'Deployment') rsOwner.set(`${rs.metadata.namespace}/${rs.metadata.name}`, o.name);
  }
  const podsOf = new Map<string, KObject[]>();
  for (const p of input.pods) {
    if (!inScope(p.metadata.namespace) || !isActivePod(p)) continue;
    const o = controllerRef(p.metadata.ownerReferences);
    if (!o?.controller) continue;
    let key: string | undefined;
    if (o.kind === 'ReplicaSet') {
      const d = rsOwner.get(`${p.metadata.namespace}/${o.name}`);
      if (d) key = `Deployment/${p.metadata.namespace}/${d}`;
    } else if (o.kind === 'StatefulSet') key = `StatefulSet/${p.metadata.namespace}/${o.name}`;
    if (!key) continue;
    const l = podsOf.get(key);
    if (l) l.push(p);
    else podsOf.set(key, [p]);
  }
  // Claims and volumes.
  const claims = new Map<string, KObject>();
  for (const c of input.pvcs) claims.set(`${c.metadata.namespace}/${c.metadata.name}`, c);
  const boundClaims = input.pvcs.filter((c) => (c.status as { phase?: string } | undefined)?.phase === 'Bound');
  const pdbsByNs = new Map<string, KObject[]>();
  for (const b of input.pdbs) {
    const l = pdbsByNs.get(b.metadata.namespace ?? '');
    if (l) l.push(b);
    else pdbsByNs.set(b.metadata.namespace ?? '', [b]);
  }

  const findings: Finding[] = [];
  const add = (
    check: string,
    family: string,
    severity: FindingSeverity,
    target: { kind: string; namespace?: string; name: string },
    title: string,
    why: string,
    fix?: Finding['fix'],
  ) =>
    findings.push({
      id: findingId('continuity', check, target),
      source: 'continuity',
      check,
      family,
      severity,
      target: target.namespace ? target : { kind: target.kind, name: target.name },
      title,
      why,
      ...(fix ? { fix } : {}),
    });

  const rows: Analysed[] = [];
  const workloads = [
    ...input.deployments.map((o) => ({ o, kind: 'Deployment' })),
    ...input.statefulSets.map((o) => ({ o, kind: 'StatefulSet' })),
  ];
  for (const { o, kind } of workloads) {
    const ns = o.metadata.namespace ?? '';
    if (!inScope(ns)) continue;
    const spec = (o.spec ?? {}) as Spec;
    const replicas = spec.replicas ?? 1;
    const pods = podsOf.get(`${kind}/${ns}/${o.metadata.name}`) ?? [];
    const running = pods.filter((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName);
    const nodes = new Set(running.map((p) => (p.spec as { nodeName: string }).nodeName));
    const podZones = new Set([...nodes].map((n) => zoneOf.get(n)).filter(Boolean));
    const tlabels = spec.template?.metadata?.labels ?? {};
    const pdb = (pdbsByNs.get(ns) ?? []).find((b) => {
      const sel = (b.spec as { selector?: LabelSelector } | undefined)?.selector;
      return !!sel && (Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0)
        ? matchesSelector(tlabels, sel)
        : false;
    });
    const tspec = spec.template?.spec ?? {};
    const spread = !!tspec.affinity?.podAntiAffinity || (tspec.topologySpreadConstraints ?? []).length > 0;
    // Data: claims its pods mount (a StatefulSet's from its templates), bound.
    const vols = new Set<string>();
    for (const p of pods)
      for (const v of (p.spec as { volumes?: Array<{ persistentVolumeClaim?: { claimName: string } }> } | undefined)
        ?.volumes ?? [])
        if (v.persistentVolumeClaim) {
          const c = claims.get(`${ns}/${v.persistentVolumeClaim.claimName}`);
          if ((c?.status as { phase?: string } | undefined)?.phase === 'Bound') vols.add(c!.metadata.name);
        }
    if (kind === 'StatefulSet')
      for (const t of spec.volumeClaimTemplates ?? [])
        for (let i = 0; i < replicas; i++) {
          const c = claims.get(`${ns}/${t.metadata?.name}-${o.metadata.name}-${i}`);
          if ((c?.status as { phase?: string } | undefined)?.phase === 'Bound') vols.add(c!.metadata.name);
        }
    const row: Analysed = {
      kind,
      namespace: ns,
      name: o.metadata.name,
      replicas,
      nodes: nodes.size,
      zones: podZones.size,
      pdb: !!pdb,
      spread,
      volumes: [...vols].sort(),
      hasData: vols.size > 0,
    };
    if (pdb) {
      row.pdbName = pdb.metadata.name;
      const st = (pdb.status ?? {}) as { disruptionsAllowed?: number };
      if (typeof st.disruptionsAllowed === 'number') row.disruptionsAllowed = st.disruptionsAllowed;
    }
    rows.push(row);
    if (replicas === 0) continue;
    const t = { kind, namespace: ns, name: o.metadata.name };
    const what = `${kind} ${o.metadata.name}`;
    // Availability
    if (replicas === 1) {
      if (row.hasData && kind === 'StatefulSet')
        add(
          'singleReplica',
          'Availability',
          'high',
          t,
          `One replica holding data (${row.volumes.join(', ')})`,
          `Its only pod and its volume are one failure domain: a node failure or a drain stops it until the volume re-attaches elsewhere${pdb ? '' : ', and nothing asks a drain to wait'}.`,
        );
      else
        add(
          'singleReplica',
          'Availability',
          'medium',
          t,
          'Runs a single replica',
          `Any restart, node failure or drain takes ${what} down until a new pod is scheduled and ready.`,
          { description: `Scale ${what} to 2 replicas`, type: 'patch' },
        );
    }
    // Disruption
    if (!pdb && (replicas >= 2 || (row.hasData && kind === 'StatefulSet'))) {
      const spec2 = replicas >= 3 ? 'maxUnavailable 1' : 'minAvailable 1';
      add(
        'noPdb',
        'Disruption',
        'medium',
        t,
        'No PodDisruptionBudget',
        replicas >= 2
          ? `A node drain or cluster upgrade may evict all ${replicas} pods at once; a budget makes it wait for replacements.`
          : `A node drain evicts the only pod of a workload holding data without warning; a budget makes the drain wait for someone to move it.`,
        { description: `Create PodDisruptionBudget ${o.metadata.name} (${spec2})`, type: 'create' },
      );
    }
    if (pdb && replicas >= 2 && allowedBySpec(pdb, replicas) === 0)
      add(
        'pdbBlocksDisruption',
        'Disruption',
        'medium',
        { kind: 'PodDisruptionBudget', namespace: ns, name: pdb.metadata.name },
        `Allows no disruption of ${what}`,
        `With ${replicas} replicas it allows 0 evictions, so every node drain and cluster upgrade hangs on these pods until someone deletes them by hand.`,
        { description: `Set PodDisruptionBudget ${pdb.metadata.name} to maxUnavailable 1`, type: 'patch' },
      );
    // Placement
    if (replicas >= 2 && running.length >= 2 && nodes.size === 1)
      add(
        'singleNode',
        'Placement',
        'high',
        t,
        `All ${running.length} replicas on node ${[...nodes][0]}`,
        `Losing that one node takes every replica down at once: the replicas give no protection.`,
        { description: `Spread ${what} over nodes (topology spread on ${HOSTNAME})`, type: 'patch' },
      );
    else if (replicas >= 2 && nodes.size >= 2 && podZones.size === 1 && zones.length >= 2)
      add(
        'singleZone',
        'Placement',
        'medium',
        t,
        `All replicas in zone ${[...podZones][0]}`,
        `The cluster spans ${zones.length} zones but a zone outage takes every replica of ${what} down.`,
        { description: `Spread ${what} over zones (topology spread on ${ZONE})`, type: 'patch' },
      );
    else if (replicas >= 2 && !spread)
      add(
        'noSpread',
        'Placement',
        'low',
        t,
        'No anti-affinity or topology spread',
        `Nothing keeps the scheduler from putting its replicas on the same node later; today they happen to be spread.`,
        { description: `Spread ${what} over nodes (topology spread on ${HOSTNAME})`, type: 'patch' },
      );
  }

  // Data: volumes deleted with their claim, snapshot support.
  const deleteReclaim: VolumeRisk[] = [];
  for (const pv of input.pvs) {
    const s = (pv.spec ?? {}) as {
      persistentVolumeReclaimPolicy?: string;
      claimRef?: { namespace?: string; name?: string };
      storageClassName?: string;
      capacity?: { storage?: string };
    };
    if (!s.claimRef?.name || (s.persistentVolumeReclaimPolicy ?? 'Delete') !== 'Delete') continue;
    if ((pv.status as { phase?: string } | undefined)?.phase !== 'Bound') continue;
    if (!inScope(s.claimRef.namespace)) continue;
    const risk: VolumeRisk = {
      pv: pv.metadata.name,
      claim: { namespace: s.claimRef.namespace ?? '', name: s.claimRef.name },
      reclaimPolicy: s.persistentVolumeReclaimPolicy ?? 'Delete',
      ...(s.storageClassName ? { storageClass: s.storageClassName } : {}),
      ...(s.capacity?.storage ? { capacity: s.capacity.storage } : {}),
    };
    deleteReclaim.push(risk);
    add(
      'deleteReclaim',
      'Data & backups',
      'medium',
      { kind: 'PersistentVolume', name: pv.metadata.name },
      `Deleted with claim ${risk.claim.namespace}/${risk.claim.name}`,
      `Its reclaim policy is Delete: deleting the claim (or its namespace, or uninstalling the chart) destroys the ${risk.capacity ?? ''} of data for good.`.replace(
        'the  of',
        'the',
      ),
      { description: `Set the reclaim policy of ${pv.metadata.name} to Retain`, type: 'patch' },
    );
  }
  const snapshotClasses = (input.snapshotClasses ?? []).map((s) => s.metadata.name).sort();
  const snapshotDrivers = new Set((input.snapshotClasses ?? []).map((s) => String((s as { driver?: string }).driver)));
  const scByName = new Map(input.storageClasses.map((s) => [s.metadata.name, s]));
  const classesWithData = new Map<string, number>();
  for (const c of boundClaims) {
    if (!inScope(c.metadata.namespace)) continue;
    const sc = (c.spec as { storageClassName?: string } | undefined)?.storageClassName;
    if (sc) classesWithData.set(sc, (classesWithData.get(sc) ?? 0) + 1);
  }
  for (const [sc, n] of classesWithData) {
    const driver = String((scByName.get(sc) as { provisioner?: string } | undefined)?.provisioner ?? '');
    if (!driver || snapshotDrivers.has(driver)) continue;
    add(
      'noSnapshotClass',
      'Data & backups',
      'medium',
      { kind: 'StorageClass', name: sc },
      `No VolumeSnapshotClass for ${driver}`,
      `${n} bound claim${n === 1 ? '' : 's'} of this class cannot be snapshotted, so there is no quick point-in-time copy to restore from.`,
    );
  }

  // Backups: Velero's schedules and backups per namespace holding data.
  const velero = input.veleroBackups !== undefined || input.veleroSchedules !== undefined;
  const schedules: VeleroSchedule[] = (input.veleroSchedules ?? []).map((s) => {
    const sp = (s.spec ?? {}) as { schedule?: string; paused?: boolean; template?: { ttl?: string } };
    const { included, excluded } = veleroNs(s, 'template');
    const st = (s.status ?? {}) as { lastBackup?: string };
    return {
      name: s.metadata.name,
      namespace: s.metadata.namespace ?? '',
      schedule: sp.schedule ?? '',
      paused: !!sp.paused,
      includedNamespaces: included,
      excludedNamespaces: excluded,
      ...(sp.template?.ttl ? { ttl: sp.template.ttl } : {}),
      ...(st.lastBackup ? { lastBackup: st.lastBackup } : {}),
    };
  });
  const backups: VeleroBackup[] = (input.veleroBackups ?? [])
    .map((b) => {
      const st = (b.status ?? {}) as {
        phase?: string;
        startTimestamp?: string;
        completionTimestamp?: string;
        expiration?: string;
        errors?: number;
        warnings?: number;
      };
      const { included, excluded } = veleroNs(b, 'spec');
      const sched = b.metadata.labels?.['velero.io/schedule-name'];
      return {
        name: b.metadata.name,
        namespace: b.metadata.namespace ?? '',
        ...(sched ? { schedule: sched } : {}),
        phase: st.phase ?? 'New',
        includedNamespaces: included,
        excludedNamespaces: excluded,
        ...(st.startTimestamp ? { started: st.startTimestamp } : {}),
        ...(st.completionTimestamp ? { completed: st.completionTimestamp } : {}),
        ...(st.expiration ? { expiration: st.expiration } : {}),
        ...(st.errors ? { errors: st.errors } : {}),
        ...(st.warnings ? { warnings: st.warnings } : {}),
      };
    })
    .sort((a, b) => (b.started ?? b.completed ?? '').localeCompare(a.started ?? a.completed ?? ''));
  const dataNs = new Map<string, number>();
  for (const c of boundClaims)
    if (inScope(c.metadata.namespace))
      dataNs.set(c.metadata.namespace ?? '', (dataNs.get(c.metadata.namespace ?? '') ?? 0) + 1);
  const nsBackups: NamespaceBackup[] = [];
  for (const [ns, n] of [...dataNs].sort((a, b) => a[0].localeCompare(b[0]))) {
    const mine = backups.filter((b) => covers(b.includedNamespaces, b.excludedNamespaces, ns));
    const ok = mine.find((b) => b.phase === 'Completed' && b.completed);
    const lastAttempt = mine[0];
    const sch = schedules.filter((s) => !s.paused && covers(s.includedNamespaces, s.excludedNamespaces, ns));
    const row: NamespaceBackup = { namespace: ns, claims: n, schedules: sch.map((s) => s.name) };
    if (ok) {
      row.lastSuccess = { backup: ok.name, completed: ok.completed! };
      row.ageHours = Math.round(((input.now - Date.parse(ok.completed!)) / HOUR) * 10) / 10;
    }
    if (lastAttempt) {
      row.lastAttempt = {
        backup: lastAttempt.name,
        phase: lastAttempt.phase,
        ...(lastAttempt.started || lastAttempt.completed ? { at: lastAttempt.started ?? lastAttempt.completed } : {}),
      };
    }
    nsBackups.push(row);
    const t = { kind: 'Namespace', name: ns };
    const claimsText = `${n} bound claim${n === 1 ? '' : 's'}`;
    if (!velero) {
      add(
        'noBackupTool',
        'Data & backups',
        'low',
        t,
        'No backup tool found',
        `Velero is not installed and nothing else KubeGraf knows backs up the ${claimsText} here: a deleted namespace or a lost disk is not recoverable.`,
      );
      continue;
    }
    const failed = lastAttempt && lastAttempt.phase !== 'Completed' && lastAttempt.phase !== 'InProgress';
    const failedText = failed ? ` The last attempt, ${lastAttempt.name}, ended ${lastAttempt.phase}.` : '';
    if (!sch.length)
      add(
        'noBackupSchedule',
        'Data & backups',
        'high',
        t,
        row.lastSuccess ? `No backup schedule (last backup ${Math.round(row.ageHours!)} h ago)` : 'Never backed up',
        `No active Velero Schedule includes this namespace, so the data of its ${claimsText} is backed up only when someone remembers to.${failedText}`,
      );
    else if (!row.lastSuccess || row.ageHours! > MAX_BACKUP_AGE_HOURS)
      add(
        'staleBackup',
        'Data & backups',
        'high',
        t,
        row.lastSuccess
          ? `Last successful backup ${row.ageHours! >= 48 ? `${Math.round(row.ageHours! / 24)} days` : `${Math.round(row.ageHours!)} hours`} ago`
          : 'No successful backup yet',
        `Schedule ${sch.map((s) => s.name).join(', ')} covers its ${claimsText} but ${row.lastSuccess ? `nothing newer than ${MAX_BACKUP_AGE_HOURS} hours succeeded` : 'no backup has completed'}: a restore today would lose that much data.${failedText}`,
      );
  }

  // The original summary's lists and score.
  const plain = (r: Analysed): ContinuityWorkload => {
    const { hasData: _hasData, ...w } = r;
    void _hasData;
    return w;
  };
  const singleReplica = rows.filter((r) => r.replicas === 1).map(plain);
  const singleNode = rows.filter((r) => r.replicas >= 2 && r.nodes < 2).map(plain);
  const withoutPdb = rows.filter((r) => !r.pdb && r.replicas >= 2).map(plain);
  const risky = new Set(
    findings
      .filter((f) => f.family !== 'Data & backups' && f.severity !== 'low' && f.severity !== 'info')
      .map((f) => `${f.target.namespace}/${f.target.name}`),
  ).size;
  return {
    workloads: rows.length,
    score: rows.length ? Math.max(0, Math.round(100 * (1 - risky / rows.length))) : 100,
    singleReplica,
    singleNode,
    withoutPdb,
    rows: rows.map(plain),
    findings,
    zones,
    volumes: {
      deleteReclaim,
      boundClaims: boundClaims.filter((c) => inScope(c.metadata.namespace)).length,
      snapshotClasses,
    },
    backups: {
      velero,
      schedules,
      recent: backups.slice(0, 50),
      namespaces: nsBackups,
      maxAgeHours: MAX_BACKUP_AGE_HOURS,
    },
  };
}

function spreadConstraint(live: KObject, key: string) {
  const sel = (live.spec as Spec | undefined)?.selector;
  return {
    maxSkew: 1,
    topologyKey: key,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...(sel?.matchLabels ?? {}) } },
  };
}

export const continuityInsights: InsightAnalysis = {
  source: 'continuity',
  async findings(deps, context, namespace) {
    return [...(await continuityAnalysis(deps, context, namespace)).findings];
  },
  scores: weightedScores,
  fixObject(finding, live) {
    const next = structuredClone(live);
    const spec = (next.spec ?? {}) as Record<string, unknown> & Spec;
    switch (finding.check) {
      case 'singleReplica':
        if ((spec.replicas ?? 1) !== 1)
          throw new KubeError('invalid', `${live.kind} ${live.metadata.name} no longer runs one replica`);
        spec.replicas = 2;
        return next;
      case 'noPdb': {
        const replicas = spec.replicas ?? 1;
        const sel = spec.selector;
        if (!sel?.matchLabels && !sel?.matchExpressions)
          throw new KubeError('invalid', `${live.kind} ${live.metadata.name} has no selector to build a budget from`);
        return {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: {
            name: live.metadata.name,
            namespace: live.metadata.namespace,
            labels: { 'app.kubernetes.io/created-by': 'kubegraf' },
          },
          spec: { ...(replicas >= 3 ? { maxUnavailable: 1 } : { minAvailable: 1 }), selector: structuredClone(sel) },
        };
      }
      case 'pdbBlocksDisruption': {
        const s = { ...(spec as Record<string, unknown>) };
        delete s.minAvailable;
        s.maxUnavailable = 1;
        next.spec = s;
        return next;
      }
      case 'singleNode':
      case 'noSpread':
      case 'singleZone': {
        const key = finding.check === 'singleZone' ? ZONE : HOSTNAME;
        const tspec = ((spec.template ??= {}).spec ??= {}) as NonNullable<NonNullable<Spec['template']>['spec']>;
        const list = (tspec.topologySpreadConstraints ?? []) as Array<{ topologyKey?: string }>;
        if (list.some((c) => c.topologyKey === key))
          throw new KubeError('invalid', `${live.kind} ${live.metadata.name} already spreads on ${key}`);
        tspec.topologySpreadConstraints = [...list, spreadConstraint(live, key)];
        return next;
      }
      case 'deleteReclaim':
        (spec as Record<string, unknown>).persistentVolumeReclaimPolicy = 'Retain';
        return next;
      default:
        throw new KubeError('invalid', `${finding.check} has no fix`);
    }
  },
};
