/**
 * A lab's focus mode: the lab fills the window, its terminal beside the task list (below it on
 * a narrow screen; the layout is in site/src/styles/lab-focus.css). The lab is shown in the
 * browser's top layer (a manual popover), so it stays where it is in the page (the terminal,
 * a preview's frame and every listener are untouched) and above Starlight's header whatever
 * the page's stacking. Meanwhile the rest of the page is inert and does not scroll, and a
 * placeholder keeps its layout, so leaving returns to the same place. The lab bar's toggle
 * (aria-pressed) and Escape leave; Escape in the terminal belongs to the shell.
 */
import { inertAround } from './inert-around.ts';

export function focusModeSupported(): boolean {
  return typeof HTMLElement !== 'undefined' && 'showPopover' in HTMLElement.prototype;
}

export class FocusMode {
  private readonly root: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly onChange: (on: boolean) => void;
  private on = false;
  private scrollY = 0;
  private placeholder: HTMLElement | undefined;
  private restoreInert: (() => void) | undefined;

  constructor(root: HTMLElement, button: HTMLButtonElement, onChange: (on: boolean) => void) {
    this.root = root;
    this.button = button;
    this.onChange = onChange;
    if (!focusModeSupported()) return; // The toggle stays hidden; the lab works as it is.
    button.hidden = false;
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('click', () => (this.on ? this.exit() : this.enter()));
    // Something else closed the popover (a manual one is not light-dismissed, but be sure).
    root.addEventListener('toggle', () => {
      if (this.on && !root.matches(':popover-open')) this.exit();
    });
  }

  get active(): boolean {
    return this.on;
  }

  enter(): void {
    if (this.on) return;
    this.on = true;
    this.scrollY = window.scrollY;
    const style = getComputedStyle(this.root);
    const ph = document.createElement('div');
    ph.setAttribute('aria-hidden', 'true');
    ph.dataset.labPlaceholder = '';
    ph.style.height = `${this.root.offsetHeight}px`;
    ph.style.marginTop = style.marginTop;
    ph.style.marginBottom = style.marginBottom;
    this.root.before(ph);
    this.placeholder = ph;

    this.root.setAttribute('popover', 'manual');
    this.root.toggleAttribute('data-focus', true);
    this.root.showPopover();
    document.documentElement.toggleAttribute('data-lab-focus', true);
    this.restoreInert = inertAround(this.root);
    this.button.setAttribute('aria-pressed', 'true');
    this.button.title = 'Back to the lesson (Esc)';
    document.addEventListener('keydown', this.onKey);
    this.onChange(true);
  }

  exit(): void {
    if (!this.on) return;
    this.on = false;
    document.removeEventListener('keydown', this.onKey);
    if (this.root.matches(':popover-open')) this.root.hidePopover();
    this.root.removeAttribute('popover');
    this.root.removeAttribute('data-focus');
    this.restoreInert?.();
    this.restoreInert = undefined;
    document.documentElement.removeAttribute('data-lab-focus');
    this.placeholder?.remove();
    this.placeholder = undefined;
    this.button.setAttribute('aria-pressed', 'false');
    this.button.title = 'Give the lab the whole window';
    window.scrollTo({ top: this.scrollY, behavior: 'instant' });
    this.button.focus({ preventScroll: true });
    this.onChange(false);
  }

  /** Escape leaves, unless it was meant for the terminal (xterm.js stops those itself). */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if (e.target instanceof Node && this.root.querySelector('.xterm')?.contains(e.target)) return;
    e.preventDefault();
    this.exit();
  };
}
