/** What to say when a shadow socket closes. Pure. */
import { CloseCode } from '../lab/protocol.ts';

export type ShadowState = 'connecting' | 'live' | 'closed' | 'unavailable' | 'error';

/** Words for a shadow socket that closed. Pure. */
export function shadowCloseText(
  code: number,
  reason: string,
): { state: ShadowState; text: string } {
  const why = reason.trim();
  switch (code) {
    case CloseCode.unknownLab:
      return {
        state: 'unavailable',
        text: why || 'This learner has no terminal open in that lab.',
      };
    case CloseCode.notSignedIn:
      return { state: 'error', text: why || 'Please log in as an instructor.' };
    case CloseCode.normal:
      return { state: 'closed', text: why || 'The live view was closed.' };
    case CloseCode.goingAway:
      return {
        state: 'error',
        text: why ? `The lab service went away: ${why}` : 'The lab service is restarting.',
      };
    default:
      return {
        state: 'error',
        text: why ? `The live view closed: ${why}` : 'Lost the connection to the lab service.',
      };
  }
}
