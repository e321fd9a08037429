import css from '@xterm/xterm/css/xterm.css?inline';

/**
 * Adds xterm's stylesheet to the page, once. It travels inside the terminal's lazily loaded
 * code: imported as a stylesheet, the build would put it on every page, lab or not.
 */
export function ensureXtermStyles(doc: Document = document): void {
  if (doc.getElementById('slipway-xterm-css')) return;
  const style = doc.createElement('style');
  style.id = 'slipway-xterm-css';
  style.textContent = css;
  doc.head.append(style);
}
