// Handlers of the connector routes: CRUD (admin), test sends, the delivery log (and its live stream), send again.
import type { Handlers, ParamsOf } from '../../shared/route';
import type { CONNECTOR_ROUTES } from '../../shared/routes/connectors';
import type { Routes } from '../../shared/routeTable';
import { ConnectorError } from '../connectors/engine';
import type { ApiDeps } from './deps';
import { ApiError } from './errors';
import type { StreamHandler } from './streams';

type H = Handlers<typeof CONNECTOR_ROUTES, ApiDeps>;

const STATUS = { invalidParams: 400, notFound: 404, conflict: 409 } as const;

/** Field problems travel as the server's other 400s do: `details` lists `{path, message}` per field. */
async function mapped<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ConnectorError) {
      const details = e.fields ? Object.entries(e.fields).map(([path, message]) => ({ path, message })) : undefined;
      throw new ApiError(e.code, e.message, STATUS[e.code], details);
    }
    throw e;
  }
}

export const CONNECTOR_HANDLERS: H = {
  'connectors.list': async (_p, d) => ({ connectors: await d.connectors.list() }),
  'connectors.create': (p, d) => mapped(() => d.connectors.create(p)),
  'connectors.update': ({ id, ...patch }, d) => mapped(() => d.connectors.update(id, patch)),
  'connectors.delete': (p, d) =>
    mapped(async () => {
      const c = await d.connectors.delete(p.id);
      return { ok: true as const, message: `Deleted connector ${c.name}; its delivery log stays` };
    }),
  'connectors.test': (p, d) => mapped(() => d.connectors.test(p)),
  'connectors.deliveries': async (p, d) => ({
    deliveries: d.connectors.deliveries({
      connectorId: p.connectorId,
      status: p.status,
      event: p.event,
      limit: p.limit,
    }),
  }),
  'connectors.redeliver': (p, d) => mapped(() => d.connectors.redeliver(p.deliveryId)),
};

/** `follow=true`: every new attempt (of one connector, when asked) as it is logged. */
export const followDeliveries: StreamHandler<ParamsOf<Routes['connectors.deliveries']>> = async (p, deps, _c, emit) => {
  let stop!: () => void;
  const done = new Promise<void>((resolve) => (stop = resolve));
  const off = deps.connectors.onDelivery((row) => {
    if (p.connectorId && row.connectorId !== p.connectorId) return;
    if (p.status && row.status !== p.status) return;
    if (p.event && row.event !== p.event) return;
    emit(row);
  });
  return {
    stop: () => {
      off();
      stop();
    },
    done,
  };
};
