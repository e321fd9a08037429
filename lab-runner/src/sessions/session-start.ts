import { asSlipwayError, type SlipwayError } from '../errors/catalogue.ts';
import type { Lab } from '../labs/load-labs.ts';
import { PROTOCOL_VERSION, type ServerMessage } from '../protocol/index.ts';
import { acquireSandbox } from './acquire-sandbox.ts';
import type { ReadySandbox, SandboxStatus } from './sandbox-status.ts';
import type { LabSessionDeps } from './session-deps.ts';
import type { SessionSlot } from './session-slot.ts';

/** Why a start stopped waiting in the queue: every page of it was closed. */
export const LEFT_QUEUE = new Error('every page left the admission queue');

/** What a start needs of its lab session, and tells it. */
export interface StartingSession {
  deps: LabSessionDeps;
  learnerId: string;
  lab: Lab;
  slot: SessionSlot;
  setStatus(status: SandboxStatus): void;
  stillStarting(): boolean;
  broadcast(msg: ServerMessage): void;
  /** The start ended, whichever way (before `ready` or `failed`). */
  settled(): void;
  ready(sandbox: ReadySandbox, restored: readonly string[]): void;
  /** It failed (a start withdrawn from the queue is not a failure: back to no sandbox). */
  failed(error: SlipwayError): void;
}

/**
 * Starts getting the session a ready sandbox (adopted, from the pool, or made, see
 * acquireSandbox), telling its pages each phase. Resolves with the sandbox; the session is
 * `starting` until then.
 */
export function startSandbox(s: StartingSession, queueSignal: AbortSignal): Promise<ReadySandbox> {
  const { promise: ready, resolve, reject } = Promise.withResolvers<ReadySandbox>();
  ready.catch(() => {}); // Callers that care attach their own handler.
  s.setStatus({
    kind: 'starting',
    phase: 'connecting',
    message: 'Looking for your sandbox…',
    ready,
  });
  acquireSandbox({
    deps: s.deps,
    learnerId: s.learnerId,
    lab: s.lab,
    slot: s.slot,
    phase: (phase, message) => {
      s.setStatus({ kind: 'starting', phase, message, ready });
      s.broadcast({ v: PROTOCOL_VERSION, type: 'status', phase, message });
    },
    stillStarting: () => s.stillStarting(),
    queueSignal,
  }).then(
    ({ sandbox, restored }) => {
      s.settled();
      s.ready(sandbox, restored);
      resolve(sandbox);
    },
    (err: unknown) => {
      s.settled();
      if (err === LEFT_QUEUE) {
        s.setStatus({ kind: 'none' }); // nobody is waiting any more: quietly
        reject(err);
        return;
      }
      const error = asSlipwayError(err);
      s.deps.logger.error('sandbox start failed', error, {
        learner: s.learnerId,
        lab: s.lab.id,
      });
      s.failed(error);
      reject(error);
    },
  );
  return ready;
}
