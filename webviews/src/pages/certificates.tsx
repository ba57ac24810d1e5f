// Certificates: cert-manager's Certificates (Ready, when they expire and renew, issuer, secret) with a confirmed Renew
// that follows cert-manager until the new certificate is issued, and the certificate inside every kubernetes.io/tls
// Secret (subject, SANs, issuer, expiry) whoever issued it, with warning and critical badges ahead of expiry that
// follow the clock. Live: Certificates and Secrets in scope re-read the page when they change.
import { createEffect, createMemo, createSignal, For, Match, onCleanup, Show, Switch, type JSX } from 'solid-js';
import type { CertManagerCertificate, ExpiryLevel, TlsSecretInfo, X509Summary } from '../../../src/shared/certificates';
import { expiryLevel, expiryText } from '../../../src/shared/certificates';
import { api, namespaces, navigate, route, toast } from '../stores/app';
import { now } from '../stores/clock';
import { createLoader } from '../stores/loader';
import { subscribeKind } from '../stores/live';
import { inScope, oneNamespace, scopeKey } from '../stores/scope';
import { toApiError } from '../host/apiError';
import { Badge, Button } from '../ui/button';
import { Drawer } from '../ui/drawer';
import { Modal } from '../ui/modal';
import { Empty, ErrorState, Loading } from '../ui/states';
import { When } from '../ui/when';
import { DetailDrawer, type ObjectOps } from '../components/detailDrawer';
import { objectOps } from '../components/objectDrawer';
import '../styles/certificates.css';
import '../styles/inlineLink.css';

type Tone = 'danger' | 'warn' | 'ok' | 'info' | 'muted';
const LEVEL_TONE: Record<ExpiryLevel, Tone> = { expired: 'danger', critical: 'danger', warning: 'warn', ok: 'ok' };
const LEVEL_LABEL: Record<ExpiryLevel, string> = {
  expired: 'Expired',
  critical: 'Critical',
  warning: 'Expiring',
  ok: 'Valid',
};
const LEVELS: ExpiryLevel[] = ['expired', 'critical', 'warning', 'ok'];

/** Calls `f` once a burst of changes settles. */
function debounced(f: () => void, ms = 400): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(t));
  return () => {
    clearTimeout(t);
    t = setTimeout(f, ms);
  };
}

const exact = (iso?: string) => (iso ? new Date(iso).toLocaleString() : '');

/** The expiry of a certificate as a badge and words that follow the shared clock. */
function Expiry(p: { notAfter?: string; testId?: string }): JSX.Element {
  const level = () => expiryLevel(p.notAfter, now());
  return (
    <Show when={level()} fallback={<span class="kg-muted">—</span>}>
      {(l) => (
        <span class="kg-cert-expiry" title={exact(p.notAfter)} data-testid={p.testId} data-level={l()}>
          <Badge tone={LEVEL_TONE[l()]}>{LEVEL_LABEL[l()]}</Badge> <span>{expiryText(p.notAfter, now())}</span>
        </span>
      )}
    </Show>
  );
}

/** When cert-manager renews: "in 30 days", or overdue. */
function Renewal(p: { c: CertManagerCertificate }): JSX.Element {
  const t = () => (p.c.renewalTime ? Date.parse(p.c.renewalTime) : undefined);
  const text = () => {
    const at = t();
    if (at === undefined) return '—';
    const w = expiryText(at, now())
      .replace(/^expires /, '')
      .replace(/^expired /, '');
    return at > now() ? w : `overdue by ${w.replace(/ ago$/, '')}`;
  };
  return (
    <span title={exact(p.c.renewalTime)} classList={{ 'kg-cert-overdue': t() !== undefined && t()! <= now() }}>
      {text()}
    </span>
  );
}

function ReadyBadge(p: { c: CertManagerCertificate }): JSX.Element {
  return (
    <Badge
      tone={p.c.ready === 'True' ? 'ok' : p.c.ready === 'False' ? 'danger' : 'muted'}
      title={p.c.readyMessage}
      testId="cert-ready"
    >
      {p.c.ready === 'True'
        ? 'Ready'
        : p.c.ready === 'False'
          ? `Not ready${p.c.readyReason ? `: ${p.c.readyReason}` : ''}`
          : 'Unknown'}
    </Badge>
  );
}

/** What cert-manager is doing about it, in words. */
function statusLine(c: CertManagerCertificate): string {
  if (c.issuing?.reason === 'ManuallyTriggered') return 'Renewal requested; waiting for cert-manager';
  const failed = c.failedIssuanceAttempts
    ? ` · ${c.failedIssuanceAttempts} failed attempt${c.failedIssuanceAttempts === 1 ? '' : 's'}`
    : '';
  if (c.issuing) return `${c.issuing.message ?? `Issuing (${c.issuing.reason})`}${failed}`;
  if (c.ready !== 'True') return `${c.readyMessage ?? 'Not ready'}${failed}`;
  return c.readyMessage ?? '';
}

export function CertificatesPage(): JSX.Element {
  const data = createLoader(() => api().call('certificates.overview', { namespace: oneNamespace() }), {
    key: scopeKey,
  });
  const [q, setQ] = createSignal('');
  const [only, setOnly] = createSignal<ExpiryLevel | undefined>();
  const [renewing, setRenewing] = createSignal<CertManagerCertificate | undefined>();
  const [secretOpen, setSecretOpen] = createSignal<TlsSecretInfo | undefined>();
  // Live: any change to Secrets or Certificates in scope re-reads the page.
  const refresh = debounced(() => void data.reload());
  let unsubs: Array<() => void> = [];
  createEffect(() => {
    for (const u of unsubs) u();
    const ns = oneNamespace() || undefined;
    unsubs = [subscribeKind('secrets', ns, (m) => m.type !== 'error' && refresh())];
    if (data.value()?.certManager.installed)
      unsubs.push(subscribeKind('certificates', ns, (m) => m.type !== 'error' && refresh()));
  });
  onCleanup(() => unsubs.forEach((u) => u()));

  const match = (text: string, notAfter?: string) =>
    (!q() || text.toLowerCase().includes(q().toLowerCase())) && (!only() || expiryLevel(notAfter, now()) === only());
  const certs = createMemo(() =>
    (data.value()?.certificates ?? []).filter(
      (c) =>
        inScope(c.namespace, namespaces()) &&
        match(`${c.namespace} ${c.name} ${c.secretName} ${c.dnsNames.join(' ')} ${c.issuerRef.name}`, c.notAfter),
    ),
  );
  const secrets = createMemo(() =>
    (data.value()?.tlsSecrets ?? []).filter(
      (s) =>
        inScope(s.namespace, namespaces()) &&
        match(`${s.namespace} ${s.name} ${s.cert?.subject ?? ''} ${s.cert?.sans.join(' ') ?? ''}`, s.cert?.notAfter),
    ),
  );
  /** Every certificate once: the Secrets' (what servers present) and Certificates that have no Secret yet. */
  const counts = createMemo(() => {
    const c: Record<ExpiryLevel, number> = { expired: 0, critical: 0, warning: 0, ok: 0 };
    for (const s of data.value()?.tlsSecrets ?? []) {
      if (!inScope(s.namespace, namespaces())) continue;
      const l = expiryLevel(s.cert?.notAfter, now());
      if (l) c[l]++;
    }
    return c;
  });
  // A link from elsewhere (search, palette, incident evidence): #/certificates?ns=monitoring&name=grafana-tls.
  const opened = () => {
    const r = route().params;
    return r.name ? { name: r.name, namespace: r.ns || undefined } : undefined;
  };
  const openCert = (c?: { name: string; namespace?: string }) => {
    const params: Record<string, string> = { ...route().params };
    delete params.name;
    delete params.ns;
    if (c) Object.assign(params, { name: c.name, ...(c.namespace ? { ns: c.namespace } : {}) });
    navigate(route().page, params);
  };
  const certOps = (t: { name: string; namespace?: string }): ObjectOps => {
    const c = () => data.value()?.certificates.find((x) => x.name === t.name && x.namespace === t.namespace);
    return {
      ...objectOps('certificate', { ...t, kind: 'Certificate' }),
      actions: (
        <Show when={c()}>
          {(x) => (
            <Button requires="certificate.renew" onClick={() => setRenewing(x())} testId="cert-drawer-renew">
              Renew…
            </Button>
          )}
        </Show>
      ),
    };
  };

  return (
    <div class="kg-page" data-testid="page-certificates">
      <div class="kg-page-head">
        <h1>Certificates</h1>
        <Show when={data.value()}>
          <span class="kg-muted" data-testid="cert-count">
            {certs().length} cert-manager certificate{certs().length === 1 ? '' : 's'} · {secrets().length} TLS secret
            {secrets().length === 1 ? '' : 's'}
          </span>
        </Show>
      </div>
      <Show when={!data.error()} fallback={<ErrorState error={data.error()} retry={data.reload} what="certificates" />}>
        <Show when={data.value()} fallback={<Loading label="Reading certificates…" />}>
          {(o) => (
            <>
              <Show
                when={o().certManager.installed}
                fallback={
                  <div class="kg-banner kg-cert-note" role="note" data-testid="cert-manager-missing">
                    <strong>cert-manager is not installed.</strong> {o().certManager.message.replace(/^[^:]*: /, '')}{' '}
                    Install it from the{' '}
                    <button class="kg-inline-link" onClick={() => navigate('apps')}>
                      app catalog
                    </button>{' '}
                    to have certificates issued and renewed automatically.
                  </div>
                }
              >
                <p class="kg-muted" data-testid="cert-manager-status">
                  {o().certManager.message}. Badges warn {o().thresholds.warningDays} days before a certificate expires
                  and turn critical at {o().thresholds.criticalDays} days.
                </p>
              </Show>
              <div class="kg-toolbar">
                <input
                  class="kg-input kg-cert-filter"
                  type="search"
                  placeholder="Filter by name, host or issuer"
                  aria-label="Filter certificates"
                  value={q()}
                  onInput={(e) => setQ(e.currentTarget.value)}
                  data-testid="cert-filter"
                />
                <div class="kg-chips" role="group" aria-label="Show certificates by expiry">
                  <For each={LEVELS}>
                    {(l) => (
                      <button
                        class={`kg-chip kg-chip-btn kg-cert-chip-${l}`}
                        aria-pressed={only() === l}
                        onClick={() => setOnly(only() === l ? undefined : l)}
                        data-testid={`cert-count-${l}`}
                      >
                        {LEVEL_LABEL[l]} <strong>{counts()[l]}</strong>
                      </button>
                    )}
                  </For>
                </div>
              </div>

              <Show when={o().certManager.installed}>
                <h2 class="kg-cert-h">cert-manager Certificates</h2>
                <Show
                  when={certs().length}
                  fallback={
                    <Empty
                      title={q() || only() ? 'No Certificate matches' : 'No cert-manager Certificates in this scope'}
                      hint="Create a Certificate, or annotate an Ingress with cert-manager.io/cluster-issuer, and cert-manager issues it."
                    />
                  }
                >
                  <table class="kg-simple-table kg-cert-table" data-testid="cert-table">
                    <thead>
                      <tr>
                        <th>Certificate</th>
                        <th>Ready</th>
                        <th>Expires</th>
                        <th>Renews</th>
                        <th>Issuer</th>
                        <th>Secret</th>
                        <th>Status</th>
                        <th>
                          <span class="kg-sr-only">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={certs()}>
                        {(c) => (
                          <tr data-testid="cert-row" data-name={c.name} data-namespace={c.namespace}>
                            <td>
                              <button
                                class="kg-inline-link"
                                onClick={() => openCert({ name: c.name, namespace: c.namespace })}
                                aria-label={`Certificate ${c.namespace}/${c.name}`}
                              >
                                <strong>{c.name}</strong>
                              </button>
                              <div class="kg-muted kg-small">
                                {c.namespace} · {c.dnsNames.join(', ') || c.commonName || ''}
                              </div>
                            </td>
                            <td>
                              <ReadyBadge c={c} />
                            </td>
                            <td>
                              <Expiry notAfter={c.notAfter} testId="cert-expiry" />
                            </td>
                            <td>
                              <Renewal c={c} />
                            </td>
                            <td>
                              {c.issuerRef.name}
                              <div class="kg-muted kg-small">{c.issuerRef.kind}</div>
                            </td>
                            <td>
                              <button
                                class="kg-inline-link"
                                onClick={() => navigate('secrets', { ns: c.namespace, name: c.secretName })}
                              >
                                {c.secretName}
                              </button>
                              <Show when={!c.secretCert}>
                                <div class="kg-muted kg-small">not issued yet</div>
                              </Show>
                            </td>
                            <td class="kg-cert-status" data-testid="cert-status">
                              <Show when={c.issuing?.reason === 'ManuallyTriggered'}>
                                <vscode-progress-ring class="kg-cert-ring" />{' '}
                              </Show>
                              {statusLine(c)}
                              <Show when={c.lastFailureTime}>
                                <div class="kg-muted kg-small">
                                  last failure <When at={c.lastFailureTime} />
                                </div>
                              </Show>
                            </td>
                            <td>
                              <Button
                                requires="certificate.renew"
                                onClick={() => setRenewing(c)}
                                testId="cert-renew"
                                label={`Renew ${c.namespace}/${c.name}`}
                              >
                                Renew…
                              </Button>
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </Show>
              </Show>

              <h2 class="kg-cert-h">TLS Secrets</h2>
              <p class="kg-muted kg-small">
                The certificate each <code>kubernetes.io/tls</code> Secret holds, read from its <code>tls.crt</code>.
                The private key is never read.
              </p>
              <Show
                when={secrets().length}
                fallback={
                  <Empty
                    title={q() || only() ? 'No TLS Secret matches' : 'No TLS Secrets in this scope'}
                    hint="Secrets of type kubernetes.io/tls appear here with their certificate's expiry."
                  />
                }
              >
                <table class="kg-simple-table kg-cert-table" data-testid="tls-table">
                  <thead>
                    <tr>
                      <th>Secret</th>
                      <th>Subject</th>
                      <th>Names (SANs)</th>
                      <th>Issuer</th>
                      <th>Expires</th>
                      <th>Renewed by</th>
                      <th>Used by</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={secrets()}>
                      {(s) => (
                        <tr data-testid="tls-row" data-name={s.name} data-namespace={s.namespace}>
                          <td>
                            <button
                              class="kg-inline-link"
                              onClick={() => setSecretOpen(s)}
                              aria-label={`Certificate of Secret ${s.namespace}/${s.name}`}
                            >
                              <strong>{s.name}</strong>
                            </button>
                            <div class="kg-muted kg-small">{s.namespace}</div>
                          </td>
                          <Show
                            when={s.cert}
                            fallback={
                              <td colSpan={4} class="kg-cert-invalid" data-testid="tls-error">
                                <Badge tone="danger">Unreadable</Badge> {s.error}
                              </td>
                            }
                          >
                            {(c) => (
                              <>
                                <td>{c().commonName ?? c().subject}</td>
                                <td>
                                  <Sans sans={c().sans} />
                                </td>
                                <td>
                                  {c().issuerCommonName ?? c().issuer}
                                  <Show when={c().selfSigned}>
                                    {' '}
                                    <Badge tone="muted">self-signed</Badge>
                                  </Show>
                                </td>
                                <td>
                                  <Expiry notAfter={c().notAfter} testId="tls-expiry" />
                                </td>
                              </>
                            )}
                          </Show>
                          <td>
                            <Show when={s.certificate} fallback={<span class="kg-muted">nothing (manual)</span>}>
                              cert-manager <span class="kg-muted">({s.certificate})</span>
                            </Show>
                          </td>
                          <td>
                            <Show when={s.usedBy.length} fallback={<span class="kg-muted">—</span>}>
                              <For each={s.usedBy}>
                                {(i) => (
                                  <button
                                    class="kg-inline-link"
                                    onClick={() => navigate('ingresses', { ns: s.namespace, name: i })}
                                  >
                                    Ingress {i}
                                  </button>
                                )}
                              </For>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </>
          )}
        </Show>
      </Show>
      <Show when={opened()} keyed>
        {(t) => <DetailDrawer ops={certOps(t)} onClose={() => openCert(undefined)} />}
      </Show>
      <Show when={secretOpen()} keyed>
        {(s) => <SecretCertDrawer s={s} onClose={() => setSecretOpen(undefined)} />}
      </Show>
      <Show when={renewing()} keyed>
        {(c) => (
          <RenewDialog
            c={c}
            current={() => data.value()?.certificates.find((x) => x.name === c.name && x.namespace === c.namespace)}
            reload={() => void data.reload()}
            onClose={() => setRenewing(undefined)}
          />
        )}
      </Show>
    </div>
  );
}

function Sans(p: { sans: string[] }): JSX.Element {
  const shown = () => p.sans.slice(0, 2);
  return (
    <span title={p.sans.join('\n')}>
      {shown().join(', ') || <span class="kg-muted">none</span>}
      <Show when={p.sans.length > 2}>
        <span class="kg-muted"> +{p.sans.length - 2} more</span>
      </Show>
    </span>
  );
}

function CertFields(p: { c: X509Summary }): JSX.Element {
  return (
    <dl class="kg-dl" data-testid="cert-fields">
      <dt>Subject</dt>
      <dd>{p.c.subject}</dd>
      <dt>Names (SANs)</dt>
      <dd>
        <Show when={p.c.sans.length} fallback={<span class="kg-muted">none</span>}>
          <ul class="kg-cert-sans">
            <For each={p.c.sans}>{(s) => <li>{s}</li>}</For>
          </ul>
        </Show>
      </dd>
      <dt>Issuer</dt>
      <dd>
        {p.c.issuer}
        {p.c.selfSigned ? ' (self-signed)' : ''}
      </dd>
      <dt>Valid from</dt>
      <dd>{exact(p.c.notBefore)}</dd>
      <dt>Valid until</dt>
      <dd>
        {exact(p.c.notAfter)} · <Expiry notAfter={p.c.notAfter} />
      </dd>
      <dt>Key</dt>
      <dd>
        {p.c.keyType ?? 'unknown'}
        {p.c.isCA ? ' · certificate authority' : ''}
      </dd>
      <dt>Chain</dt>
      <dd>
        {p.c.chainLength} certificate{p.c.chainLength === 1 ? '' : 's'} in tls.crt
      </dd>
      <dt>Serial</dt>
      <dd class="kg-cert-mono">{p.c.serialNumber}</dd>
      <dt>SHA-256 fingerprint</dt>
      <dd class="kg-cert-mono">{p.c.fingerprintSha256}</dd>
    </dl>
  );
}

function SecretCertDrawer(p: { s: TlsSecretInfo; onClose: () => void }): JSX.Element {
  return (
    <Drawer
      label={`Certificate of Secret ${p.s.name}`}
      subtitle={`TLS Secret · ${p.s.namespace}`}
      title={p.s.name}
      closeLabel="Close certificate"
      onClose={p.onClose}
      testId="tls-drawer"
    >
      <div class="kg-actions">
        <Button onClick={() => navigate('secrets', { ns: p.s.namespace, name: p.s.name })} testId="tls-open-secret">
          Open Secret
        </Button>
        <Show when={p.s.certificate}>
          {(c) => (
            <Button onClick={() => navigate('certificates', { ns: p.s.namespace, name: c() })}>
              Open Certificate {c()}
            </Button>
          )}
        </Show>
      </div>
      <div class="kg-drawer-body">
        <Show
          when={p.s.cert}
          fallback={
            <div class="kg-state kg-state-error" role="alert">
              <strong>The certificate cannot be read</strong>
              <span>{p.s.error}</span>
            </div>
          }
        >
          {(c) => <CertFields c={c()} />}
        </Show>
        <p class="kg-muted kg-small">
          <Show
            when={p.s.certificate}
            fallback="Nothing renews this Secret automatically: replace tls.crt and tls.key before it expires."
          >
            cert-manager renews it through Certificate {p.s.certificate} (issuer {p.s.issuerName}).
          </Show>
        </p>
      </div>
    </Drawer>
  );
}

/** Confirm, ask cert-manager (as `cmctl renew`), then follow the Certificate until the new certificate is issued. */
function RenewDialog(p: {
  c: CertManagerCertificate;
  current: () => CertManagerCertificate | undefined;
  reload: () => void;
  onClose: () => void;
}): JSX.Element {
  const [phase, setPhase] = createSignal<'confirm' | 'asking' | 'waiting' | 'done' | 'failed'>('confirm');
  const [message, setMessage] = createSignal('');
  const startRevision = p.c.revision ?? 0;
  const startNotAfter = p.c.notAfter;
  const title = () =>
    phase() === 'done'
      ? `Renewed ${p.c.namespace}/${p.c.name}`
      : phase() === 'waiting'
        ? `Renewing ${p.c.namespace}/${p.c.name}`
        : `Renew ${p.c.namespace}/${p.c.name}?`;
  let poll: ReturnType<typeof setInterval> | undefined;
  onCleanup(() => clearInterval(poll));
  // Issued: a newer revision (or a new notAfter) and the Issuing condition gone.
  createEffect(() => {
    if (phase() !== 'waiting') return;
    const c = p.current();
    if (!c) return;
    if (!c.issuing && ((c.revision ?? 0) > startRevision || c.notAfter !== startNotAfter)) {
      clearInterval(poll);
      setPhase('done');
      setMessage(
        `cert-manager issued revision ${c.revision ?? '?'}: ${expiryText(c.notAfter, Date.now())} (${exact(c.notAfter)}).`,
      );
      toast(`Certificate ${p.c.namespace}/${p.c.name} renewed`, 'ok');
    }
  });
  const go = async () => {
    setPhase('asking');
    try {
      const r = await api().call('certificate.renew', { namespace: p.c.namespace, name: p.c.name });
      setMessage(r.message);
      setPhase('waiting');
      p.reload();
      // The watch re-reads the page on each change; this only covers a quiet socket.
      poll = setInterval(() => p.reload(), 3000);
    } catch (e) {
      setMessage(toApiError(e).message);
      setPhase('failed');
    }
  };
  const now0 = Date.now();
  const waitedLong = () => phase() === 'waiting' && now() - now0 > 120_000;
  return (
    <Modal
      title={title()}
      onClose={() => phase() !== 'asking' && p.onClose()}
      testId="cert-renew-dialog"
      footer={
        <Switch>
          <Match when={phase() === 'confirm'}>
            <button class="kg-plain-btn" onClick={() => p.onClose()}>
              Cancel
            </button>
            <button class="kg-plain-btn kg-primary" data-testid="confirm-ok" onClick={() => void go()}>
              Renew now
            </button>
          </Match>
          <Match when={phase() !== 'asking'}>
            <button class="kg-plain-btn kg-primary" data-testid="cert-renew-close" onClick={() => p.onClose()}>
              {phase() === 'waiting' ? 'Close (keeps renewing)' : 'Close'}
            </button>
          </Match>
        </Switch>
      }
    >
      <Switch>
        <Match when={phase() === 'confirm'}>
          <p>
            cert-manager issues a new certificate now, as <code>cmctl renew</code> does: KubeGraf sets the Certificate's{' '}
            <code>Issuing</code> condition, {p.c.issuerRef.kind} <strong>{p.c.issuerRef.name}</strong> signs a new
            certificate and cert-manager writes it to Secret <strong>{p.c.secretName}</strong>.
          </p>
          <dl class="kg-dl">
            <dt>Now</dt>
            <dd>
              <Expiry notAfter={p.c.notAfter} />
            </dd>
            <dt>Names</dt>
            <dd>{p.c.dnsNames.join(', ') || p.c.commonName || '—'}</dd>
            <Show when={p.c.issuing}>
              <dt>Under way</dt>
              <dd>{statusLine(p.c)}</dd>
            </Show>
          </dl>
          <p class="kg-muted kg-small">
            Servers that read the Secret pick the new certificate up; with a private key rotation policy of Always the
            key changes too.
          </p>
        </Match>
        <Match when={phase() === 'asking'}>
          <Loading label="Asking cert-manager to renew…" />
        </Match>
        <Match when={phase() === 'waiting'}>
          <div class="kg-state" role="status" data-testid="cert-renew-progress">
            <vscode-progress-ring />
            <strong>Waiting for cert-manager to issue the certificate…</strong>
            <span class="kg-muted">
              {p.current()?.issuing?.message ?? message()}
              <Show when={waitedLong()}>
                {' '}
                It is taking long: check the Certificate's events and its CertificateRequest; the renewal stays
                requested until cert-manager issues it.
              </Show>
            </span>
          </div>
        </Match>
        <Match when={phase() === 'done'}>
          <div class="kg-state kg-state-ok" role="status" data-testid="cert-renew-result">
            <strong>Renewed</strong>
            <span>{message()}</span>
          </div>
        </Match>
        <Match when={phase() === 'failed'}>
          <div class="kg-state kg-state-error" role="alert" data-testid="cert-renew-result">
            <strong>Could not renew</strong>
            <span>{message()}</span>
          </div>
        </Match>
      </Switch>
    </Modal>
  );
}
