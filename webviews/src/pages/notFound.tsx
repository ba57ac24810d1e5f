// A `#/` route no page has: say so plainly and offer the way back (home, or the closest pages by name).
import { For, Show, type JSX } from 'solid-js';
import { rank } from '../model/fuzzy';
import { PAGES, toHash } from '../model/nav';
import { api, navigate, setPaletteOpen } from '../stores/app';
import '../styles/notFound.css';

export function NotFound(p: { path: string }): JSX.Element {
  const near = () =>
    p.path
      ? rank(
          PAGES.filter((x) => x.id !== 'terminal' || api().face === 'browser').map((x) => ({
            ...x,
            keywords: [x.id, ...(x.keywords ?? [])],
          })),
          p.path.replace(/[-_/]+/g, ' '),
          3,
        )
      : [];
  return (
    <div class="kg-page" data-testid="page-not-found">
      <div class="kg-state kg-not-found" role="alert" data-testid="not-found">
        <h1>Page not found</h1>
        <p>
          There is no page called <code>{p.path}</code>. The link may be old or mistyped.
        </p>
        <Show when={near().length}>
          <p class="kg-muted">
            Did you mean{' '}
            <For each={near()}>
              {(r, i) => (
                <>
                  {i() ? ', ' : ''}
                  <a
                    href={toHash(r.item.id)}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(r.item.id);
                    }}
                  >
                    {r.item.label}
                  </a>
                </>
              )}
            </For>
            ?
          </p>
        </Show>
        <div class="kg-toolbar">
          <a
            class="kg-plain-btn kg-primary kg-link-btn"
            href={toHash('dashboard')}
            data-testid="not-found-home"
            onClick={(e) => {
              e.preventDefault();
              navigate('dashboard');
            }}
          >
            Go to the dashboard
          </a>
          <button class="kg-plain-btn" type="button" onClick={() => setPaletteOpen(true)}>
            Search pages and resources (Ctrl+K)
          </button>
        </div>
      </div>
    </div>
  );
}
