/**
 * Every error Slipway shows or logs, by name. Learner-facing errors carry words a learner can
 * act on and are never sent with a stack; system errors are logged with their stack and reach
 * the learner only as `INTERNAL`.
 */
export type Audience = 'learner' | 'system';

interface Entry {
  audience: Audience;
  /** HTTP status when the error ends a request. */
  status: number;
  message: (p: Record<string, string>) => string;
  hint: string;
}

const learner = (status: number, message: Entry['message'], hint: string): Entry => ({
  audience: 'learner',
  status,
  message,
  hint,
});
const system = (message: Entry['message'], hint: string): Entry => ({
  audience: 'system',
  status: 500,
  message,
  hint,
});

export const catalogue = {
  LAB_NOT_FOUND: learner(
    404,
    (p) => `There is no lab called "${p.labId}".`,
    'Check the link, or open the lab from its lesson.',
  ),
  LAB_UNAVAILABLE: learner(
    503,
    (p) => `The lab "${p.labId}" cannot start because its definition has an error.`,
    'Tell your instructor: the runner log names the file and the field.',
  ),
  NOT_SIGNED_IN: learner(
    401,
    () => 'Your browser did not send a learner session.',
    'Reload the page; if it keeps happening, allow cookies for this site.',
  ),
  FORBIDDEN_ORIGIN: learner(
    403,
    () => 'This page is not allowed to open a lab connection.',
    'Open the lesson from the Slipway site itself.',
  ),
  ENGINE_UNAVAILABLE: learner(
    503,
    () => 'The lab service cannot reach its Docker engine right now.',
    'Wait a moment and press Retry. If it keeps failing, tell your instructor.',
  ),
  ENGINE_TIMEOUT: learner(
    503,
    (p) => `The Docker engine took too long to answer (${p.operation}).`,
    'The host may be busy. Press Retry in a moment.',
  ),
  SANDBOX_START_FAILED: learner(
    503,
    (p) => `Your sandbox could not start: ${p.reason}.`,
    'Press Retry to start a fresh sandbox. Your completed tasks are kept.',
  ),
  SANDBOX_DIED: learner(
    410,
    (p) => `Your sandbox stopped unexpectedly${p.detail ? ` (${p.detail})` : ''}.`,
    'Press Start to get a fresh sandbox. Your completed tasks are kept.',
  ),
  SANDBOX_GONE: learner(
    404,
    () => 'Your sandbox no longer exists.',
    'Press Start to get a fresh one. Your completed tasks are kept.',
  ),
  BAD_MESSAGE: learner(
    400,
    (p) => `The lab connection received a message it does not understand: ${p.detail}.`,
    'Reload the page. If you are writing a client, see the protocol schema.',
  ),
  TOO_MANY_MESSAGES: learner(
    429,
    () => 'The lab connection received far more messages than it can take, without pause.',
    'Reload the page. If you are writing a client, wait for the socket to drain.',
  ),
  INPUT_DROPPED: learner(
    413,
    (p) =>
      `${p.count} characters you typed or pasted were dropped: the program in the terminal is not reading its input, and at most ${p.limit} can wait for it.`,
    'Press Ctrl-C to stop the program, then paste again in smaller pieces (or copy a file in with a heredoc once the prompt is back).',
  ),
  INPUT_DISCARDED: learner(
    200,
    (p) =>
      `Ctrl-C: ${p.count} characters you typed or pasted that the program had not read yet were thrown away.`,
    'Nothing of it ran. Paste it again once the prompt is back, if you still want it.',
  ),
  MESSAGE_TOO_BIG: learner(
    413,
    (p) => `A message was larger than ${p.limit}.`,
    'Paste less text at once.',
  ),
  PREVIEW_NO_SANDBOX: learner(
    404,
    () => 'Your sandbox for this lab is not running, so there is nothing to preview.',
    'Start the lab on its lesson page, then reload this preview.',
  ),
  PREVIEW_SIGN_IN: learner(
    401,
    () => 'This preview has to be opened from its lab, by the learner whose sandbox it shows.',
    'Press the preview button (or Reload in the preview pane) on the lesson page. A preview stops working when its sandbox is reset or replaced.',
  ),
  PREVIEW_UNREACHABLE: learner(
    502,
    (p) => `Nothing answers on port ${p.port} in your sandbox yet.`,
    'Start the service and publish its port on the sandbox (for example -p 3000:3000), then reload.',
  ),
  LOGIN_FAILED: learner(
    401,
    () => 'That username and password do not match.',
    'Check both and try again.',
  ),
  LOGIN_THROTTLED: learner(
    429,
    (p) => `Too many failed logins. Try again in ${p.wait}.`,
    'Wait, then try again; ask the administrator to reset the password if you forgot it.',
  ),
  INSTRUCTOR_ONLY: learner(
    401,
    () => 'Please log in as an instructor.',
    'Open /instructor/ and log in.',
  ),
  SIGN_IN_OFF: learner(
    404,
    (p) =>
      p.role === 'learner'
        ? 'Learners do not sign in on this site.'
        : 'Signing in through an identity provider is not set up on this site.',
    'Carry on as you were: instructors log in with their Slipway username and password, and learners’ progress is kept in their browser.',
  ),
  SIGN_IN_BAD_RETURN: learner(
    400,
    () => 'The page to come back to after signing in is not a page of this site.',
    'Start signing in again from the Slipway page you were on.',
  ),
  SIGN_IN_EXPIRED: learner(
    400,
    () => 'This sign-in has expired, or it was started in another browser.',
    'Start signing in again from the page you were on, in this browser, and finish within 10 minutes.',
  ),
  SIGN_IN_REPLAYED: learner(
    400,
    () => 'This sign-in has already been used.',
    'Start signing in again from the page you were on. (Going back to the provider’s page, or reloading, sends an old answer.)',
  ),
  SIGN_IN_DENIED: learner(
    403,
    (p) => `${p.provider} did not sign you in: ${p.reason}.`,
    'Try again. If you did not cancel, ask whoever runs your accounts there.',
  ),
  SIGN_IN_REFUSED: learner(
    401,
    (p) => `Slipway could not accept the sign-in from ${p.provider}: ${p.reason}.`,
    'Start signing in again. If it keeps happening, tell the administrator of this site: the runner’s log has the details.',
  ),
  SIGN_IN_UNAVAILABLE: learner(
    503,
    (p) => `${p.provider} (the sign-in service) is not answering.`,
    'Try again in a minute. Instructors with a Slipway password can log in with it meanwhile.',
  ),
  NOT_AN_INSTRUCTOR: learner(
    403,
    (p) => `Your account at ${p.provider} is not in a group that may teach on this site.`,
    'Ask the administrator to add you to an instructor group, or log in with a Slipway username and password.',
  ),
  LTI_OFF: learner(
    404,
    () => 'Launching Slipway from a learning platform (LTI) is not set up on this site.',
    'Ask the site’s administrator to register your LMS in SLIPWAY_LTI_PLATFORMS.',
  ),
  LTI_LAUNCH_REFUSED: learner(
    401,
    (p) => `Slipway could not accept this launch from your LMS: ${p.reason}.`,
    'Open the activity again from your course. If it keeps happening, tell your LMS administrator: the reason above, and Slipway’s log, say which setting to check.',
  ),
  SIGN_IN_REQUIRED: learner(
    401,
    () => 'This site asks learners to sign in before they start.',
    'Press “Sign in” on the Join a class page (/join/), then come back to this page.',
  ),
  BAD_REQUEST: learner(
    400,
    (p) => `The request is not valid: ${p.detail}.`,
    'Check the form and try again.',
  ),
  QUESTION_NOT_FOUND: learner(
    404,
    (p) => `There is no question "${p.questionId}" in this course.`,
    'Reload the page: the lesson may have changed since you opened it.',
  ),
  TOO_MANY_ANSWERS: learner(
    429,
    (p) => `That is a lot of answers in a short time. Try again in ${p.wait} s.`,
    'Read the explanation, think it over, then answer again.',
  ),
  API_TOKEN_INVALID: learner(
    401,
    () => 'The request has no valid API token.',
    'Send `Authorization: Bearer <token>` with a token from the instructor dashboard; a revoked token stops working at once.',
  ),
  API_TOKEN_NOT_FOUND: learner(
    404,
    () => 'You have no such API token.',
    'Reload the list of your API tokens.',
  ),
  CLASS_NEEDS_SIGN_IN: learner(
    403,
    () => 'This class asks its learners to sign in before they join.',
    'Sign in with the button on this page, then join again: what you did in this browser so far is kept.',
  ),
  CLASS_SIGN_IN_UNAVAILABLE: learner(
    400,
    () => 'Learners cannot sign in on this site, so a class cannot ask them to.',
    'Single sign-on for learners must be on first (SLIPWAY_OIDC_LEARNERS optional or required).',
  ),
  CLASS_NOT_FOUND: learner(
    404,
    () => 'There is no such class.',
    'Check the join code or link with your instructor.',
  ),
  LEARNER_NOT_FOUND: learner(
    404,
    () => 'There is no such learner in this class.',
    'Pick a learner from the class view.',
  ),
  WEBHOOK_URL_REFUSED: learner(
    400,
    (p) => `Webhooks cannot be sent to that URL: ${p.reason}.`,
    'Give the public http:// or https:// address of the service that should receive them.',
  ),
  WEBHOOK_NOT_FOUND: learner(
    404,
    () => 'This class has no such webhook or delivery.',
    'Reload the list of the class’s webhooks.',
  ),
  WEBHOOK_PAUSED: learner(
    409,
    (p) => `This webhook is paused (${p.reason}), so nothing is sent to it.`,
    'Fix the receiving end, then resume the webhook: deliveries held meanwhile go out then.',
  ),
  NOT_FOUND: learner(404, () => 'There is nothing at this address.', 'Go back to the course.'),
  BAD_PATH: learner(
    400,
    (p) => `This address is not valid: ${p.detail}.`,
    'Check the link; a "%" in an address must be followed by two hex digits.',
  ),
  BAD_HOST: learner(
    421,
    (p) => `This server does not answer for the host name "${p.host}".`,
    'Open Slipway at its own address. Operators: set SLIPWAY_PUBLIC_ORIGIN (and SLIPWAY_PREVIEW_ORIGIN) to the addresses learners use.',
  ),
  METHOD_NOT_ALLOWED: learner(
    405,
    (p) => `${p.method} is not allowed here.`,
    'Use the page’s buttons.',
  ),
  NODE_UNAVAILABLE: learner(
    503,
    (p) => `The machine your sandbox runs on is not answering${p.node ? ` (${p.node})` : ''}.`,
    'If it does not come back within a minute, press Start: a new sandbox starts on another machine, at your last completed task.',
  ),
  AGENT_REFUSED: learner(
    403,
    (p) => `The node agent refused ${p.what}: it is not a Slipway sandbox.`,
    'Only Slipway sandboxes can be reached through a node agent.',
  ),
  ENGINE_ERROR: system(
    (p) => `The Docker engine refused ${p.operation}: ${p.detail}`,
    'See the engine log (scripts/ensure-engine.sh prints its path).',
  ),
  CGROUP_DELEGATION_FAILED: system(
    (p) => `Could not hand the sandbox its cgroups: ${p.detail}`,
    'The runner must run as root on the host of the sandbox engine.',
  ),
  INTERNAL: system(
    (p) => p.detail ?? 'Something went wrong inside the lab service.',
    'Try again; the runner log has the details.',
  ),
} satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof catalogue;

export class SlipwayError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly audience: Audience;
  readonly status: number;
  readonly params: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, params: Record<string, string> = {}, options?: { cause?: unknown }) {
    const entry: Entry = catalogue[code];
    super(entry.message(params), options);
    this.name = `SlipwayError(${code})`;
    this.code = code;
    this.hint = entry.hint;
    this.audience = entry.audience;
    this.status = entry.status;
    this.params = params;
  }

  /** What a learner may see: system errors collapse to a generic message without details. */
  toLearner(): { code: string; message: string; hint: string } {
    if (this.audience === 'learner')
      return { code: this.code, message: this.message, hint: this.hint };
    const generic = new SlipwayError('INTERNAL', {
      detail: 'Something went wrong inside the lab service.',
    });
    return { code: generic.code, message: generic.message, hint: generic.hint };
  }
}

export function slipwayError(code: ErrorCode, params?: Record<string, string>, cause?: unknown) {
  return new SlipwayError(code, params, cause === undefined ? undefined : { cause });
}

/** Any thrown value as a SlipwayError; unknown errors become INTERNAL (a system error). */
export function asSlipwayError(err: unknown): SlipwayError {
  if (err instanceof SlipwayError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new SlipwayError('INTERNAL', { detail }, { cause: err });
}
