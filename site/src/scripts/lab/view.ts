/**
 * The lab widget's status bar, overlay and buttons: what the controller shows, without any
 * knowledge of sockets or the runner.
 */
import type { SandboxPhase } from './protocol.ts';

/** What the status line's `data-phase` can say: the runner's phases plus the page's own. */
export type Phase = SandboxPhase | 'idle' | 'offline' | 'closed';

export function required<T extends Element>(root: Element, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`lab widget is missing ${selector}`);
  return el;
}

export interface Buttons {
  start?: boolean;
  retry?: boolean;
  check?: boolean;
  reset?: boolean;
}

export class LabView {
  readonly status: HTMLElement;
  readonly statusHint: HTMLElement;
  readonly start: HTMLButtonElement;
  readonly retry: HTMLButtonElement;
  readonly check: HTMLButtonElement;
  readonly reset: HTMLButtonElement;
  readonly focus: HTMLButtonElement;
  readonly screen: HTMLElement;
  readonly terminal: HTMLElement;
  readonly keep: HTMLButtonElement;
  private readonly idleEl: HTMLElement;
  private readonly idleText: HTMLElement;
  private readonly limitsEl: HTMLElement;
  private readonly noticeEl: HTMLElement;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly overlayEl: HTMLElement;
  private readonly overlayText: HTMLElement;
  private readonly root: HTMLElement;

  constructor(root: HTMLElement) {
    this.root = root;
    this.status = required(root, '[data-testid="lab-status"]');
    this.statusHint = required(root, '[data-testid="lab-status-hint"]');
    this.start = required(root, '[data-testid="lab-start"]');
    this.retry = required(root, '[data-testid="lab-retry"]');
    this.check = required(root, '[data-testid="lab-check"]');
    this.reset = required(root, '[data-testid="lab-reset"]');
    this.focus = required(root, '[data-testid="lab-focus"]');
    this.screen = required(root, '[data-lab-screen]');
    this.terminal = required(root, '[data-testid="lab-terminal"]');
    this.idleEl = required(root, '[data-testid="lab-idle"]');
    this.idleText = required(root, '[data-lab-idle-text]');
    this.limitsEl = required(root, '[data-testid="lab-limits"]');
    this.noticeEl = required(root, '[data-testid="lab-notice"]');
    this.keep = required(root, '[data-testid="lab-keep"]');
    this.overlayEl = required(root, '[data-lab-overlay]');
    this.overlayText = required(root, '[data-lab-overlay-text]');
  }

  setStatus(phase: Phase, message: string, hint?: string): void {
    this.status.dataset.phase = phase;
    this.status.textContent = message;
    this.root.dataset.labPhase = phase;
    this.statusHint.textContent = hint ?? '';
    this.statusHint.hidden = !hint;
    if (phase !== 'closed') this.retry.textContent = 'Retry';
  }

  /** The warning of a coming idle or time-limit stop (null hides it); "Keep working" only helps when idle. */
  idle(text: string | null, canKeep = true): void {
    this.idleEl.hidden = text === null;
    this.idleText.textContent = text ?? '';
    this.keep.hidden = !canKeep;
  }

  /** The sandbox limits the learner is at, one line each; an empty list hides them. */
  limits(messages: readonly string[]): void {
    this.limitsEl.replaceChildren(
      ...messages.map((m) => {
        const li = document.createElement('li');
        li.textContent = m;
        return li;
      }),
    );
    this.limitsEl.hidden = messages.length === 0;
  }

  /** Something about the learner's input (dropped, thrown away by Ctrl-C), shown for a while. */
  notice(text: string): void {
    clearTimeout(this.noticeTimer);
    this.noticeEl.textContent = text;
    this.noticeEl.hidden = false;
    this.noticeTimer = setTimeout(() => {
      this.noticeEl.hidden = true;
    }, 20_000);
  }

  /** The layer over the terminal: text (or none), a spinner, or nothing at all (`null`). */
  overlay(text: string | null, busy = false): void {
    this.overlayEl.hidden = text === null;
    this.overlayText.textContent = text ?? '';
    this.overlayText.hidden = !text;
    this.screen.dataset.busy = busy ? 'true' : 'false';
  }

  showButtons(show: Buttons): void {
    this.start.hidden = !show.start;
    this.retry.hidden = !show.retry;
    this.check.hidden = !show.check;
    this.reset.hidden = !show.reset;
  }

  checking(on: boolean): void {
    this.check.disabled = on;
    this.check.textContent = on ? 'Checking…' : 'Check my work';
  }

  /** Brings the terminal on screen (for Run buttons elsewhere on the page). */
  scrollToTerminal(): void {
    const box = this.screen.getBoundingClientRect();
    if (box.top >= 0 && box.bottom <= window.innerHeight) return;
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.screen.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
  }

  /** Whether the terminal is fully on screen. */
  terminalVisible(): boolean {
    const box = this.terminal.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }
}
