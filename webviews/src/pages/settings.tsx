// Settings stored by the server, theme, and database backups.
import { createEffect, createMemo, createSignal, Show, type JSX } from 'solid-js';
import type { Settings as SettingsDto } from '../../../src/shared/routes/system';
import type { BackupStatus } from '../../../src/shared/incidents';
import { api, setTheme, theme, toast } from '../stores/app';
import { createLoader } from '../stores/loader';
import { Button } from '../ui/button';
import { ErrorState, Loading } from '../ui/states';
import { toApiError } from '../host/apiError';
import { TextField } from '../ui/field';
import { namespaceName, problem, wholeNumber } from '../model/validate';
import { FixVerificationSetting } from '../components/fixVerificationSetting';
import { mayCall, whyNot } from '../stores/permissions';

export function Settings(): JSX.Element {
  const settings = createLoader<SettingsDto>(() => api().call('settings.get', {}));
  const backup = createLoader<BackupStatus>(() => api().call('backup.status', {}));
  const [ns, setNs] = createSignal('');
  const [refresh, setRefresh] = createSignal('10');
  createEffect(() => {
    const s = settings.value();
    if (!s) return;
    setNs(s.defaultNamespace ?? '');
    setRefresh(String(s.refreshIntervalSeconds ?? 10));
  });
  const nsChecked = createMemo(() => namespaceName(ns(), true));
  const refreshChecked = createMemo(() => wholeNumber(refresh(), { min: 1, max: 3600, what: 'a number of seconds' }));
  const valid = () => nsChecked().ok && refreshChecked().ok;
  const save = async () => {
    const n = nsChecked();
    const r = refreshChecked();
    if (!n.ok || !r.ok) return;
    try {
      settings.set(
        await api().call('settings.save', {
          defaultNamespace: n.value || undefined,
          refreshIntervalSeconds: r.value,
          theme: theme(),
        }),
      );
      toast('Settings saved', 'ok');
    } catch (e) {
      toast(`Save failed: ${toApiError(e).message}`, 'danger');
    }
  };
  const backupNow = async () => {
    try {
      await api().post('/api/database/backup/now');
      toast('Backup written', 'ok');
      await backup.reload();
    } catch (e) {
      toast(`Backup failed: ${toApiError(e).message}`, 'danger');
    }
  };
  return (
    <div class="kg-page" data-testid="page-settings">
      <div class="kg-page-head">
        <h1>Settings</h1>
      </div>
      <section class="kg-panel">
        <h2>General</h2>
        <Show
          when={!settings.error()}
          fallback={<ErrorState error={settings.error()} retry={settings.reload} what="settings" />}
        >
          <Show when={settings.value()} fallback={<Loading />}>
            <form
              class="kg-form"
              novalidate
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
            >
              <TextField
                label="Default namespace"
                value={ns()}
                onInput={setNs}
                error={problem(nsChecked())}
                placeholder="all namespaces"
                hint="Leave empty for all namespaces"
                testId="settings-namespace"
              />
              <TextField
                label="Refresh interval (seconds)"
                numeric
                value={refresh()}
                onInput={setRefresh}
                error={problem(refreshChecked())}
                hint="1 to 3,600 seconds"
                testId="settings-refresh"
              />
              <Show when={api().face === 'browser'}>
                <label>
                  Theme{' '}
                  <select value={theme()} onChange={(e) => setTheme(e.currentTarget.value as 'dark')}>
                    <option value="dark">Dark</option>
                    <option value="light">Light</option>
                  </select>
                </label>
              </Show>
              <div>
                <button
                  class="kg-plain-btn kg-primary"
                  type="submit"
                  disabled={!valid() || !mayCall('settings.save')}
                  title={mayCall('settings.save') ? undefined : whyNot()}
                  data-testid="settings-save"
                >
                  Save
                </button>
              </div>
            </form>
          </Show>
        </Show>
      </section>
      <section class="kg-panel">
        <h2>Verified fixes</h2>
        <Show when={settings.value()}>
          {(s) => (
            <FixVerificationSetting
              seconds={s().fixVerificationSeconds}
              onSaved={(n) => settings.set({ ...s(), fixVerificationSeconds: n })}
            />
          )}
        </Show>
      </section>
      <section class="kg-panel">
        <h2>Database backup</h2>
        <Show
          when={!backup.error()}
          fallback={<ErrorState error={backup.error()} retry={backup.reload} what="backup status" />}
        >
          <Show when={backup.value()} fallback={<Loading />}>
            {(b) => (
              <>
                <dl class="kg-dl">
                  <dt>Database</dt>
                  <dd>
                    {b().databasePath} ({(b().databaseSizeBytes / 1024).toFixed(0)} KiB)
                  </dd>
                  <dt>Backups</dt>
                  <dd>
                    {b().count} in {b().directory}
                  </dd>
                  <dt>Last backup</dt>
                  <dd>{b().lastBackup ? new Date(b().lastBackup!.createdAt).toLocaleString() : 'never'}</dd>
                </dl>
                <Button onClick={() => void backupNow()} requires="backup.now">
                  Back up now
                </Button>
              </>
            )}
          </Show>
        </Show>
      </section>
    </div>
  );
}
