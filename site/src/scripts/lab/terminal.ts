/**
 * The xterm.js terminal of a lab, loaded only when a lab connects (it is most of the page's
 * JavaScript). Dark theme, fitted to its container, refitted whenever the container changes.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { terminalFont, terminalTheme as theme } from '../terminal-theme.ts';
import { ensureXtermStyles } from '../xterm-styles.ts';

export interface LabTerminal {
  term: Terminal;
  /** Refits to the container now; `onResize` fires if the size changed. */
  fit(): void;
  dispose(): void;
}

export function createTerminal(container: HTMLElement): LabTerminal {
  ensureXtermStyles();
  const term = new Terminal({
    theme,
    fontFamily: terminalFont,
    fontSize: 14,
    lineHeight: 1.15,
    cursorBlink: true,
    scrollback: 5000,
    // Screen readers (and browser tests) can read the output through the accessibility tree.
    screenReaderMode: true,
    allowProposedApi: false,
  });
  const fitAddon = new FitAddon();
  term.loadAddon(fitAddon);
  term.open(container);

  let frame = 0;
  const fit = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      // A hidden or zero-sized container has no meaningful size to fit to.
      if (container.clientWidth > 0 && container.clientHeight > 0) fitAddon.fit();
    });
  };
  const observer = new ResizeObserver(fit);
  observer.observe(container);
  window.addEventListener('resize', fit);
  if (container.clientWidth > 0 && container.clientHeight > 0) fitAddon.fit();

  return {
    term,
    fit,
    dispose() {
      cancelAnimationFrame(frame);
      observer.disconnect();
      window.removeEventListener('resize', fit);
      term.dispose();
    },
  };
}
