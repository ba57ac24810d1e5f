// Notifications with an unread count: filter all/unread, mark read, mark all read, delete.
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import { api, navigate, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { toApiError } from '../host/apiError';

export function NotificationCenter(): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const [filter, setFilter] = createSignal<'all' | 'unread'>('all');
  const list = createLoader(async () => (await api().call('notifications.list', { limit: 100 })).notifications, {
    refreshMs: 20_000,
  });
  const unread = createMemo(() => (list.value() ?? []).filter((n) => !n.read).length);
  const shown = () => (list.value() ?? []).filter((n) => filter() === 'all' || !n.read);
  const act = async (f: () => Promise<unknown>) => {
    try {
      await f();
      await list.reload();
    } catch (e) {
      toast(toApiError(e).message, 'danger');
    }
  };
  return (
    <div class="kg-dropdown" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button
        class="kg-hbtn"
        aria-haspopup="dialog"
        aria-expanded={open()}
        onClick={() => setOpen(!open())}
        aria-label={`Notifications, ${unread()} unread`}
        data-testid="notifications-button"
      >
        <svg class="kg-svg" viewBox="0 0 16 16" aria-hidden="true">
          <path d="M8 2a4 4 0 0 0-4 4v3l-1.5 2.5h11L12 9V6a4 4 0 0 0-4-4zM6.5 13a1.5 1.5 0 0 0 3 0" />
        </svg>
        <Show when={unread() > 0}>
          <span class="kg-count" data-testid="unread-count">
            {unread()}
          </span>
        </Show>
      </button>
      <Show when={open()}>
        <div class="kg-dropdown-menu kg-notifs" role="dialog" aria-label="Notifications" data-testid="notifications">
          <div class="kg-toolbar">
            <button class="kg-row-btn" aria-pressed={filter() === 'all'} onClick={() => setFilter('all')}>
              All
            </button>
            <button class="kg-row-btn" aria-pressed={filter() === 'unread'} onClick={() => setFilter('unread')}>
              Unread
            </button>
            <span class="kg-grow" />
            <button
              class="kg-row-btn"
              disabled={!unread()}
              onClick={() => void act(() => api().call('notifications.markAllRead', {}))}
            >
              Mark all read
            </button>
          </div>
          <Show
            when={!list.error()}
            fallback={
              <p class="kg-muted">
                {list.error()?.notImplemented ? 'Notifications are not available yet.' : list.error()?.message}
              </p>
            }
          >
            <Show
              when={shown().length}
              fallback={<p class="kg-muted">{list.loading() && !list.value() ? 'Loading…' : 'No notifications.'}</p>}
            >
              <ul class="kg-list">
                <For each={shown()}>
                  {(n) => (
                    <li class="kg-notif" classList={{ 'kg-unread': !n.read }}>
                      <button
                        class="kg-link"
                        onClick={() => {
                          void act(() => api().call('notifications.markRead', { id: n.id }));
                          if (n.incidentId) {
                            setOpen(false);
                            navigate('incidents', { id: n.incidentId });
                          }
                        }}
                      >
                        <strong>{n.title}</strong>
                      </button>
                      <div class="kg-muted">{n.message}</div>
                      <div class="kg-muted">
                        {new Date(n.time).toLocaleString()} · {n.severity}
                      </div>
                      <button
                        class="kg-row-btn"
                        aria-label={`Delete notification ${n.title}`}
                        onClick={() => void act(() => api().call('notifications.delete', { id: n.id }))}
                      >
                        Delete
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        </div>
      </Show>
    </div>
  );
}
