// Our button: the toolkit's element today, any element tomorrow. Pages only use this.
import type { JSX } from 'solid-js';
import { mayCall, whyNot } from '../stores/permissions';

export interface ButtonProps {
  children: JSX.Element;
  onClick?: (e: MouseEvent) => void;
  variant?: 'primary' | 'secondary' | 'icon' | 'danger';
  disabled?: boolean;
  title?: string;
  label?: string;
  testId?: string;
  class?: string;
  /** A route id: the button is disabled, saying why, when the user's role may not call it. */
  requires?: string;
}

export function Button(p: ButtonProps): JSX.Element {
  const denied = () => (p.requires ? !mayCall(p.requires) : false);
  const disabled = () => p.disabled || denied();
  return (
    <vscode-button
      appearance={p.variant === 'danger' ? 'primary' : (p.variant ?? 'secondary')}
      class={`kg-btn ${p.variant === 'danger' ? 'kg-btn-danger' : ''} ${p.class ?? ''}`}
      disabled={disabled()}
      title={denied() ? whyNot() : p.title}
      // The visible text is the accessible name; a title is a tooltip. Only an icon button is named by its title.
      attr:aria-label={p.label ?? (p.variant === 'icon' ? p.title : undefined)}
      attr:data-testid={p.testId}
      onClick={(e) => {
        if (!disabled()) p.onClick?.(e);
      }}
    >
      {p.children}
    </vscode-button>
  );
}

export function Badge(p: {
  children: JSX.Element;
  tone?: 'danger' | 'warn' | 'ok' | 'info' | 'muted';
  title?: string;
  testId?: string;
}): JSX.Element {
  return (
    <span class={`kg-badge kg-tone-${p.tone ?? 'muted'}`} title={p.title} data-testid={p.testId}>
      {p.children}
    </span>
  );
}
