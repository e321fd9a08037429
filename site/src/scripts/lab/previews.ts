/**
 * The lab widget's web previews: buttons that open a port of the learner's sandbox in a pane
 * under the terminal, with reload, new tab and close. The pane loads the site's
 * `/preview/...` address, which redirects to the preview origin with a fresh entry token, so
 * Reload always works, even after the sandbox was replaced.
 */
import { previewUrl } from './protocol.ts';

export class PreviewPane {
  private readonly buttons: HTMLButtonElement[];
  private readonly pane: HTMLElement | null;
  private readonly frame: HTMLIFrameElement | null;
  private current: HTMLButtonElement | undefined;
  private readonly labId: string;

  constructor(root: HTMLElement, labId: string) {
    this.labId = labId;
    this.buttons = [...root.querySelectorAll<HTMLButtonElement>('[data-preview-port]')];
    this.pane = root.querySelector('[data-lab-preview-pane]');
    this.frame = this.pane?.querySelector('iframe') ?? null;
    if (!this.pane || !this.frame) return;
    for (const button of this.buttons) {
      button.addEventListener('click', () => this.open(button));
    }
    this.pane.querySelector('[data-preview-reload]')?.addEventListener('click', () => {
      // Through the site again, which hands out a fresh entry token.
      const url = this.current && this.urlOf(this.current);
      if (this.frame && url) this.frame.src = url;
    });
    this.pane.querySelector('[data-preview-close]')?.addEventListener('click', () => {
      const opener = this.current;
      this.close();
      opener?.focus();
    });
  }

  /** Previews work only while the sandbox runs. */
  setReady(ready: boolean): void {
    for (const button of this.buttons) {
      button.disabled = !ready;
      button.title = ready
        ? `Show ${button.dataset.previewTitle ?? 'it'} from your sandbox below the terminal`
        : 'Available once your sandbox is ready';
    }
  }

  open(button: HTMLButtonElement): void {
    if (!this.pane || !this.frame) return;
    const port = Number(button.dataset.previewPort);
    const url = this.urlOf(button);
    const title = button.dataset.previewTitle ?? `Port ${port}`;
    this.current = button;
    for (const b of this.buttons) b.setAttribute('aria-expanded', String(b === button));
    this.pane.hidden = false;
    const name = this.pane.querySelector('[data-preview-name]');
    if (name) name.textContent = title;
    const shown = this.pane.querySelector('[data-preview-url]');
    if (shown) shown.textContent = url;
    this.pane.querySelector<HTMLAnchorElement>('[data-preview-newtab]')?.setAttribute('href', url);
    this.frame.title = `${title} (web preview of your sandbox)`;
    // Setting the same src again reloads, which is what pressing the button again should do.
    this.frame.src = url;
    this.pane.scrollIntoView({ block: 'nearest' });
  }

  private urlOf(button: HTMLButtonElement): string {
    return previewUrl(
      this.labId,
      Number(button.dataset.previewPort),
      button.dataset.previewPath ?? '/',
    );
  }

  close(): void {
    if (!this.pane || !this.frame) return;
    this.pane.hidden = true;
    this.frame.removeAttribute('src');
    for (const b of this.buttons) b.setAttribute('aria-expanded', 'false');
    this.current = undefined;
  }
}
