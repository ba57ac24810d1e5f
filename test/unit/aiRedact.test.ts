// The privacy step: what a Kubernetes object, a log line or a prompt looks like once it may leave the machine.
import assert from 'node:assert/strict';
import { isPrivateIp, Redactor } from '../../src/core/ai/redact';

describe('AI redaction', () => {
  it('a Secret keeps its key names and sizes, never its values; managedFields and last-applied copies go', () => {
    const r = new Redactor();
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: 'db',
        namespace: 'p',
        managedFields: [{ manager: 'kubectl' }],
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"czNjcjN0"}}',
          team: 'payments',
        },
      },
      data: {
        password: Buffer.from('s3cr3t').toString('base64'),
        dsn: Buffer.from('postgres://u:p@h/db').toString('base64'),
      },
      stringData: { token: 'plain-token-value' },
    };
    const out = r.json(secret);
    assert.ok(
      !out.includes('czNjcjN0') &&
        !out.includes('s3cr3t') &&
        !out.includes('plain-token-value') &&
        !out.includes(secret.data.dsn),
      out,
    );
    const v = JSON.parse(out);
    assert.deepEqual(v.dataKeys, { password: '6 bytes', dsn: '19 bytes' });
    assert.deepEqual(Object.keys(v.stringDataKeys), ['token']);
    assert.equal(v.metadata.managedFields, undefined);
    assert.equal(v.metadata.annotations.team, 'payments');
    assert.match(v.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /removed/);
    assert.ok(r.count >= 4);
  });

  it('env values, args and fields with credential names are redacted; references and harmless values stay', () => {
    const r = new Redactor();
    const pod = {
      kind: 'Pod',
      spec: {
        containers: [
          {
            name: 'api',
            args: ['--port=8080', '--db-password=hunter2', '--api-key', 'k-123456', '--verbose'],
            env: [
              { name: 'DB_PASSWORD', value: 'hunter2' },
              { name: 'LOG_LEVEL', value: 'debug' },
              { name: 'LEDGER_DSN', valueFrom: { secretKeyRef: { name: 'ledger-db', key: 'dsn' } } },
              { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG' },
            ],
          },
        ],
        volumes: [{ name: 'tls', secret: { secretName: 'shop-tls' } }],
      },
    };
    const v = JSON.parse(r.json(pod));
    const c = v.spec.containers[0];
    assert.deepEqual(c.args, ['--port=8080', '--db-password=[redacted]', '--api-key', '[redacted]', '--verbose']);
    assert.deepEqual(
      c.env.map((e: { value?: string }) => e.value),
      ['[redacted]', 'debug', undefined, '[redacted]'],
    );
    assert.deepEqual(c.env[2].valueFrom, { secretKeyRef: { name: 'ledger-db', key: 'dsn' } });
    assert.equal(v.spec.volumes[0].secret.secretName, 'shop-tls');
    const cm = JSON.parse(r.json({ kind: 'ConfigMap', data: { API_TOKEN: 'abc123456', FEATURE_FLAGS: 'a,b' } }));
    assert.deepEqual(cm.data, { API_TOKEN: '[redacted]', FEATURE_FLAGS: 'a,b' });
  });

  it('text scanners catch keys, tokens and credentials in logs and prompts', () => {
    const r = new Redactor();
    const cases: Array<[string, string]> = [
      ['Authorization: Bearer abc.def-ghi_123456789', 'abc.def-ghi_123456789'],
      ['curl -H "authorization: bearer tok_ABCDEFGH12345"', 'tok_ABCDEFGH12345'],
      ['token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0.sig-part_x', 'eyJhbGciOiJSUzI1NiJ9'],
      ['connecting to postgres://ledger:s3cr3t@ledger-db:5432/ledger', 's3cr3t'],
      ['key AKIAIOSFODNN7EXAMPLE used', 'AKIAIOSFODNN7EXAMPLE'],
      [`gh ghp_${'a'.repeat(36)}`, `ghp_${'a'.repeat(36)}`],
      ['slack xoxb-123456789012-abcdefghij', 'xoxb-123456789012-abcdefghij'],
      [`gcp AIza${'B'.repeat(35)}`, `AIza${'B'.repeat(35)}`],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA'],
      ['    client-key-data: LS0tLS1CRUdJTiBSU0E=', 'LS0tLS1CRUdJTiBSU0E='],
      ['{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNzd29yZA=="}}}', 'dXNlcjpwYXNzd29yZA=='],
      ['starting with --password=hunter22 and DB_PASSWORD=letmein99', 'hunter22'],
      ['starting with --password=hunter22 and DB_PASSWORD=letmein99', 'letmein99'],
      ['sk-proj-abcdefghijklmnopqrstuvwx is my key', 'sk-proj-abcdefghijklmnopqrstuvwx'],
    ];
    for (const [input, secret] of cases) {
      const out = r.text(input);
      assert.ok(!out.includes(secret), `${input} -> ${out}`);
      assert.match(out, /redacted/);
    }
    // References and ordinary words are not secrets.
    assert.equal(
      r.text('mounted secretName: shop-tls; token expired at 10:00'),
      'mounted secretName: shop-tls; token expired at 10:00',
    );
  });

  it('emails and public IPs become stable placeholders that restore() turns back; private IPs stay', () => {
    const r = new Redactor();
    const out = r.text(
      'ops@acme.example paged; LB 203.0.113.10, pod 10.244.1.7, again OPS@acme.example from 203.0.113.10',
    );
    assert.equal(out, '<email-1> paged; LB <ip-1>, pod 10.244.1.7, again <email-1> from <ip-1>');
    assert.equal(
      r.restore('Contact <email-1> about <ip-1> (and <ip-9>)'),
      'Contact ops@acme.example about 203.0.113.10 (and <ip-9>)',
    );
    assert.ok(
      isPrivateIp('192.168.1.1') && isPrivateIp('172.20.0.1') && !isPrivateIp('8.8.8.8') && !isPrivateIp('172.32.0.1'),
    );
    const keep = new Redactor({ emails: false, publicIps: false });
    assert.equal(keep.text('a@b.io at 8.8.8.8'), 'a@b.io at 8.8.8.8');
  });
});
