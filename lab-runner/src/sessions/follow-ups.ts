/**
 * After a command, what it started may need a moment before a check can see it (a server still
 * binding its port, a health check's first probe), and no engine event marks that moment; with
 * rounds following the engine's events, the next poll can be half a minute away. So the task
 * the learner was on when they pressed Enter is checked again a little later, at each of
 * `delaysMs` after the round before, until it passes. A new command starts over; the rounds
 * are the platform's (`poll`), and cost a check or two per command that did not finish a task.
 */
export class FollowUps {
  private readonly delaysMs: readonly number[];
  private readonly round: () => void;
  private left: number[] = [];
  private task: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(delaysMs: readonly number[], round: () => void) {
    this.delaysMs = delaysMs;
    this.round = round;
  }

  /** Enter was pressed while the learner was on `task` (undefined: every task is done). */
  commandEntered(task: string | undefined): void {
    this.cancel();
    this.task = task;
    this.left = task ? [...this.delaysMs] : [];
  }

  /** A round of checks finished; `passed` tells whether a task has passed by now. */
  roundDone(passed: (task: string) => boolean): void {
    if (this.timer || this.task === undefined) return;
    if (passed(this.task) || this.left.length === 0) {
      this.cancel();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.round();
    }, this.left.shift());
    this.timer.unref();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.left = [];
    this.task = undefined;
  }
}
