import type { Logger } from '../errors/log.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import type { CommandMark } from '../terminal/command-marks.ts';

/**
 * What one learner did in one lab, stored for the instructor's timeline and published for
 * the live class view: commands, hints and solutions opened, their sandbox's life.
 */
export class ActivityLog {
  private readonly deps: { store: ProgressStore; bus: EventBus; logger: Logger };
  private readonly learnerId: string;
  private readonly labId: string;

  constructor(
    deps: { store: ProgressStore; bus: EventBus; logger: Logger },
    learnerId: string,
    labId: string,
  ) {
    this.deps = deps;
    this.learnerId = learnerId;
    this.labId = labId;
  }

  command(sessionId: string, mark: CommandMark): void {
    const { learnerId, labId } = this;
    try {
      this.deps.store.recordCommand({ learnerId, labId, sessionId, ...mark });
    } catch (err) {
      this.deps.logger.error('could not record a command', err, { lab: labId });
    }
    this.deps.bus.publish({
      kind: 'command',
      learnerId,
      labId,
      command: mark.command,
      exitCode: mark.exitCode,
      startedAt: mark.startedAt.toISOString(),
      at: mark.finishedAt.toISOString(),
    });
  }

  opened(kind: 'hint' | 'solution', taskId: string): void {
    const { learnerId, labId } = this;
    this.deps.store.recordLearnerEvent({ learnerId, labId, taskId, kind });
    this.deps.bus.publish({ kind, learnerId, labId, taskId, at: new Date().toISOString() });
  }

  sandbox(state: 'starting' | 'ready' | 'stopped' | 'failed', detail?: string): void {
    this.deps.bus.publish({
      kind: 'sandbox',
      learnerId: this.learnerId,
      labId: this.labId,
      state,
      at: new Date().toISOString(),
      ...(detail ? { detail } : {}),
    });
  }
}
