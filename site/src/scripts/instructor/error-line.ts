/** A panel's error line: words for a refusal, or the sign-in page when the session ended. */
import { asFailure } from './api.ts';
import { h } from './dom.ts';

export function errorLine(testId: string, signedOut: () => void) {
  const el = h('p', { class: 'sw-form-error', role: 'alert', 'data-testid': testId });
  el.hidden = true;
  const say = (text: string) => {
    el.textContent = text;
    el.hidden = text === '';
  };
  const failed = (err: unknown) => {
    const f = asFailure(err);
    if (f.kind === 'signed-out') signedOut();
    else say(f.kind === 'offline' ? `${f.message} ${f.hint}` : f.message);
  };
  return { el, say, failed };
}
