// Connectors, their delivery log and what each has announced, in the store's database (read there every time: a
// restored backup is seen at once). Secrets are not here: they live in the secret store, keyed by connector id.
import type { DurableDb } from '../store/durableDb';
import type {
  ConnectorEvent,
  ConnectorType,
  DeliveryDto,
  DeliveryEvent,
  DeliveryStatus,
  NotifySeverity,
  SecretField,
} from '../../shared/routes/connectors';
import type { OutEvent } from './format';

/** A connector as kept: everything but its secrets, and which secret fields it was given. */
export interface StoredConnector {
  id: string;
  name: string;
  type: ConnectorType;
  enabled: boolean;
  events: ConnectorEvent[];
  severities: NotifySeverity[];
  namespaces: string[];
  clusters: string[];
  endpoint?: string;
  secretFields: SecretField[];
  createdAt: string;
  updatedAt: string;
}

/** `opened`: this connector announced the incident; `baseline`: it was already open when the connector was made. */
export type SubjectState = 'opened' | 'baseline';

/** How many attempts the log keeps (the oldest go first). */
export const LOG_KEEP = 5000;

export class ConnectorRecords {
  private writes = 0;

  constructor(private readonly db: () => DurableDb) {}

  all(): StoredConnector[] {
    return this.db()
      .all('SELECT json FROM connectors ORDER BY created_at, id')
      .map((r) => JSON.parse(String(r.json)) as StoredConnector);
  }

  get(id: string): StoredConnector | undefined {
    const r = this.db().get('SELECT json FROM connectors WHERE id = ?', [id]);
    return r ? (JSON.parse(String(r.json)) as StoredConnector) : undefined;
  }

  byName(name: string): StoredConnector | undefined {
    const r = this.db().get('SELECT json FROM connectors WHERE lower(name) = lower(?)', [name]);
    return r ? (JSON.parse(String(r.json)) as StoredConnector) : undefined;
  }

  save(c: StoredConnector, baseline: string[] = []): Promise<void> {
    return this.db().transaction([
      [
        'INSERT OR REPLACE INTO connectors(id, name, type, enabled, created_at, updated_at, json) VALUES (?,?,?,?,?,?,?)',
        [c.id, c.name, c.type, c.enabled ? 1 : 0, c.createdAt, c.updatedAt, JSON.stringify(c)],
      ],
      ...baseline.map((s): [string, string[]] => [
        'INSERT OR IGNORE INTO connector_subjects(connector_id, subject_id, state) VALUES (?,?,?)',
        [c.id, s, 'baseline'],
      ]),
    ]);
  }

  delete(id: string): Promise<void> {
    return this.db().transaction([
      ['DELETE FROM connectors WHERE id = ?', [id]],
      ['DELETE FROM connector_subjects WHERE connector_id = ?', [id]],
    ]);
  }

  subjectState(connectorId: string, subjectId: string): SubjectState | undefined {
    const r = this.db().get('SELECT state FROM connector_subjects WHERE connector_id = ? AND subject_id = ?', [
      connectorId,
      subjectId,
    ]);
    return r ? (String(r.state) as SubjectState) : undefined;
  }

  setSubject(connectorId: string, subjectId: string, state: SubjectState | undefined): Promise<void> {
    return state
      ? this.db().run('INSERT OR REPLACE INTO connector_subjects(connector_id, subject_id, state) VALUES (?,?,?)', [
          connectorId,
          subjectId,
          state,
        ])
      : this.db().run('DELETE FROM connector_subjects WHERE connector_id = ? AND subject_id = ?', [
          connectorId,
          subjectId,
        ]);
  }

  /** One attempt; the first attempt of a delivery also keeps what was sent (for "send again"). */
  async addAttempt(d: DeliveryDto, payload?: OutEvent): Promise<void> {
    await this.db().run(
      'INSERT INTO connector_deliveries(id, delivery_id, connector_id, time, event, subject_id, status, json, payload) VALUES (?,?,?,?,?,?,?,?,?)',
      [
        d.id,
        d.deliveryId,
        d.connectorId,
        d.time,
        d.event,
        d.subjectId,
        d.status,
        JSON.stringify(d),
        payload ? JSON.stringify(payload) : null,
      ],
    );
    if (++this.writes % 200 === 0) await this.prune();
  }

  async prune(keep = LOG_KEEP): Promise<void> {
    const edge = this.db().get('SELECT seq FROM connector_deliveries ORDER BY seq DESC LIMIT 1 OFFSET ?', [keep]);
    if (edge) await this.db().run('DELETE FROM connector_deliveries WHERE seq <= ?', [Number(edge.seq)]);
  }

  deliveries(
    q: { connectorId?: string; status?: DeliveryStatus; event?: DeliveryEvent; limit?: number } = {},
  ): DeliveryDto[] {
    const where: string[] = [];
    const p: Array<string | number> = [];
    if (q.connectorId) {
      where.push('connector_id = ?');
      p.push(q.connectorId);
    }
    if (q.status) {
      where.push('status = ?');
      p.push(q.status);
    }
    if (q.event) {
      where.push('event = ?');
      p.push(q.event);
    }
    p.push(q.limit ?? 200);
    return this.db()
      .all(
        `SELECT json FROM connector_deliveries${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
        p,
      )
      .map((r) => JSON.parse(String(r.json)) as DeliveryDto);
  }

  /** The newest attempt of each connector. */
  lastAttempts(): Map<string, DeliveryDto> {
    const m = new Map<string, DeliveryDto>();
    for (const r of this.db().all(
      'SELECT json FROM connector_deliveries WHERE seq IN (SELECT max(seq) FROM connector_deliveries GROUP BY connector_id)',
    )) {
      const d = JSON.parse(String(r.json)) as DeliveryDto;
      m.set(d.connectorId, d);
    }
    return m;
  }

  /** What a logged delivery sent, and to which connector. */
  sent(deliveryId: string): { connectorId: string; event: OutEvent } | undefined {
    const r = this.db().get(
      'SELECT connector_id, payload FROM connector_deliveries WHERE delivery_id = ? AND payload IS NOT NULL ORDER BY seq LIMIT 1',
      [deliveryId],
    );
    return r ? { connectorId: String(r.connector_id), event: JSON.parse(String(r.payload)) as OutEvent } : undefined;
  }
}
