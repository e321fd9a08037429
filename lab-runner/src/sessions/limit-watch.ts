import type { Logger } from '../errors/log.ts';
import type { SandboxLimits, SandboxProvider } from '../sandbox/provider.ts';
import type { LabSession } from './lab-session.ts';
import { diskStop, limitNotices } from './limit-policy.ts';

/**
 * Reads each ready sandbox's memory, processes and disk, and tells its learner which limit
 * they are at (see limit-policy). Disk is a budget Slipway enforces itself: far past it, the
 * sandbox is stopped with its progress kept.
 */
export class LimitWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly deps: {
    sessions: () => Iterable<LabSession>;
    provider: SandboxProvider;
    logger: Logger;
    settings: { limits: SandboxLimits; diskBytes: number };
  };

  constructor(deps: LimitWatch['deps']) {
    this.deps = deps;
  }

  async sweep(): Promise<void> {
    const { sessions, provider, logger, settings } = this.deps;
    for (const session of [...sessions()]) {
      const id = session.readySandboxId;
      if (!id) continue;
      const limits = {
        memoryBytes: session.lab.sandbox.memory ?? settings.limits.memoryBytes,
        pids: session.lab.sandbox.pids ?? settings.limits.pids,
        diskBytes: settings.diskBytes,
      };
      try {
        const [stats, diskBytes] = await Promise.all([
          provider.stats(id, { timeoutMs: 5_000 }),
          session.platformWork.track(() => provider.diskUsage(id, { timeoutMs: 30_000 })),
        ]);
        if (session.readySandboxId !== id) continue;
        const stop = diskStop(diskBytes, limits);
        if (stop) {
          await session.stopForLimit('disk', stop);
          continue;
        }
        session.reportLimits(limitNotices({ ...stats, diskBytes }, limits));
      } catch (err) {
        logger.warn('could not read a sandbox against its limits', {
          sandbox: id,
          error: (err as Error).message,
        });
      }
    }
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((err) => this.deps.logger.error('limit sweep failed', err))
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
