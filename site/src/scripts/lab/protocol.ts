/**
 * The browser's side of the lab protocol: types and zod-free constants from the runner's
 * protocol module, so both sides share one definition without bundling zod.
 */

import {
  CloseCode,
  INPUT_MESSAGES_PER_SECOND,
  MAX_FRAME_BYTES,
  MAX_INPUT_CHARS,
  PROTOCOL_VERSION,
} from '../../../../lab-runner/src/protocol/constants.ts';
import type {
  ClientMessage,
  SandboxPhase,
  ServerMessage,
  TaskStatus,
} from '../../../../lab-runner/src/protocol/messages.ts';

export type { ClientMessage, SandboxPhase, ServerMessage, TaskStatus };
export { CloseCode, INPUT_MESSAGES_PER_SECOND, MAX_FRAME_BYTES, MAX_INPUT_CHARS, PROTOCOL_VERSION };

/** `GET /api/labs/<id>`. */
export interface LabInfo {
  id: string;
  title: string;
  /** False until this browser has acted as a learner (started a lab, joined a class). */
  learner?: boolean;
  tasks: { id: string; title: string }[];
  progress: TaskStatus[];
  sandbox: {
    state: 'none' | 'starting' | 'ready' | 'failed';
    exists: boolean;
    phase?: SandboxPhase;
    message?: string;
  };
}

/** Error bodies of the API and `error` messages on the socket. */
export interface LearnerError {
  code: string;
  message: string;
  hint?: string | undefined;
}

export function isLabInfo(value: unknown): value is LabInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<LabInfo>;
  return (
    typeof v.id === 'string' &&
    Array.isArray(v.progress) &&
    typeof v.sandbox === 'object' &&
    v.sandbox !== null
  );
}

export function errorBody(value: unknown): LearnerError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const e = (value as { error?: unknown }).error;
  if (typeof e !== 'object' || e === null) return undefined;
  const { code, message, hint } = e as Record<string, unknown>;
  if (typeof message !== 'string') return undefined;
  return {
    code: typeof code === 'string' ? code : 'UNKNOWN',
    message,
    hint: typeof hint === 'string' ? hint : undefined,
  };
}

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/**
 * Splits terminal input into `input` messages that each respect the runner's limits (chars
 * per message and bytes per frame), without cutting a surrogate pair in half.
 */
export function splitInput(
  data: string,
  maxChars = MAX_INPUT_CHARS,
  maxFrameBytes = MAX_FRAME_BYTES,
): ClientMessage[] {
  const out: ClientMessage[] = [];
  let rest = data;
  while (rest.length > 0) {
    let size = Math.min(maxChars, rest.length);
    for (;;) {
      // Never end a chunk on the first half of a surrogate pair.
      const last = rest.charCodeAt(size - 1);
      if (size < rest.length && size > 1 && last >= 0xd800 && last <= 0xdbff) size -= 1;
      const msg: ClientMessage = { v: PROTOCOL_VERSION, type: 'input', data: rest.slice(0, size) };
      if (size <= 1 || utf8Bytes(JSON.stringify(msg)) <= maxFrameBytes) {
        out.push(msg);
        break;
      }
      size = Math.ceil(size / 2);
    }
    rest = rest.slice(size);
  }
  return out;
}

export function terminalUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  labId: string,
  cols: number,
  rows: number,
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = new URLSearchParams({ cols: String(cols), rows: String(rows) });
  return `${scheme}//${location.host}/api/labs/${encodeURIComponent(labId)}/terminal?${query}`;
}

/**
 * Where the runner's preview proxy serves a port of the learner's sandbox:
 * `/preview/<labId>/<port><path>`, e.g. `/preview/dagster/3000/` or `/preview/web/8080/docs/`.
 */
export function previewUrl(labId: string, port: number, path = '/'): string {
  const rest = path.startsWith('/') ? path : `/${path}`;
  return `/preview/${encodeURIComponent(labId)}/${port}${rest}`;
}

/** Whether a close is the runner going away for a moment (restart, crash, network blip). */
export function shouldReconnect(code: number): boolean {
  return code === CloseCode.goingAway || code === CloseCode.abnormal;
}

/**
 * Back-off before reconnect attempt `n` (0-based): 0.4 s, then 0.4 s more each time, up to 4 s.
 * A restarting runner is back in 1-2 s, so the first few tries come quickly.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(400 * (attempt + 1), 4000);
}

/** About 20 s of trying before the page says the connection is lost. */
export const MAX_RECONNECTS = 9;

/** What to tell the learner when the lab connection closes for good. */
export function closeExplanation(code: number, reason: string): string {
  const why = reason.trim();
  switch (code) {
    case CloseCode.normal:
      return why || 'The lab connection was closed.';
    case CloseCode.goingAway:
    case CloseCode.abnormal:
      return why
        ? `Lost the connection to the lab service: ${why}`
        : 'Lost the connection to the lab service.';
    case CloseCode.badMessage:
      return why
        ? `The lab service closed the connection: ${why}`
        : 'The lab service closed the connection after a message it did not understand.';
    case CloseCode.tooBig:
      return why
        ? `The lab service closed the connection: ${why}`
        : 'The lab service closed the connection because a message was too big. Paste less text at once.';
    case CloseCode.notSignedIn:
      return why || 'Your browser did not send a learner session. Reload the page.';
    case CloseCode.unknownLab:
      return why || 'The lab service does not know this lab.';
    case CloseCode.labUnavailable:
      return why || 'This lab cannot start because its definition has an error.';
    default:
      return why
        ? `The lab connection closed: ${why}`
        : `The lab connection closed (code ${code}).`;
  }
}

export function progressText(done: number, total: number): string {
  return `${done} of ${total} task${total === 1 ? '' : 's'} done`;
}

/** Applies a `tasks` snapshot or a `task` change to the current statuses, keeping task order. */
export function applyTaskMessage(
  current: ReadonlyMap<string, TaskStatus>,
  msg: Extract<ServerMessage, { type: 'tasks' | 'task' }>,
): Map<string, TaskStatus> {
  const next = new Map(current);
  const updates = msg.type === 'tasks' ? msg.tasks : [msg.task];
  for (const t of updates) if (next.has(t.id)) next.set(t.id, t);
  return next;
}

/**
 * Which failing tasks show their reason: always the first unfinished one, and any task whose
 * latest result came from the learner pressing Check.
 */
export function visibleReasons(
  order: readonly string[],
  statuses: ReadonlyMap<string, TaskStatus>,
  clicked: ReadonlySet<string>,
): Set<string> {
  const show = new Set<string>();
  const first = order.find((id) => statuses.get(id)?.state !== 'passed');
  for (const id of order) {
    const s = statuses.get(id);
    if (s?.state !== 'failing' || !s.reason) continue;
    if (id === first || clicked.has(id)) show.add(id);
  }
  return show;
}

/** Parses one server frame; anything that is not a v1 message object is ignored. */
export function parseServerMessage(raw: unknown): ServerMessage | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const msg = JSON.parse(raw) as { v?: unknown; type?: unknown };
    if (msg && msg.v === PROTOCOL_VERSION && typeof msg.type === 'string')
      return msg as ServerMessage;
  } catch {
    // Not JSON: ignore.
  }
  return undefined;
}
