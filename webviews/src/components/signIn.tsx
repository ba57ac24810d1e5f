// The page a browser without credentials sees. On loopback: how to get the launch token. In accounts mode (the server
// answers sign-ins): a username/password form; the session token then lives in this tab like the launch token does.
import { createSignal, Show, type JSX } from 'solid-js';
import { toApiError } from '../host/apiError';
import { api } from '../stores/app';
import { Button } from '../ui/button';
import '../styles/forms.css';

export function SignIn(): JSX.Element {
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!username() || !password()) return void setError('Enter your username and password.');
    setBusy(true);
    setError(undefined);
    try {
      const r = await api().call('auth.login', { username: username(), password: password() });
      try {
        sessionStorage.setItem('kubegraf.token', r.token);
      } catch {
        // No storage: the next load asks again.
      }
      location.reload();
    } catch (err) {
      const a = toApiError(err);
      setError(
        a.code === 'accountsDisabled'
          ? 'This server has no accounts: open the link kubegraf web printed (it ends in ?token=…).'
          : a.message,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="kg-signin" data-testid="sign-in">
      <h1>KubeGraf</h1>
      <div class="kg-state kg-state-error" role="alert" data-testid="state-error">
        <strong>This dashboard needs its access token or a sign-in</strong>
        <span>
          On this machine, open the link that <code>kubegraf web</code> printed (it ends in <code>?token=…</code>). The
          token keeps other programs on this machine out of your cluster. On a shared server, sign in with the account
          an admin gave you.
        </span>
      </div>
      <form class="kg-form" onSubmit={submit} data-testid="sign-in-form">
        <div class="kg-field-row">
          <label for="kg-login-user">Username</label>
          <input
            id="kg-login-user"
            class="kg-input"
            autocomplete="username"
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
            data-testid="login-user"
          />
        </div>
        <div class="kg-field-row">
          <label for="kg-login-pass">Password</label>
          <input
            id="kg-login-pass"
            type="password"
            class="kg-input"
            autocomplete="current-password"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && void submit(e)}
            data-testid="login-password"
          />
        </div>
        <Show when={error()}>
          <p class="kg-field-error" role="alert" data-testid="login-error">
            {error()}
          </p>
        </Show>
        <Button variant="primary" onClick={(e) => void submit(e)} disabled={busy()} testId="login-submit">
          {busy() ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
}
