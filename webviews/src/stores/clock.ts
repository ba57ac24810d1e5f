// One clock for every relative time on screen (table ages, drawer, incidents, events): a single timer, not one per
// cell. Only what reads `now()` re-renders — in a virtual table that is the visible rows — and a text node is only
// written when its string changes. The timer sleeps while the page is hidden.
import { createSignal } from 'solid-js';
import { ageSince } from '../../../src/shared/age';

const TICK_MS = 1000;
const [now, setNow] = createSignal(Date.now());
export { now };

let timer: ReturnType<typeof setInterval> | undefined;
function run(): void {
  clearInterval(timer);
  timer = undefined;
  if (typeof document !== 'undefined' && document.hidden) return;
  setNow(Date.now());
  timer = setInterval(() => setNow(Date.now()), TICK_MS);
}
if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', run);
  run();
}

/** kubectl-style age ("7m56s") that follows the shared clock. */
export const liveAge = (from: number | string | undefined): string => ageSince(from, now());

/** "12s ago" that follows the shared clock; '' when the time is unknown. */
export const timeAgo = (from: number | string | undefined): string => {
  const a = liveAge(from);
  return a ? `${a} ago` : '';
};
