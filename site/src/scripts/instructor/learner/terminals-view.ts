/**
 * The learner page's "Watch live": a line per lab of the class saying whether the learner has a
 * terminal open there (the API's `terminals`), and the read-only shadow of the one picked.
 */
import { h, required } from '../dom.ts';
import { lastSize, parseCast } from '../replay/asciicast.ts';
import { Shadow, type ShadowState } from '../shadow.ts';
import type { LabOutline, RecordingRef } from '../types.ts';

const DEFAULT_SIZE = { cols: 100, rows: 28 };

export const terminalBadge = (open: boolean) => (open ? 'terminal open' : 'no terminal open');

/** The learner's latest recording of a lab: its last size is their terminal's size. */
export const latestRecording = (recordings: readonly RecordingRef[], labId: string) =>
  [...recordings].reverse().find((r) => r.labId === labId);

export interface TerminalsDeps {
  classId: string;
  learnerId: string;
  labName: (id: string) => string;
  recordings: () => readonly RecordingRef[];
  recordingText: (id: number) => Promise<string>;
}

export class TerminalsView {
  private readonly list: HTMLElement;
  private readonly frame: HTMLElement;
  private readonly screen: HTMLElement;
  private readonly status: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly deps: TerminalsDeps;
  private shadow: Shadow | undefined;

  constructor(root: HTMLElement, deps: TerminalsDeps) {
    this.deps = deps;
    this.list = required('[data-shadow-labs]', root);
    this.frame = required('[data-shadow-frame]', root);
    this.screen = required('[data-testid="shadow"]', root);
    this.status = required('[data-testid="shadow-status"]', root);
    this.statusText = required('[data-shadow-status-text]', root);
    required('[data-testid="shadow-close"]', root).addEventListener('click', () => this.close());
  }

  /** One line per lab, with a button to watch it. */
  render(labs: readonly LabOutline[], terminals: readonly string[]): void {
    if (labs.length === 0) {
      this.list.replaceChildren(h('li', { class: 'sw-muted' }, 'This class has no labs.'));
      return;
    }
    this.list.replaceChildren(
      ...labs.map((lab) => {
        const button = h(
          'button',
          {
            type: 'button',
            class: 'sw-button sw-button--quiet',
            'data-testid': `shadow-open-${lab.id}`,
          },
          'Watch live',
        );
        button.addEventListener('click', () => void this.open(lab.id));
        return h(
          'li',
          { class: 'sw-shadow-lab', 'data-lab': lab.id },
          h(
            'span',
            { class: 'sw-shadow-lab-name' },
            h('span', { class: 'sw-lab-dot', 'aria-hidden': 'true' }),
            lab.title,
          ),
          h('span', { class: 'sw-shadow-lab-state', 'data-lab-state': '' }),
          button,
        );
      }),
    );
    this.mark(terminals);
  }

  /** Which labs have a terminal open now. */
  mark(terminals: readonly string[]): void {
    for (const item of this.list.querySelectorAll<HTMLElement>('[data-lab]'))
      this.markLab(item, terminals.includes(item.dataset.lab ?? ''));
  }

  close(): void {
    this.shadow?.close();
    this.shadow = undefined;
    this.frame.hidden = true;
    for (const b of this.list.querySelectorAll<HTMLElement>('[data-lab]')) b.dataset.open = 'false';
  }

  private markLab(item: HTMLElement, open: boolean): void {
    item.dataset.live = String(open);
    const badge = item.querySelector('[data-lab-state]');
    if (badge) badge.textContent = terminalBadge(open);
  }

  private showState(state: ShadowState, text: string): void {
    this.status.dataset.state = state;
    this.statusText.textContent = text;
  }

  private async size(labId: string): Promise<{ cols: number; rows: number }> {
    const rec = latestRecording(this.deps.recordings(), labId);
    if (!rec) return DEFAULT_SIZE;
    try {
      return lastSize(parseCast(await this.deps.recordingText(rec.id)));
    } catch {
      return DEFAULT_SIZE;
    }
  }

  private async open(labId: string): Promise<void> {
    const name = this.deps.labName(labId);
    this.shadow?.close();
    this.shadow = undefined;
    this.frame.hidden = false;
    this.showState('connecting', `Connecting to the terminal in ${name}…`);
    for (const b of this.list.querySelectorAll<HTMLElement>('[data-lab]'))
      b.dataset.open = String(b.dataset.lab === labId);
    const size = await this.size(labId);
    this.shadow = new Shadow(this.screen, {
      classId: this.deps.classId,
      learnerId: this.deps.learnerId,
      labId,
      size,
      onState: (state, text) => {
        this.showState(state, state === 'live' ? `Live: ${name} (read-only)` : text);
        const item = this.list.querySelector<HTMLElement>(`[data-lab="${CSS.escape(labId)}"]`);
        if (item && (state === 'live' || state === 'unavailable'))
          this.markLab(item, state === 'live');
      },
    });
    this.frame.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }
}
