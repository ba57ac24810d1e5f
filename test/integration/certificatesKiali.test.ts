// Certificates and the service mesh graph over real HTTP against the simulated demo cluster: cert-manager
// Certificates with their expiry and renewal, the certificate parsed out of every kubernetes.io/tls Secret with
// expiry levels, renewing as `cmctl renew` does (and the simulated cert-manager issuing again), expiring certificates
// as incidents, Kiali's graph with health per workload and edge; and what an empty cluster answers instead.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { eventually, kubectlOk, startTestSim, type Sim } from '../helpers/sim';
import { startApp, type App } from '../../src/server/app';
import { expiryLevel, expiryText } from '../../src/shared/certificates';
import type { CertificatesOverview } from '../../src/shared/certificates';
import type { MeshGraph } from '../../src/shared/meshGraph';
import { api, startHarness, type Harness } from './serverHelpers';

const DAY = 86_400_000;

describe('certificates and the Kiali graph (demo cluster)', function () {
  this.timeout(90_000);
  let h: Harness;
  let A: ReturnType<typeof api>;
  const overview = async (q = ''): Promise<CertificatesOverview> => {
    const r = await A.get(`/api/certificates/overview${q}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };

  before(async () => {
    h = await startHarness();
    A = api(h);
  });
  after(async () => h?.close());

  it('expiry levels: warning under 30 days, critical under 7, expired past notAfter', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(expiryLevel(now + 31 * DAY, now), 'ok');
    assert.equal(expiryLevel(now + 30 * DAY - 1, now), 'warning');
    assert.equal(expiryLevel(now + 7 * DAY, now), 'warning');
    assert.equal(expiryLevel(now + 7 * DAY - 1, now), 'critical');
    assert.equal(expiryLevel(now + 1000, now), 'critical');
    assert.equal(expiryLevel(now, now), 'expired');
    assert.equal(expiryLevel(undefined, now), undefined);
    assert.equal(expiryText(now + 12 * DAY + 5000, now), 'expires in 12 days');
    assert.equal(expiryText(now + 90 * DAY - 5000, now), 'expires in 90 days');
    assert.equal(expiryText(now + 2 * DAY + 23 * 3_600_000 + 5000, now), 'expires in 2 days 23 hours');
    assert.equal(expiryText(now + 5 * 3_600_000, now), 'expires in 5 hours');
    assert.equal(expiryText(now - 9 * DAY - 5000, now), 'expired 9 days ago');
  });

  it("reads every TLS Secret's certificate (subject, SANs, issuer, expiry) and never its key", async () => {
    const o = await overview();
    const s = (ns: string, name: string) => o.tlsSecrets.find((x) => x.namespace === ns && x.name === name)!;
    const argo = s('argocd', 'argocd-server-tls');
    assert.equal(argo.level, 'critical');
    assert.equal(argo.cert!.commonName, 'argocd.acme.internal');
    assert.deepEqual(argo.cert!.sans, ['argocd.acme.internal', 'argocd-server.argocd.svc']);
    assert.equal(argo.cert!.issuerCommonName, 'Acme Internal CA');
    assert.equal(argo.cert!.keyType, 'EC P-256');
    assert.ok(Math.abs(Date.parse(argo.cert!.notAfter) - Date.now() - 3 * DAY) < 60_000);
    assert.equal(argo.certificate, undefined);
    const promo = s('shop', 'promo-tls');
    assert.equal(promo.level, 'expired');
    assert.match(promo.cert!.issuer, /O=Let's Encrypt, CN=R11/);
    assert.equal(s('monitoring', 'grafana-tls').level, 'warning');
    assert.equal(s('monitoring', 'grafana-tls').certificate, 'grafana-tls');
    const ml = s('mlflow', 'mlflow-tls');
    assert.equal(ml.level, 'ok');
    assert.ok(ml.cert!.sans.includes('10.96.12.40'));
    assert.deepEqual(s('shop', 'shop-tls').usedBy, ['shop']);
    // Only TLS secrets, and no private key anywhere in the answer.
    assert.ok(!o.tlsSecrets.some((x) => x.name === 'ledger-db'));
    const text = JSON.stringify(o);
    assert.doesNotMatch(text, /PRIVATE KEY|tls\.key/);
    // The namespace filter applies.
    const shop = await overview('?namespace=shop');
    assert.deepEqual(
      shop.tlsSecrets.map((x) => x.name),
      ['promo-tls', 'shop-tls'],
    );
    assert.deepEqual(
      shop.certificates.map((x) => x.name),
      ['shop-tls'],
    );

    // A TLS Secret whose tls.crt is not a certificate says so instead of failing the page.
    await kubectlOk(h.sim, ['apply', '-f', '-'], {
      stdin: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: { name: 'broken-tls', namespace: 'shop' },
        stringData: { 'tls.crt': 'not a certificate', 'tls.key': 'nor a key' },
      }),
    });
    const broken = await eventually(async () =>
      (await overview('?namespace=shop')).tlsSecrets.find((x) => x.name === 'broken-tls'),
    );
    assert.match(broken.error!, /no PEM certificate/);
    assert.equal(broken.level, undefined);
  });

  it('lists cert-manager Certificates with Ready, expiry, renewal time, issuer and the certificate in their Secret', async () => {
    const o = await overview();
    assert.equal(o.certManager.installed, true);
    assert.equal(o.certManager.version, 'v1.16.1');
    assert.deepEqual(o.thresholds, { warningDays: 30, criticalDays: 7 });
    const c = (ns: string, name: string) => o.certificates.find((x) => x.namespace === ns && x.name === name)!;
    const shop = c('shop', 'shop-tls');
    assert.equal(shop.ready, 'True');
    assert.equal(shop.level, 'ok');
    assert.deepEqual(shop.issuerRef, { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    assert.equal(shop.secretName, 'shop-tls');
    assert.equal(shop.secretCert!.notAfter, new Date(shop.notAfter!).toISOString());
    assert.ok(Date.parse(shop.renewalTime!) < Date.parse(shop.notAfter!));
    const pay = c('payments', 'payments-tls');
    assert.equal(pay.ready, 'False');
    assert.equal(pay.readyReason, 'DoesNotExist');
    assert.equal(pay.secretCert, undefined);
    assert.equal(pay.failedIssuanceAttempts, 2);
    const graf = c('monitoring', 'grafana-tls');
    assert.equal(graf.level, 'warning');
    assert.equal(graf.issuing?.reason, 'Renewing');
  });

  it('renews a Certificate as cmctl does; the simulated cert-manager issues a new certificate into its Secret', async () => {
    const before = (await overview('?namespace=monitoring')).certificates.find((x) => x.name === 'grafana-tls')!;
    const r = await A.post('/api/certificate/renew', { namespace: 'monitoring', name: 'grafana-tls' });
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.message, /Manually triggered issuance of Certificate monitoring\/grafana-tls/);
    // cert-manager reads the Issuing condition from the status subresource: that is where the renewal is asked.
    const issuing = await eventually(async () => {
      const got = JSON.parse(
        await kubectlOk(h.sim, ['get', 'certificate', 'grafana-tls', '-n', 'monitoring', '-o', 'json']),
      );
      const events = JSON.parse(
        await kubectlOk(h.sim, [
          'get',
          'events',
          '-n',
          'monitoring',
          '--field-selector',
          'involvedObject.name=grafana-tls',
          '-o',
          'json',
        ]),
      );
      return got.status.revision === 2 ? { got, events } : undefined;
    }, 20_000);
    const { got, events } = issuing;
    assert.deepEqual(
      got.status.conditions.map((x: any) => `${x.type}=${x.status}`),
      ['Ready=True'],
    );
    assert.equal(got.status.failedIssuanceAttempts, undefined);
    assert.ok(events.items.some((e: any) => e.message === 'The certificate has been successfully issued'));
    const after = (await eventually(async () => {
      const c = (await overview('?namespace=monitoring')).certificates.find((x) => x.name === 'grafana-tls')!;
      return c.secretCert?.notAfter === new Date(c.notAfter!).toISOString() ? c : undefined;
    }))!;
    assert.equal(after.level, 'ok');
    assert.equal(after.issuing, undefined);
    assert.ok(Date.parse(after.notAfter!) > Date.parse(before.notAfter!) + 60 * DAY);
    // The Secret holds a real certificate for the Certificate's names, and its key.
    const secret = JSON.parse(
      await kubectlOk(h.sim, ['get', 'secret', 'grafana-tls', '-n', 'monitoring', '-o', 'json']),
    );
    const x = new X509Certificate(Buffer.from(secret.data['tls.crt'], 'base64'));
    assert.equal(x.subjectAltName, 'DNS:grafana.acme.example');
    assert.match(Buffer.from(secret.data['tls.key'], 'base64').toString(), /BEGIN PRIVATE KEY/);
    assert.equal(secret.metadata.annotations['cert-manager.io/certificate-name'], 'grafana-tls');

    // Bad input: a 4xx with a message, never a stack.
    const missing = await A.post('/api/certificate/renew', { namespace: 'monitoring', name: 'nope' });
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /Certificate monitoring\/nope not found/);
    const bad = await A.post('/api/certificate/renew', { namespace: 'Bad_NS', name: 'x' });
    assert.equal(bad.status, 400);
  });

  it('raises incidents for TLS certificates that expire within a week or have expired', async () => {
    const find = async (name: string) =>
      ((await A.get('/api/incidents/v2?status=open')).body.incidents as any[]).find(
        (i) => i.type === 'certificate_expiring' && i.resource.name === name,
      );
    const expired = await eventually(() => find('promo-tls'), 30_000);
    assert.equal(expired.severity, 'critical');
    assert.equal(expired.resource.kind, 'Secret');
    assert.match(expired.description, /promo\.acme\.example .*expired 9 days ago/);
    assert.match(expired.rootCause, /Nothing renews this Secret automatically/);
    const soon = await eventually(() => find('argocd-server-tls'), 30_000);
    assert.equal(soon.severity, 'high');
    assert.match(soon.description, /expires in 2 days 23 hours/);
    // Twelve days out is a warning on the Certificates page, not an incident.
    assert.equal(await find('grafana-tls'), undefined);
  });

  it("draws Kiali's graph with a health per workload and edge, the worse of pods and request errors", async () => {
    const r = await A.get('/api/kiali/graph');
    assert.equal(r.status, 200, r.text);
    const g: MeshGraph = r.body;
    assert.equal(g.kiali.namespace, 'istio-system');
    const node = (ns: string, name: string) => g.nodes.find((n) => n.namespace === ns && n.name === name)!;
    const edge = (a: string, b: string) =>
      g.edges.find((e) => e.source === g.nodes.find((n) => n.name === a)!.id && e.target === node2(b).id)!;
    const node2 = (name: string) => g.nodes.find((n) => n.name === name)!;
    const gw = node('istio-system', 'istio-ingressgateway');
    assert.ok(gw.root && !gw.outside, 'istio-system is one of the asked namespaces');
    assert.equal(node('shop', 'frontend').health, 'healthy');
    assert.equal(node('shop', 'frontend').kind, 'Deployment');
    assert.equal(node('shop', 'redis').kind, 'StatefulSet');
    assert.equal(node('shop', 'frontend').service, 'frontend');
    assert.deepEqual(node('shop', 'frontend').replicas, { desired: 3, available: 3 });
    const llm = node('ml', 'llm-server');
    assert.equal(llm.health, 'failure');
    assert.deepEqual(llm.healthReasons, ['25% of inbound requests fail']);
    assert.ok(Math.abs(llm.errorRateIn - 0.25) < 0.01, String(llm.errorRateIn));
    const pay = node('payments', 'payments-api');
    assert.equal(pay.health, 'degraded');
    assert.equal(edge('frontend', 'llm-server').health, 'failure');
    assert.deepEqual(edge('frontend', 'llm-server').responses, { '200': 75, '500': 25 });
    assert.equal(edge('checkout', 'payments-api').health, 'degraded');
    assert.equal(edge('frontend', 'catalog').health, 'healthy');
    assert.ok(edge('frontend', 'catalog').requestsPerSecond > 0 && edge('frontend', 'catalog').mtls);
    assert.ok(node('argocd', 'argocd-server').idle);
    // One namespace: only its workloads and the gateway that calls into it.
    const shop: MeshGraph = (await A.get('/api/kiali/graph?namespace=shop&duration=5m')).body;
    assert.deepEqual(shop.namespaces, ['shop']);
    assert.equal(shop.duration, '5m');
    assert.ok(shop.nodes.every((n) => n.namespace === 'shop' || n.name === 'istio-ingressgateway'));
    assert.ok(shop.nodes.find((n) => n.name === 'istio-ingressgateway')!.outside);
    // A workload without pods fails every request sent to it (cart: catalog's autoscaler would scale it back up).
    await kubectlOk(h.sim, ['scale', 'deployment', 'cart', '-n', 'shop', '--replicas=0']);
    const down = await eventually(async () => {
      const b: MeshGraph = (await A.get('/api/kiali/graph?namespace=shop')).body;
      const n = b.nodes.find((x) => x.name === 'cart');
      return n?.health === 'failure' ? n : undefined;
    }, 30_000);
    assert.ok(down.healthReasons.includes('100% of inbound requests fail'));
    assert.equal((await A.get('/api/kiali/graph?duration=forever')).status, 400);
  });
});

describe('certificates and the Kiali graph (empty cluster)', function () {
  this.timeout(60_000);
  let sim: Sim;
  let app: App;
  let A: ReturnType<typeof api>;
  before(async () => {
    sim = await startTestSim({ scenario: 'empty' });
    app = await startApp({ kubeconfigFiles: [sim.kubeconfig], dataDir: mkdtempSync(join(tmpdir(), 'kubegraf-c-')) });
    A = api({ base: app.server.url, token: app.token } as Harness);
  });
  after(async () => {
    await app?.close();
    await sim?.close();
  });

  it('without cert-manager lists TLS Secrets only, says so, and refuses to renew; without Kiali the graph is 424', async () => {
    const o: CertificatesOverview = (await A.get('/api/certificates/overview')).body;
    assert.equal(o.certManager.installed, false);
    assert.match(o.certManager.message, /cert-manager is not installed/);
    assert.deepEqual(o.certificates, []);
    const renew = await A.post('/api/certificate/renew', { namespace: 'default', name: 'x' });
    assert.equal(renew.status, 424);
    const g = await A.get('/api/kiali/graph');
    assert.equal(g.status, 424);
    assert.equal(g.body.error.code, 'notInstalled');
    assert.match(g.body.error.message, /Istio \+ Kiali/);
  });
});
