import type { SlipwayError } from '../errors/catalogue.ts';
import type { SandboxPhase } from '../protocol/index.ts';

export interface ReadySandbox {
  id: string;
  sessionId: string;
}

/** Where a learner's sandbox for this lab stands. Only `ready` carries a usable sandbox. */
export type SandboxStatus =
  | { kind: 'none' }
  | { kind: 'starting'; phase: SandboxPhase; message: string; ready: Promise<ReadySandbox> }
  | { kind: 'ready'; sandbox: ReadySandbox }
  | { kind: 'failed'; error: SlipwayError };

/** How a sandbox the learner threw away is recorded; a replacement for it is not restored. */
export const RESET_REASON = 'reset by learner';
