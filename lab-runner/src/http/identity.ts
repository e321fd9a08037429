import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LearnerCookies } from '../identity/learner-cookie.ts';
import type { ProgressStore } from '../progress/progress-store.ts';

/**
 * Who is asking: the signed learner cookie. It is issued (and the learner stored) only when
 * someone acts: opens a lab's terminal, joins a class, reads a lesson to its end. Looking
 * around stores nothing, so cookieless requests cannot fill the database.
 */
export class Identity {
  private readonly cookies: LearnerCookies;
  private readonly store: ProgressStore;

  constructor(cookies: LearnerCookies, store: ProgressStore) {
    this.cookies = cookies;
    this.store = store;
  }

  /** The learner behind a request, if their cookie is valid and known. */
  read(req: IncomingMessage): string | undefined {
    const id = this.cookies.read(req.headers.cookie);
    return id !== undefined && this.store.learnerExists(id) ? id : undefined;
  }

  /** The learner behind a request, for an action; a new one (with a Set-Cookie) when there is none. */
  ensure(req: IncomingMessage, res: ServerResponse): string {
    const existing = this.cookies.read(req.headers.cookie);
    if (existing !== undefined) {
      this.store.touchLearner(existing);
      return existing;
    }
    const id = this.cookies.newLearnerId();
    this.store.touchLearner(id);
    res.setHeader('set-cookie', this.cookies.header(id));
    return id;
  }
}
