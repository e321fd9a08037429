/** The look every Slipway terminal shares: the learner's, replays and live shadows. */
export const terminalTheme = {
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

export const terminalFont =
  'ui-monospace, "SFMono-Regular", "JetBrains Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace';
