// The simulator driven with raw HTTP the way other clients drive an API server: Python's spellings (watch=True,
// stdout=True), Go's watch parameters (resourceVersion, allowWatchBookmarks, timeoutSeconds, the watch-list stream),
// v4/v5 exec WebSockets, and the errors a real server gives for malformed or contradictory parameters.
import assert from 'node:assert/strict';
import https from 'node:https';
import WebSocket from 'ws';
import { eventually, simAdmin, startTestSim, type Sim } from '../helpers/sim';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

type J = any;

function request(
  sim: Sim,
  method: string,
  path: string,
  opts: { body?: unknown; accept?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sim.server}${path}`,
      {
        method,
        ca: sim.caPem,
        headers: {
          Authorization: `Bearer ${sim.tokens.admin}`,
          Accept: opts.accept ?? 'application/json',
          ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
  });
}

const json = (r: Reply): J => JSON.parse(r.body);

/** Reads a watch stream's events until `until` holds (then aborts), or until the server ends it. */
function watchEvents(
  sim: Sim,
  path: string,
  until: (events: J[]) => boolean = () => false,
  ms = 20_000,
): Promise<{ status: number; events: J[]; endedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const events: J[] = [];
    let buf = '';
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`watch ${path}: timed out with ${JSON.stringify(events)}`));
    }, ms);
    const req = https.get(
      `${sim.server}${path}`,
      { ca: sim.caPem, headers: { Authorization: `Bearer ${sim.tokens.admin}` } },
      (res) => {
        if (res.statusCode !== 200) {
          clearTimeout(timer);
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, events: [JSON.parse(body)], endedByServer: true }),
          );
          return;
        }
        res.on('data', (c: Buffer) => {
          buf += c.toString();
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i).trim();
            buf = buf.slice(i + 1);
            if (line) events.push(JSON.parse(line));
          }
          if (until(events)) {
            clearTimeout(timer);
            req.destroy();
            resolve({ status: 200, events, endedByServer: false });
          }
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: 200, events, endedByServer: true });
        });
      },
    );
    req.on('error', () => undefined);
  });
}

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: name } });
const CMS = '/api/v1/namespaces/default/configmaps';

describe('sim protocol, as other clients speak it', function () {
  this.timeout(60_000);
  let sim: Sim;

  before(async () => {
    sim = await startTestSim({ kubeMinor: 33 });
    for (const n of ['a', 'b', 'c']) assert.equal((await request(sim, 'POST', CMS, { body: cm(n) })).status, 201);
  });
  after(() => sim.close());

  describe('query parameters decoded as apimachinery does', () => {
    it('watch=True (Python) streams events, not a list', async () => {
      const w = await watchEvents(sim, `${CMS}?watch=True`, (e) => e.length === 3);
      assert.deepEqual(
        w.events.map((e) => [e.type, e.object.metadata.name]),
        [
          ['ADDED', 'a'],
          ['ADDED', 'b'],
          ['ADDED', 'c'],
        ],
      );
      // "false" in any case and "0" are false: a plain list.
      for (const v of ['FALSE', '0'])
        assert.equal(json(await request(sim, 'GET', `${CMS}?watch=${v}`)).kind, 'ConfigMapList');
    });

    it('a malformed integer is a 400 carrying the conversion error', async () => {
      const r = await request(sim, 'GET', `${CMS}?limit=abc`);
      assert.equal(r.status, 400);
      assert.deepEqual(
        [json(r).reason, json(r).message],
        ['BadRequest', 'strconv.ParseInt: parsing "abc": invalid syntax'],
      );
      const t = await request(sim, 'GET', `${CMS}?watch=true&timeoutSeconds=99999999999999999999`);
      assert.equal(t.status, 400);
      assert.equal(json(t).message, 'strconv.ParseInt: parsing "99999999999999999999": value out of range');
    });

    it('resourceVersionMatch and sendInitialEvents combinations are validated (422)', async () => {
      const cases: Array<[string, string]> = [
        [
          `${CMS}?watch=true&sendInitialEvents=true`,
          'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
        ],
        [
          `${CMS}?watch=true&resourceVersionMatch=NotOlderThan`,
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ],
        [`${CMS}?sendInitialEvents=true`, 'sendInitialEvents is forbidden for list'],
        [`${CMS}?resourceVersionMatch=Exact`, 'resourceVersionMatch is forbidden unless resourceVersion is provided'],
        [
          `${CMS}?resourceVersion=0&resourceVersionMatch=Exact`,
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ],
      ];
      for (const [path, why] of cases) {
        const r = await request(sim, 'GET', path);
        assert.equal(r.status, 422, path);
        assert.equal(json(r).reason, 'Invalid');
        assert.ok(json(r).message.startsWith('ListOptions.meta.k8s.io "" is invalid: '), json(r).message);
        assert.ok(json(r).message.includes(why), `${path}: ${json(r).message}`);
      }
    });

    it('dryRun, propagationPolicy and orphanDependents are checked as DeleteOptions are', async () => {
      assert.equal((await request(sim, 'POST', `${CMS}?dryRun=Everything`, { body: cm('dry') })).status, 422);
      const dry = await request(sim, 'POST', `${CMS}?dryRun=All`, { body: cm('dry') });
      assert.equal(dry.status, 201);
      assert.equal((await request(sim, 'GET', `${CMS}/dry`)).status, 404);
      const bad = await request(sim, 'DELETE', `${CMS}/a?propagationPolicy=Sideways`);
      assert.equal(bad.status, 422);
      assert.match(
        json(bad).message,
        /^DeleteOptions\.meta\.k8s\.io "" is invalid: propagationPolicy: Unsupported value: "Sideways"/,
      );
      const both = await request(sim, 'DELETE', `${CMS}/a?orphanDependents=false&propagationPolicy=Background`);
      assert.equal(both.status, 422);
      assert.match(json(both).message, /orphanDependents and deletionPropagation cannot be both set/);
      const grace = await request(sim, 'DELETE', `${CMS}/a?gracePeriodSeconds=soon`);
      assert.equal(grace.status, 400);
      assert.equal((await request(sim, 'GET', `${CMS}/a`)).status, 200, 'a rejected delete deletes nothing');
    });
  });

  describe('watch as Go clients use it', () => {
    it('from a resourceVersion: only later changes; timeoutSeconds ends the stream', async () => {
      const rv = json(await request(sim, 'GET', CMS)).metadata.resourceVersion;
      await request(sim, 'POST', CMS, { body: cm('later') });
      const w = await watchEvents(
        sim,
        `${CMS}?allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=1&watch=true`,
      );
      assert.equal(w.endedByServer, true);
      assert.deepEqual(
        w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => [e.type, e.object.metadata.name]),
        [['ADDED', 'later']],
      );
    });

    it('sends bookmarks to a client that allows them', async () => {
      const rv = json(await request(sim, 'GET', CMS)).metadata.resourceVersion;
      const w = await watchEvents(sim, `${CMS}?watch=1&allowWatchBookmarks=True&resourceVersion=${rv}`, (e) =>
        e.some((x) => x.type === 'BOOKMARK'),
      );
      const b = w.events.find((e) => e.type === 'BOOKMARK');
      assert.equal(b.object.kind, 'ConfigMap');
      assert.ok(Number(b.object.metadata.resourceVersion) >= Number(rv));
    });

    it('streams a list (sendInitialEvents) ending with the initial-events-end bookmark', async () => {
      const w = await watchEvents(
        sim,
        `${CMS}?allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&watch=true`,
        (e) => e.some((x) => x.type === 'BOOKMARK'),
      );
      const names = w.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name);
      assert.deepEqual(names, ['a', 'b', 'c', 'later']);
      const last = w.events[w.events.length - 1];
      assert.equal(last.type, 'BOOKMARK');
      assert.equal(last.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    });

    it('an expired continue token is 410 with a token to go on; continue with a resourceVersion is 400', async () => {
      const page = json(await request(sim, 'GET', `${CMS}?limit=1`));
      assert.ok(page.metadata.continue);
      const tooSpecific = await request(
        sim,
        'GET',
        `${CMS}?limit=1&resourceVersion=5&continue=${page.metadata.continue}`,
      );
      assert.equal(tooSpecific.status, 400);
      assert.equal(json(tooSpecific).message, 'specifying resource version is not allowed when using continue');
      await simAdmin(sim, 'POST', '/_sim/expire');
      const r = await request(sim, 'GET', `${CMS}?limit=1&continue=${page.metadata.continue}`);
      assert.equal(r.status, 410);
      assert.equal(json(r).reason, 'Expired');
      assert.match(json(r).message, /^The provided continue parameter is too old/);
      const next = json(await request(sim, 'GET', `${CMS}?limit=1&continue=${json(r).metadata.continue}`));
      assert.deepEqual(
        next.items.map((i: J) => i.metadata.name),
        ['b'],
      );
    });
  });

  describe('exec and logs', () => {
    let pod: string;
    before(async () => {
      const p = await request(sim, 'POST', '/api/v1/namespaces/default/pods', {
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'shell' },
          spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
        },
      });
      assert.equal(p.status, 201, p.body);
      pod = 'shell';
      await eventually(
        async () =>
          json(await request(sim, 'GET', `/api/v1/namespaces/default/pods/${pod}`)).status?.phase === 'Running',
      );
    });

    for (const proto of ['v4.channel.k8s.io', 'v5.channel.k8s.io'])
      it(`execs over ${proto} with stdout=True and repeated command`, async () => {
        const url = `${sim.server.replace('https', 'wss')}/api/v1/namespaces/default/pods/${pod}/exec?command=echo&command=hi%20there&stdout=True&stderr=True&stdin=False&tty=False`;
        const ws = new WebSocket(url, [proto], {
          ca: sim.caPem,
          headers: { Authorization: `Bearer ${sim.tokens.admin}` },
        });
        const { out, status } = await new Promise<{ out: string; status: J }>((resolve, reject) => {
          let out = '';
          let status: J;
          ws.on('message', (d: Buffer) => {
            if (d[0] === 1) out += d.subarray(1).toString();
            if (d[0] === 3) status = JSON.parse(d.subarray(1).toString());
          });
          ws.on('close', () => resolve({ out, status }));
          ws.on('error', reject);
        });
        assert.equal(ws.protocol, proto);
        assert.equal(out, 'hi there\n');
        assert.equal(status.status, 'Success');
      });

    it('reads logs with follow=False, timestamps=1 and tailLines', async () => {
      const r = await eventually(async () => {
        const x = await request(
          sim,
          'GET',
          `/api/v1/namespaces/default/pods/${pod}/log?follow=False&timestamps=1&tailLines=2`,
        );
        return x.body.trim().split('\n').length === 2 ? x : undefined;
      });
      for (const line of r.body.trim().split('\n')) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /);
      const bad = await request(sim, 'GET', `/api/v1/namespaces/default/pods/${pod}/log?sinceTime=yesterday`);
      assert.equal(bad.status, 400);
      assert.match(json(bad).message, /^parsing time "yesterday"/);
    });
  });

  describe('server-side printing', () => {
    const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

    it('prints an unreachable, cordoned node as NotReady,SchedulingDisabled', async () => {
      const patch = (body: unknown) =>
        new Promise<number>((resolve, reject) => {
          const req = https.request(
            `${sim.server}/api/v1/nodes/node-1`,
            {
              method: 'PATCH',
              ca: sim.caPem,
              headers: { Authorization: `Bearer ${sim.tokens.admin}`, 'Content-Type': 'application/merge-patch+json' },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify(body));
        });
      assert.equal(await patch({ metadata: { annotations: { 'sim.kubegraf.io/fault': 'notready' } } }), 200);
      assert.equal(await patch({ spec: { unschedulable: true } }), 200);
      const t = await eventually(async () => {
        const table = json(await request(sim, 'GET', '/api/v1/nodes', { accept: TABLE }));
        const status = table.rows[0].cells[1];
        return status === 'NotReady,SchedulingDisabled' ? table : undefined;
      });
      assert.equal(t.kind, 'Table');
      assert.deepEqual(
        t.columnDefinitions.map((c: J) => [c.name, c.priority]),
        [
          ['Name', 0],
          ['Status', 0],
          ['Roles', 0],
          ['Age', 0],
          ['Version', 0],
          ['Internal-IP', 1],
          ['External-IP', 1],
          ['OS-Image', 1],
          ['Kernel-Version', 1],
          ['Container-Runtime', 1],
        ],
      );
      assert.equal(t.rows[0].object.kind, 'PartialObjectMetadata');
    });

    it('prints a NodePort service and a pod with the server printer cells', async () => {
      const s = await request(sim, 'POST', '/api/v1/namespaces/default/services', {
        body: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'np' },
          spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80, nodePort: 30080 }] },
        },
      });
      assert.equal(s.status, 201, s.body);
      const svc = json(await request(sim, 'GET', '/api/v1/namespaces/default/services/np', { accept: TABLE }));
      const cells = svc.rows[0].cells;
      assert.deepEqual([cells[1], cells[3], cells[4], cells[6]], ['NodePort', '<none>', '80:30080/TCP', 'app=x']);
      const pods = json(
        await request(sim, 'GET', '/api/v1/namespaces/default/pods?includeObject=Object', { accept: TABLE }),
      );
      const shell = pods.rows.find((r: J) => r.cells[0] === 'shell');
      assert.deepEqual(shell.cells.slice(1, 4), ['1/1', 'Running', '0']);
      assert.equal(shell.object.kind, 'Pod');
    });
  });
});
