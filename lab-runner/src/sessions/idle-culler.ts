import type { Logger } from '../errors/log.ts';
import type { SandboxProvider } from '../sandbox/provider.ts';
import { busy, decideIdle, type IdleSettings } from './idle-policy.ts';
import type { LabSession } from './lab-session.ts';

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 1) return `${Math.max(1, Math.round(ms / 1000))} seconds`;
  if (m % 60 === 0 && m >= 60) return `${m / 60} hour${m === 60 ? '' : 's'}`;
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/**
 * Stops sandboxes nobody uses. Each sweep samples every ready sandbox's CPU time (work in the
 * sandbox counts as activity, see `busy`, unless the platform's own checks ran in it during the
 * sample), then applies `decideIdle`: warn the learner's open
 * pages, or stop the sandbox, keeping its progress.
 */
export class IdleCuller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly samples = new Map<string, { cpuNanos: number; at: number }>();
  private readonly deps: {
    sessions: () => Iterable<LabSession>;
    provider: SandboxProvider;
    logger: Logger;
    settings: IdleSettings;
  };

  constructor(deps: IdleCuller['deps']) {
    this.deps = deps;
  }

  async sweep(now = Date.now()): Promise<void> {
    const { sessions, provider, logger, settings } = this.deps;
    const seen = new Set<string>();
    for (const session of sessions()) {
      const clock = session.idleClock(now);
      if (!clock) continue;
      seen.add(clock.sandboxId);
      try {
        const { cpuNanos } = await provider.stats(clock.sandboxId, { timeoutMs: 5_000 });
        const sample = { cpuNanos, at: now };
        const previous = this.samples.get(clock.sandboxId);
        // CPU spent while the platform itself worked in the sandbox says nothing about the learner.
        const platform = previous !== undefined && session.platformWork.since(previous.at);
        if (!platform && busy(previous, sample)) session.markActive(now);
        this.samples.set(clock.sandboxId, sample);
      } catch (err) {
        // No sample this round: the decision rests on the other signals.
        logger.warn('could not sample a sandbox', { error: (err as Error).message });
      }
      const d = decideIdle(session.idleClock(now) ?? clock, settings);
      if (d.action === 'stop') {
        const message =
          d.reason === 'idle'
            ? `Your sandbox was stopped after ${minutes(settings.idleMs)} without activity. Your completed tasks are kept: Start brings a new sandbox back to where you were.`
            : `Your sandbox reached its time limit of ${minutes(settings.lifetimeMs)} and was stopped. Your completed tasks are kept: Start brings a new sandbox back to where you were.`;
        await session
          .stopIdle(d.reason, message)
          .catch((err) => logger.error('could not stop an idle sandbox', err));
      } else {
        session.warnIdle(d);
      }
    }
    for (const id of this.samples.keys()) if (!seen.has(id)) this.samples.delete(id);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      // A slow sweep (an engine under load) is never overlapped by the next one.
      this.running ??= this.sweep()
        .catch((err) => this.deps.logger.error('idle sweep failed', err))
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
