/** The learner page's top: heading, where they are now, needing help, and their tasks. */
import { required, setHeading, setText } from '../dom.ts';
import { dateTime, sandboxLabel } from '../format.ts';
import { currentText, tasksDone } from '../live-view.ts';
import {
  attemptsText,
  helpTitle,
  lastActiveText,
  renderStuck,
  timeOnTaskText,
} from '../row-facts.ts';
import type { LabOutline, RosterRow } from '../types.ts';

export class LearnerSummary {
  private readonly sub: HTMLElement;
  private readonly stuck: HTMLElement;
  private readonly root: HTMLElement;
  private row: RosterRow | undefined;

  constructor(root: HTMLElement) {
    this.root = root;
    this.sub = required('[data-learner-sub]', root);
    this.stuck = required('[data-testid="learner-stuck"]', root);
  }

  private sum(name: string): HTMLElement {
    return required(`[data-sum="${name}"]`, this.root);
  }

  render(
    row: RosterRow,
    labs: readonly LabOutline[],
    className: string,
    joinedAt: string,
    skewMs: number,
  ): void {
    this.row = row;
    setHeading(row.displayName);
    setText(this.sub, `In ${className} · joined ${dateTime(joinedAt)}`);
    const { done, total } = tasksDone(row, labs);
    setText(this.sum('progress'), `${done} of ${total}`);
    this.sum('meter').style.width = `${total > 0 ? (done / total) * 100 : 0}%`;
    const now = currentText(row, labs);
    setText(this.sum('now'), now.task);
    setText(this.sum('now-lab'), now.lab);
    setText(this.sum('attempts'), attemptsText(row));
    setText(this.sum('help'), `${row.hints} / ${row.solutions}`);
    this.sum('help').title = helpTitle(row);
    setText(this.sum('sandbox'), sandboxLabel(row.sandbox));
    this.sum('sandbox').dataset.state = row.sandbox;
    renderStuck(this.stuck, row);
    this.tick(skewMs);
  }

  /** Time on task and last active move with the clock. */
  tick(skewMs: number): void {
    const row = this.row;
    if (!row) return;
    const now = Date.now();
    setText(this.sum('time'), timeOnTaskText(row, skewMs, now));
    setText(this.sum('last'), lastActiveText(row, skewMs, now));
    this.sum('last').title = row.lastActivity ? dateTime(row.lastActivity) : '';
  }
}
