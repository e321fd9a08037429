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
  const unsubscribe = session.subscribe(send);
  session.terminal.resize(size.cols, size.rows);
  const detach = session.terminal.attach({
    output: (data) => send({ v: PROTOCOL_VERSION, type: 'output', data }),
    error: sendError,
  });
  session.start().catch(() => {}); // The session tells every subscriber why it failed.

  ws.on('message', (raw, isBinary) => {
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
        if (msg.data.includes('\r')) session.commandEntered();
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
    unsubscribe();
    detach();
  });
  ws.on('error', () => {});
}
