// A modal dialog with a focus trap: Escape closes, Tab cycles inside, focus returns to where it was.
import { onCleanup, onMount, Show, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import { focusReturn } from './focusReturn';

export function Modal(p: {
  title: string;
  onClose: () => void;
  children: JSX.Element;
  footer?: JSX.Element;
  wide?: boolean;
  testId?: string;
}): JSX.Element {
  let box!: HTMLDivElement;
  const restoreFocus = focusReturn();
  const focusables = () =>
    [
      ...box.querySelectorAll<HTMLElement>(
        'button, [href], input, select, textarea, vscode-button, [tabindex]:not([tabindex="-1"])',
      ),
    ].filter((el) => !el.hasAttribute('disabled'));
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      p.onClose();
    } else if (e.key === 'Tab') {
      const f = focusables();
      if (!f.length) return;
      const i = f.indexOf(document.activeElement as HTMLElement);
      if (e.shiftKey && i <= 0) {
        e.preventDefault();
        f[f.length - 1].focus();
      } else if (!e.shiftKey && i === f.length - 1) {
        e.preventDefault();
        f[0].focus();
      }
    }
  };
  onMount(() => {
    const first = box.querySelector<HTMLElement>('[autofocus], input, textarea, select') ?? focusables()[0] ?? box;
    first.focus();
  });
  onCleanup(restoreFocus);
  return (
    <Portal>
      <div class="kg-overlay" onMouseDown={(e) => e.target === e.currentTarget && p.onClose()}>
        <div
          ref={box}
          class={`kg-modal ${p.wide ? 'kg-modal-wide' : ''}`}
          role="dialog"
          aria-modal="true"
          aria-label={p.title}
          tabIndex={-1}
          onKeyDown={onKey}
          data-testid={p.testId}
        >
          <header class="kg-modal-head">
            <h2>{p.title}</h2>
            <button class="kg-icon-btn" aria-label="Close" onClick={() => p.onClose()}>
              ✕
            </button>
          </header>
          <div class="kg-modal-body">{p.children}</div>
          <Show when={p.footer}>
            <footer class="kg-modal-foot">{p.footer}</footer>
          </Show>
        </div>
      </div>
    </Portal>
  );
}

/** Destructive actions confirm first; the confirm button names the action. */
export function Confirm(p: {
  title: string;
  message: JSX.Element;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}): JSX.Element {
  return (
    <Modal
      title={p.title}
      onClose={p.onCancel}
      testId="confirm"
      footer={
        <>
          <button class="kg-plain-btn" onClick={() => p.onCancel()}>
            Cancel
          </button>
          <button
            class={`kg-plain-btn ${p.danger ? 'kg-danger' : 'kg-primary'}`}
            data-testid="confirm-ok"
            onClick={() => p.onConfirm()}
          >
            {p.confirmLabel}
          </button>
        </>
      }
    >
      {p.message}
    </Modal>
  );
}
