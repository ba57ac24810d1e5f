// The details drawer of any object named by kind, namespace and name (a finding's target, a node of a graph, an Argo
// CD resource): its kind's routes from the shared table of kinds, as on the kind's own page.
import { Show, type JSX } from 'solid-js';
import type { RouteId } from '../../../src/shared/routeTable';
import { KINDS } from '../../../src/shared/kinds';
import { api } from '../stores/app';
import { mayCall } from '../stores/permissions';
import { Modal } from '../ui/modal';
import { DetailDrawer, type ObjectOps } from './detailDrawer';

export interface ObjectTarget {
  /** The Kubernetes kind (`Deployment`) or its route word (`deployment`). */
  kind: string;
  /** The API group, where two kinds share a name. */
  group?: string;
  namespace?: string;
  name: string;
}

/** The route word (`one`) of a kind, if KubeGraf has generic routes for it. */
export function oneOf(t: ObjectTarget): string | undefined {
  const k = t.kind.toLowerCase();
  const def = KINDS.find(
    (d) => 'one' in d && (d.kind.toLowerCase() === k || d.one === k) && (t.group === undefined || d.group === t.group),
  );
  return def && 'one' in def ? (def.one as string) : undefined;
}

/** What the details drawer calls for an object of a kind with generic routes. */
export function objectOps(one: string, t: { kind?: string; name: string; namespace?: string }): ObjectOps {
  const params = { name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}) };
  return {
    kind: t.kind ?? one,
    name: t.name,
    namespace: t.namespace,
    details: () => api().call(`${one}.details` as RouteId, params as never) as never,
    yaml: () => api().call(`${one}.yaml` as RouteId, params as never) as never,
    describe: () => api().call(`${one}.describe` as RouteId, params as never) as never,
    update: (yaml: string, dryRun: boolean) =>
      api().call(`${one}.update` as RouteId, { ...params, yaml, dryRun } as never) as never,
    canEdit: mayCall(`${one}.update`),
  };
}

export function ObjectDrawer(p: { target: ObjectTarget; onClose: () => void; actions?: JSX.Element }): JSX.Element {
  return (
    <Show
      when={oneOf(p.target)}
      fallback={
        <Modal title={`${p.target.kind} ${p.target.name}`} onClose={p.onClose}>
          <p>KubeGraf has no details view for {p.target.kind} objects; open it from Custom Resources.</p>
        </Modal>
      }
    >
      {(one) => <DetailDrawer ops={{ ...objectOps(one(), p.target), actions: p.actions }} onClose={p.onClose} />}
    </Show>
  );
}
