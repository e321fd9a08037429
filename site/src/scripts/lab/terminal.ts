/**
 * The xterm.js terminal of a lab, loaded only when a lab connects (it is most of the page's
 * JavaScript). Dark theme, fitted to its container, refitted whenever the container changes.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

export interface LabTerminal {
  term: Terminal;
  /** Refits to the container now; `onResize` fires if the size changed. */
  fit(): void;
  dispose(): void;
}

const theme = {
  background: '#0f141a',
  foreground: '#dde3ea',
  cursor: '#7cc7ff',
  cursorAccent: '#0f141a',
  selectionBackground: '#2f4a66',
  black: '#1b222b',
  red: '#ff7b72',
  green: '#7ee787',
  yellow: '#e3b341',
  blue: '#79c0ff',
  magenta: '#d2a8ff',
  cyan: '#56d4dd',
  white: '#c9d1d9',
  brightBlack: '#6e7681',
  brightRed: '#ffa198',
  brightGreen: '#aff5b4',
  brightYellow: '#f8e3a1',
  brightBlue: '#a5d6ff',
  brightMagenta: '#e2c5ff',
  brightCyan: '#b3f0ff',
  brightWhite: '#f0f6fc',
};

export function createTerminal(container: HTMLElement): LabTerminal {
  const term = new Terminal({
    theme,
    fontFamily:
      'ui-monospace, "SFMono-Regular", "JetBrains Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace',
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
