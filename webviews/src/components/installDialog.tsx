// Installing an integration from the page that misses it: says what will be installed and where first, then shows
// progress while helm works (it waits for the pods, up to five minutes), then the result or why it failed.
import { createSignal, Match, Show, Switch, type JSX } from 'solid-js';
import { toApiError } from '../host/apiError';
import { tools } from '../stores/kinds';
import { Badge, Button } from '../ui/button';
import { Modal } from '../ui/modal';

export function InstallDialog(p: {
  title: string;
  /** What will be installed, where, and what it needs. */
  children: JSX.Element;
  install: () => Promise<{ message: string }>;
  onClose: () => void;
  onDone?: () => void;
}): JSX.Element {
  const [state, setState] = createSignal<'confirm' | 'running' | 'done' | 'failed'>('confirm');
  const [message, setMessage] = createSignal('');
  const run = async () => {
    setState('running');
    try {
      const r = await p.install();
      setMessage(r.message);
      setState('done');
      p.onDone?.();
    } catch (e) {
      setMessage(toApiError(e).message);
      setState('failed');
    }
  };
  return (
    <Modal
      title={p.title}
      onClose={() => state() !== 'running' && p.onClose()}
      testId="install-dialog"
      footer={
        <Switch>
          <Match when={state() === 'confirm'}>
            <button class="kg-plain-btn" onClick={() => p.onClose()}>
              Cancel
            </button>
            <button class="kg-plain-btn kg-primary" data-testid="install-ok" onClick={() => void run()}>
              Install
            </button>
          </Match>
          <Match when={state() !== 'running'}>
            <button class="kg-plain-btn" data-testid="install-close" onClick={() => p.onClose()}>
              Close
            </button>
          </Match>
        </Switch>
      }
    >
      <Switch>
        <Match when={state() === 'confirm'}>{p.children}</Match>
        <Match when={state() === 'running'}>
          <div class="kg-state" role="status" aria-live="polite">
            <vscode-progress-ring />
            <span>Installing… helm waits until the pods are ready (up to five minutes).</span>
          </div>
        </Match>
        <Match when={state() === 'done'}>
          <p role="status" data-testid="install-result">
            {message()}
          </p>
        </Match>
        <Match when={state() === 'failed'}>
          <div role="alert" data-testid="install-error">
            <strong class="kg-error-text">Could not install</strong>
            <p>{message()}</p>
          </div>
        </Match>
      </Switch>
    </Modal>
  );
}

/**
 * The button that opens an install dialog, honest before the user starts: without the helm binary on the machine
 * running KubeGraf it is disabled and says so (as the app catalog's cards do).
 */
export function InstallButton(p: {
  /** The button's text, e.g. "Install Kiali…". */
  label: string;
  title: string;
  /** The route that installs (its permission gates the button). */
  requires: string;
  install: () => Promise<{ message: string }>;
  testId: string;
  /** What will be installed, where, and what it needs. */
  children: JSX.Element;
  onDone?: () => void;
}): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const helm = () => tools()?.helm;
  return (
    <>
      <Show
        when={helm()?.available !== false}
        fallback={
          <span class="kg-install-needs">
            <Button
              disabled
              title={`${p.label} needs the helm binary on the machine running KubeGraf`}
              testId={p.testId}
            >
              {p.label}
            </Button>
            <Badge tone="warn" testId={`${p.testId}-needs-helm`} title={helm()?.message}>
              needs helm
            </Badge>
          </span>
        }
      >
        <Button requires={p.requires} disabled={!helm()} onClick={() => setOpen(true)} testId={p.testId}>
          {p.label}
        </Button>
      </Show>
      <Show when={open()}>
        <InstallDialog title={p.title} install={p.install} onClose={() => setOpen(false)} onDone={p.onDone}>
          {p.children}
        </InstallDialog>
      </Show>
    </>
  );
}
