// Real kubectl (1.30 and 1.33) applying, patching and asking can-i against the simulator.
import assert from 'node:assert/strict';
import https from 'node:https';
import { eventually, kubectl, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

const deployment = (image: string, replicas: number, env = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: ${image}
        ports:
        - containerPort: 80
${env}`;

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, description: How big.}
              tags: {type: array, items: {type: string}}
`;

const configMap = (data: Record<string, string>) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'default' }, data });

/** A raw PATCH, for bodies kubectl itself would never send. */
function rawPatch(
  sim: Sim,
  path: string,
  body: string,
  contentType: string,
): Promise<{ code: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sim.server}${path}`,
      {
        method: 'PATCH',
        ca: sim.caPem,
        headers: { Authorization: `Bearer ${sim.tokens.admin}`, 'Content-Type': contentType },
      },
      (res) => {
        let s = '';
        res.on('data', (c) => (s += c));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(s) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

for (const minor of [30, 33]) {
  describe(`kubectl 1.${minor}: apply, patch and can-i against the simulator`, function () {
    this.timeout(60_000);
    let sim: Sim;
    const getJson = async (...args: string[]) => JSON.parse(await kubectlOk(sim, ['get', ...args, '-o', 'json']));

    before(async () => {
      sim = await startTestSim({ kubeMinor: minor });
    });
    after(() => sim.close());

    it('runs the kubectl the server version asks for', async () => {
      const v = JSON.parse(await kubectlOk(sim, ['version', '-o', 'json']));
      assert.equal(v.serverVersion.minor, String(minor));
      assert.equal(v.clientVersion.minor, String(minor));
    });

    it('client-side apply creates, then patches a changed manifest', async () => {
      const created = await kubectl(sim, ['apply', '-f', '-'], { stdin: deployment('nginx:1.27', 2) });
      assert.equal(created.code, 0, created.stderr);
      assert.equal(created.stdout.trim(), 'deployment.apps/web created');

      const env = '        env:\n        - name: MODE\n          value: fast\n';
      const changed = await kubectl(sim, ['apply', '-f', '-'], { stdin: deployment('nginx:1.28', 3, env) });
      assert.equal(changed.code, 0, changed.stderr);
      assert.equal(changed.stdout.trim(), 'deployment.apps/web configured');
      assert.equal(changed.stderr, '', 'no warnings');

      const d = await getJson('deployment', 'web');
      assert.equal(d.spec.replicas, 3);
      assert.deepEqual(
        d.spec.template.spec.containers.map((c: { name: string; image: string }) => [c.name, c.image]),
        [['c', 'nginx:1.28']],
      );
      assert.deepEqual(d.spec.template.spec.containers[0].env, [{ name: 'MODE', value: 'fast' }]);
      assert.match(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /nginx:1\.28/);
      assert.doesNotMatch(JSON.stringify(d), /\$setElementOrder|\$patch/);

      const again = await kubectl(sim, ['apply', '-f', '-'], { stdin: deployment('nginx:1.28', 3, env) });
      assert.equal(again.stdout.trim(), 'deployment.apps/web unchanged');

      const dropped = await kubectl(sim, ['apply', '-f', '-'], { stdin: deployment('nginx:1.28', 3) });
      assert.equal(dropped.stdout.trim(), 'deployment.apps/web configured');
      assert.equal(
        (await getJson('deployment', 'web')).spec.template.spec.containers[0].env,
        undefined,
        'a field removed from the manifest is removed',
      );
    });

    it('labels, annotates and sets images', async () => {
      assert.equal(
        (await kubectlOk(sim, ['label', 'deployment', 'web', 'tier=front'])).trim(),
        'deployment.apps/web labeled',
      );
      assert.equal(
        (await kubectlOk(sim, ['annotate', 'deployment', 'web', 'note=hi'])).trim(),
        'deployment.apps/web annotated',
      );
      assert.equal(
        (await kubectlOk(sim, ['set', 'image', 'deployment/web', 'c=nginx:2'])).trim(),
        'deployment.apps/web image updated',
      );
      const d = await getJson('deployment', 'web');
      assert.equal(d.metadata.labels.tier, 'front');
      assert.equal(d.metadata.annotations.note, 'hi');
      assert.equal(d.spec.template.spec.containers[0].image, 'nginx:2');
      assert.equal(
        (await kubectlOk(sim, ['label', 'deployment', 'web', 'tier-'])).trim(),
        'deployment.apps/web unlabeled',
      );
      assert.equal((await getJson('deployment', 'web')).metadata.labels.tier, undefined);
    });

    it('patches with --type json, merge and strategic', async () => {
      await kubectlOk(sim, [
        'patch',
        'deployment',
        'web',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/spec/replicas","value":4}]',
      ]);
      await kubectlOk(sim, ['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"minReadySeconds":5}}']);
      await kubectlOk(sim, [
        'patch',
        'deployment',
        'web',
        '--type=strategic',
        '-p',
        '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}',
      ]);
      const d = await getJson('deployment', 'web');
      assert.equal(d.spec.replicas, 4);
      assert.equal(d.spec.minReadySeconds, 5);
      assert.deepEqual(
        d.spec.template.spec.containers.map((c: { name: string }) => c.name),
        ['c', 'side'],
        'strategic merge keeps the other container',
      );
    });

    it('shows the server errors for bad patches', async () => {
      const notArray = await kubectl(sim, ['patch', 'deployment', 'web', '--type=json', '-p', '{"op":"add"}']);
      assert.equal(notArray.code, 1);
      assert.match(
        notArray.stderr,
        /Error from server \(BadRequest\): json: cannot unmarshal object into Go value of type jsonpatch\.Patch/,
      );
      const failedTest = await kubectl(sim, [
        'patch',
        'deployment',
        'web',
        '--type=json',
        '-p',
        '[{"op":"test","path":"/spec/replicas","value":99}]',
      ]);
      assert.equal(failedTest.code, 1);
      assert.equal(
        failedTest.stderr.trim(),
        'The request is invalid: the server rejected our request due to an error in our request',
      );
      assert.equal((await getJson('deployment', 'web')).spec.replicas, 4, 'a failed patch changes nothing');

      const path = '/apis/apps/v1/namespaces/default/deployments/web';
      const malformed = await rawPatch(sim, path, '{"spec":', 'application/merge-patch+json');
      assert.equal(malformed.code, 400);
      assert.equal(malformed.body.reason, 'BadRequest');
      const strategic = await rawPatch(sim, path, '{bad', 'application/strategic-merge-patch+json');
      assert.deepEqual(
        [strategic.code, strategic.body.message],
        [400, "invalid character 'b' looking for beginning of object key string"],
      );
      const unknown = await rawPatch(sim, path, '{}', 'text/plain');
      assert.equal(unknown.code, 415);
      assert.equal(unknown.body.kind, 'Status');
      assert.equal(unknown.body.reason, 'UnsupportedMediaType');
    });

    it('server-side applies, and forgets fields the manifest drops', async () => {
      const first = await kubectl(sim, ['apply', '--server-side', '-f', '-'], { stdin: configMap({ a: '1', b: '2' }) });
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout.trim(), 'configmap/ssa serverside-applied');
      const cm = await getJson('configmap', 'ssa', '--show-managed-fields');
      assert.deepEqual(cm.data, { a: '1', b: '2' });
      assert.deepEqual(
        cm.metadata.managedFields.map((m: { manager: string; operation: string }) => [m.manager, m.operation]),
        [['kubectl', 'Apply']],
      );

      await kubectlOk(sim, ['apply', '--server-side', '-f', '-'], { stdin: configMap({ a: '3' }) });
      assert.deepEqual((await getJson('configmap', 'ssa')).data, { a: '3' });

      const ssaDeploy = await kubectl(sim, ['apply', '--server-side', '--field-manager=ci', '-f', '-'], {
        stdin: deployment('nginx:3', 1).replace('name: web', 'name: api'),
      });
      assert.equal(ssaDeploy.stdout.trim(), 'deployment.apps/api serverside-applied');
      const conflict = await kubectl(sim, ['apply', '--server-side', '-f', '-'], {
        stdin: deployment('nginx:4', 1).replace('name: web', 'name: api'),
      });
      assert.equal(conflict.code, 1);
      assert.match(
        conflict.stderr,
        /Apply failed with 1 conflict: conflict with "ci" using apps\/v1: \.spec\.template\.spec\.containers\[name="c"\]\.image/,
      );
      await kubectlOk(sim, ['apply', '--server-side', '--force-conflicts', '-f', '-'], {
        stdin: deployment('nginx:4', 1).replace('name: web', 'name: api'),
      });
      assert.equal((await getJson('deployment', 'api')).spec.template.spec.containers[0].image, 'nginx:4');
    });

    it('creates from a manifest file', async () => {
      const svc =
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: 8080\n';
      const r = await kubectl(sim, ['create', '-f', '-'], { stdin: svc });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'service/web created');
      assert.equal((await getJson('service', 'web')).spec.ports[0].targetPort, 8080);
      const again = await kubectl(sim, ['create', '-f', '-'], { stdin: svc });
      assert.equal(again.code, 1);
      assert.match(again.stderr, /Error from server \(AlreadyExists\)/);
    });

    it('answers auth can-i for admin and viewer with the right exit codes', async () => {
      const yes = await kubectl(sim, ['auth', 'can-i', 'delete', 'deployments']);
      assert.deepEqual([yes.code, yes.stdout.trim()], [0, 'yes']);
      const viewerGet = await kubectl(sim, ['auth', 'can-i', 'get', 'pods'], { viewer: true });
      assert.deepEqual([viewerGet.code, viewerGet.stdout.trim()], [0, 'yes']);
      for (const args of [
        ['create', 'deployments'],
        ['get', 'secrets'],
        ['create', 'pods', '--subresource=exec'],
      ]) {
        const no = await kubectl(sim, ['auth', 'can-i', ...args], { viewer: true });
        assert.deepEqual([no.code, no.stdout.trim()], [1, 'no'], args.join(' '));
      }
      const list = await kubectl(sim, ['auth', 'can-i', '--list'], { viewer: true });
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
      assert.doesNotMatch(list.stdout, /^secrets\s/m);
    });

    it('forbids a viewer to change anything', async () => {
      const r = await kubectl(sim, ['label', 'deployment', 'web', 'x=y'], { viewer: true });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /Error from server \(Forbidden\): deployments\.apps "web" is forbidden: User "viewer" cannot patch resource "deployments" in API group "apps" in the namespace "default"/,
      );
    });

    it('applies custom resources with merge patches and refuses strategic merge for them', async () => {
      await kubectlOk(sim, ['apply', '-f', '-'], { stdin: WIDGET_CRD });
      await eventually(async () => (await kubectl(sim, ['get', 'widgets'])).code === 0);
      const widget = (spec: string) =>
        `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: ${spec}\n`;
      assert.equal(
        (await kubectlOk(sim, ['apply', '-f', '-'], { stdin: widget('{size: 1, tags: [a]}') })).trim(),
        'widget.example.com/w1 created',
      );
      assert.equal(
        (await kubectlOk(sim, ['apply', '-f', '-'], { stdin: widget('{size: 2}') })).trim(),
        'widget.example.com/w1 configured',
      );
      assert.deepEqual((await getJson('widget', 'w1')).spec, { size: 2 });
      const smp = await kubectl(sim, ['patch', 'widget', 'w1', '--type=strategic', '-p', '{"spec":{"size":3}}']);
      assert.equal(smp.code, 1);
      assert.equal(
        smp.stderr.trim(),
        'error: application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      );
      const explained = await kubectlOk(sim, ['explain', 'widget.spec.size']);
      assert.match(explained, /FIELD:\s+size <integer>[\s\S]*How big\./, 'explain reads the schema the CRD declares');
    });

    it('explains kinds from the OpenAPI v3 documents', async () => {
      const r = await kubectl(sim, ['explain', 'deployment.spec.replicas']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /FIELD:\s+replicas <integer>/);
      const c = await kubectl(sim, ['explain', 'pods.spec.containers']);
      assert.match(c.stdout, /FIELD:\s+containers <\[\]Container>/);
    });
  });
}
