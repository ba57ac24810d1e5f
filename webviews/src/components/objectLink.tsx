// A link to a Kubernetes object: opens its kind's page with its details drawer (the same route the palette uses).
// Kinds the app has no page for read as plain text.
import { Show, type JSX } from 'solid-js';
import { KINDS, pageOfKind, type KindDef } from '../../../src/shared/kinds';
import { navigate } from '../stores/app';
import '../styles/inlineLink.css';

export interface ObjectRefLike {
  kind: string;
  namespace?: string;
  name: string;
}

/** The page of a kind (Deployment → deployments), if the app has one. */
export const pageOfKindName = (kind: string): string | undefined => {
  const d = (KINDS as readonly KindDef[]).find((k) => k.kind === kind && !k.crd);
  return d ? pageOfKind(d).id : undefined;
};

export const openObject = (o: ObjectRefLike): void => {
  const page = pageOfKindName(o.kind);
  if (page) navigate(page, { name: o.name, ...(o.namespace ? { ns: o.namespace } : {}) });
};

export function ObjectLink(p: { object: ObjectRefLike; showKind?: boolean; testId?: string }): JSX.Element {
  const label = () => `${p.showKind === false ? '' : `${p.object.kind} `}${p.object.name}`;
  return (
    <Show when={pageOfKindName(p.object.kind)} fallback={<span>{label()}</span>}>
      <button
        class="kg-inline-link"
        onClick={() => openObject(p.object)}
        title={`Open ${p.object.kind} ${p.object.namespace ? `${p.object.namespace}/` : ''}${p.object.name}`}
        data-testid={p.testId}
      >
        {label()}
      </button>
      <Show when={p.object.namespace}>
        <span class="kg-muted"> · {p.object.namespace}</span>
      </Show>
    </Show>
  );
}
