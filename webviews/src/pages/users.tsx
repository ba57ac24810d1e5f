// User management (accounts mode: `kubegraf web --host … --tls-cert … --tls-key …`): who may sign in and with which
// role; create, change role, disable and delete, each checked as typed and destructive steps confirmed. On loopback
// and in VS Code there are no accounts, and the page says so.
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { UserDto } from '../../../src/shared/routes/system';
import { ROLES } from '../../../src/shared/routes/system';
import { toApiError } from '../host/apiError';
import { api, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { Badge, Button } from '../ui/button';
import { Confirm } from '../ui/modal';
import { Empty, ErrorState, Loading } from '../ui/states';
import '../styles/forms.css';
import { When } from '../ui/when';

type Role = UserDto['role'];
const ROLE_NOTE: Record<Role, string> = {
  viewer: 'reads everything but Secret values',
  operator: 'also scales, restarts, applies, deletes and applies fixes',
  admin: 'also manages accounts, settings, contexts, backups, shells and Secret values',
};

/** The same rules the server applies, said next to the field as the user types. */
export const usernameProblem = (u: string): string | undefined =>
  !u
    ? 'Enter a username'
    : !/^[A-Za-z0-9]/.test(u)
      ? 'Start with a letter or digit'
      : !/^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(u)
        ? 'Use letters, digits, ".", "_", "@" or "-"'
        : u.length < 2 || u.length > 64
          ? 'Use 2 to 64 characters'
          : undefined;
export const passwordProblem = (p: string): string | undefined =>
  !p
    ? 'Enter a password'
    : p.length < 10
      ? `At least 10 characters (${10 - p.length} more)`
      : p.length > 1024
        ? 'At most 1,024 characters'
        : undefined;

export function Users(): JSX.Element {
  const me = createLoader(() => api().call('auth.me', {}));
  return (
    <div class="kg-page" data-testid="page-users">
      <header class="kg-page-head">
        <h1>Users</h1>
      </header>
      <Show
        when={me.value()}
        fallback={
          <Show when={me.error()} fallback={<Loading />}>
            <ErrorState error={me.error()} retry={me.reload} what="your account" />
          </Show>
        }
      >
        {(m) => (
          <Show
            when={m().accounts}
            fallback={
              <Empty
                title="Accounts are off"
                hint="This dashboard runs on this machine only (loopback) and is opened with its launch token, so there is no one else to manage. Start kubegraf web with --host, --tls-cert and --tls-key to share it; the first admin is then created with the launch token."
              />
            }
          >
            <Show
              when={m().user?.role === 'admin'}
              fallback={
                <Empty
                  title="Only admins manage accounts"
                  hint={`You are signed in as ${m().user?.username ?? '…'} (${m().user?.role ?? 'no role'}).`}
                />
              }
            >
              <UserAdmin self={m().user!.username} />
            </Show>
          </Show>
        )}
      </Show>
    </div>
  );
}

function UserAdmin(p: { self: string }): JSX.Element {
  const users = createLoader(() => api().call('users.list', {}));
  const [confirm, setConfirm] = createSignal<{
    title: string;
    message: string;
    label: string;
    done: string;
    run: () => Promise<unknown>;
  }>();
  const act = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run();
      toast(what, 'ok');
      users.reload();
    } catch (e) {
      toast(toApiError(e).message, 'danger');
    }
  };
  const setRole = (u: UserDto, role: Role) =>
    void act(`${u.username} is now ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`, () =>
      api().call('users.update', { username: u.username, role }),
    );
  return (
    <>
      <CreateUser onCreated={users.reload} />
      <section class="kg-panel">
        <h2>Accounts</h2>
        <Show
          when={!users.error()}
          fallback={<ErrorState error={users.error()} retry={users.reload} what="the accounts" />}
        >
          <Show when={users.value()} fallback={<Loading />}>
            {(list) => (
              <table class="kg-simple-table" aria-label="Accounts" data-testid="users-table">
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Role</th>
                    <th scope="col">Created</th>
                    <th scope="col">Status</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={list().users}>
                    {(u) => (
                      <tr data-testid="user-row" data-user={u.username}>
                        <td>
                          {u.username}
                          <Show when={u.username === p.self}>
                            {' '}
                            <span class="kg-muted">(you)</span>
                          </Show>
                        </td>
                        <td>
                          <select
                            class="kg-input"
                            aria-label={`Role of ${u.username}`}
                            value={u.role}
                            onChange={(e) => setRole(u, e.currentTarget.value as Role)}
                            data-testid="user-role"
                          >
                            <For each={ROLES}>{(r) => <option value={r}>{r}</option>}</For>
                          </select>
                        </td>
                        <td>
                          <When at={u.createdAt} />
                        </td>
                        <td>
                          <Badge tone={u.disabled ? 'warn' : 'ok'}>{u.disabled ? 'disabled' : 'active'}</Badge>
                        </td>
                        <td class="kg-actions-cell">
                          <Button
                            onClick={() =>
                              u.disabled
                                ? void act(`${u.username} may sign in again`, () =>
                                    api().call('users.update', { username: u.username, disabled: false }),
                                  )
                                : setConfirm({
                                    title: `Disable ${u.username}?`,
                                    message: `${u.username} is signed out now and cannot sign in until enabled again.`,
                                    label: 'Disable',
                                    done: `${u.username} is disabled and signed out`,
                                    run: () => api().call('users.update', { username: u.username, disabled: true }),
                                  })
                            }
                            testId="user-toggle"
                          >
                            {u.disabled ? 'Enable' : 'Disable'}
                          </Button>
                          <Button
                            variant="danger"
                            onClick={() =>
                              setConfirm({
                                title: `Delete ${u.username}?`,
                                message: `The account ${u.username} and its sessions are removed. This cannot be undone.`,
                                label: 'Delete',
                                done: `Deleted ${u.username}`,
                                run: () => api().call('users.delete', { username: u.username }),
                              })
                            }
                            testId="user-delete"
                          >
                            Delete
                          </Button>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            )}
          </Show>
        </Show>
        <ul class="kg-muted kg-small">
          <For each={ROLES}>
            {(r) => (
              <li>
                <strong>{r}</strong>: {ROLE_NOTE[r]}
              </li>
            )}
          </For>
        </ul>
      </section>
      <Show when={confirm()}>
        {(c) => (
          <Confirm
            title={c().title}
            message={c().message}
            confirmLabel={c().label}
            danger
            onCancel={() => setConfirm(undefined)}
            onConfirm={() => {
              const x = c();
              setConfirm(undefined);
              void act(x.done, x.run);
            }}
          />
        )}
      </Show>
    </>
  );
}

function CreateUser(p: { onCreated: () => void }): JSX.Element {
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [role, setRole] = createSignal<Role>('viewer');
  const [touched, setTouched] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [serverError, setServerError] = createSignal<string>();
  const problems = createMemo(() => ({ username: usernameProblem(username()), password: passwordProblem(password()) }));
  const valid = () => !problems().username && !problems().password;
  const submit = async (e: Event) => {
    e.preventDefault();
    setTouched(true);
    if (!valid() || busy()) return;
    setBusy(true);
    setServerError(undefined);
    try {
      await api().call('users.create', { username: username(), password: password(), role: role() });
      toast(`Created ${username()} (${role()})`, 'ok');
      setUsername('');
      setPassword('');
      setTouched(false);
      p.onCreated();
    } catch (err) {
      setServerError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  };
  const shown = (k: 'username' | 'password') =>
    touched() || (k === 'username' ? username() : password()) ? problems()[k] : undefined;
  return (
    <section class="kg-panel">
      <h2>Add a user</h2>
      <form class="kg-form" onSubmit={submit} data-testid="user-create" noValidate>
        <div class="kg-field-row">
          <label for="kg-new-user">Username</label>
          <input
            id="kg-new-user"
            class="kg-input"
            classList={{ 'kg-invalid': !!shown('username') }}
            autocomplete="off"
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
            aria-invalid={shown('username') ? 'true' : 'false'}
            aria-describedby="kg-new-user-msg"
            data-testid="user-name"
          />
          <div id="kg-new-user-msg" class="kg-field-msg" aria-live="polite">
            <Show when={shown('username')}>
              <span class="kg-field-error">{shown('username')}</span>
            </Show>
          </div>
        </div>
        <div class="kg-field-row">
          <label for="kg-new-pass">Password</label>
          <input
            id="kg-new-pass"
            type="password"
            class="kg-input"
            classList={{ 'kg-invalid': !!shown('password') }}
            autocomplete="new-password"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={shown('password') ? 'true' : 'false'}
            aria-describedby="kg-new-pass-msg"
            data-testid="user-password"
          />
          <div id="kg-new-pass-msg" class="kg-field-msg" aria-live="polite">
            <Show
              when={shown('password')}
              fallback={<span class="kg-muted">At least 10 characters; share it with the user privately.</span>}
            >
              <span class="kg-field-error">{shown('password')}</span>
            </Show>
          </div>
        </div>
        <div class="kg-field-row">
          <label for="kg-new-role">Role</label>
          <select
            id="kg-new-role"
            class="kg-input"
            value={role()}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
            data-testid="user-new-role"
          >
            <For each={ROLES}>{(r) => <option value={r}>{r}</option>}</For>
          </select>
          <div class="kg-field-msg kg-muted">{ROLE_NOTE[role()]}</div>
        </div>
        <Show when={serverError()}>
          <p class="kg-field-error" role="alert">
            {serverError()}
          </p>
        </Show>
        <Button
          variant="primary"
          onClick={(e) => void submit(e)}
          disabled={busy() || (touched() && !valid())}
          testId="user-create-submit"
        >
          {busy() ? 'Adding…' : 'Add user'}
        </Button>
      </form>
    </section>
  );
}
