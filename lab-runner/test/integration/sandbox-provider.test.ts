import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckRunner } from '../../src/checks/check-runner.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker/docker-provider.ts';
import type { SandboxInfo } from '../../src/sandbox/provider.ts';
import { provisionSandbox } from '../../src/sessions/provision.ts';
import {
  courseLab,
  engine,
  engineSocket,
  leftovers,
  newInstance,
  sandboxSettings,
  sweep,
  testProvider,
} from './engine.ts';

const instance = newInstance('provider');
const provider = testProvider(instance);
const checks = new CheckRunner(provider, { maxOutputBytes: 16_384 });
const lab = courseLab('first-containers');
const settings = sandboxSettings;
const labels = () => ({
  instance,
  learner: 'it-learner',
  lab: lab.id,
  session: randomBytes(6).toString('hex'),
});

let sandbox: SandboxInfo;

beforeAll(async () => {
  sandbox = await provisionSandbox(provider, lab, labels(), settings);
});
afterAll(() => sweep(instance));

describe('a real sandbox on the user-namespaced engine', () => {
  it('is labelled, limited and not privileged', async () => {
    const c = await engine.getContainer(sandbox.id).inspect();
    expect(c.Config.Labels).toMatchObject({
      'slipway.app': 'slipway',
      'slipway.instance': instance,
      'slipway.lab': lab.id,
      'slipway.kind': 'sandbox',
    });
    expect(c.HostConfig.Privileged).toBe(false);
    expect(c.HostConfig.Memory).toBe(768 * 1024 ** 2);
    expect(c.HostConfig.PidsLimit).toBe(1000);
    expect(c.HostConfig.NanoCpus).toBe(1e9);
    expect(c.HostConfig.Binds ?? []).toEqual([]);
    expect(c.Mounts.map((m) => `${m.Type}:${m.Destination}`).sort()).toEqual([
      'volume:/root',
      'volume:/var/lib/docker',
    ]);
    const net = await engine.getNetwork(Object.keys(c.NetworkSettings.Networks)[0]!).inspect();
    expect(net.Labels?.['slipway.instance']).toBe(instance);
  });

  it('runs inner containers from the preloaded images without a pull', async () => {
    const r = await provider.exec(sandbox.id, {
      cmd: ['docker', 'run', '--rm', '--pull=never', 'debian', 'echo', 'inner ok'],
    });
    expect(r.stdout.trim()).toBe('inner ok');
    expect(r.exitCode).toBe(0);
    const images = await provider.exec(sandbox.id, {
      cmd: ['docker', 'images', '--format', '{{.Repository}}:{{.Tag}}'],
    });
    expect(images.stdout.split('\n').sort()).toEqual(
      expect.arrayContaining(['nginx:latest', 'redis:latest', 'debian:latest']),
    );
    expect(images.stdout).not.toContain('slipway/');
  });

  it("caps the logs of learners' containers", async () => {
    const r = await provider.exec(sandbox.id, {
      cmd: ['docker', 'info', '--format', '{{json .LoggingDriver}}'],
    });
    expect(r.stdout.trim()).toBe('"json-file"');
    const c = await provider.exec(sandbox.id, {
      cmd: [
        'bash',
        '-c',
        'id=$(docker create debian true) && docker inspect -f "{{json .HostConfig.LogConfig.Config}}" $id && docker rm $id >/dev/null',
      ],
    });
    expect(JSON.parse(c.stdout)).toEqual({ 'max-file': '2', 'max-size': '5m' });
  });

  it('pulls course images through the classroom mirror, offline', async () => {
    const r = await provider.exec(
      sandbox.id,
      {
        cmd: [
          'sh',
          '-c',
          'docker rmi -f redis:latest >/dev/null && docker pull -q redis:latest && docker image inspect -f ok redis:latest',
        ],
      },
      { timeoutMs: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('ok');
    const missing = await provider.exec(
      sandbox.id,
      { cmd: ['docker', 'pull', 'not-a-course-image:1'] },
      { timeoutMs: 60_000 },
    );
    expect(missing.exitCode).not.toBe(0);
  });

  it('maps root inside to an unprivileged host uid', async () => {
    const c = await engine.getContainer(sandbox.id).inspect();
    const status = await import('node:fs/promises').then((fs) =>
      fs.readFile(`/proc/${c.State.Pid}/status`, 'utf8'),
    );
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    expect(uid).toBeGreaterThanOrEqual(100_000);
  });

  it('gives a terminal that round-trips keystrokes, honours resize and keeps UTF-8 whole', async () => {
    await using term = await provider.openTerminal(sandbox.id, {
      cmd: ['bash', '-l'],
      cols: 100,
      rows: 30,
    });
    let out = '';
    term.stream.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const waitFor = async (needle: string) => {
      const until = Date.now() + 10_000;
      while (!out.includes(needle) && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      return out.includes(needle);
    };
    term.stream.write('echo "sum=$((40+2)) ✓ 🐳"\r');
    expect(await waitFor('sum=42 ✓ 🐳')).toBe(true);
    await term.resize(123, 45);
    term.stream.write('stty size\r');
    expect(await waitFor('45 123')).toBe(true);
  });

  it('fails every check before solve.sh and passes every check after it', async () => {
    for (const task of lab.tasks) {
      const o = await checks.run(sandbox.id, task);
      expect(o, task.id).toMatchObject({ kind: 'failed', passed: false });
    }
    // The whole lab in one exec says the same, reason for reason.
    const batch = await checks.runAll(sandbox.id, lab.tasks);
    for (const [i, task] of lab.tasks.entries()) {
      const alone = await checks.run(sandbox.id, task);
      expect(batch[i], task.id).toMatchObject({
        kind: 'failed',
        reason: (alone as { reason: string }).reason,
      });
    }
    const solved = await provider.exec(
      sandbox.id,
      { cmd: ['bash', '-c', lab.solveScript] },
      { timeoutMs: 120_000 },
    );
    expect(solved.exitCode, solved.stderr).toBe(0);
    for (const task of lab.tasks) {
      let o = await checks.run(sandbox.id, task);
      for (let i = 0; i < 20 && !o.passed; i++) {
        await new Promise((r) => setTimeout(r, 500));
        o = await checks.run(sandbox.id, task);
      }
      expect(o, task.id).toMatchObject({ kind: 'passed' });
    }
    const solvedBatch = await checks.runAll(sandbox.id, lab.tasks);
    expect(solvedBatch.map((o) => o.kind)).toEqual(lab.tasks.map(() => 'passed'));
  });

  it('runs a batch of checks each under its own limit', async () => {
    const [first] = lab.tasks;
    const hang = { id: 'hang', checkScript: 'sleep 300', timeout: 1 };
    const outcomes = await checks.runAll(sandbox.id, [hang, first!]);
    expect(outcomes.map((o) => o.kind)).toEqual(['timeout', 'passed']);
  });

  it('kills a hanging check with its whole process group at the limit', async () => {
    const hang = { checkScript: '(sleep 300; echo child) & sleep 300', timeout: 1 };
    const o = await checks.run(sandbox.id, hang);
    expect(o.kind).toBe('timeout');
    expect(o.durationMs).toBeLessThan(8_000);
    const ps = await provider.exec(sandbox.id, {
      cmd: ['sh', '-c', 'pgrep -f "sleep [3]00" || true'],
    });
    expect(ps.stdout.trim()).toBe('');
  });

  it('caps a check that floods its output', async () => {
    const r = await provider.exec(sandbox.id, {
      cmd: ['sh', '-c', 'head -c 20000000 /dev/zero | tr "\\0" y; echo; echo last'],
      maxOutputBytes: 4096,
    });
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(4096);
    const o = await checks.run(sandbox.id, {
      checkScript: 'yes | head -c 5000000; fail "flooded"',
      timeout: 5,
    });
    expect(o.passed).toBe(false);
  });

  it('is not fooled when the learner, as root, replaces docker, curl, jq and bash', async () => {
    // The review's attack (a two-line fake docker that prints the answer), on the system's own
    // files this time and on the learner's PATH: checks run in the checker, with its own tools.
    const fake = 'printf "#!/bin/sh\\necho fundamentals\\n" > "$f" && chmod +x "$f"';
    const tools = '/usr/bin/docker /usr/bin/curl /usr/bin/jq /usr/bin/bash';
    const plant = await provider.exec(sandbox.id, {
      cmd: [
        'sh',
        '-c',
        `for f in ${tools}; do cp -p "$f" "$f.real"; ${fake}; done
         for t in docker curl jq bash; do f=/usr/local/bin/$t; ${fake}; done
         mkdir -p /var/cache/slipway-checks && echo forged >/var/cache/slipway-checks/multi-x
         /usr/bin/docker; bash`,
      ],
    });
    expect(plant.stdout).toBe('fundamentals\nfundamentals\n');
    try {
      const o = await checks.run(sandbox.id, {
        checkScript: `[ "$(docker version --format '{{.Server.Os}}')" = linux ] || fail "docker: $(docker version 2>&1 | head -n 1)"
          [ "$(echo '{"a":1}' | jq .a)" = 1 ] || fail "jq answered something else"
          [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:1/ || true)" = 000 ] || fail "curl answered"
          [ "$(bash -c 'echo $BASH_VERSION')" != fundamentals ] || fail "bash is the learner's"
          [ ! -e /var/cache/slipway-checks/multi-x ] || fail "the check cache is the learner's"
          pass`,
        timeout: 10,
      });
      expect(o).toMatchObject({ kind: 'passed' });
    } finally {
      await provider.exec(sandbox.id, {
        cmd: [
          '/bin/sh',
          '-c',
          `for f in ${tools}; do mv -f "$f.real" "$f"; done
           rm -rf /usr/local/bin/docker /usr/local/bin/curl /usr/local/bin/jq /usr/local/bin/bash /var/cache/slipway-checks`,
        ],
      });
    }
  });

  it("checks from beside the sandbox: its network, engine and home (read-only), out of the learner's sight", async () => {
    const mine = await provider.exec(sandbox.id, {
      cmd: [
        'bash',
        '-c',
        'echo hello >/root/note; (exec -a slipway-canary-4242 sleep 300 </dev/null >/dev/null 2>&1 &); readlink /proc/self/ns/net /proc/self/ns/pid',
      ],
    });
    const [net, pid] = mine.stdout.trim().split('\n');
    expect(net).toMatch(/^net:\[\d+\]$/);
    const o = await checks.run(sandbox.id, {
      checkScript: `[ "$(readlink /proc/self/ns/net)" = '${net}' ] || fail "another network: $(readlink /proc/self/ns/net)"
        [ "$(readlink /proc/self/ns/pid)" != '${pid}' ] || fail "the sandbox's own processes"
        [ "$(cat /root/note)" = hello ] || fail "no note"
        ! touch /root/forged 2>/dev/null || fail "the home is writable"
        docker ps >/dev/null || fail "no engine"
        sandbox_processes | grep -q ' slipway-canary-4242' || fail "no canary in: $(sandbox_processes | head -c 300)"
        pass`,
      timeout: 10,
    });
    expect(o).toMatchObject({ kind: 'passed' });
    const seen = await provider.exec(sandbox.id, { cmd: ['ps', '-eo', 'args='] });
    expect(seen.stdout).toContain('slipway-canary-4242');
    expect(seen.stdout).not.toContain('slipway-checks');
    expect(seen.stdout).not.toMatch(/curl .*events/);
    await provider.exec(sandbox.id, {
      cmd: ['sh', '-c', "pkill -f '[s]lipway-canary-4242'; rm -f /root/note"],
    });
  });

  it('fails every check, saying why, while a fake engine stands in for the real one', async () => {
    const ask = { checkScript: 'docker ps >/dev/null 2>&1; pass', timeout: 10 };
    expect(await checks.run(sandbox.id, ask)).toMatchObject({ kind: 'passed' });
    const api = '/var/lib/docker/.slipway-api';
    const swap = await provider.exec(sandbox.id, {
      cmd: [
        'bash',
        '-c',
        `mv ${api}/docker.sock ${api}/real.sock && (nc -lkU ${api}/docker.sock </dev/null >/dev/null 2>&1 &)
         for _ in $(seq 50); do [ -S ${api}/docker.sock ] && exit 0; sleep 0.1; done; exit 1`,
      ],
    });
    expect(swap.exitCode).toBe(0);
    try {
      expect(await checks.run(sandbox.id, ask)).toMatchObject({
        kind: 'failed',
        reason: expect.stringContaining("Docker engine's socket in this sandbox was replaced"),
      });
    } finally {
      await provider.exec(sandbox.id, {
        cmd: ['bash', '-c', `pkill -x nc; mv -f ${api}/real.sock ${api}/docker.sock`],
      });
    }
    expect(await checks.run(sandbox.id, ask)).toMatchObject({ kind: 'passed' });
  });

  it('keeps its checker to itself: no capabilities beyond reading files, removed with it', async () => {
    const c = await engine.getContainer(`slipway-chk-${sandbox.labels.session}`).inspect();
    expect(c.Config.Labels).toMatchObject({
      'slipway.kind': 'checker',
      'slipway.instance': instance,
    });
    expect(c.HostConfig.Privileged).toBe(false);
    expect(c.HostConfig.ReadonlyRootfs).toBe(true);
    expect(c.HostConfig.CapDrop).toEqual(['ALL']);
    expect(c.HostConfig.CapAdd?.sort()).toEqual(['DAC_OVERRIDE', 'DAC_READ_SEARCH']);
    expect(c.HostConfig.NetworkMode).toBe(
      `container:${(await engine.getContainer(sandbox.id).inspect()).Id}`,
    );
    expect(c.Mounts.map((m) => `${m.Type}:${m.Destination}:${m.RW ? 'rw' : 'ro'}`).sort()).toEqual([
      'volume:/root:ro',
      'volume:/var/lib/docker:ro',
    ]);
  });

  it('removes the sandbox with its network and volume while checks keep coming, and says when it is gone', async () => {
    // Checks that keep arriving during the removal must not make its checker again (it would
    // hold the volumes).
    let removing = true;
    const checking = (async () => {
      const seen = new Set<string>();
      while (removing) {
        await new Promise((r) => setImmediate(r)); // a refused check answers without I/O
        seen.add(
          await provider.exec(sandbox.id, { in: 'checker', cmd: ['true'] }).then(
            (r) => `exit ${r.exitCode}`,
            (err: { code?: string }) => err.code ?? 'error',
          ),
        );
      }
      return seen;
    })();
    const since = Math.floor(Date.now() / 1000);
    await provider.destroy(sandbox.id);
    removing = false;
    expect([...(await checking)].filter((s) => s !== 'exit 0')).toEqual(['SANDBOX_GONE']);
    const stream = await engine.getEvents({
      since,
      until: Math.ceil(Date.now() / 1000),
      filters: {
        type: ['container'],
        event: ['create'],
        label: ['slipway.kind=checker', `slipway.session=${sandbox.labels.session}`],
      },
    });
    let made = ''; // the engine's events in that time, ended by `until`
    for await (const chunk of stream) made += String(chunk);
    expect(made).toBe('');
    expect(await leftovers(instance)).toEqual({ containers: [], networks: [], volumes: [] });
    expect(await provider.inspect(sandbox.id)).toBeUndefined();
    await expect(provider.exec(sandbox.id, { cmd: ['true'] })).rejects.toMatchObject({
      code: 'SANDBOX_GONE',
    });
    await expect(provider.exec(sandbox.id, { in: 'checker', cmd: ['true'] })).rejects.toMatchObject(
      { code: 'SANDBOX_GONE' },
    );
    await provider.destroy(sandbox.id); // idempotent
  });
});

describe('a sandbox that never becomes ready', () => {
  it('is cleaned up and the learner is told why', async () => {
    const broken = {
      ...settings,
      sandboxImage: 'slipway/course-debian:latest',
      readyTimeoutMs: 10_000,
    };
    await expect(provisionSandbox(provider, lab, labels(), broken)).rejects.toMatchObject({
      code: 'SANDBOX_START_FAILED',
      message: 'Your sandbox could not start: it exited with code 0.',
    });
    expect(await leftovers(instance)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});

describe('an engine that is down or slow', () => {
  it('reports an unreachable engine as ENGINE_UNAVAILABLE', async () => {
    const down = testProvider(instance, { dockerSocket: '/run/slipway/no-such-engine.sock' });
    await expect(down.ping()).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: 'The lab service cannot reach its Docker engine right now.',
    });
    await expect(
      down.create({ labels: labels(), image: 'x', hostname: 'x', limits: settings.limits }),
    ).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
    });
  });

  it('reports a slow engine as ENGINE_TIMEOUT naming what it was doing', async () => {
    const { createSlowProxy } = await import('./slow-proxy.ts');
    await using proxy = await createSlowProxy(engineSocket, 1_500);
    const slow = new DockerSandboxProvider({
      socketPath: proxy.path,
      instance,
      callTimeoutMs: 300,
    });
    await expect(slow.list({})).rejects.toMatchObject({
      code: 'ENGINE_TIMEOUT',
      message: 'The Docker engine took too long to answer (listing sandboxes).',
    });
  });
});
