import type { IncomingMessage, ServerResponse } from 'node:http';
import { slipwayError } from '../errors/catalogue.ts';
import type { LearnerCookies } from '../identity/learner-cookie.ts';
import type { ProgressStore } from '../progress/progress-store.ts';

/**
 * When single sign-on requires learners to sign in: whether a learner belongs to a person
 * who did. Without it, every learner may act anonymously.
 */
export interface SignInPolicy {
  required: boolean;
  isLinked(learnerId: string): boolean;
}

/**
 * Who is asking: the signed learner cookie. It is issued (and the learner stored) only when
 * someone acts: opens a lab's terminal, joins a class, reads a lesson to its end. Looking
 * around stores nothing, so cookieless requests cannot fill the database.
 */
export class Identity {
  readonly cookies: LearnerCookies;
  private readonly store: ProgressStore;
  private readonly signIn: SignInPolicy | undefined;

  constructor(cookies: LearnerCookies, store: ProgressStore, signIn?: SignInPolicy) {
    this.cookies = cookies;
    this.store = store;
    this.signIn = signIn;
  }

  /** The learner behind a request, if their cookie is valid and known. */
  read(req: IncomingMessage): string | undefined {
    const id = this.cookies.read(req.headers.cookie);
    return id !== undefined && this.store.learnerExists(id) ? id : undefined;
  }

  /** Throws SIGN_IN_REQUIRED when this site wants learners signed in and this one is not. */
  mayAct(learnerId: string | undefined): void {
    if (this.signIn?.required && (learnerId === undefined || !this.signIn.isLinked(learnerId)))
      throw slipwayError('SIGN_IN_REQUIRED');
  }

  /** The learner behind a request, for an action; a new one (with a Set-Cookie) when there is none. */
  ensure(req: IncomingMessage, res: ServerResponse): string {
    const existing = this.cookies.read(req.headers.cookie);
    this.mayAct(existing);
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
