import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Instructor, InstructorStore } from '../accounts/instructor-store.ts';
import { parseCookies } from '../identity/learner-cookie.ts';

export const INSTRUCTOR_COOKIE = 'slipway_instructor';
export const INSTRUCTOR_SESSION_MS = 12 * 3_600_000;

/** The signed-in instructor behind a request, from the server-side session in the cookie. */
export function instructorOf(req: IncomingMessage, store: InstructorStore): Instructor | undefined {
  return store.sessionInstructor(parseCookies(req.headers.cookie)[INSTRUCTOR_COOKIE]);
}

export function sessionToken(req: IncomingMessage): string | undefined {
  return parseCookies(req.headers.cookie)[INSTRUCTOR_COOKIE];
}

export function setInstructorCookie(
  res: ServerResponse,
  token: string | undefined,
  secure: boolean,
): void {
  const attrs = [
    `${INSTRUCTOR_COOKIE}=${token ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${token ? Math.round(INSTRUCTOR_SESSION_MS / 1000) : 0}`,
  ];
  if (secure) attrs.push('Secure');
  res.appendHeader('set-cookie', attrs.join('; '));
}

/**
 * Signs a browser in as an instructor, however they proved who they are (password, single
 * sign-on, an LMS launch): a fresh session, and any session this browser had before is ended.
 */
export function startInstructorSession(
  req: IncomingMessage,
  res: ServerResponse,
  store: InstructorStore,
  instructorId: string,
  secure: boolean,
): void {
  const old = sessionToken(req);
  if (old) store.endSession(old);
  setInstructorCookie(res, store.startSession(instructorId, INSTRUCTOR_SESSION_MS), secure);
}
