/**
 * Run buttons: "Run" on a lesson's ```sh run blocks and "Run in terminal" under a task's
 * solution. Each carries the lines to type (`data-run`, JSON); a click types them into the lab
 * terminal of its widget, or of the first lab on the page, starting the lab if needed. The
 * buttons are rendered `hidden`, so they only appear when this script runs.
 */
import type { LabController } from './controller.ts';

function linesOf(button: HTMLElement): string[] | undefined {
  try {
    const lines: unknown = JSON.parse(button.dataset.run ?? '');
    if (Array.isArray(lines) && lines.every((l) => typeof l === 'string')) return lines;
  } catch {
    // Not JSON: leave the button hidden.
  }
  return undefined;
}

function setLabel(button: HTMLElement, text: string): void {
  const label = button.querySelector('[data-run-text], .slipway-run-label');
  if (label) label.textContent = text;
}

export function wireRunButtons(controllers: ReadonlyMap<HTMLElement, LabController>): void {
  const first = controllers.values().next().value;
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-run]')) {
    if (button.dataset.runWired) continue;
    const root = button.closest<HTMLElement>('[data-lab]');
    const controller = (root && controllers.get(root)) ?? first;
    const lines = linesOf(button);
    if (!controller || !lines) continue;
    button.dataset.runWired = 'true';
    button.hidden = false;
    const idleLabel =
      button.querySelector('[data-run-text], .slipway-run-label')?.textContent ?? 'Run';
    button.addEventListener('click', () => {
      if (button.dataset.state === 'waiting') return;
      button.dataset.state = 'waiting';
      button.setAttribute('aria-busy', 'true');
      setLabel(button, controller.needsStart ? 'Starting lab…' : 'Typing…');
      const typing = () => setLabel(button, 'Typing…');
      void controller.run(lines, typing).then(() => {
        delete button.dataset.state;
        button.removeAttribute('aria-busy');
        setLabel(button, idleLabel);
      });
    });
  }
}
