import assert from 'node:assert/strict';
import { eventually, kubectl, kubectlOk, startTestSim, type Sim } from '../helpers/sim';

for (const minor of [30, 33]) {
  describe(`sim controllers through kubectl 1.${minor}`, function () {
    this.timeout(60000);
    let sim: Sim;
    before(async () => {
      sim = await startTestSim({ kubeMinor: minor, speed: 10 });
      await kubectlOk(sim, ['apply', '-f', '-'], {
        stdin: JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            {
              apiVersion: 'v1',
              kind: 'Node',
              metadata: { name: 'node-2', labels: { 'kubernetes.io/hostname': 'node-2' } },
              status: {
                capacity: { cpu: '4', memory: '8Gi', pods: '110' },
                allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
                addresses: [{ type: 'InternalIP', address: '10.0.0.12' }],
              },
            },
          ],
        }),
      });
    });
    after(() => sim?.close());

    it('runs a deployment: get -o wide, scale, rollout status, describe with events', async () => {
      await kubectlOk(sim, ['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
      assert.match(
        await kubectlOk(sim, ['rollout', 'status', 'deployment/web', '--timeout=30s']),
        /deployment "web" successfully rolled out/,
      );
      const wide = await kubectlOk(sim, ['get', 'pods', '-A', '-o', 'wide']);
      const rows = wide.split('\n').filter((l) => l.startsWith('default') && l.includes(' web-'));
      assert.equal(rows.length, 2, wide);
      for (const r of rows) assert.match(r, /1\/1\s+Running\s+0\s+\S+\s+10\.\d+\.\d+\.\d+\s+node-\d/);
      await kubectlOk(sim, ['scale', 'deployment/web', '--replicas=3']);
      await kubectlOk(sim, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
      assert.match(await kubectlOk(sim, ['get', 'deploy', 'web']), /web\s+3\/3\s+3\s+3/);
      const pod = (await kubectlOk(sim, ['get', 'pods', '-l', 'app=web', '-o', 'name'])).split('\n')[0];
      const d = await kubectlOk(sim, ['describe', pod]);
      assert.match(d, /Status:\s+Running/);
      assert.match(d, /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default\/web-/);
      assert.match(d, /Normal\s+Started\s+.*kubelet/);
      const dd = await kubectlOk(sim, ['describe', 'deployment', 'web']);
      assert.match(dd, /NewReplicaSet:\s+web-\w+ \(3\/3 replicas created\)/);
      assert.match(dd, /ScalingReplicaSet\s+.*Scaled up replica set web-\w+ from 2 to 3/);
    });

    it('restarts, reports history and rolls back with rollout undo', async () => {
      await kubectlOk(sim, ['rollout', 'restart', 'deployment/web']);
      await kubectlOk(sim, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
      await kubectlOk(sim, ['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
      await kubectlOk(sim, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
      assert.match(
        await kubectlOk(sim, ['rollout', 'history', 'deployment/web']),
        /1\s+<none>\s+2\s+<none>\s+3\s+<none>/,
      );
      assert.match(await kubectlOk(sim, ['rollout', 'undo', 'deployment/web']), /rolled back/);
      await kubectlOk(sim, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
      const images = await kubectlOk(sim, [
        'get',
        'pods',
        '-l',
        'app=web',
        '-o',
        'jsonpath={.items[*].spec.containers[0].image}',
      ]);
      assert.deepEqual([...new Set(images.split(' '))], ['nginx:1.25']);
      assert.equal(
        await kubectlOk(sim, [
          'get',
          'deploy',
          'web',
          '-o',
          'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
        ]),
        '4',
      );
    });

    it('reports a stuck rollout and a crash loop the way kubectl shows them', async () => {
      await kubectlOk(sim, ['create', 'deployment', 'bad', '--image=ghcr.io/acme/app:does-not-exist']);
      await kubectlOk(sim, [
        'patch',
        'deployment',
        'bad',
        '--type=merge',
        '-p',
        '{"spec":{"progressDeadlineSeconds":5}}',
      ]);
      const r = await kubectl(sim, ['rollout', 'status', 'deployment/bad', '--timeout=30s']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /deployment "bad" exceeded its progress deadline/);
      assert.match(await kubectlOk(sim, ['get', 'pods', '-l', 'app=bad']), /0\/1\s+(ImagePullBackOff|ErrImagePull)/);
      await kubectlOk(sim, ['run', 'crashy', '--image=busybox', '--annotations=sim.kubegraf.io/fault=crashloop']);
      // Between back-offs the container runs again for a moment: take a describe made while it waits.
      const d = await eventually(async () => {
        const out = await kubectlOk(sim, ['describe', 'pod', 'crashy']);
        return /State:\s+Waiting\s+Reason:\s+CrashLoopBackOff/.test(out) ? out : undefined;
      }, 30_000);
      assert.match(d, /State:\s+Waiting\s+Reason:\s+CrashLoopBackOff/);
      assert.match(d, /Last State:\s+Terminated\s+Reason:\s+Error\s+Exit Code:\s+1/);
      assert.match(d, /Warning\s+BackOff\s+.*Back-off restarting failed container crashy/);
    });

    it('deletes gracefully, cordons, drains past a PDB only when it allows, and shows top', async () => {
      await kubectlOk(sim, ['run', 'solo', '--image=nginx']);
      await kubectlOk(sim, ['wait', '--for=condition=Ready', 'pod/solo', '--timeout=30s']);
      assert.match(await kubectlOk(sim, ['delete', 'pod', 'solo', '--timeout=30s']), /pod "solo" deleted/);
      assert.match((await kubectl(sim, ['get', 'pod', 'solo'])).stderr, /pods "solo" not found/);

      await kubectlOk(sim, ['apply', '-f', '-'], {
        stdin: JSON.stringify({
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'web', namespace: 'default' },
          spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } },
        }),
      });
      assert.match(await kubectlOk(sim, ['cordon', 'node-1']), /node\/node-1 cordoned/);
      assert.match(await kubectlOk(sim, ['get', 'node', 'node-1']), /Ready,SchedulingDisabled/);
      const blocked = await kubectl(sim, [
        'drain',
        'node-1',
        '--ignore-daemonsets',
        '--delete-emptydir-data',
        '--force',
        '--timeout=4s',
      ]);
      const onNode1 = (
        await kubectlOk(sim, ['get', 'pods', '-l', 'app=web', '--field-selector=spec.nodeName=node-1', '-o', 'name'])
      ).trim();
      if (onNode1) assert.match(blocked.stdout + blocked.stderr, /disruption budget/);
      await kubectlOk(sim, ['delete', 'pdb', 'web']);
      const drained = await kubectlOk(sim, [
        'drain',
        'node-1',
        '--ignore-daemonsets',
        '--delete-emptydir-data',
        '--force',
        '--timeout=30s',
      ]);
      assert.match(drained, /node\/node-1 drained/);
      await kubectlOk(sim, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
      assert.equal(
        (await kubectlOk(sim, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.nodeName}']))
          .split(' ')
          .filter((n) => n !== 'node-2').length,
        0,
      );
      assert.match(await kubectlOk(sim, ['uncordon', 'node-1']), /node\/node-1 uncordoned/);

      const top = await kubectlOk(sim, ['top', 'nodes']);
      assert.match(top, /NAME\s+CPU\(cores\)\s+CPU\(?%\)?\s+MEMORY\(bytes\)/);
      assert.match(top, /node-2\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
      const pods = await kubectlOk(sim, ['top', 'pods', '-l', 'app=web', '--containers']);
      assert.match(pods, /web-\S+\s+nginx\s+\d+m\s+\d+Mi/);
    });
  });
}
