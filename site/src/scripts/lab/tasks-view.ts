/**
 * The lab widget's task list: task states, the reasons shown under unfinished tasks, the
 * progress line and meter, and which hints and solutions the learner opened.
 */
import { announceLabProgress } from '../progress/events.ts';
import {
  applyTaskMessage,
  PROTOCOL_VERSION,
  progressText,
  type ServerMessage,
  type TaskStatus,
  visibleReasons,
} from './protocol.ts';
import { required } from './view.ts';

const stateLabel: Record<TaskStatus['state'], string> = {
  pending: 'not checked yet',
  failing: 'not done yet',
  passed: 'done',
};

export type Reveal = 'hint' | 'solution';

export class TaskList {
  private readonly order: string[];
  private statuses = new Map<string, TaskStatus>();
  /** Tasks whose latest result came from a Check click: their reasons stay visible. */
  private readonly clicked = new Set<string>();
  private readonly progress: HTMLElement;
  private readonly meter: HTMLElement;
  private readonly root: HTMLElement;
  private readonly labId: string;

  constructor(root: HTMLElement, labId: string, onReveal: (kind: Reveal, taskId: string) => void) {
    this.root = root;
    this.labId = labId;
    this.order = [...root.querySelectorAll<HTMLElement>('[data-task]')].map(
      (li) => li.dataset.task ?? '',
    );
    for (const id of this.order) this.statuses.set(id, { id, state: 'pending' });
    this.progress = required(root, '[data-testid="lab-progress"]');
    this.meter = required(root, '[data-lab-meter]');
    const reveals: [string, Reveal][] = [
      ['details[data-hint-for]', 'hint'],
      ['details[data-solution-for]', 'solution'],
    ];
    for (const [selector, kind] of reveals) {
      for (const details of root.querySelectorAll<HTMLDetailsElement>(selector)) {
        details.addEventListener('toggle', () => {
          const taskId = details.dataset.hintFor ?? details.dataset.solutionFor;
          if (details.open && taskId) onReveal(kind, taskId);
        });
      }
    }
  }

  get allPassed(): boolean {
    return this.order.every((id) => this.statuses.get(id)?.state === 'passed');
  }

  /** The learner's saved progress (`GET /api/labs/<id>`). */
  load(progress: readonly TaskStatus[]): void {
    this.statuses = applyTaskMessage(this.statuses, {
      v: PROTOCOL_VERSION,
      type: 'tasks',
      tasks: [...progress],
    });
    this.render();
  }

  /** A `tasks` snapshot or a `task` change from the runner. */
  apply(msg: Extract<ServerMessage, { type: 'tasks' | 'task' }>): void {
    if (msg.type === 'task') {
      if (msg.trigger === 'click') this.clicked.add(msg.task.id);
      else if (msg.task.state === 'passed') this.clicked.delete(msg.task.id);
    }
    this.statuses = applyTaskMessage(this.statuses, msg);
    this.render();
  }

  /** After a reset: reasons from Check clicks no longer apply. */
  forgetClicks(): void {
    this.clicked.clear();
    this.render();
  }

  private render(): void {
    const reasons = visibleReasons(this.order, this.statuses, this.clicked);
    let done = 0;
    const current = this.order.find((id) => this.statuses.get(id)?.state !== 'passed');
    for (const id of this.order) {
      const s = this.statuses.get(id) ?? { id, state: 'pending' as const };
      if (s.state === 'passed') done += 1;
      const li = this.root.querySelector<HTMLElement>(`[data-task="${CSS.escape(id)}"]`);
      if (!li) continue;
      li.dataset.state = s.state;
      li.toggleAttribute('data-current', id === current);
      const label = li.querySelector('[data-task-state]');
      if (label) label.textContent = `(${stateLabel[s.state]})`;
      const reason = li.querySelector<HTMLElement>('[data-testid="task-reason"]');
      if (reason) {
        const text = reasons.has(id) ? (s.reason ?? '') : '';
        reason.textContent = text;
        reason.hidden = text === '';
      }
      // A completed task stays completed; while its check fails again, the learner reads why.
      const regression = li.querySelector<HTMLElement>('[data-testid="task-regression"]');
      if (regression) {
        const text = s.state === 'passed' ? (s.regression?.reason ?? '') : '';
        regression.textContent = text;
        regression.hidden = text === '';
        li.toggleAttribute('data-regression', text !== '');
      }
    }
    const total = this.order.length;
    this.progress.textContent = progressText(done, total);
    this.meter.style.setProperty('--done', String(total === 0 ? 0 : done / total));
    this.root.toggleAttribute('data-complete', total > 0 && done === total);
    // The sidebar and the course overview follow along.
    announceLabProgress({ labId: this.labId, done, total });
  }
}
