import type { RawData, WebSocket } from 'ws';
import { type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import {
  CloseCode,
  clientMessageSchema,
  friendlyParse,
  INPUT_MESSAGES_PER_SECOND,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '../protocol/index.ts';
import type { LabSession } from '../sessions/lab-session.ts';
import { truncateUtf8 } from '../terminal/output-decoder.ts';
import { clampSize } from '../terminal/resize.ts';
import { TokenBucket } from '../terminal/token-bucket.ts';

const OUTPUT_BATCH_MS = 8;
/** A chunk this large means bulk output (not an echo): batch what follows it. */
const BULK_OUTPUT_CHARS = 1024;
/**
 * Messages a page may send: plenty for typing and pasting (the page gathers fast keystrokes
 * into one message), not for a flood. Past the rate the socket is paused (TCP holds the rest
 * back), so nothing is dropped. Only a client whose messages pile up even so (thousands
 * already received while paused) is cut off.
 */
const INPUT_RATE = {
  perSecond: INPUT_MESSAGES_PER_SECOND,
  burst: 2 * INPUT_MESSAGES_PER_SECOND,
  backlogLimit: 20_000,
};
/** Messages waiting to be handled: the socket is paused at `pause` and resumed at `resume`. */
const BACKLOG = { pause: 64, resume: 16 };
/** Keystrokes the engine has not taken yet, past which a page's messages wait. */
const INPUT_HIGH_WATER = 256 * 1024;

export interface LabSocketDeps {
  logger: Logger;
}

/**
 * One browser tab's lab connection: the session's status and task updates, and a view of its
 * terminal (which lives in the session and outlives the tab). Bad frames close the socket
 * with a reason; the session, the sandbox and saved progress are untouched by anything here.
 */
export function serveLabSocket(
  ws: WebSocket,
  session: LabSession,
  size: { cols: number; rows: number },
  deps: LabSocketDeps,
): void {
  const { logger } = deps;
  const send = (msg: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const sendError = (e: SlipwayError) =>
    send({ v: PROTOCOL_VERSION, type: 'error', ...e.toLearner() });

  send({ v: PROTOCOL_VERSION, type: 'tasks', tasks: session.taskStatuses() });
  send(session.statusMessage());
  const limits = session.limitsMessage();
  if (limits.type === 'limits' && limits.limits.length > 0) send(limits);
  const warning = session.idleWarning();
  if (warning) send(warning);
  const unsubscribe = session.subscribe(send);
  session.terminal.resize(size.cols, size.rows);
  // Output goes out at once (a keystroke's echo must not wait). After a large chunk, what
  // follows within a few milliseconds is batched: a flood becomes a few large frames, not
  // thousands of small ones.
  let batch = '';
  let flushTimer: NodeJS.Timeout | undefined;
  let unacked = 0;
  let acking = false;
  const sendOutput = (data: string) => {
    send({ v: PROTOCOL_VERSION, type: 'output', data });
    unacked += data.length;
  };
  const flush = () => {
    flushTimer = undefined;
    if (!batch) return;
    sendOutput(batch);
    batch = '';
    flushTimer = setTimeout(flush, OUTPUT_BATCH_MS);
  };
  const detach = session.terminal.attach({
    output: (data) => {
      if (flushTimer) {
        batch += data;
        return;
      }
      sendOutput(data);
      if (data.length >= BULK_OUTPUT_CHARS) flushTimer = setTimeout(flush, OUTPUT_BATCH_MS);
    },
    error: sendError,
    notice: (e) => send({ v: PROTOCOL_VERSION, type: 'notice', ...e.toLearner() }),
    // Pages that acknowledge what they showed are measured by that; others by the socket.
    pressure: () => batch.length + Math.max(acking ? unacked : 0, ws.bufferedAmount),
    takenOver: () => {
      send({
        v: PROTOCOL_VERSION,
        type: 'taken-over',
        message: 'This lab was opened in another tab or window.',
      });
      ws.close(CloseCode.takenOver, 'This lab was opened in another tab or window.');
    },
  });
  session.start().catch(() => {}); // The session tells every subscriber why it failed.

  // Messages are handled in order, at most INPUT_RATE a second, and keystrokes only while the
  // sandbox takes them: past either, the socket stops being read, so TCP holds the sender
  // back and nothing is dropped.
  const bucket = new TokenBucket(INPUT_RATE.perSecond, INPUT_RATE.burst, Date.now());
  const backlog: Array<{ raw: RawData; isBinary: boolean }> = [];
  let waiting = false;
  let timer: NodeJS.Timeout | undefined;
  const wait = (resume: (again: () => void) => void) => {
    waiting = true;
    resume(() => {
      waiting = false;
      timer = undefined;
      drain();
    });
  };
  const drain = () => {
    while (backlog.length > 0 && ws.readyState === ws.OPEN) {
      const ms = bucket.waitMs(Date.now());
      if (ms > 0) return wait((again) => (timer = setTimeout(again, ms)));
      if (session.terminal.inputBacklog() > INPUT_HIGH_WATER)
        return wait((again) => session.terminal.onInputDrained(again));
      bucket.take(Date.now());
      const next = backlog.shift()!;
      handle(next.raw, next.isBinary);
    }
    if (ws.isPaused && backlog.length <= BACKLOG.resume) ws.resume();
  };
  ws.on('message', (raw, isBinary) => {
    backlog.push({ raw, isBinary });
    if (backlog.length >= BACKLOG.pause) ws.pause();
    if (backlog.length > INPUT_RATE.backlogLimit) {
      backlog.length = 0;
      sendError(slipwayError('TOO_MANY_MESSAGES'));
      return badMessage('too many messages without pause');
    }
    if (!waiting) drain();
  });

  function handle(raw: RawData, isBinary: boolean) {
    if (isBinary) return badMessage('binary frames are not accepted');
    let json: unknown;
    try {
      json = JSON.parse(raw.toString());
    } catch {
      return badMessage('it is not JSON');
    }
    const parsed = friendlyParse(clientMessageSchema, json);
    if (!parsed.ok) {
      return badMessage(
        parsed.problems.map((p) => (p.field ? `${p.field}: ${p.expected}` : p.expected)).join('; '),
      );
    }
    const msg = parsed.value;
    switch (msg.type) {
      case 'input':
        if (session.sandboxStatus.kind === 'failed') return;
        session.terminal.write(msg.data);
        session.markActive();
        if (msg.data.includes('\r')) session.commandEntered();
        return;
      case 'keep':
        session.markActive();
        return;
      case 'resize': {
        const { cols, rows } = clampSize(msg.cols, msg.rows);
        session.terminal.resize(cols, rows);
        return;
      }
      case 'check':
        if (session.sandboxStatus.kind === 'ready') void session.runChecks('click');
        else if (session.sandboxStatus.kind !== 'starting') session.start().catch(() => {});
        return;
      case 'hint':
      case 'solution':
        session.opened(msg.type, msg.taskId);
        return;
      case 'ack':
        acking = true;
        unacked = Math.max(0, unacked - msg.chars);
        session.terminal.relieve();
        return;
    }
  }

  function badMessage(detail: string) {
    logger.warn('bad websocket message', { lab: session.lab.id, detail });
    sendError(slipwayError('BAD_MESSAGE', { detail }));
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
      ws.close(CloseCode.badMessage, truncateUtf8(`bad message: ${detail}`, 123));
    }
  }

  ws.on('close', () => {
    clearTimeout(flushTimer);
    clearTimeout(timer);
    unsubscribe();
    detach();
  });
  ws.on('error', () => {});
}
