/**
 * Read-only xterm.js screens for the instructor (replays and live shadows): the lab
 * terminal's dark theme, no cursor blinking, no input, sized in columns and rows (the
 * learner's size), with the font shrunk so those columns fit the container.
 */
import { Terminal } from '@xterm/xterm';
import { terminalFont, terminalTheme as theme } from '../terminal-theme.ts';
import { ensureXtermStyles } from '../xterm-styles.ts';

const MAX_FONT = 14;
const MIN_FONT = 7;

export interface ReadOnlyTerminal {
  term: Terminal;
  /** Sets the size in columns and rows, then fits the font to the container. */
  resize(cols: number, rows: number): void;
  dispose(): void;
}

export function readOnlyTerminal(
  container: HTMLElement,
  size: { cols: number; rows: number },
  opts: { scrollback?: number } = {},
): ReadOnlyTerminal {
  ensureXtermStyles();
  const term = new Terminal({
    theme,
    cols: size.cols,
    rows: size.rows,
    fontFamily: terminalFont,
    fontSize: MAX_FONT,
    lineHeight: 1.15,
    cursorBlink: false,
    cursorStyle: 'block',
    cursorInactiveStyle: 'outline',
    disableStdin: true,
    scrollback: opts.scrollback ?? 2000,
    allowProposedApi: false,
  });
  term.open(container);

  let frame = 0;
  /** Largest font (up to MAX_FONT) at which all columns fit the container's width. */
  const fitFont = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const screen = container.querySelector<HTMLElement>('.xterm-screen');
      const style = getComputedStyle(container);
      const width =
        container.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (!screen || width <= 0 || screen.offsetWidth <= 0) return;
      const current = term.options.fontSize ?? MAX_FONT;
      const perFont = screen.offsetWidth / current;
      const next = Math.max(MIN_FONT, Math.min(MAX_FONT, Math.floor((width / perFont) * 4) / 4));
      if (Math.abs(next - current) >= 0.25) term.options.fontSize = next;
    });
  };
  const observer = new ResizeObserver(fitFont);
  observer.observe(container);
  fitFont();

  return {
    term,
    resize(cols, rows) {
      if (cols !== term.cols || rows !== term.rows) term.resize(cols, rows);
      fitFont();
    },
    dispose() {
      cancelAnimationFrame(frame);
      observer.disconnect();
      term.dispose();
    },
  };
}
