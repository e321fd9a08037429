/** The class page's header: name, join code and link (with copy buttons), what it covers. */
import { pages } from '../api.ts';
import { copyButton, required, setHeading, setText } from '../dom.ts';
import { dateTime, plural } from '../format.ts';
import type { ClassView } from '../types.ts';
import { SignInToggle } from './sign-in-toggle.ts';

/** The line under the heading: learners, labs, when the class was made. */
export function classSubline(view: ClassView): string {
  const labs = view.labs.map((l) => l.title).join(', ') || 'no labs';
  return `${plural(view.rows.length, 'learner')} · ${plural(view.labs.length, 'lab')}: ${labs} · created ${dateTime(view.class.createdAt)}`;
}

export class ClassHeader {
  private readonly sub: HTMLElement;
  private readonly code: HTMLElement;
  private readonly link: HTMLInputElement;
  private readonly signIn: SignInToggle;

  constructor(root: HTMLElement) {
    this.sub = required('[data-class-sub]', root);
    this.code = required('[data-testid="class-join-code"]', root);
    this.link = required<HTMLInputElement>('[data-testid="class-join-link"]', root);
    this.signIn = new SignInToggle(required('[data-class-sign-in]', root), root);
    required('[data-copy-code]', root).replaceWith(
      copyButton('Copy code', () => this.code.textContent ?? '', 'copy-join-code'),
    );
    required('[data-copy-link]', root).replaceWith(
      copyButton('Copy link', () => this.link.value, 'copy-join-link'),
    );
  }

  render(view: ClassView): void {
    setHeading(view.class.name);
    setText(this.code, view.class.joinCode);
    const link = pages.join(location.origin, view.class.joinCode);
    if (this.link.value !== link) this.link.value = link;
    setText(this.sub, classSubline(view));
    this.signIn.render(view);
  }
}
