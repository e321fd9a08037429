/**
 * "Learners must sign in to join" on the class page: shown where learners can sign in (or
 * while the class still asks for it, so it can be turned off), saved at once when changed.
 */
import { fetchAuthStatus } from '../../sign-in/sign-in.ts';
import { api, asFailure, paths } from '../api.ts';
import { required } from '../dom.ts';
import type { ClassView } from '../types.ts';

export class SignInToggle {
  private readonly label: HTMLElement;
  private readonly box: HTMLInputElement;
  private readonly error: HTMLElement;
  private offered = false;
  private classId = '';
  private saving = false;

  constructor(label: HTMLElement, root: HTMLElement) {
    this.label = label;
    this.box = required<HTMLInputElement>('input', label);
    this.error = required('[data-testid="class-sign-in-error"]', root);
    this.box.addEventListener('change', () => void this.save());
    void fetchAuthStatus().then((s) => {
      this.offered = Boolean(s?.sso && s.sso.learners !== 'off');
      if (this.offered) this.label.hidden = false;
    });
  }

  render(view: ClassView): void {
    this.classId = view.class.id;
    if (!this.saving) this.box.checked = view.class.requireSignIn;
    this.label.hidden = !(this.offered || view.class.requireSignIn);
  }

  private async save(): Promise<void> {
    const want = this.box.checked;
    this.saving = true;
    this.error.hidden = true;
    try {
      await api(paths.classSettings(this.classId), {
        method: 'POST',
        body: { requireSignIn: want },
      });
    } catch (err) {
      const f = asFailure(err);
      this.box.checked = !want;
      this.error.textContent = f.hint ? `${f.message} ${f.hint}` : f.message;
      this.error.hidden = false;
    } finally {
      this.saving = false;
    }
  }
}
