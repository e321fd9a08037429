import type { WebSocket } from 'ws';
import { CloseCode, MAX_FRAME_BYTES } from '../protocol/index.ts';

/** Why ws closes a socket by itself; it sends these closes without a reason of its own. */
const REASONS: Record<number, string> = {
  [CloseCode.tooBig]: `message too big: at most ${MAX_FRAME_BYTES / 1024} KiB per message`,
  1002: 'protocol error: the frame is not valid WebSocket',
  1007: 'invalid UTF-8 in a text message',
};

/**
 * Every close of this socket says why: where ws itself closes one (a frame over maxPayload,
 * a broken frame), it calls `close(code)` on the socket, which this gives a reason.
 */
export function explainCloses(ws: WebSocket): void {
  const close = ws.close.bind(ws);
  ws.close = (code?: number, reason?: string | Buffer) =>
    close(code, reason || (code === undefined ? undefined : REASONS[code]));
}
