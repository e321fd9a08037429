import type Docker from 'dockerode';
import { slipwayError } from '../../errors/catalogue.ts';
import type { CallOptions, ExecRequest, ExecResult } from '../provider.ts';
import { ensureChecker } from './checker.ts';
import { CheckerChannel } from './checker-channel.ts';
import { execInContainer } from './docker-exec.ts';
import { call, engineCall, isGone } from './engine-errors.ts';

/**
 * How commands reach a checker. `resident`: through its slipway-checkd, over one attach kept
 * open (no engine exec per round), which also reports the sandbox engine's activity. `exec`:
 * an engine exec per command, and no activity: the way before checkd, kept as the benchmark's
 * baseline.
 */
export type CheckerMode = 'resident' | 'exec';

export interface CheckersOptions {
  docker: Docker;
  mode: CheckerMode;
  deadline: (opts?: CallOptions, ms?: number) => AbortSignal;
}

/** How many sandboxes' checkers are remembered; a forgotten one is looked up again. */
const MAX_KNOWN = 1024;
/** A new attach that has not answered by then has failed. */
const ATTACH_MS = 10_000;

interface Known {
  id: string;
  channel?: Promise<CheckerChannel>;
}

/** The checkers of one machine's sandboxes (see checker.ts): made on demand, then reused. */
export class Checkers {
  private readonly opts: CheckersOptions;
  private readonly known = new Map<string, Known>();
  /** Sandboxes being removed: no checker is made for them again (it would hold their volumes). */
  private readonly retired = new Set<string>();

  constructor(opts: CheckersOptions) {
    this.opts = opts;
  }

  /** Runs a command in the sandbox's checker, made first if it has none. */
  async exec(sandbox: string, req: ExecRequest, signal: AbortSignal): Promise<ExecResult> {
    const [checker, processes] = await Promise.all([
      this.checkerOf(sandbox, signal),
      req.sandboxProcesses ? this.processes(sandbox, signal) : undefined,
    ]);
    const env = {
      ...req.env,
      ...(processes === undefined ? {} : { SLIPWAY_SANDBOX_PROCESSES: processes }),
    };
    const run = { ...req, env, in: undefined, sandboxProcesses: undefined };
    try {
      return await this.runIn(checker, run, signal);
    } catch (err) {
      // Gone since it was last used (the sandbox restarted, or it was removed): made again.
      // A call that ran out of time is not retried.
      if (this.retired.has(sandbox)) throw slipwayError('SANDBOX_GONE', {}, err);
      if (signal.aborted || this.known.get(sandbox) !== checker) throw err;
      this.drop(sandbox, checker);
      return this.runIn(await this.checkerOf(sandbox, signal), run, signal);
    }
  }

  /**
   * Calls `onActivity` whenever the sandbox's engine reports a change (a container made,
   * started, stopped or healthy; a network, volume or image), until `signal` aborts or the
   * sandbox is gone. Resolves then. A broken attach is opened again.
   */
  async watchActivity(sandbox: string, onActivity: () => void, signal: AbortSignal) {
    if (this.opts.mode !== 'resident') return;
    const pause = (ms: number) =>
      new Promise<void>((r) => {
        const t = setTimeout(r, ms);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(t);
            r();
          },
          { once: true },
        );
      });
    // Tries for as long as the sandbox runs: a checker being made again is only a pause.
    for (let failures = 0; !signal.aborted; ) {
      let checker: Known;
      try {
        checker = await this.checkerOf(sandbox, this.opts.deadline({ signal }));
      } catch (err) {
        if (isGone(err) || signal.aborted) return; // the sandbox itself is gone
        await pause(Math.min(5_000, 250 * 2 ** failures++));
        continue;
      }
      let channel: CheckerChannel;
      try {
        channel = await this.channelOf(checker);
      } catch {
        this.drop(sandbox, checker); // the checker ended since: made again next time round
        await pause(Math.min(5_000, 250 * 2 ** failures++));
        continue;
      }
      failures = 0;
      const stop = channel.onActivity(onActivity);
      await Promise.race([
        channel.whenClosed(),
        new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true })),
      ]);
      stop();
      if (!signal.aborted) this.drop(sandbox, checker);
    }
  }

  /**
   * The sandbox is being removed: from now on its checks and watches end as if it were gone,
   * and no checker is made for it again. Its checker's channel is closed.
   */
  retire(sandbox: string): void {
    if (this.retired.size >= MAX_KNOWN) this.retired.delete(this.retired.values().next().value!);
    this.retired.add(sandbox);
    const known = this.known.get(sandbox);
    this.known.delete(sandbox);
    void known?.channel?.then((c) => c.close()).catch(() => {});
  }

  /** Forgets a checker that ended (if it is still the one known for the sandbox). */
  private drop(sandbox: string, checker: Known): void {
    if (this.known.get(sandbox) === checker) this.known.delete(sandbox);
  }

  private runIn(checker: Known, run: ExecRequest, signal: AbortSignal): Promise<ExecResult> {
    if (this.opts.mode === 'exec')
      return execInContainer(
        this.opts.docker.getContainer(checker.id),
        run,
        signal,
        this.opts.deadline,
      );
    return this.channelOf(checker).then((channel) => channel.run(run, signal));
  }

  /** The checker's open channel: one per checker, shared by every caller. */
  private async channelOf(checker: Known): Promise<CheckerChannel> {
    const open = await checker.channel?.catch(() => undefined);
    if (open && !open.closed) return open;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), ATTACH_MS);
    checker.channel = CheckerChannel.open(
      this.opts.docker.getContainer(checker.id),
      ctl.signal,
    ).finally(() => clearTimeout(timer));
    return checker.channel;
  }

  private async checkerOf(sandbox: string, signal: AbortSignal): Promise<Known> {
    if (this.retired.has(sandbox)) throw slipwayError('SANDBOX_GONE');
    const known = this.known.get(sandbox);
    if (known) return known;
    const id = await ensureChecker(this.opts.docker, sandbox, signal);
    if (this.retired.has(sandbox)) throw slipwayError('SANDBOX_GONE');
    const again = this.known.get(sandbox);
    if (again?.id === id) return again;
    // Sandboxes come and go for as long as the runner (or agent) lives: keep the newest only.
    if (this.known.size >= MAX_KNOWN) {
      const [oldest, k] = this.known.entries().next().value!;
      this.known.delete(oldest);
      void k.channel?.then((c) => c.close()).catch(() => {});
    }
    const made: Known = { id };
    this.known.set(sandbox, made);
    return made;
  }

  /** The sandbox's processes from this machine's view (the engine's `top`), "PID ARGS" lines. */
  private async processes(sandbox: string, signal: AbortSignal): Promise<string> {
    const top = await engineCall('listing the sandbox processes', () =>
      call<{ Processes?: string[][] }>(this.opts.docker.getContainer(sandbox), 'top', {
        ps_args: '-eo pid,args',
        abortSignal: signal,
      }),
    );
    return (top.Processes ?? [])
      .map((p) => p.join(' '))
      .join('\n')
      .slice(0, 64 * 1024);
  }
}
