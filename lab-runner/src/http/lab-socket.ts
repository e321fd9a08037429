import type { WebSocket } from 'ws';
import { type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import {
  CloseCode,
  clientMessageSchema,
  friendlyParse,
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
/** Messages a page may send: plenty for typing and pasting, not for a flood. */
const INPUT_RATE = { perSecond: 200, burst: 400, dropLimit: 5000 };

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

  const bucket = new TokenBucket(INPUT_RATE.perSecond, INPUT_RATE.burst, Date.now());
  let dropped = 0;
  ws.on('message', (raw, isBinary) => {
    if (!bucket.take(Date.now())) {
      // A flood of messages: drop them, and give up on a client that does not stop.
      if (++dropped === 1) sendError(slipwayError('TOO_MANY_MESSAGES'));
      if (dropped > INPUT_RATE.dropLimit) badMessage('too many messages per second');
      return;
    }
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
  });

  function badMessage(detail: string) {
    logger.warn('bad websocket message', { lab: session.lab.id, detail });
    sendError(slipwayError('BAD_MESSAGE', { detail }));
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
      ws.close(CloseCode.badMessage, truncateUtf8(`bad message: ${detail}`, 123));
    }
  }

  ws.on('close', () => {
    clearTimeout(flushTimer);
    unsubscribe();
    detach();
  });
  ws.on('error', () => {});
}
