import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPreview } from '../integration/preview-client.ts';
import { RunnerProcess } from '../integration/runner-process.ts';
import { LabClient } from '../integration/ws-client.ts';
import { clusterEnv, manager, nodes } from './cluster.ts';

/**
 * The whole platform with SLIPWAY_PROVIDER=swarm on the 3-node test cluster: learners' sandboxes
 * spread over the nodes, everything a learner (and their instructor) does works on a worker
 * node, and a node lost mid-session costs its learners a restart elsewhere, not their progress.
 */
const script = join(import.meta.dirname, '../../../scripts/test-cluster.sh');
const runner = new RunnerProcess({
  prefix: 'cl-plat',
  env: { ...clusterEnv(), SLIPWAY_REAP_INTERVAL_MS: '3000', SLIPWAY_REAP_GRACE_MS: '60000' },
});
const LAB = 'first-containers';

interface Learner {
  cookie: string;
  term: LabClient;
  node: string;
}
const learners: Learner[] = [];
/** The learner who solved a task on a worker node. */
let solver: Learner;

/** The node (n1, n2, n3) a learner's sandbox task runs on, from the manager. */
async function nodeOfLearner(cookie: string): Promise<string> {
  const id = cookie.split('=')[1]!.split('.')[0]!;
  const services = await manager().listServices({
    filters: { label: [`slipway.learner=${id}`] },
  });
  const tasks = (await manager().listTasks({
    filters: { service: services.map((s) => s.ID!), 'desired-state': ['running'] },
  })) as Array<{ NodeID: string }>;
  const all = await nodes();
  return (
    all.find((n) => n.ID === tasks[0]?.NodeID)?.Description?.Engine?.Labels?.['slipway.name'] ?? '?'
  );
}

/** An instructor (made with the real CLI) whose class this learner joined; their session. */
async function instructorOf(learnerCookie: string): Promise<{ cookie: string; classId: string }> {
  const made = spawnSync(
    process.execPath,
    ['lab-runner/src/tools/instructor.ts', 'create', 'wren'],
    {
      cwd: join(import.meta.dirname, '../../..'),
      env: {
        ...process.env,
        SLIPWAY_DATA_DIR: runner.dataDir,
        SLIPWAY_INSTRUCTOR_PASSWORD: 'wren-password-1',
      },
      encoding: 'utf8',
    },
  );
  expect(made.status, made.stderr).toBe(0);
  const login = await fetch(`${runner.url}/api/instructor/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'wren', password: 'wren-password-1' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const created = await fetch(`${runner.url}/api/instructor/classes`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Cluster class', modules: ['docker-fundamentals'] }),
  });
  const { id: classId, joinCode } = (await created.json()) as { id: string; joinCode: string };
  const joined = await fetch(`${runner.url}/api/join`, {
    method: 'POST',
    headers: { cookie: learnerCookie, 'content-type': 'application/json' },
    body: JSON.stringify({ code: joinCode, displayName: 'Nell' }),
  });
  expect(joined.status).toBe(200);
  return { cookie, classId };
}

beforeAll(async () => {
  await runner.start();
  const started = await Promise.all([1, 2, 3].map(async () => runner.learnerAtPrompt(LAB)));
  for (const s of started) learners.push({ ...s, node: await nodeOfLearner(s.cookie) });
}, 600_000);
afterAll(() => runner.dispose());

describe('the platform on a Swarm cluster', () => {
  it('spreads learners over the nodes', () => {
    const used = new Set(learners.map((l) => l.node));
    expect([...used].every((n) => /^n[123]$/.test(n))).toBe(true);
    expect(used.size).toBeGreaterThanOrEqual(2);
  });

  it('on a worker node: terminal, checks turning green, preview and the recording all work', async () => {
    const l = learners.find((x) => x.node !== 'n1') ?? learners[0]!;
    solver = l;
    l.term.type('docker run -d --name web -p 8080:80 nginx\r');
    await l.term.waitFor(
      (m) => m.type === 'task' && m.task.id === 'run-web' && m.task.state === 'passed',
      120_000,
    );
    const { res } = await openPreview(runner.url, `/preview/${LAB}/8080/`, l.cookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Welcome to nginx!');
    // An instructor's read-only shadow of that terminal.
    const x = await instructorOf(l.cookie);
    const learnerId = l.cookie.split('=')[1]!.split('.')[0]!;
    const shadow = new LabClient(
      `${runner.url.replace('http', 'ws')}/api/instructor/classes/${x.classId}/learners/${learnerId}/shadow?lab=${LAB}`,
      { cookie: x.cookie },
    );
    await shadow.waitForScreen('docker run -d --name web -p 8080:80 nginx');
    l.term.type('echo "shadowed-$((20+1))"\r');
    await shadow.waitForScreen('shadowed-21');
    shadow.close();
    // The terminal session is recorded by the runner, wherever the shell runs.
    const dir = join(runner.dataDir, 'recordings');
    await vi.waitFor(() => {
      const casts = existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
      const text = casts
        .filter((f) => f.endsWith('.cast'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('');
      expect(text).toContain('docker run -d --name web -p 8080:80 nginx');
    });
  });

  it('a runner killed with -9 reattaches every learner, on every node, to the same shell', async () => {
    for (const l of learners) l.term.type('echo "shell=$$"\r');
    const shells: string[] = [];
    for (const l of learners) {
      // The output line (the echoed command has a quote before "shell=").
      const pid = await vi.waitFor(() => {
        const m = /[^"]shell=(\d+)/.exec(l.term.screen);
        if (!m) throw new Error('no shell pid on the screen yet');
        return m[1]!;
      }, 20_000);
      shells.push(pid);
    }
    await runner.stop('SIGKILL');
    await runner.start();
    for (const [i, l] of learners.entries()) {
      l.term = runner.labSocket(l.cookie, LAB);
      await l.term.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
      l.term.type('echo "again=$$"\r');
      await l.term.waitForScreen(`again=${shells[i]}`);
    }
  });

  it('a node stopped mid-session: its learner is told, and comes back elsewhere with their completed tasks', async () => {
    const l = solver;
    const lost = l.node;
    execFileSync('bash', [script, 'stop-node', lost.slice(1)], { stdio: 'inherit' });
    try {
      const told = await l.term.waitFor(
        (m) => m.type === 'error' && m.code === 'SANDBOX_DIED',
        120_000,
      );
      expect(told).toMatchObject({
        message: `Your sandbox stopped unexpectedly (its machine (${lost}) stopped answering).`,
      });
      // The learner presses Start (the page reconnects): a new sandbox on a node that is up,
      // brought back to the last completed task.
      const again = runner.labSocket(l.cookie);
      const restored = await again.waitFor(
        (m) => m.type === 'status' && m.phase === 'restoring',
        180_000,
      );
      expect(restored).toMatchObject({ message: expect.stringContaining('1 completed task') });
      await again.waitFor((m) => m.type === 'status' && m.phase === 'ready', 180_000);
      const now = await nodeOfLearner(l.cookie);
      expect(now).not.toBe(lost);
      again.type('docker ps --format "{{.Names}}" | grep -c ^web$ | sed "s/^/webs=/"\r');
      await again.waitForScreen('webs=1');
      const progress = (await (
        await fetch(`${runner.url}/api/labs/${LAB}`, { headers: { cookie: l.cookie } })
      ).json()) as { progress: Array<{ id: string; state: string }> };
      expect(progress.progress.find((t) => t.id === 'run-web')?.state).toBe('passed');
      again.close();
    } finally {
      execFileSync('bash', [script, 'start-node', lost.slice(1)], { stdio: 'inherit' });
    }
    // The node comes back: what the lost sandbox left there (its volume) is reaped.
    await vi.waitFor(
      async () => {
        const out = execFileSync(
          'docker',
          [
            '-H',
            `unix:///run/slwc/${lost}.sock`,
            'volume',
            'ls',
            '-q',
            '--filter',
            `label=slipway.instance=${runner.instance}`,
            '--filter',
            `label=slipway.learner=${l.cookie.split('=')[1]!.split('.')[0]}`,
          ],
          { encoding: 'utf8' },
        );
        const ready = (await nodes()).find(
          (n) => n.Description?.Engine?.Labels?.['slipway.name'] === lost,
        )?.Status?.State;
        expect(ready).toBe('ready');
        expect(out.trim()).toBe('');
      },
      { timeout: 120_000, interval: 1_000 },
    );
  });
});
