// Turning cached objects into what faces show: rows keyed by column id, event rows, masked secrets.
import type { ResourceRow, EventRow } from '../../shared/routes/resources';
import { eventTime, kindId, resolveColumns, type KObject, type KindDescriptor } from '../kube/descriptors';

export function toRow(d: KindDescriptor, o: KObject, now = Date.now()): ResourceRow {
  const row: ResourceRow = { name: o.metadata.name };
  if (o.metadata.namespace) row.namespace = o.metadata.namespace;
  if (o.metadata.uid) row.uid = o.metadata.uid;
  if (o.metadata.creationTimestamp) row.createdAt = o.metadata.creationTimestamp;
  row.labels = o.metadata.labels ?? {};
  for (const c of resolveColumns(d)) {
    if (c.id === 'name' || c.id === 'namespace' || c.id === 'labels') continue;
    row[c.id] = c.get(o, now);
  }
  if (o.metadata.deletionTimestamp) row.deleting = true;
  return row;
}

export function toEventRow(e: KObject): EventRow {
  const io = (e.involvedObject ?? e.regarding ?? {}) as { kind?: string; name?: string; namespace?: string };
  const src = e.source as { component?: string; host?: string } | undefined;
  const series = e.series as { count?: number } | undefined;
  const row: EventRow = {
    name: e.metadata.name,
    type: String(e.type ?? 'Normal'),
    reason: String(e.reason ?? ''),
    message: String(e.message ?? e.note ?? ''),
    count: Number(series?.count ?? e.count ?? 1),
    object: { kind: io.kind ?? '', name: io.name ?? '' },
  };
  if (e.metadata.namespace) row.namespace = e.metadata.namespace;
  if (io.namespace) row.object.namespace = io.namespace;
  const source =
    src?.component ?? (e.reportingComponent as string | undefined) ?? (e.reportingController as string | undefined);
  if (source) row.source = src?.host ? `${source}, ${src.host}` : source;
  const first =
    (e.firstTimestamp as string | undefined) ?? (e.eventTime as string | undefined) ?? e.metadata.creationTimestamp;
  if (first) row.firstSeen = first;
  const last = eventTime(e);
  if (last) row.lastSeen = last;
  return row;
}

export const MASK = '********';

/**
 * A secret with every value replaced by MASK, except `reveal` (shown decoded in `revealed`). The bytes never leave
 * the server unless one key is asked for by name.
 */
export function maskSecret(
  o: KObject,
  reveal?: string,
): { object: KObject; revealed?: { key: string; value: string } } {
  const c = JSON.parse(JSON.stringify(o)) as KObject;
  let revealed: { key: string; value: string } | undefined;
  for (const field of ['data', 'stringData'] as const) {
    const m = c[field] as Record<string, string> | undefined;
    if (!m || typeof m !== 'object') continue;
    for (const k of Object.keys(m)) {
      if (reveal !== undefined && k === reveal)
        revealed = { key: k, value: field === 'data' ? Buffer.from(m[k], 'base64').toString('utf8') : m[k] };
      m[k] = MASK;
    }
  }
  // kubectl apply keeps the whole object in this annotation, values included.
  const ann = c.metadata.annotations;
  if (ann?.['kubectl.kubernetes.io/last-applied-configuration'])
    ann['kubectl.kubernetes.io/last-applied-configuration'] = MASK;
  return { object: c, revealed };
}

export const isSecretKind = (d: KindDescriptor): boolean => kindId(d) === 'secrets';

/** Puts stored values back where an edited secret still carries MASK, so saving a masked YAML never wipes data. */
export function unmaskSecret(edited: KObject, stored: KObject | undefined): KObject {
  for (const field of ['data', 'stringData'] as const) {
    const m = edited[field] as Record<string, string> | undefined;
    if (!m || typeof m !== 'object') continue;
    const cur = (stored?.[field] as Record<string, string> | undefined) ?? {};
    for (const k of Object.keys(m)) {
      if (m[k] !== MASK) continue;
      if (cur[k] !== undefined) m[k] = cur[k];
      else delete m[k];
    }
  }
  const ann = edited.metadata?.annotations;
  if (ann?.['kubectl.kubernetes.io/last-applied-configuration'] === MASK) {
    const prev = stored?.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
    if (prev) ann['kubectl.kubernetes.io/last-applied-configuration'] = prev;
    else delete ann['kubectl.kubernetes.io/last-applied-configuration'];
  }
  return edited;
}
