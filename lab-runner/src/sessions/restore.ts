import type { Logger } from '../errors/log.ts';
import type { Lab } from '../labs/load-labs.ts';
import type { SandboxProvider } from '../sandbox/provider.ts';

/**
 * Replays the solutions of completed tasks, in lab order, in a fresh sandbox, so one that died
 * (or was stopped for idling) comes back where the learner was. A step that fails is logged and
 * the rest still run.
 */
export async function replaySolutions(
  deps: { provider: SandboxProvider; logger: Logger },
  sandboxId: string,
  lab: Lab,
  tasks: Lab['tasks'],
  timeoutMs: number,
): Promise<void> {
  for (const task of tasks) {
    const r = await deps.provider
      .exec(
        sandboxId,
        {
          cmd: ['bash', '-c', task.solution],
          user: deps.provider.learnerUser,
          maxOutputBytes: 16_384,
        },
        { timeoutMs },
      )
      .catch((err: unknown) => ({ exitCode: -1, stderr: (err as Error).message }));
    if (r.exitCode !== 0) {
      deps.logger.warn('restoring a task failed', {
        lab: lab.id,
        task: task.id,
        stderr: r.stderr.slice(-500),
      });
    }
  }
}
