import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { InstructorStore } from '../accounts/instructor-store.ts';
import type { ClassStore } from '../classes/class-store.ts';
import { CloseCode, PROTOCOL_VERSION, type ServerMessage } from '../protocol/index.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { instructorOf } from './instructor-auth.ts';

const SHADOW_MAX_BUFFER = 4 * 1024 * 1024;

export const SHADOW_ROUTE =
  /^\/api\/instructor\/classes\/([\w-]{6,40})\/learners\/([\w-]{16,64})\/shadow$/;

/**
 * A read-only view of a learner's terminal for their instructor: the recent screen, then
 * live output. Anything the instructor sends is ignored; nothing reaches the learner's shell.
 */
export function serveShadow(
  ws: WebSocket,
  req: IncomingMessage,
  deps: { instructors: InstructorStore; classes: ClassStore; sessions: SessionManager },
): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const m = SHADOW_ROUTE.exec(url.pathname);
  const refuse = (code: number, reason: string) => {
    ws.close(code, reason);
  };
  const me = instructorOf(req, deps.instructors);
  if (!me) {
    refuse(CloseCode.notSignedIn, 'Please log in as an instructor.');
    return;
  }
  const c = m ? deps.classes.ownedBy(m[1]!, me.id) : undefined;
  if (!m || !c || !deps.classes.isMember(c.id, m[2]!)) {
    refuse(CloseCode.unknownLab, 'There is no such learner in this class.');
    return;
  }
  const session = deps.sessions.find(m[2]!, url.searchParams.get('lab') ?? '');
  if (!session) {
    refuse(CloseCode.unknownLab, 'This learner has no terminal open in that lab.');
    return;
  }
  const send = (msg: ServerMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(msg));
  send({
    v: PROTOCOL_VERSION,
    type: 'status',
    phase: 'ready',
    message: 'Read-only view of the learner’s terminal.',
  });
  const detach = session.terminal.attach({
    output: (data) => {
      send({ v: PROTOCOL_VERSION, type: 'output', data });
      // A shadow that cannot keep up is cut off rather than held in the runner's memory.
      if (ws.bufferedAmount > SHADOW_MAX_BUFFER)
        ws.close(CloseCode.tooBig, 'The view fell too far behind; reopen it.');
    },
    error: () => {},
    resized: (cols, rows) => send({ v: PROTOCOL_VERSION, type: 'resize', cols, rows }),
  });
  ws.on('close', detach);
  ws.on('error', () => {});
}
