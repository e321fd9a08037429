import { PROTOCOL_VERSION, type SandboxPhase, type ServerMessage } from '../protocol/index.ts';
import type { SandboxStatus } from './sandbox-status.ts';

/** The phase message a newly connected page should show for this sandbox status. */
export function statusMessage(s: SandboxStatus): ServerMessage {
  const msg = (phase: SandboxPhase, message: string): ServerMessage => ({
    v: PROTOCOL_VERSION,
    type: 'status',
    phase,
    message,
  });
  switch (s.kind) {
    case 'none':
      return msg('connecting', 'Connecting to your sandbox…');
    case 'starting':
      return msg(s.phase, s.message);
    case 'ready':
      return msg('ready', 'Your sandbox is ready.');
    case 'failed':
      return msg('failed', s.error.toLearner().message);
  }
}
