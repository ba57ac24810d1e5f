// A moment on screen: relative ("5m ago", or a kubectl-style age with `ago={false}`) from the shared clock, with the
// exact date on hover and in `datetime` for assistive technology. Nothing when there is no time.
import { Show, type JSX } from 'solid-js';
import { liveAge, timeAgo } from '../stores/clock';

export function When(p: { at?: string; ago?: boolean; testId?: string }): JSX.Element {
  return (
    <Show when={p.at}>
      <time datetime={p.at} title={new Date(p.at!).toLocaleString()} data-testid={p.testId}>
        {p.ago === false ? liveAge(p.at) : timeAgo(p.at)}
      </time>
    </Show>
  );
}
