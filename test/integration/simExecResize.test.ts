// A terminal resize on the exec stream reaches the container: `stty size` there reports it.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startTestSim, kubectlOk, eventually, type Sim } from '../helpers/sim';

describe('sim exec: terminal resize (v5.channel.k8s.io)', function () {
  let sim: Sim;
  before(async () => {
    sim = await startTestSim();
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'tty', namespace: 'default' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
    };
    await kubectlOk(sim, ['create', '-f', '-'], { stdin: JSON.stringify(pod) });
    await eventually(
      async () => (await kubectlOk(sim, ['get', 'pod', 'tty', '-o', 'jsonpath={.status.phase}'])) === 'Running',
    );
  });
  after(() => sim.close());

  it('reports the size the client last sent', async () => {
    const url = `${sim.server.replace('https', 'wss')}/api/v1/namespaces/default/pods/tty/exec?command=sh&stdin=true&stdout=true&tty=true&container=c`;
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
      ca: sim.caPem,
      headers: { Authorization: `Bearer ${sim.tokens.admin}` },
    });
    let out = '';
    ws.on('message', (d: Buffer) => {
      if (d[0] === 1) out += d.subarray(1).toString();
    });
    await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
    const send = (ch: number, s: string) => ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(s)]));
    send(4, JSON.stringify({ Width: 132, Height: 43 }));
    send(0, 'stty size\r');
    await eventually(() => /43 132/.test(out), 5000);
    send(4, JSON.stringify({ Width: 80, Height: 24 }));
    send(0, 'echo $COLUMNS x $LINES\r');
    await eventually(() => /80 x 24/.test(out), 5000);
    ws.close();
    assert.match(out, /43 132/);
  });
});
