import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PRELUDE = readFileSync(new URL('./checklib.sh', import.meta.url), 'utf8');

/** The engine API's answers as a Docker engine gives them, newest container first. */
const containers = [
  {
    Names: ['/app-web-2'],
    Image: 'nginx',
    State: 'running',
    Status: 'Up 3 seconds (health: starting)',
    Ports: [
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { PrivatePort: 443, Type: 'tcp' },
    ],
    Labels: {
      'com.docker.compose.project.working_dir': '/root/app',
      'com.docker.compose.service': 'web',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.depends_on': 'db:service_healthy:false',
    },
    Mounts: [{ Type: 'bind', Name: '', Source: '/root/app/conf', Destination: '/etc/nginx' }],
  },
  {
    Names: ['/app-web-run-1f2e'],
    Image: 'nginx',
    State: 'running',
    Status: 'Up 5 seconds',
    Labels: {
      'com.docker.compose.project.working_dir': '/root/app',
      'com.docker.compose.service': 'web',
      'com.docker.compose.oneoff': 'True',
    },
  },
  {
    Names: ['/app-web-1'],
    Image: 'nginx',
    State: 'exited',
    Status: 'Exited (137) 2 minutes ago',
    Labels: {
      'com.docker.compose.project.working_dir': '/root/app',
      'com.docker.compose.service': 'web',
      'com.docker.compose.oneoff': 'False',
    },
  },
  {
    Id: 'c0ffee0123456789c0ffee0123456789c0ffee0123456789c0ffee0123456789',
    Names: ['/cache'],
    Image: 'redis:7',
    State: 'running',
    Status: 'Up 2 hours (healthy)',
    Labels: {},
    Mounts: [
      {
        Type: 'volume',
        Name: 'redis-data',
        Source: '/var/lib/docker/volumes/redis-data/_data',
        Destination: '/data',
      },
    ],
  },
  {
    Id: 'c0ffee9999999999999999999999999999999999999999999999999999999999',
    Names: ['/worker'],
    Image: 'debian',
    State: 'exited',
    Status: 'Exited (0) 1 second ago',
  },
  { Names: ['/fresh'], Image: 'debian', State: 'created', Status: 'Created' },
  ...[
    ['front', 'created', 'Created', 'store:service_started:false,cache:service_healthy:false'],
    ['store', 'running', 'Up 1 minute', ''],
    ['cache', 'running', 'Up 1 minute (unhealthy)', ''],
    ['worker', 'created', 'Created', 'migrate:service_completed_successfully:false'],
    ['migrate', 'exited', 'Exited (1) 5 seconds ago', ''],
    ['cron', 'created', 'Created', ''],
    ['jobs', 'exited', 'Exited (2) 1 minute ago', ''],
    ['api', 'created', 'Created', 'store:service_started:false,queue:service_healthy:true'],
    ['queue', 'running', 'Up 2 seconds (health: starting)', ''],
  ].map(([service, State, Status, dependsOn]) => ({
    Names: [`/shop-${service}-1`],
    Image: 'debian',
    State,
    Status,
    Labels: {
      'com.docker.compose.project.working_dir': '/root/shop',
      'com.docker.compose.service': service,
      'com.docker.compose.oneoff': 'False',
      ...(dependsOn ? { 'com.docker.compose.depends_on': dependsOn } : {}),
    },
  })),
];
const volumes = { Volumes: [{ Name: 'redis-data' }, { Name: "it's odd" }] };

const dir = mkdtempSync(join(tmpdir(), 'slipway-checklib-'));
const socket = join(dir, 'docker.sock');
const hits: string[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    hits.push(path!);
    res.setHeader('content-type', 'application/json');
    if (path === '/containers/json') res.end(JSON.stringify(containers));
    else if (path === '/volumes') res.end(JSON.stringify(volumes));
    else res.writeHead(404).end('{"message":"page not found"}');
  });
  await new Promise<void>((r) => server.listen(socket, r));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

let round = 0;
/** Runs checks with the host's bash as one round would: same prelude, one shared directory. */
async function inRound(...scripts: string[]): Promise<string[]> {
  const roundDir = mkdtempSync(join(dir, `round-${round++}-`));
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}`, SLIPWAY_ROUND_DIR: roundDir };
  const out: string[] = [];
  for (const script of scripts) {
    const r = await promisify(execFile)('bash', ['-c', `${PRELUDE}\n${script}`], { env }).catch(
      (e: { stdout: string; code: number }) => ({ stdout: `${e.stdout}[exit ${e.code}]` }),
    );
    out.push(r.stdout);
  }
  return out;
}

describe('the check helpers, reading one snapshot of the engine', () => {
  it('answer what the docker CLI would about a container', async () => {
    const [out] = await inRound(`
      for c in cache worker fresh nope; do
        echo "$c|$(container_state $c)|$(container_image $c)|$(container_exit_code $c)|$(container_health $c)"
      done
      echo "port=$(host_port app-web-2 80/tcp) none=$(host_port app-web-2 443/tcp) other=$(host_port cache 80/tcp)"
      echo "data=$(mount_source cache /data) conf=$(mount_source app-web-2 /etc/nginx) no=$(mount_source cache /x)"`);
    expect(out!.split('\n')).toEqual([
      'cache|running|redis:7||healthy',
      'worker|exited|debian|0|',
      'fresh|created|debian||',
      'nope||||',
      'port=8080 none= other=',
      'data=redis-data conf=/root/app/conf no=',
      '',
    ]);
  });

  it('take a container by its ID or a unique prefix of it, as docker does', async () => {
    const [out] = await inRound(`
      echo "$(container_state c0ffee0123456789c0ffee0123456789c0ffee0123456789c0ffee0123456789)"
      echo "$(container_image c0ffee012345)|$(mount_source c0ffee01 /data)|$(container_exit_code c0ffee99)"
      echo "ambiguous=$(container_state c0ffee) empty=$(container_state '') odd=$(container_state '../x')"`);
    expect(out).toBe('running\nredis:7|redis-data|0\nambiguous= empty= odd=\n');
  });

  it('find the newest container of a Compose service and what it waits for', async () => {
    const [found, waits, notWaiting, missing] = await inRound(
      'echo "$(compose_container /root/app web)|$(container_health app-web-2)|$(compose_container /root/app db)|$(compose_container /root/other web)"',
      'compose_waits_healthy web app-web-2 db && echo waits',
      'compose_waits_healthy web app-web-1 db',
      'c=$(compose_running /root/app api) || fail "$c"',
    );
    expect(found).toBe('app-web-2|starting||\n');
    expect(waits).toBe('waits\n');
    expect(notWaiting).toBe(
      '"web" does not wait for db to be healthy (depends_on with a condition).\n[exit 1]',
    );
    expect(missing).toBe(
      'There is no Compose service named "api" in /root/app yet (docker compose ps shows what runs).\n[exit 1]',
    );
  });

  it('say why a Compose service does not run: its logs, or what it waits for', async () => {
    const run = (service: string) =>
      `c=$(compose_running /root/shop ${service}) || fail "$c"; echo "$c"`;
    const out = await inRound(...['store', 'front', 'worker', 'cron', 'jobs', 'api'].map(run));
    expect(out).toEqual([
      'shop-store-1\n',
      'The container of service "front" (shop-front-1) has not started: it waits for "cache" to be healthy, and "cache" (shop-cache-1) is unhealthy: its health check fails. docker inspect shop-cache-1 shows what the check answered (State.Health).\n[exit 1]',
      'The container of service "worker" (shop-worker-1) has not started: it waits for "migrate" to complete successfully, and "migrate" (shop-migrate-1) exited with code 1. docker compose logs migrate shows why.\n[exit 1]',
      'The container of service "cron" (shop-cron-1) was created but never started (docker compose up starts it, or says why it cannot).\n[exit 1]',
      'The container of service "jobs" (shop-jobs-1) is exited, not running. docker compose logs jobs shows why.\n[exit 1]',
      'The container of service "api" (shop-api-1) has not started: it waits for "queue" to be healthy, and "queue" (shop-queue-1) is still starting: its health check has not passed yet.\n[exit 1]',
    ]);
  });

  it('know volumes, names with spaces and quotes included', async () => {
    const [out] = await inRound(`
      volume_exists redis-data && echo has-redis-data
      volume_exists "it's odd" && echo has-odd
      volume_exists nope || echo no-nope`);
    expect(out).toBe('has-redis-data\nhas-odd\nno-nope\n');
  });

  it('ask the engine once per round, however many checks and questions', async () => {
    hits.length = 0;
    await inRound(
      'require_running cache; [ "$(container_image cache)" = redis:7 ] && pass',
      'volume_exists redis-data; container_state worker; host_port app-web-2 80/tcp',
      'volume_exists x; container_state x',
    );
    expect(hits.sort()).toEqual(['/containers/json', '/volumes']);
  });

  it('read the HTTP status of a web app, and 000 when nothing answers', async () => {
    const app = createServer((req, res) => {
      res.writeHead(req.url === '/health?full=1' ? 204 : 404).end();
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const port = (app.address() as { port: number }).port;
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    try {
      const [out] = await inRound(
        `echo "$(http_status http://localhost:${port}/health?full=1) $(http_status http://127.0.0.1:${port}/) $(http_status http://localhost:${closedPort}/)"`,
      );
      expect(out).toBe('204 404 000\n');
    } finally {
      await new Promise((r) => app.close(r));
    }
  });

  it("see the same containers when the checker's resident process fetched them", async () => {
    const tricky = [
      ...containers,
      {
        Id: 'f00d',
        Names: ["/it's-é"],
        Image: 'debian:12',
        State: 'running',
        Status: 'Up 1 second (health: starting)',
        Ports: [{ PrivatePort: 53, PublicPort: 0, Type: 'udp' }],
        Labels: { 'com.docker.compose.oneoff': 'False', 'com.docker.compose.service': 'dns' },
        Mounts: [{ Type: 'bind', Source: "/root/a b/'c'", Destination: '/x' }],
      },
    ];
    const json = join(dir, 'tricky.json');
    writeFileSync(json, JSON.stringify(tricky));
    const roundDir = mkdtempSync(join(dir, 'view-'));
    const env = { ...process.env, SLIPWAY_ROUND_DIR: roundDir };
    const script = `${PRELUDE}
_engine_get() { jq -r "$2" ${json}; }; _containers; cat "$SLIPWAY_ROUND_DIR/containers.sh"`;
    const jqView = execFileSync('bash', ['-c', script], { env, encoding: 'utf8' });
    const checkd = join(import.meta.dirname, '../../../images/sandbox/checkd/checkd.pl');
    const perlView = execFileSync('perl', [checkd, '--containers-view'], {
      input: JSON.stringify(tricky),
      encoding: 'utf8',
    });
    expect(jqView).toContain("C_STATE['it'\\''s-é']='running'");
    expect(perlView).toBe(jqView);
    // A hostile learner names a container to run code when the checker reads the view: it
    // stays a name, and nothing runs.
    const hostile = [
      {
        Id: 'bad',
        Names: ['/x$(touch pwned)`touch pwned2`'],
        Image: "';touch pwned3;'",
        State: 'running',
        Status: 'Up',
      },
    ];
    const view = execFileSync('perl', [checkd, '--containers-view'], {
      input: JSON.stringify(hostile),
      encoding: 'utf8',
    });
    const cwd = mkdtempSync(join(dir, 'hostile-'));
    const viewFile = join(dir, 'hostile-view.sh');
    writeFileSync(viewFile, view);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash expansion, not a template
    const lookup = '. "$1"; printf "%s" "${C_IMAGE[$2]-missing}"';
    const image = execFileSync(
      'bash',
      ['-c', `${PRELUDE}\n${lookup}`, 'view', viewFile, 'x$(touch pwned)`touch pwned2`'],
      { env, cwd, encoding: 'utf8' },
    );
    expect(image).toBe("';touch pwned3;'");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('see no containers when the engine does not answer, and ask again next time', async () => {
    const env = { DOCKER_HOST: `unix://${join(dir, 'absent.sock')}` };
    const [first, second] = await inRound(
      `DOCKER_HOST=${env.DOCKER_HOST}; _sock=\${DOCKER_HOST#unix://}; require_running cache`,
      'require_running cache && echo running',
    );
    expect(first).toBe('There is no container named "cache" yet.\n[exit 1]');
    expect(second).toBe('running\n');
  });
});
