// GET …/pods/NAME/log: container logs computed on demand from the pod, its image and simulated time.
// Nothing is stored: line k of a container run is a pure function of (pod, container, run, k), so
// tail, since, follow and previous stay cheap however long a pod has been running.
import type { ServerResponse } from 'node:http';
import type { RecordedOutput, ResourceRequest, SimContext } from './context';
import { containerOutput } from './containers';
import type { KObj } from './store';
import { StatusError, badRequest, notFound } from './status';
import { Params, logParams } from './params';

export type AppKind =
  'nginx' | 'postgres' | 'mysql' | 'redis' | 'python' | 'node' | 'java' | 'coredns' | 'shell' | 'training' | 'app';

export function appKind(image: string): AppKind {
  const name = image.replace(/[:@].*$/, '').replace(/^.*\//, '');
  const rules: Array<[RegExp, AppKind]> = [
    // Model training images (not their serving counterparts: torchserve, tensorflow/serving).
    [
      /^(?!.*serv).*(pytorch|torch|tensorflow|keras|mnist|resnet|bert|llama|train|xgboost|lightgbm|jax|katib|deepspeed|megatron|nemo)/,
      'training',
    ],
    [/nginx|httpd|envoy|traefik|haproxy|caddy/, 'nginx'],
    [/postgres|postgis|timescale/, 'postgres'],
    [/mysql|mariadb/, 'mysql'],
    [/redis|valkey|keydb/, 'redis'],
    [/python|flask|django|gunicorn|uvicorn|fastapi|celery|jupyter/, 'python'],
    [/node|next|express|nest/, 'node'],
    [/java|jdk|jre|temurin|corretto|zulu|spring|tomcat|keycloak|kafka|elasticsearch|zookeeper|jenkins/, 'java'],
    [/coredns/, 'coredns'],
    [/busybox|alpine|ubuntu|debian|curl|toolbox|bash/, 'shell'],
  ];
  for (const [re, kind] of rules) if (re.test(name)) return kind;
  return 'app';
}

/** One lifetime of a container: from start to crash/exit, or still running. */
export interface ContainerRun {
  namespace: string;
  pod: string;
  container: string;
  image: string;
  /** Restart attempt number; part of the seed so every run differs. */
  attempt: number;
  startedAt: number;
  endedAt?: number;
  /** Why it ended: 'Error', 'OOMKilled', 'Completed', … */
  reason?: string;
  exitCode?: number;
  /** The main process argv; shell containers echo what their command echoes. */
  cmdline?: string[];
  /** Replaces the generated fatal lines (scenario authors: annotation kubegraf.io/sim-fatal-log). */
  fatal?: string[];
  /** The simulator's clock speed: a faster clock makes the app log proportionally more per wall second. */
  speed?: number;
  /** What a one-shot command really printed (ephemeral containers, containers.ts): the whole log of the run. */
  output?: string[];
  /** The instance's containerID: a container that ran a command in the built-in shell logs what it wrote. */
  containerID?: string;
}

export interface LogLine {
  time: number;
  text: string;
}

// ---- deterministic randomness ----

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A small PRNG (mulberry32) so a line's content depends only on its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

// ---- time formats the apps themselves print ----

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');
const iso = (t: number) => new Date(t).toISOString();
const clf = (t: number) => {
  const d = new Date(t);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${iso(t).slice(11, 19)} +0000`;
};
const spaced = (t: number) => iso(t).replace('T', ' ').replace('Z', '');
const slashed = (t: number) => iso(t).slice(0, 19).replace(/-/g, '/').replace('T', ' ');
const redisTime = (t: number) => {
  const d = new Date(t);
  return `${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${iso(t).slice(11, 23)}`;
};

// ---- per-application profiles ----

interface Ctx {
  pod: string;
  container: string;
  run: ContainerRun;
  /** Which steady line this is (0-based), for logs that count their progress. */
  step?: number;
}
interface Profile {
  /** Mean simulated milliseconds between steady-state lines. */
  period: number;
  startup(t: number, c: Ctx): string[];
  line(r: Rand, t: number, c: Ctx): string;
  fatal(reason: string, t: number, c: Ctx): string[];
  exit(t: number, c: Ctx): string[];
}

const PATHS = [
  '/',
  '/api/items',
  '/api/orders',
  '/api/users/me',
  '/static/app.js',
  '/api/cart',
  '/login',
  '/api/search?q=shoes',
  '/favicon.ico',
  '/api/items/4821',
];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'curl/8.5.0',
  'python-requests/2.32.3',
  'Go-http-client/1.1',
];
const STATUSES = [200, 200, 200, 200, 200, 200, 304, 201, 404, 500];
const clientIp = (r: Rand) => `10.244.${int(r, 0, 3)}.${int(r, 2, 250)}`;
const DB = '10.96.14.3:5432';

const goPanic = (msg: string) => [
  `panic: ${msg}`,
  '',
  'goroutine 1 [running]:',
  'main.main()',
  '\t/src/cmd/server/main.go:58 +0x1d4',
  'exit status 2',
];

const PROFILES: Record<AppKind, Profile> = {
  nginx: {
    period: 1500,
    startup: (t) => [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
      `${slashed(t)} [notice] 1#1: using the "epoll" event method`,
      `${slashed(t)} [notice] 1#1: nginx/1.27.2`,
      `${slashed(t)} [notice] 1#1: start worker processes`,
    ],
    line: (r, t) => {
      const probe = r() < 0.3;
      const path = probe ? '/healthz' : pick(r, PATHS);
      const status = probe ? 200 : pick(r, STATUSES);
      const ip = probe ? '10.244.0.1' : clientIp(r);
      return `${ip} - - [${clf(t)}] "GET ${path} HTTP/1.1" ${status} ${int(r, 150, 9000)} "-" "${probe ? 'kube-probe/1.30' : pick(r, AGENTS)}"`;
    },
    fatal: (reason, t) =>
      reason === 'OOMKilled'
        ? [
            `${slashed(t)} [alert] 1#1: worker process 29 exited on signal 9`,
            `${slashed(t)} [emerg] 29#29: malloc(1048576) failed (12: Cannot allocate memory)`,
          ]
        : [
            `${slashed(t)} [emerg] 1#1: host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:14`,
            `nginx: [emerg] host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:14`,
          ],
    exit: (t) => [
      `${slashed(t)} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down`,
      `${slashed(t)} [notice] 1#1: exit`,
    ],
  },
  postgres: {
    period: 30000,
    startup: (t) => [
      'PostgreSQL Database directory appears to contain a database; Skipping initialization',
      '',
      `${spaced(t)} UTC [1] LOG:  starting PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`,
      `${spaced(t)} UTC [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`,
      `${spaced(t)} UTC [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"`,
      `${spaced(t)} UTC [29] LOG:  database system was shut down at ${spaced(t - 3600_000).slice(0, 19)} UTC`,
      `${spaced(t)} UTC [1] LOG:  database system is ready to accept connections`,
    ],
    line: (r, t) =>
      r() < 0.5
        ? `${spaced(t)} UTC [27] LOG:  checkpoint starting: time`
        : `${spaced(t)} UTC [27] LOG:  checkpoint complete: wrote ${int(r, 3, 900)} buffers (${(r() * 5).toFixed(1)}%); 0 WAL file(s) added, 0 removed, ${int(r, 0, 2)} recycled; write=${(r() * 90).toFixed(3)} s, sync=0.004 s, total=${(r() * 90 + 0.1).toFixed(3)} s`,
    fatal: (reason, t) =>
      reason === 'OOMKilled'
        ? [
            `${spaced(t)} UTC [1] LOG:  server process (PID 812) was terminated by signal 9: Killed`,
            `${spaced(t)} UTC [1] FATAL:  out of memory`,
            `${spaced(t)} UTC [1] DETAIL:  Failed on request of size 268435456 in memory context "ExecutorState".`,
          ]
        : [
            `${spaced(t)} UTC [1] FATAL:  data directory "/var/lib/postgresql/data" has invalid permissions`,
            `${spaced(t)} UTC [1] DETAIL:  Permissions should be u=rwx (0700) or u=rwx,g=rx (0750).`,
          ],
    exit: (t) => [
      `${spaced(t)} UTC [1] LOG:  received fast shutdown request`,
      `${spaced(t)} UTC [1] LOG:  database system is shut down`,
    ],
  },
  mysql: {
    period: 45000,
    startup: (t) => [
      `${iso(t)} 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.4.2) starting as process 1`,
      `${iso(t)} 1 [System] [MY-013576] [InnoDB] InnoDB initialization has started.`,
      `${iso(t)} 1 [System] [MY-013577] [InnoDB] InnoDB initialization has ended.`,
      `${iso(t)} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.2'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
    ],
    line: (r, t) =>
      `${iso(t)} ${int(r, 10, 900)} [Warning] [MY-010055] [Server] IP address '${clientIp(r)}' could not be resolved: Name or service not known`,
    fatal: (reason, t) =>
      reason === 'OOMKilled'
        ? [
            `${iso(t)} 0 [ERROR] [MY-012681] [InnoDB] mmap(137428992 bytes) failed; errno 12`,
            `${iso(t)} 0 [ERROR] [MY-012956] [InnoDB] Cannot allocate memory for the buffer pool`,
          ]
        : [
            `${iso(t)} 0 [ERROR] [MY-010259] [Server] Another process with pid 1 is using unix socket file.`,
            `${iso(t)} 0 [ERROR] [MY-010119] [Server] Aborting`,
          ],
    exit: (t) => [
      `${iso(t)} 0 [System] [MY-013172] [Server] Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: 8.4.2).`,
    ],
  },
  redis: {
    period: 60000,
    startup: (t) => [
      `1:C ${redisTime(t)} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
      `1:C ${redisTime(t)} * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started`,
      `1:M ${redisTime(t)} * monotonic clock: POSIX clock_gettime`,
      `1:M ${redisTime(t)} * Running mode=standalone, port=6379.`,
      `1:M ${redisTime(t)} * Server initialized`,
      `1:M ${redisTime(t)} * Ready to accept connections tcp`,
    ],
    line: (r, t) =>
      pick(r, [
        `1:M ${redisTime(t)} * 100 changes in 300 seconds. Saving...`,
        `1:M ${redisTime(t)} * Background saving started by pid ${int(r, 20, 999)}`,
        `${int(r, 20, 999)}:C ${redisTime(t)} * DB saved on disk`,
        `1:M ${redisTime(t)} * Background saving terminated with success`,
      ]),
    fatal: (reason, t) =>
      reason === 'OOMKilled'
        ? [
            `1:M ${redisTime(t)} # WARNING: maxmemory is not set; used_memory=1.95G`,
            `1:M ${redisTime(t)} # Out Of Memory allocating 1048576 bytes!`,
          ]
        : [
            `1:M ${redisTime(t)} # Fatal error loading the DB, check server logs. Exiting.`,
            `1:M ${redisTime(t)} # Wrong signature trying to load DB from file`,
          ],
    exit: (t) => [
      `1:signal-handler (${Math.floor(t / 1000)}) Received SIGTERM scheduling shutdown...`,
      `1:M ${redisTime(t)} # Redis is now ready to exit, bye bye...`,
    ],
  },
  python: {
    period: 2000,
    startup: (t) => {
      const g = `[${iso(t).slice(0, 19).replace('T', ' ')} +0000]`;
      return [
        `${g} [1] [INFO] Starting gunicorn 22.0.0`,
        `${g} [1] [INFO] Listening at: http://0.0.0.0:8000 (1)`,
        `${g} [1] [INFO] Using worker: sync`,
        `${g} [7] [INFO] Booting worker with pid: 7`,
        `${g} [8] [INFO] Booting worker with pid: 8`,
      ];
    },
    line: (r, t) =>
      r() < 0.6
        ? `${clientIp(r)} - - [${clf(t)}] "GET ${pick(r, PATHS)} HTTP/1.1" ${pick(r, STATUSES)} ${int(r, 80, 4000)} "-" "${pick(r, AGENTS)}"`
        : `INFO:app.worker:processed order ${int(r, 1000, 99999)} in ${int(r, 4, 380)}ms`,
    fatal: (reason) =>
      reason === 'OOMKilled'
        ? [
            'Traceback (most recent call last):',
            '  File "/app/app/worker.py", line 88, in load_batch',
            '    rows = cursor.fetchall()',
            'MemoryError',
          ]
        : [
            'Traceback (most recent call last):',
            '  File "/app/app/db.py", line 23, in connect',
            '    return psycopg2.connect(dsn, connect_timeout=5)',
            `psycopg2.OperationalError: connection to server at "${DB.split(':')[0]}", port 5432 failed: Connection refused`,
            '\tIs the server running on that host and accepting TCP/IP connections?',
          ],
    exit: (t) => [
      `[${iso(t).slice(0, 19).replace('T', ' ')} +0000] [1] [INFO] Handling signal: term`,
      `[${iso(t).slice(0, 19).replace('T', ' ')} +0000] [1] [INFO] Shutting down: Master`,
    ],
  },
  node: {
    period: 2500,
    startup: () => ['', '> app@1.4.2 start', '> node server.js', '', 'Server listening on port 3000'],
    line: (r, t, c) =>
      JSON.stringify({
        level: 30,
        time: t,
        pid: 1,
        hostname: c.pod,
        req: { method: pick(r, ['GET', 'GET', 'GET', 'POST']), url: pick(r, PATHS) },
        res: { statusCode: pick(r, STATUSES) },
        responseTime: int(r, 1, 400),
        msg: 'request completed',
      }),
    fatal: (reason) =>
      reason === 'OOMKilled'
        ? [
            '',
            '<--- Last few GCs --->',
            '',
            '[1:0x6a3c000]   812345 ms: Mark-Compact 2031.2 (2083.4) -> 2030.9 (2084.1) MB, 1520.32 / 0.00 ms  (average mu = 0.112, current mu = 0.004) allocation failure;',
            '',
            'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
          ]
        : [
            `Error: connect ECONNREFUSED ${DB}`,
            '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {',
            "  errno: -111,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',",
            `  address: '${DB.split(':')[0]}',\n  port: 5432\n}`,
            '',
            'Node.js v20.18.0',
          ].flatMap((l) => l.split('\n')),
    exit: () => ['SIGTERM received, closing server', 'server closed'],
  },
  java: {
    period: 4000,
    startup: (t) => [
      '',
      '  .   ____          _            __ _ _',
      " /\\\\ / ___'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\",
      "( ( )\\___ | '_ | '_| | '_ \\/ _` | \\ \\ \\ \\",
      ' \\\\/  ___)| |_)| | | | | || (_| |  ) ) ) )',
      "  '  |____| .__|_| |_|_| |_\\__, | / / / /",
      ' =========|_|==============|___/=/_/_/_/',
      '',
      ' :: Spring Boot ::                (v3.3.4)',
      '',
      `${iso(t)}  INFO 1 --- [           main] com.example.shop.ShopApplication         : Starting ShopApplication v1.8.0 using Java 21.0.4 with PID 1`,
      `${iso(t)}  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port 8080 (http) with context path '/'`,
      `${iso(t)}  INFO 1 --- [           main] com.example.shop.ShopApplication         : Started ShopApplication in 6.482 seconds (process running for 7.311)`,
    ],
    line: (r, t) =>
      `${iso(t)}  INFO 1 --- [nio-8080-exec-${int(r, 1, 10)}] c.e.shop.web.OrderController            : ${pick(r, ['GET', 'GET', 'POST'])} ${pick(r, PATHS)} -> ${pick(r, STATUSES)} (${int(r, 2, 250)} ms)`,
    fatal: (reason, t) =>
      reason === 'OOMKilled'
        ? [
            `${iso(t)} ERROR 1 --- [nio-8080-exec-4] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception`,
            'java.lang.OutOfMemoryError: Java heap space',
            '\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)',
            '\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)',
            '\tat com.example.shop.report.ReportService.buildReport(ReportService.java:112)',
            'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
          ]
        : [
            `${iso(t)} ERROR 1 --- [           main] o.s.boot.SpringApplication               : Application run failed`,
            "org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'entityManagerFactory': Failed to initialize dependency 'dataSource'",
            `Caused by: org.postgresql.util.PSQLException: Connection to ${DB} refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.`,
            'Caused by: java.net.ConnectException: Connection refused',
          ],
    exit: (t) => [
      `${iso(t)}  INFO 1 --- [ionShutdownHook] o.s.b.w.e.tomcat.GracefulShutdown        : Graceful shutdown complete`,
    ],
  },
  coredns: {
    period: 5000,
    startup: () => [
      '.:53',
      '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908',
      'CoreDNS-1.11.3',
      'linux/amd64, go1.22.7, a6338e9',
    ],
    line: (r) => {
      const svc = pick(r, [
        'web.default.svc.cluster.local.',
        'postgres.default.svc.cluster.local.',
        'kubernetes.default.svc.cluster.local.',
        'redis.cache.svc.cluster.local.',
      ]);
      return `[INFO] ${clientIp(r)}:${int(r, 30000, 60000)} - ${int(r, 1000, 65000)} "${pick(r, ['A', 'AAAA'])} IN ${svc} udp ${int(r, 40, 80)} false 512" NOERROR qr,aa,rd ${int(r, 90, 160)} 0.000${int(r, 100, 999)}s`;
    },
    fatal: (reason) =>
      reason === 'OOMKilled'
        ? ['fatal error: runtime: out of memory']
        : [
            '[FATAL] plugin/loop: Loop (127.0.0.1:53 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting.',
          ],
    exit: () => ['[INFO] SIGTERM: Shutting down servers then terminating'],
  },
  shell: {
    period: 5000,
    startup: () => [],
    line: (r, _t, c) => shellEcho(c.run.cmdline) ?? `heartbeat ${int(r, 1, 9999)}`,
    fatal: (reason) =>
      reason === 'OOMKilled' ? ['Killed'] : ["sh: can't open '/config/start.sh': No such file or directory"],
    exit: () => [],
  },
  training: {
    period: 1000,
    startup: (t, c) => [
      `${iso(t)} INFO Starting training in container ${c.container} (torch 2.4.1, CUDA 12.4)`,
      `${iso(t)} INFO Initialising the process group: backend=nccl, init_method=env://`,
      `${iso(t)} INFO Loading dataset: 60000 training and 10000 test samples`,
      `${iso(t)} INFO Model: 1,199,882 parameters; optimizer Adadelta(lr=1.0); batch size 64`,
    ],
    line: (r, t, c) => {
      // Ten lines an epoch, the loss falling as the steps go by.
      const k = c.step ?? 0;
      const epoch = Math.floor(k / 10) + 1;
      const seen = ((k % 10) + 1) * 6000;
      if (k % 10 === 9)
        return `${iso(t)} INFO Epoch ${epoch} done: test loss ${(0.25 / epoch + r() * 0.01).toFixed(4)}, accuracy ${(96 + 2 * (1 - 1 / epoch) + r() * 0.4).toFixed(2)}%`;
      const loss = 2.3 * Math.exp(-k / 6) + 0.04 + r() * 0.03;
      return `${iso(t)} INFO Train Epoch: ${epoch} [${seen}/60000 (${Math.round(seen / 600)}%)]\tloss=${loss.toFixed(4)}`;
    },
    fatal: (reason, t) =>
      reason === 'OOMKilled'
        ? [
            'Traceback (most recent call last):',
            '  File "/opt/train/train.py", line 142, in <module>',
            '    loss.backward()',
            `torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.25 GiB of which 1.12 GiB is free.`,
          ]
        : [
            `${iso(t)} ERROR Rank 0 lost contact with its peers`,
            'Traceback (most recent call last):',
            '  File "/opt/train/train.py", line 97, in <module>',
            '    dist.init_process_group(backend="nccl")',
            'torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/NCCLUtils.hpp:317, unhandled system error',
          ],
    exit: (t) => [`${iso(t)} INFO Training finished: saving the model to /mnt/output/model.pt`, `${iso(t)} INFO Done`],
  },
  app: {
    period: 3000,
    startup: (t, c) => [
      `time=${iso(t)} level=INFO msg="starting server" service=${c.container} version=1.8.3 addr=:8080`,
      `time=${iso(t)} level=INFO msg="connected to database" host=${DB}`,
      `time=${iso(t)} level=INFO msg="ready"`,
    ],
    line: (r, t) => {
      const status = pick(r, STATUSES);
      return `time=${iso(t)} level=${status >= 500 ? 'ERROR' : 'INFO'} msg="request handled" method=${pick(r, ['GET', 'GET', 'POST', 'PUT'])} path=${pick(r, PATHS)} status=${status} duration=${(r() * 120).toFixed(1)}ms`;
    },
    fatal: (reason, t) =>
      reason === 'OOMKilled'
        ? [
            `time=${iso(t)} level=WARN msg="cache size exceeds limit" entries=8388608`,
            'fatal error: runtime: out of memory',
            '',
            'runtime stack:',
            'runtime.throw({0x9b2c1e, 0x16})',
          ]
        : [
            `time=${iso(t)} level=ERROR msg="database unreachable" host=${DB} err="dial tcp ${DB}: connect: connection refused"`,
            ...goPanic(`failed to connect to database: dial tcp ${DB}: connect: connection refused`),
          ],
    exit: (t) => [`time=${iso(t)} level=INFO msg="shutting down" signal=terminated`],
  },
};

/**
 * What a run prints: its image's kind, or training for a generic image that a training operator runs (containers named
 * `pytorch` by the training operator, `node` by Kubeflow Trainer, `trainer` by KubeGraf) or whose command trains.
 */
function runKind(run: ContainerRun): AppKind {
  const kind = appKind(run.image);
  if (kind !== 'app' && kind !== 'python') return kind;
  const trains =
    ['pytorch', 'tensorflow', 'node', 'trainer'].includes(run.container) ||
    /\btrain|torchrun|\bfit\b/.test((run.cmdline ?? []).join(' '));
  return trains ? 'training' : kind;
}

/** `while true; do echo hello; sleep 5; done` logs "hello": the text a shell container echoes, if any. */
function shellEcho(cmdline?: string[]): string | undefined {
  const m = /echo\s+(?:"([^"]*)"|'([^']*)'|([^;&|]+))/.exec((cmdline ?? []).join(' '));
  return m ? (m[1] ?? m[2] ?? m[3]).trim().replace(/\$\(date\)/, '') : undefined;
}

// ---- the line sequence of one run ----

const STARTUP_GAP = 35;
const FATAL_GAP = 3;

/** Numbered log lines with times: what the HTTP handler pages through. */
export interface LogSource {
  /** Number of lines with time <= t. */
  count(t: number): number;
  line(i: number): LogLine;
}

/** What a command run in the built-in shell wrote: exactly its output, as a real container's log. */
export class RecordedLog implements LogSource {
  constructor(private readonly out: RecordedOutput) {}

  count(t: number): number {
    const lines = this.out.lines;
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid].time <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  line(i: number): LogLine {
    return this.out.lines[i];
  }
}

/** The log of a run: recorded output when the instance ran a command, else its image's generated profile. */
export function logSource(run: ContainerRun, ctx?: SimContext): LogSource {
  const out = run.containerID ? ctx?.processes?.output(run.containerID) : undefined;
  return out ? new RecordedLog(out) : new RunLog(run);
}

/** The lines of a run: startup, steady lines every ~period, then the exit/fatal block if it ended. */
export class RunLog implements LogSource {
  private readonly profile: Profile;
  private readonly seed: number;
  private readonly startup: string[];
  private readonly ending: string[];
  private readonly steadyFrom: number;
  private readonly steadyUntil: number;
  private readonly period: number;

  constructor(readonly run: ContainerRun) {
    this.profile = PROFILES[runKind(run)];
    this.period = Math.max(1, Math.round(this.profile.period / (run.speed ?? 1)));
    this.seed = hash(`${run.namespace}/${run.pod}/${run.container}#${run.attempt}`);
    const c: Ctx = { pod: run.pod, container: run.container, run };
    this.startup = this.profile.startup(run.startedAt, c);
    this.steadyFrom = run.startedAt + this.startup.length * STARTUP_GAP + 400;
    if (run.endedAt !== undefined) {
      const crashed = run.reason !== 'Completed' && (run.exitCode ?? 1) !== 0;
      this.ending = crashed
        ? (run.fatal ?? this.profile.fatal(run.reason ?? 'Error', run.endedAt, c))
        : this.profile.exit(run.endedAt, c);
      this.steadyUntil = run.endedAt - this.ending.length * FATAL_GAP - 1;
    } else {
      this.ending = [];
      this.steadyUntil = Infinity;
    }
    if (run.output) {
      this.startup = run.output;
      this.ending = [];
      this.steadyFrom = Infinity;
    }
  }

  private steadyTime(k: number): number {
    const p = this.period;
    return this.steadyFrom + k * p + Math.floor(rng(this.seed ^ (k * 2654435761))() * p * 0.9);
  }

  /** How many steady lines have a time <= t. */
  private steadyCount(t: number): number {
    const limit = Math.min(t, this.steadyUntil);
    if (limit < this.steadyFrom) return 0;
    const k = Math.floor((limit - this.steadyFrom) / this.period);
    return k + (this.steadyTime(k) <= limit ? 1 : 0);
  }

  /** Number of lines with time <= t. */
  count(t: number): number {
    let n = 0;
    for (let i = 0; i < this.startup.length; i++) if (this.startupTime(i) <= t) n++;
    n += this.steadyCount(t);
    if (this.run.endedAt !== undefined) for (let i = 0; i < this.ending.length; i++) if (this.endingTime(i) <= t) n++;
    return n;
  }

  private startupTime(i: number): number {
    return this.run.startedAt + i * STARTUP_GAP;
  }

  private endingTime(i: number): number {
    return this.run.endedAt! - (this.ending.length - i) * FATAL_GAP;
  }

  /** Line number i (0-based) of the run. */
  line(i: number): LogLine {
    if (i < this.startup.length) return { time: this.startupTime(i), text: this.startup[i] };
    const k = i - this.startup.length;
    const steady = this.steadyCount(Infinity);
    if (k < steady) {
      const time = this.steadyTime(k);
      return {
        time,
        text: this.profile.line(rng(this.seed + k), time, {
          pod: this.run.pod,
          container: this.run.container,
          run: this.run,
          step: k,
        }),
      };
    }
    const e = k - steady;
    return { time: this.endingTime(e), text: this.ending[e] };
  }
}

/** Lines a real kubelet would still hold: log rotation keeps about this many of the newest. */
export const RETAINED_LINES = 20000;

export interface LogQuery {
  /** Simulated "now" in epoch ms. */
  now: number;
  tailLines?: number;
  sinceTime?: number;
}

/** The lines `kubectl logs` shows for a run at `now`, oldest first. The engine's tests assert on this. */
export function logLines(run: ContainerRun, q: LogQuery): LogLine[] {
  const log = new RunLog(run);
  const { from, to } = lineRange(log, q);
  const out: LogLine[] = [];
  for (let i = from; i < to; i++) out.push(log.line(i));
  return out;
}

function lineRange(log: LogSource, q: LogQuery): { from: number; to: number } {
  const to = log.count(q.now);
  let from = Math.max(0, to - RETAINED_LINES);
  if (q.sinceTime !== undefined) from = Math.max(from, log.count(q.sinceTime - 1));
  if (q.tailLines !== undefined && q.tailLines >= 0) from = Math.max(from, to - q.tailLines);
  return { from, to };
}

// ---- pod status → runs ----

const ms = (s?: string) => (s ? Date.parse(s) : NaN);

interface ContainerStatus {
  name: string;
  containerID?: string;
  restartCount?: number;
  state?: { running?: { startedAt?: string }; waiting?: { reason?: string }; terminated?: Terminated };
  lastState?: { terminated?: Terminated };
}
interface Terminated {
  containerID?: string;
  startedAt?: string;
  finishedAt?: string;
  reason?: string;
  exitCode?: number;
}

function allContainers(pod: KObj): Array<{ name: string; image?: string; command?: string[]; args?: string[] }> {
  return [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.ephemeralContainers ?? []),
  ];
}

/** The API server's container choice and its 400s, worded as kube-apiserver words them. */
export function resolveContainer(pod: KObj, container: string | null | undefined): string {
  const name = pod.metadata.name;
  if (!container) {
    const cs = pod.spec?.containers ?? [];
    if (cs.length === 1) return cs[0].name;
    if (cs.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${allContainers(pod)
        .map((c) => c.name)
        .join(' ')}]`,
    );
  }
  if (!allContainers(pod).some((c) => c.name === container))
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/**
 * The run `kubectl logs` reads (`previous` false) or the one before it (`previous` true), from the pod's
 * container status. Throws the kubelet's 400s for containers that never started or have no previous run.
 */
export function containerRun(pod: KObj, container: string, previous: boolean, now: number, speed = 1): ContainerRun {
  const spec = allContainers(pod).find((c) => c.name === container)!;
  const statuses: ContainerStatus[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  const st = statuses.find((s) => s.name === container);
  const podName = pod.metadata.name;
  const base = {
    namespace: pod.metadata.namespace ?? 'default',
    pod: podName,
    container,
    image: spec.image ?? 'app',
    cmdline: [...(spec.command ?? []), ...(spec.args ?? [])],
    fatal: pod.metadata.annotations?.['kubegraf.io/sim-fatal-log']?.split('\n'),
    speed,
    output: containerOutput(pod.metadata.uid, container),
  };
  const restarts = st?.restartCount ?? 0;
  const fromTerminated = (t: Terminated, attempt: number): ContainerRun => {
    const endedAt = Number.isFinite(ms(t.finishedAt)) ? ms(t.finishedAt) : now;
    const started = ms(t.startedAt);
    return {
      ...base,
      attempt,
      startedAt: Number.isFinite(started) ? Math.min(started, endedAt) : endedAt - 60_000,
      endedAt,
      reason: t.reason ?? 'Error',
      exitCode: t.exitCode ?? (t.reason === 'Completed' ? 0 : 1),
      containerID: t.containerID,
    };
  };
  const last = st?.lastState?.terminated;
  const waiting = st?.state?.waiting;
  if (previous) {
    if (!last) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    return fromTerminated(last, Math.max(0, restarts - 1));
  }
  if (st?.state?.terminated) return fromTerminated(st.state.terminated, restarts);
  if (waiting) {
    // A container backing off after a crash still has its dead instance's logs.
    if (last) return fromTerminated(last, Math.max(0, restarts - 1));
    const why = /ImagePull|ErrImage|InvalidImageName/.test(waiting.reason ?? '')
      ? 'trying and failing to pull image'
      : (waiting.reason ?? 'ContainerCreating');
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${why}`);
  }
  if (!st && pod.status?.phase === 'Pending') {
    if (!pod.spec?.nodeName) throw badRequest(`pod ${podName} does not have a host assigned`);
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
  }
  const started =
    ms(st?.state?.running?.startedAt) || ms(pod.status?.startTime) || ms(pod.metadata.creationTimestamp) || now;
  return { ...base, attempt: restarts, startedAt: Math.min(started, now), containerID: st?.containerID };
}

// ---- RFC3339Nano with the sub-millisecond digits a real runtime would have ----

function rfc3339Nano(t: number, salt: number): string {
  const frac = String(t % 1000).padStart(3, '0') + String(hash(String(salt)) % 1_000_000).padStart(6, '0');
  return `${new Date(t).toISOString().slice(0, 19)}.${frac.replace(/0+$/, '') || '0'}Z`.replace(/\.0Z$/, 'Z');
}

// ---- the HTTP handler ----

const FOLLOW_TICK_MS = 250;

function sendError(res: ServerResponse, e: StatusError): void {
  res.writeHead(e.code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(e.toStatus()));
}

export function installLogs(ctx: SimContext): void {
  // Timestamps stay on the wall clock, like every other timestamp the simulator writes (startedAt, events);
  // simulated time shows as a higher log rate instead.
  const now = () => Date.now();
  const live = new Set<() => void>();
  ctx.onClose(() => [...live].forEach((stop) => stop()));

  ctx.subresources.set('pods/log', (r: ResourceRequest, res: ServerResponse) => {
    const ns = r.namespace ?? 'default';
    const name = r.name!;
    const tk = 'pods';
    const pod = ctx.store.get(tk, ns, name);
    if (!pod) return sendError(res, notFound('pods', '', name));
    const u = r.url;
    let run: ContainerRun;
    let container: string;
    let follow: boolean;
    let q: LogQuery;
    let limitBytes: number | undefined;
    let previous: boolean;
    let timestamps: boolean;
    try {
      const p = logParams(Params.of(u));
      ({ previous, timestamps, follow, limitBytes } = p);
      container = resolveContainer(pod, p.container ?? null);
      const t = now();
      const sinceTime = p.sinceSeconds !== undefined ? t - p.sinceSeconds * 1000 : p.sinceTime;
      q = { now: t, tailLines: p.tailLines, sinceTime };
      run = containerRun(pod, container, previous, t, ctx.clock.speed);
    } catch (e) {
      if (e instanceof StatusError) return sendError(res, e);
      throw e;
    }

    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    let budget = limitBytes ?? Infinity;
    const log = logSource(run, ctx);
    let closed = false;
    /** Writes lines [from, to) of `log`; false once the byte limit is spent. */
    const emit = (from: number, to: number, log: LogSource): boolean => {
      let chunk = '';
      for (let i = from; i < to && budget > 0; i++) {
        const l = log.line(i);
        let s = (timestamps ? rfc3339Nano(l.time, i) + ' ' : '') + l.text + '\n';
        if (Buffer.byteLength(s) > budget) s = Buffer.from(s).subarray(0, budget).toString();
        budget -= Buffer.byteLength(s);
        chunk += s;
        if (chunk.length > 64 * 1024) {
          res.write(chunk);
          chunk = '';
        }
      }
      if (chunk) res.write(chunk);
      return budget > 0;
    };
    const { from, to } = lineRange(log, q);
    const more = emit(from, to, log);
    // A finished run, or a previous one, has nothing more to say; nor has a request that only wanted a snapshot.
    if (!follow || !more || previous || run.endedAt !== undefined) return void res.end();

    let sent = to;
    const restarts = (p: KObj) =>
      (p.status?.containerStatuses ?? []).find((s: ContainerStatus) => s.name === container)?.restartCount ?? 0;
    const startRestarts = restarts(pod);
    const stop = () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      unwatch();
      live.delete(stop);
      res.end();
    };
    const tick = () => {
      const current = ctx.store.get(tk, ns, name);
      if (!current || current.metadata.uid !== pod.metadata.uid) return stop();
      const cur: ContainerStatus | undefined = (current.status?.containerStatuses ?? []).find(
        (s: ContainerStatus) => s.name === container,
      );
      const term = cur?.state?.terminated ?? cur?.lastState?.terminated;
      // The container this stream follows has exited (crash or restart): its log ends with how it ended.
      const ended = restarts(current) !== startRestarts || !!cur?.state?.terminated || !!cur?.state?.waiting;
      const source =
        ended && term && log instanceof RunLog
          ? new RunLog({
              ...run,
              endedAt: Math.max(ms(term.finishedAt) || now(), run.startedAt),
              reason: term.reason ?? 'Error',
              exitCode: term.exitCode ?? 1,
            })
          : log;
      const upto = source.count(now());
      if (!emit(sent, upto, source)) return stop();
      sent = upto;
      if (ended) stop();
    };
    const timer = setInterval(tick, FOLLOW_TICK_MS);
    const unwatch = ctx.store.watch(tk, { namespace: ns }, undefined, (e) => {
      if (e.type === 'DELETED' && e.object.metadata.name === name) setImmediate(stop);
    });
    live.add(stop);
    res.on('close', stop);
  });
}
