import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine, leftovers, sandboxesOf, testProvider } from './engine.ts';
import { RunnerProcess } from './runner-process.ts';

/**
 * Faults injected into the real platform (a separate runner process, the real engine, the real
 * SQLite file). Each test asserts that nothing a learner did is lost and that the platform
 * goes on serving.
 */
const runner = new RunnerProcess({ prefix: 'it-faults', env: { SLIPWAY_REAP_GRACE_MS: '0' } });
let cookie: string;
const ws = () => runner.labSocket(cookie);
const progress = async () =>
  (await (
    await fetch(`${runner.url}/api/labs/first-containers`, { headers: { cookie } })
  ).json()) as {
    progress: Array<{ id: string; state: string }>;
  };

beforeAll(async () => {
  await runner.start();
  cookie = await runner.newLearner();
});
afterAll(() => runner.dispose());

describe('faults', () => {
  it('kill -9 mid-session: after a restart the page reconnects to the same shell and processes', async () => {
    const a = ws();
    await a.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await a.waitForScreen('learner@first-containers');
    a.type('sleep 4242 & echo "shell=$$ job=$!"\r');
    a.type('docker run -d --name web -p 8080:80 nginx\r');
    await a.waitFor(
      (m) => m.type === 'task' && m.task.id === 'run-web' && m.task.state === 'passed',
      60_000,
    );
    const [, shell, job] = /shell=(\d+) job=(\d+)/.exec(a.screen) ?? [];
    expect(shell).toBeDefined();

    await runner.stop('SIGKILL');
    await runner.start();

    const b = ws();
    await b.waitFor((m) => m.type === 'status' && m.phase === 'ready', 60_000);
    // The screen comes back first...
    await b.waitForScreen(`shell=${shell} job=${job}`);
    // ...then the same shell answers, with its background job still running.
    b.type(`echo "again=$$"; kill -0 ${job} && echo job-$((1+1))-alive\r`);
    await b.waitForScreen(`again=${shell}`);
    await b.waitForScreen('job-2-alive');
    expect((await progress()).progress.find((t) => t.id === 'run-web')?.state).toBe('passed');
    a.close();
    b.close();
  });

  it('a sandbox removed while the runner is down comes back at the last completed task', async () => {
    await runner.stop('SIGTERM');
    const [name] = await sandboxesOf(runner.instance);
    await engine.getContainer(name!.replace(/^\//, '')).remove({ force: true, v: true });
    await runner.start();
    const c = ws();
    const restoring = await c.waitFor(
      (m) => m.type === 'status' && m.phase === 'restoring',
      120_000,
    );
    expect(restoring).toMatchObject({ message: expect.stringContaining('1 completed task') });
    const ready = await c.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    expect(ready).toMatchObject({
      message:
        'Your sandbox was recreated and brought back to where you were: Run a web server in the background.',
    });
    c.type('docker ps --format "{{.Names}}:{{.Ports}}" | grep ^web: && echo web-is-$((40+2))\r');
    await c.waitForScreen('web-is-42');
    // The old sandbox's network and volumes were reaped; the new one's are left.
    const left = await leftovers(runner.instance);
    expect(await sandboxesOf(runner.instance)).toHaveLength(1);
    expect([left.networks.length, left.volumes.length]).toEqual([1, 2]);
    c.close();
  });

  it('a sandbox created just before a crash, never recorded, is reaped at start', async () => {
    await runner.stop('SIGKILL');
    const provider = testProvider(runner.instance);
    const ghost = await provider.create({
      labels: {
        instance: runner.instance,
        learner: 'ghost-learner-000000',
        lab: 'first-containers',
        session: 'ghost0000001',
      },
      image: 'slipway/sandbox:latest',
      hostname: 'ghost',
      limits: { memoryBytes: 256 * 1024 ** 2, pids: 200, cpus: 0.5 },
    });
    await runner.start();
    const until = Date.now() + 30_000;
    while ((await provider.inspect(ghost.id)) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 250));
    expect(await provider.inspect(ghost.id)).toBeUndefined();
    // The learner's own sandbox was left alone.
    expect(await sandboxesOf(runner.instance)).toHaveLength(1);
  });

  it('an output flood does not grow the runner, and Ctrl-C stops it at once', async () => {
    const d = ws();
    await d.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await d.waitForScreen('learner@first-containers');
    // A page that has drawn nothing yet: the runner must hold the shell back, not buffer.
    d.send({ v: 1, type: 'ack', chars: 0 });
    const before = await rss(runner.pid!);
    d.type('yes slipway-flood\r');
    await new Promise((r) => setTimeout(r, 8_000));
    const during = await rss(runner.pid!);
    expect(during - before).toBeLessThan(64 * 1024 * 1024);
    d.type('\u0003');
    // Now draw (acknowledge) everything: the output drains and the prompt comes back.
    const ack = setInterval(() => d.send({ v: 1, type: 'ack', chars: 1_000_000 }), 50);
    d.type('echo flood-over\r');
    await d.waitForScreen('\rflood-over\r\n', 60_000);
    clearInterval(ack);
    d.close();
  });

  it('thousands of messages a second are held back, 1 MiB frames cut off with a reason, everyone else is served', async () => {
    const noisy = ws();
    await noisy.waitFor((m) => m.type === 'status' && m.phase === 'ready', 60_000);
    for (let i = 0; i < 6000; i++) noisy.send({ v: 1, type: 'keep' });

    // Another learner (the same one's second socket would take the terminal over).
    const other = await runner.newLearner();
    const big = runner.labSocket(other);
    await big.opened();
    big.send('x'.repeat(1024 * 1024));
    expect(await big.closed).toEqual({
      code: 1009,
      reason: 'message too big: at most 64 KiB per message',
    });

    const calm = runner.labSocket(other);
    await calm.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    calm.type('echo still-served\r');
    await calm.waitForScreen('\rstill-served\r\n');
    expect((await (await fetch(`${runner.url}/api/health`)).json()).ok).toBe(true);
    // The flood was slowed down, not dropped and not punished with a close.
    expect(noisy.ws.readyState).toBe(noisy.ws.OPEN);
    expect(noisy.messages.filter((m) => m.type === 'error')).toEqual([]);
    calm.close();
    noisy.close();
  });
});

async function rss(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}
