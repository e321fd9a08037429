import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LabTask } from '../labs/load-labs.ts';
import type { SandboxProvider } from '../sandbox/provider.ts';
import { batchCommand, finishedRuns, parseBatch } from './check-batch.ts';
import { type CheckOutcome, interpretCheck } from './check-result.ts';

const PRELUDE = readFileSync(new URL('./checklib.sh', import.meta.url), 'utf8');

export interface CheckRunnerOptions {
  /** Output kept per stream; a check that floods is cut here. */
  maxOutputBytes: number;
  /** Seconds after the TERM at the time limit before KILL. */
  killGraceSeconds?: number;
}

export type TimedOutcome = CheckOutcome & { durationMs: number };

/**
 * Runs task checks in a sandbox's checker (see ExecRequest.in): the learner never sees or edits
 * the script, and neither the tools nor the library it runs with.
 */
export class CheckRunner {
  private readonly provider: SandboxProvider;
  private readonly opts: CheckRunnerOptions;

  constructor(provider: SandboxProvider, opts: CheckRunnerOptions) {
    this.provider = provider;
    this.opts = opts;
  }

  /** One task's check: a batch of one, so it runs exactly as it would in a round. */
  async run(
    sandboxId: string,
    task: Pick<LabTask, 'checkScript' | 'timeout'>,
    signal?: AbortSignal,
  ): Promise<TimedOutcome> {
    const [outcome] = await this.runAll(sandboxId, [{ id: 'task', ...task }], signal);
    return outcome!;
  }

  /**
   * Every given task's check in one exec, each under its own limit, in order. Outcomes come
   * back in the tasks' order; a check the batch never reached is a timeout when the exec was
   * cut off, and broken when the batch itself failed. `onOutcome` hears each outcome once, as
   * soon as it is known: the first task's does not wait for the others'.
   */
  async runAll(
    sandboxId: string,
    tasks: ReadonlyArray<Pick<LabTask, 'id' | 'checkScript' | 'timeout'>>,
    signal?: AbortSignal,
    onOutcome?: (index: number, outcome: TimedOutcome) => void,
  ): Promise<TimedOutcome[]> {
    if (tasks.length === 0) return [];
    const heard = new Set<number>();
    const hear = (i: number, outcome: TimedOutcome) => {
      if (heard.has(i)) return;
      heard.add(i);
      onOutcome?.(i, outcome);
    };
    const grace = this.opts.killGraceSeconds ?? 2;
    const nonce = `@@slipway-${randomBytes(8).toString('hex')}`;
    const cap = this.opts.maxOutputBytes;
    const result = await this.provider.exec(
      sandboxId,
      {
        in: 'checker',
        sandboxProcesses: tasks.some((t) => t.checkScript.includes('sandbox_processes')),
        // Lets the checker's resident process run the batch itself, with the same output
        // (images/sandbox/checkd/checkd.pl); the bash program ignores it.
        env: { SLIPWAY_BATCH: `${nonce} ${grace} ${cap}` },
        cmd: batchCommand(
          PRELUDE,
          tasks.map((t) => ({ script: t.checkScript, timeoutSeconds: t.timeout })),
          { nonce, killGraceSeconds: grace, capBytes: cap },
        ),
        maxOutputBytes: tasks.length * (2 * cap + 200) + 100,
        onStdout: onOutcome
          ? (soFar) => {
              for (const [i, run] of finishedRuns(soFar, nonce))
                hear(i, { ...interpretCheck(run), durationMs: run.durationMs });
            }
          : undefined,
      },
      { signal, timeoutMs: tasks.reduce((sum, t) => sum + t.timeout + grace, 0) * 1000 + 3000 },
    );
    const runs = parseBatch(result.stdout, nonce);
    const outcomes = tasks.map((_, i): TimedOutcome => {
      const run = runs.get(i);
      if (run) return { ...interpretCheck(run), durationMs: run.durationMs };
      // Not reached: cut off by the deadline (a timeout), or the batch itself failed (broken).
      const cutOff = result.timedOut || result.exitCode === null;
      const exitCode = cutOff ? null : result.exitCode === 0 ? 255 : result.exitCode;
      return {
        ...interpretCheck({ exitCode, stdout: '', stderr: result.stderr, timedOut: cutOff }),
        durationMs: 0,
      };
    });
    for (const [i, outcome] of outcomes.entries()) hear(i, outcome);
    return outcomes;
  }
}
