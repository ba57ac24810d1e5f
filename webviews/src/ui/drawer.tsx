// The side drawer every page opens an item in (an object, a release, a run, a job): the panel on the right with a
// header (a muted line, the title, ✕), Escape to close, the focus taken on open and given back on close. What is
// below the header (action rows, tabs, the `kg-drawer-body`) is the page's. Styles: `.kg-drawer*` in styles.css.
import { onCleanup, onMount, type JSX } from 'solid-js';
import { focusReturn } from './focusReturn';

export function Drawer(p: {
  /** The dialog's accessible name ("Helm release shop"). */
  label: string;
  /** The muted line above the title: kind · namespace. */
  subtitle?: JSX.Element;
  title: JSX.Element;
  /** The ✕ button's accessible name ("Close release"). */
  closeLabel: string;
  onClose: () => void;
  testId: string;
  /** True while a dialog of the drawer's own is open (a confirm): Escape is that dialog's. */
  dialogOpen?: boolean;
  children: JSX.Element;
}): JSX.Element {
  let panel!: HTMLElement;
  const restoreFocus = focusReturn();
  const onKey = (e: KeyboardEvent) => {
    // An editor that handles Escape itself (CodeMirror with edits, a textarea) keeps the drawer open.
    if (e.key !== 'Escape' || e.defaultPrevented || p.dialogOpen || e.target instanceof HTMLTextAreaElement) return;
    p.onClose();
  };
  onMount(() => panel.focus());
  onCleanup(restoreFocus);
  return (
    <aside
      ref={panel}
      class="kg-drawer"
      role="dialog"
      aria-label={p.label}
      tabIndex={-1}
      onKeyDown={onKey}
      data-testid={p.testId}
    >
      <header class="kg-drawer-head">
        <div>
          <div class="kg-muted">{p.subtitle}</div>
          <h2 data-testid="drawer-title">{p.title}</h2>
        </div>
        <button class="kg-icon-btn" aria-label={p.closeLabel} onClick={() => p.onClose()}>
          ✕
        </button>
      </header>
      {p.children}
    </aside>
  );
}
