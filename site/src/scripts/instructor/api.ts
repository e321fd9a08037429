/**
 * The browser's client of the runner's JSON API: every failure becomes an `ApiFailure` with
 * plain words to show and a kind the page acts on (log in again, "no such class", retry).
 */
import { errorBody } from '../lab/protocol.ts';

export type FailureKind =
  /** The runner did not answer (down, restarting, network gone). */
  | 'offline'
  /** 401: not logged in (or the session ended). */
  | 'signed-out'
  /** 404: no such class, learner or code. */
  | 'not-found'
  /** 429: too many failed logins. */
  | 'throttled'
  /** 400: the form is not valid. */
  | 'invalid'
  /** Anything else the runner refused or failed at. */
  | 'server';

export const OFFLINE_MESSAGE = 'The lab service is not answering.';
export const OFFLINE_HINT =
  'It may be restarting. Press Retry in a moment; if it keeps happening, check that the runner is running.';

export class ApiFailure extends Error {
  readonly kind: FailureKind;
  readonly status: number;
  readonly code: string;
  readonly hint: string;
  /** Seconds to wait before trying again (429). */
  readonly retryAfter: number | undefined;

  constructor(
    kind: FailureKind,
    message: string,
    opts: { status?: number; code?: string; hint?: string; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = 'ApiFailure';
    this.kind = kind;
    this.status = opts.status ?? 0;
    this.code = opts.code ?? kind.toUpperCase();
    this.hint = opts.hint ?? '';
    this.retryAfter = opts.retryAfter;
  }
}

export function isFailure(err: unknown, kind?: FailureKind): err is ApiFailure {
  return err instanceof ApiFailure && (kind === undefined || err.kind === kind);
}

/** Any thrown value as an ApiFailure (a bug in the page shows as a server failure). */
export function asFailure(err: unknown): ApiFailure {
  if (err instanceof ApiFailure) return err;
  return new ApiFailure('server', err instanceof Error ? err.message : String(err));
}

const kindFor = (status: number): FailureKind =>
  status === 401
    ? 'signed-out'
    : status === 404
      ? 'not-found'
      : status === 429
        ? 'throttled'
        : status === 400
          ? 'invalid'
          : 'server';

const defaultMessage: Record<FailureKind, string> = {
  offline: OFFLINE_MESSAGE,
  'signed-out': 'Please log in as an instructor.',
  'not-found': 'There is nothing at this address.',
  throttled: 'Too many attempts. Wait a little, then try again.',
  invalid: 'The request is not valid.',
  server: 'Something went wrong inside the lab service.',
};

/** Turns a non-OK response into an ApiFailure, using the runner's error body when it has one. */
export async function failureFrom(res: Response): Promise<ApiFailure> {
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const e = errorBody(body);
  // A proxy in front of a stopped runner answers 502/503/504 with its own page.
  if (!e && (res.status === 502 || res.status === 503 || res.status === 504))
    return new ApiFailure('offline', OFFLINE_MESSAGE, { status: res.status, hint: OFFLINE_HINT });
  const kind = kindFor(res.status);
  const retry = Number(res.headers.get('retry-after'));
  return new ApiFailure(kind, e?.message ?? defaultMessage[kind], {
    status: res.status,
    code: e?.code ?? `HTTP_${res.status}`,
    hint: e?.hint ?? '',
    ...(Number.isFinite(retry) && retry > 0 ? { retryAfter: retry } : {}),
  });
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** Milliseconds before the request counts as not answered. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const init: RequestInit = {
    method: opts.method ?? 'GET',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
  };
  if (opts.body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await doFetch(path, init);
  } catch {
    // fetch rejects only when nothing answered (or the timeout fired).
    throw new ApiFailure('offline', OFFLINE_MESSAGE, { hint: OFFLINE_HINT });
  }
  if (!res.ok) throw await failureFrom(res);
  return res;
}

/** A JSON request to the runner. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(path, opts);
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiFailure(
      'server',
      'The lab service sent an answer this page does not understand. Is the site older or newer than the runner?',
      { status: res.status },
    );
  }
}

/** A text download from the runner (recordings). */
export async function apiText(path: string, opts: RequestOptions = {}): Promise<string> {
  const res = await send(path, { timeoutMs: 60_000, ...opts });
  try {
    return await res.text();
  } catch {
    throw new ApiFailure('offline', OFFLINE_MESSAGE, { hint: OFFLINE_HINT });
  }
}

const seg = encodeURIComponent;

/** The runner's instructor routes, in one place. */
export const paths = {
  login: '/api/instructor/login',
  logout: '/api/instructor/logout',
  me: '/api/instructor/me',
  course: '/api/instructor/course',
  classes: '/api/instructor/classes',
  class: (id: string) => `/api/instructor/classes/${seg(id)}`,
  classSettings: (id: string) => `/api/instructor/classes/${seg(id)}/settings`,
  stream: (id: string) => `/api/instructor/classes/${seg(id)}/stream`,
  exportCsv: (id: string) => `/api/instructor/classes/${seg(id)}/export.csv`,
  exportJson: (id: string) => `/api/instructor/classes/${seg(id)}/export.json`,
  learner: (classId: string, learnerId: string) =>
    `/api/instructor/classes/${seg(classId)}/learners/${seg(learnerId)}`,
  tokens: '/api/instructor/tokens',
  token: (id: string) => `/api/instructor/tokens/${seg(id)}`,
  webhooks: (classId: string) => `/api/instructor/classes/${seg(classId)}/webhooks`,
  webhook: (classId: string, id: string) =>
    `/api/instructor/classes/${seg(classId)}/webhooks/${seg(id)}`,
  webhookResume: (classId: string, id: string) =>
    `/api/instructor/classes/${seg(classId)}/webhooks/${seg(id)}/resume`,
  webhookDeliveries: (classId: string) =>
    `/api/instructor/classes/${seg(classId)}/webhooks/deliveries`,
  recording: (classId: string, learnerId: string, recordingId: number) =>
    `/api/instructor/classes/${seg(classId)}/learners/${seg(learnerId)}/recordings/${recordingId}`,
  shadow: (
    location: Pick<Location, 'protocol' | 'host'>,
    classId: string,
    learnerId: string,
    labId: string,
  ) =>
    `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/instructor/classes/${seg(classId)}/learners/${seg(learnerId)}/shadow?lab=${seg(labId)}`,
};

/** Pages of the instructor area (the site's own routes). */
export const pages = {
  home: '/instructor/',
  class: (id: string) => `/instructor/class/?id=${seg(id)}`,
  learner: (classId: string, learnerId: string) =>
    `/instructor/learner/?class=${seg(classId)}&id=${seg(learnerId)}`,
  join: (origin: string, code: string) => `${origin}/join/?code=${seg(code)}`,
};
