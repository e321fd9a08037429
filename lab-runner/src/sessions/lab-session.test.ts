import { describe, expect, it, vi } from 'vitest';
import { interpretCheck } from '../checks/check-result.ts';
import type { CheckRunner, TimedOutcome } from '../checks/check-runner.ts';
import { slipwayError } from '../errors/catalogue.ts';
import { silentLogger } from '../errors/log.ts';
import { EventBus } from '../events/event-bus.ts';
import type { Lab, LabTask } from '../labs/load-labs.ts';
import { openDatabase } from '../progress/database.ts';
import { ProgressStore } from '../progress/progress-store.ts';
import type { ServerMessage } from '../protocol/index.ts';
import type {
  ExecRequest,
  ExecResult,
  SandboxInfo,
  SandboxProvider,
  SandboxSpec,
} from '../sandbox/provider.ts';
import { Admission } from './admission.ts';
import { LabSession, type LabSessionDeps } from './lab-session.ts';

/**
 * Checks whose results are whatever the test says each check script returns. In a round of
 * several checks, the first outcome comes at once and the rest wait for `gate` when set.
 */
class ChecksWithScriptedResults implements Pick<CheckRunner, 'runAll'> {
  /** check script text -> exit code and stdout, as the script would end */
  results = new Map<string, { exitCode: number; stdout: string }>();
  gate: Promise<void> | undefined;
  /** Every round finds no sandbox to run in (its checker vanished). */
  noSandbox = false;
  rounds = 0;
  checked: string[] = [];

  async runAll(
    _sandboxId: string,
    tasks: ReadonlyArray<Pick<LabTask, 'id' | 'checkScript' | 'timeout'>>,
    _signal?: AbortSignal,
    onOutcome?: (index: number, outcome: TimedOutcome) => void,
  ): Promise<TimedOutcome[]> {
    this.rounds++;
    if (this.noSandbox) throw slipwayError('SANDBOX_GONE');
    const outcomes = tasks.map((t) => {
      this.checked.push(t.checkScript);
      const r = this.results.get(t.checkScript) ?? { exitCode: 1, stdout: 'not scripted' };
      return { ...interpretCheck({ ...r, stderr: '', timedOut: false }), durationMs: 1 };
    });
    if (outcomes[0]) onOutcome?.(0, outcomes[0]);
    if (outcomes.length > 1) await this.gate;
    for (const [i, o] of outcomes.entries()) if (i > 0) onOutcome?.(i, o);
    return outcomes;
  }
}

/**
 * A provider whose sandboxes are records in a map. Only for the session's logic; real
 * sandboxes are covered by the integration tests.
 */
class ProviderOfRecords implements SandboxProvider {
  readonly kind = 'scripted';
  sandboxes = new Map<string, SandboxInfo>();
  created = 0;
  destroyed: string[] = [];
  setupExit = 0;

  async ping() {}
  async create(spec: SandboxSpec): Promise<SandboxInfo> {
    this.created++;
    const info: SandboxInfo = {
      id: `sbx-${spec.labels.session}`,
      labels: spec.labels,
      state: 'running',
      createdAt: new Date(),
    };
    this.sandboxes.set(info.id, info);
    return info;
  }
  async inspect(id: string) {
    return this.sandboxes.get(id);
  }
  async list(filter: { learner?: string; lab?: string }) {
    return [...this.sandboxes.values()].filter(
      (s) =>
        (!filter.learner || s.labels.learner === filter.learner) &&
        (!filter.lab || s.labels.lab === filter.lab),
    );
  }
  execs: string[][] = [];
  async exec(_id: string, req: ExecRequest): Promise<ExecResult> {
    this.execs.push(req.cmd);
    const base = { stderr: '', truncated: false, timedOut: false, durationMs: 1 };
    if (req.cmd[0] === 'sh') return { ...base, exitCode: 0, stdout: 'ready\n' }; // readiness probe
    if (req.cmd[0] === 'bash') return { ...base, exitCode: this.setupExit, stdout: '' }; // lab setup
    return { ...base, exitCode: 1, stdout: 'not scripted' };
  }
  async openTerminal(): Promise<never> {
    throw new Error('no terminals here');
  }
  async connectPort(): Promise<never> {
    throw new Error('no ports here');
  }
  async capacity() {
    return 8;
  }
  async loadImages() {}
  async destroy(id: string) {
    this.destroyed.push(id);
    this.sandboxes.delete(id);
  }
  async stats() {
    return { memoryBytes: 0, anonBytes: 0, pids: 0, cpuNanos: 0 };
  }
  /** Who listens to each sandbox's engine activity: a test calls one to report a change. */
  activity = new Map<string, () => void>();
  async watchActivity(id: string, onActivity: () => void, opts: { signal: AbortSignal }) {
    this.activity.set(id, onActivity);
    await new Promise<void>((r) =>
      opts.signal.addEventListener('abort', () => r(), { once: true }),
    );
    this.activity.delete(id);
  }
  readonly learnerUser = 'root';
  async diskUsage() {
    return 0;
  }
  async resources() {
    return [];
  }
  async *events() {}
}

const lab: Lab = {
  id: 'lab',
  file: 'labs/lab/lab.yaml',
  dir: '/nowhere',
  title: 'Lab',
  summary: undefined,
  sandbox: {},
  images: [{ name: 'nginx', source: 'slipway/course-nginx:latest', tags: ['nginx:latest'] }],
  setupScript: 'setup',
  solveScript: 'solve',
  previews: [],
  tasks: [
    {
      id: 'one',
      title: 'One',
      description: 'd',
      hint: 'h',
      check: 'checks/one.sh',
      checkScript: 'check-one',
      solution: 'one',
      timeout: 5,
    },
    {
      id: 'two',
      title: 'Two',
      description: 'd',
      hint: 'h',
      check: 'checks/two.sh',
      checkScript: 'check-two',
      solution: 'two',
      timeout: 5,
    },
  ],
};

function setup(
  provider = new ProviderOfRecords(),
  store = new ProgressStore(openDatabase(':memory:')),
  checks = new ChecksWithScriptedResults(),
) {
  const deps: LabSessionDeps = {
    provider,
    store,
    admission: new Admission(100),
    checks,
    logger: silentLogger,
    bus: new EventBus(),
    settings: {
      instance: 'test',
      sandboxImage: 'img',
      limits: { memoryBytes: 1, pids: 100, cpus: 1 },
      readyTimeoutMs: 1000,
      setupTimeoutMs: 1000,
      checkIntervalMs: 60_000,
    },
  };
  store.touchLearner('L1');
  const session = new LabSession('L1', lab, deps);
  const seen: ServerMessage[] = [];
  const leave = session.subscribe((m) => seen.push(m));
  return { provider, store, session, seen, deps, checks, leave };
}

const settle = async (session: LabSession) => {
  await session.runChecks('poll');
  await new Promise((r) => setTimeout(r, 0));
};

describe('LabSession', () => {
  it('reports each start phase, then the first check results with reasons', async () => {
    const { checks, session, seen } = setup();
    checks.results.set('check-one', {
      exitCode: 1,
      stdout: 'There is no container named "web" yet.',
    });
    await session.start();
    await settle(session);
    const phases = seen
      .filter((m) => m.type === 'status')
      .map((m) => (m.type === 'status' ? m.phase : ''));
    expect(phases).toEqual([
      'creating',
      'starting-engine',
      'loading-images',
      'setting-up',
      'ready',
    ]);
    const tasks = seen.flatMap((m) => (m.type === 'task' ? [m.task] : []));
    expect(tasks[0]).toMatchObject({
      id: 'one',
      state: 'failing',
      reason: 'There is no container named "web" yet.',
    });
  });

  it('runs a round when the sandbox engine reports a change, though no poll is due', async () => {
    const { checks, session, provider } = setup();
    checks.results.set('check-one', { exitCode: 1, stdout: 'not yet' });
    await session.start();
    await settle(session);
    await vi.waitFor(() => expect(provider.activity.size).toBe(1));
    checks.results.set('check-one', { exitCode: 0, stdout: '' });
    const rounds = checks.rounds;
    for (let i = 0; i < 5; i++) for (const report of provider.activity.values()) report();
    await vi.waitFor(() => expect(session.taskStatuses()[0]!.state).toBe('passed'));
    expect(checks.rounds).toBe(rounds + 1); // a burst of changes is one round
  });

  it('stops hearing the engine once no page is open', async () => {
    const { session, provider, leave } = setup();
    const second = session.subscribe(() => {});
    await session.start();
    await vi.waitFor(() => expect(provider.activity.size).toBe(1));
    second();
    await new Promise((r) => setTimeout(r, 0));
    expect(provider.activity.size).toBe(1); // the first page is still open
    leave();
    await vi.waitFor(() => expect(provider.activity.size).toBe(0));
  });

  it('removes the sandbox only once the round under way has ended', async () => {
    const { checks, session, provider } = setup();
    await session.start();
    await settle(session);
    let open = () => {};
    checks.gate = new Promise((r) => {
      open = r;
    });
    const round = session.runChecks('command');
    const reset = session.reset();
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(provider.destroyed).toEqual([]); // the round still holds the sandbox
    open();
    await Promise.all([round, reset]);
    expect(provider.destroyed).toHaveLength(1);
  });

  it('shares one sandbox between concurrent starts', async () => {
    const { session, provider } = setup();
    const [a, b] = await Promise.all([session.start(), session.start()]);
    expect(a).toEqual(b);
    expect(provider.created).toBe(1);
  });

  it('records a completion once and never takes it back', async () => {
    const { checks, session, store } = setup();
    checks.results.set('check-one', { exitCode: 0, stdout: '' });
    await session.start();
    await settle(session);
    expect(store.completions('L1', 'lab').map((c) => c.taskId)).toEqual(['one']);
    checks.results.set('check-one', { exitCode: 1, stdout: 'gone again' });
    await session.runChecks('click');
    expect(session.taskStatuses()[0]!.state).toBe('passed');
    // A click asks about the current task only, not a passed one.
    expect(store.attemptCount('L1', 'lab', 'one')).toBe(1);
  });

  it('shows a completed task broken again after a command, keeps it completed, and clears it once mended', async () => {
    const { checks, session, store, seen, deps } = setup();
    checks.results.set('check-one', { exitCode: 0, stdout: '' });
    await session.start();
    await settle(session);
    checks.results.set('check-one', {
      exitCode: 1,
      stdout: 'There is no container named "web" yet.',
    });
    await session.runChecks('poll');
    expect(session.taskStatuses()[0]).not.toHaveProperty('regression'); // polls leave done tasks be
    await session.runChecks('command');
    expect(session.taskStatuses()[0]).toMatchObject({
      state: 'passed',
      regression: { reason: 'There is no container named "web" yet.' },
    });
    const sent = seen.flatMap((m) => (m.type === 'task' && m.task.id === 'one' ? [m.task] : []));
    expect(sent.at(-1)).toMatchObject({
      state: 'passed',
      regression: { reason: 'There is no container named "web" yet.' },
    });
    await session.runChecks('command'); // the same news is stored once
    expect(store.attemptCount('L1', 'lab', 'one')).toBe(2);
    expect(store.completions('L1', 'lab').map((c) => c.taskId)).toEqual(['one']);

    // A runner restart shows it the same way, from the store.
    const again = new LabSession('L1', lab, deps);
    expect(again.taskStatuses()[0]).toMatchObject({
      state: 'passed',
      regression: { reason: 'There is no container named "web" yet.' },
    });

    // Mended while nobody types: the next poll sees it.
    checks.results.set('check-one', { exitCode: 0, stdout: '' });
    await session.runChecks('poll');
    expect(session.taskStatuses()[0]).toMatchObject({ state: 'passed' });
    expect(session.taskStatuses()[0]).not.toHaveProperty('regression');
    expect(store.attemptCount('L1', 'lab', 'one')).toBe(3);
  });

  it('answers a click about the current task only, even when nothing changed', async () => {
    const { checks, session, seen, store } = setup();
    checks.results.set('check-one', { exitCode: 1, stdout: 'still no' });
    await session.start();
    await settle(session);
    const before = seen.length;
    const attemptsOfTwo = store.attemptCount('L1', 'lab', 'two');
    await session.runChecks('click');
    const clicks = seen.slice(before).filter((m) => m.type === 'task' && m.trigger === 'click');
    expect(clicks).toMatchObject([{ task: { id: 'one', state: 'failing', reason: 'still no' } }]);
    // The task after it was not checked (nor counted as an attempt) by the click.
    expect(store.attemptCount('L1', 'lab', 'two')).toBe(attemptsOfTwo);
  });

  it('answers Check for the current task at once, even while a round is under way', async () => {
    const { checks, session, seen } = setup();
    checks.results.set('check-one', { exitCode: 1, stdout: 'not yet' });
    await session.start();
    await settle(session);
    let open = () => {};
    checks.gate = new Promise((r) => {
      open = r;
    });
    let roundDone = false;
    const round = session.runChecks('poll').then(() => {
      roundDone = true;
    });
    const before = seen.length;
    void session.runChecks('click');
    const clicked = () =>
      seen.slice(before).find((m) => m.type === 'task' && m.trigger === 'click');
    for (let i = 0; i < 100 && !clicked(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(clicked()).toMatchObject({ task: { id: 'one', state: 'failing', reason: 'not yet' } });
    expect(roundDone).toBe(false);
    open();
    await round;
  });

  it("sends the current task's result before the rest of a command's round, in one exec", async () => {
    const { checks, session, seen, store } = setup();
    checks.results.set('check-one', { exitCode: 1, stdout: 'not yet' });
    await session.start();
    await settle(session);
    checks.results.set('check-one', { exitCode: 1, stdout: 'still not' }); // a change to announce
    let open = () => {};
    checks.gate = new Promise((r) => {
      open = r;
    });
    const twoBefore = store.attemptCount('L1', 'lab', 'two');
    const execsBefore = checks.rounds;
    const before = seen.length;
    let roundDone = false;
    const round = session.runChecks('command').then(() => {
      roundDone = true;
    });
    const clicked = () => seen.slice(before).filter((m) => m.type === 'task');
    for (let i = 0; i < 100 && clicked().length === 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(clicked()).toMatchObject([
      { task: { id: 'one', state: 'failing', reason: 'still not' }, trigger: 'command' },
    ]);
    expect(roundDone).toBe(false);
    open();
    await round;
    expect(store.attemptCount('L1', 'lab', 'two')).toBe(twoBefore + 1);
    expect(checks.rounds - execsBefore).toBe(1);
  });

  it('turns a dead sandbox into a clear message, then starts a fresh one on demand', async () => {
    const { session, provider, seen, store } = setup();
    const first = await session.start();
    provider.sandboxes.delete(first.id);
    session.sandboxGone(first.sessionId, 'it ran out of memory');
    expect(session.sandboxStatus.kind).toBe('failed');
    const err = seen.find((m) => m.type === 'error');
    expect(err).toMatchObject({
      code: 'SANDBOX_DIED',
      message: 'Your sandbox stopped unexpectedly (it ran out of memory).',
    });
    expect(store.liveSandbox('L1', 'lab')).toBeUndefined();
    const second = await session.start();
    expect(second.id).not.toBe(first.id);
    expect(provider.created).toBe(2);
  });

  it('adopts a running sandbox after a runner restart instead of creating one', async () => {
    const { provider, store, session } = setup();
    const first = await session.start();
    await session.close();
    const restarted = setup(provider, store);
    const adopted = await restarted.session.start();
    expect(adopted).toEqual(first);
    expect(provider.created).toBe(1);
  });

  it('destroys a sandbox whose setup failed and says so', async () => {
    const provider = new ProviderOfRecords();
    provider.setupExit = 3;
    const { session, seen } = setup(provider);
    await expect(session.start()).rejects.toMatchObject({ code: 'SANDBOX_START_FAILED' });
    expect(provider.sandboxes.size).toBe(0);
    expect(provider.destroyed).toHaveLength(1);
    expect(seen.at(-1)).toMatchObject({
      type: 'status',
      phase: 'failed',
      message: 'Your sandbox could not start: the lab’s setup step failed.',
    });
  });

  it('reset removes the sandbox but keeps progress', async () => {
    const { checks, session, provider, store } = setup();
    checks.results.set('check-one', { exitCode: 0, stdout: '' });
    await session.start();
    await settle(session);
    await session.reset();
    expect(provider.sandboxes.size).toBe(0);
    expect(session.sandboxStatus.kind).toBe('none');
    expect(store.completions('L1', 'lab')).toHaveLength(1);
  });

  it('brings a replacement for a dead sandbox back to the last completed task, but not after a reset', async () => {
    const { checks, session, provider, seen } = setup();
    checks.results.set('check-one', { exitCode: 0, stdout: '' });
    const first = await session.start();
    await settle(session);
    provider.sandboxes.delete(first.id);
    session.sandboxGone(first.sessionId, 'it was removed');
    provider.execs = [];
    await session.start();
    expect(provider.execs).toContainEqual(['bash', '-c', 'one']);
    expect(provider.execs).not.toContainEqual(['bash', '-c', 'two']);
    expect(
      seen.filter((m) => m.type === 'status').map((m) => (m.type === 'status' ? m.phase : '')),
    ).toContain('restoring');
    expect(seen.at(-1)).toMatchObject({
      type: 'status',
      phase: 'ready',
      message: 'Your sandbox was recreated and brought back to where you were: One.',
    });

    await session.reset();
    provider.execs = [];
    await session.start();
    expect(provider.execs).not.toContainEqual(['bash', '-c', 'one']);
  });

  it('a check that finds no sandbox asks the provider, and says what it says', async () => {
    const { checks, session, provider, seen } = setup();
    const sandbox = await session.start();
    checks.noSandbox = true;
    // The provider still sees it running (its checker vanished): the session carries on.
    await settle(session);
    expect(session.sandboxStatus.kind).toBe('ready');
    // The provider knows why it is gone: the learner is told that, not a guess.
    provider.sandboxes.set(sandbox.id, {
      ...provider.sandboxes.get(sandbox.id)!,
      state: 'stopped',
      exit: { code: -1, oomKilled: false, error: 'its machine (n3) stopped answering' },
    });
    await settle(session);
    await vi.waitFor(() =>
      expect(seen.filter((m) => m.type === 'error').at(-1)).toMatchObject({
        code: 'SANDBOX_DIED',
        message: 'Your sandbox stopped unexpectedly (its machine (n3) stopped answering).',
      }),
    );
  });
});
