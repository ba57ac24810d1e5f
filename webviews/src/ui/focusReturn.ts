// Where the focus goes back when a dialog closes: the element that had it, or, when a live list re-rendered that
// element meanwhile (a row update replaces its buttons), the element in the same place: the same test id inside the
// row with the same key, else the same test id, else the element with the same label. A live update in the frame
// after the close can replace that element too: then the focus is put back once more.
export function focusReturn(): () => void {
  const before = document.activeElement as HTMLElement | null;
  const testId = before?.getAttribute('data-testid');
  const label = before?.getAttribute('aria-label');
  const rowKey = before?.closest<HTMLElement>('[data-key]')?.dataset.key;
  const put = () => {
    if (!before) return;
    if (before.isConnected) {
      before.focus();
      return;
    }
    const esc = (s: string) => CSS.escape(s);
    const again =
      (rowKey && testId
        ? document.querySelector<HTMLElement>(`[data-key="${esc(rowKey)}"] [data-testid="${esc(testId)}"]`)
        : null) ??
      (label ? document.querySelector<HTMLElement>(`[aria-label="${esc(label)}"]`) : null) ??
      (testId ? document.querySelector<HTMLElement>(`[data-testid="${esc(testId)}"]`) : null);
    again?.focus();
  };
  return () => {
    put();
    requestAnimationFrame(() => {
      const now = document.activeElement;
      if (!now || now === document.body) put();
    });
  };
}
