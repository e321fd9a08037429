import type { CheckRunner } from '../checks/check-runner.ts';
import type { Logger } from '../errors/log.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import type { SandboxLimits, SandboxProvider } from '../sandbox/provider.ts';
import type { Admission } from './admission.ts';
import type { WarmPool } from './warm-pool.ts';

/** What a learner's lab session is built from; main.ts wires one for every session. */
export interface LabSessionDeps {
  provider: SandboxProvider;
  store: ProgressStore;
  /** Runs task checks; rounds need only its batch call. */
  checks: Pick<CheckRunner, 'runAll'>;
  logger: Logger;
  bus: EventBus;
  /** Sandboxes this host may run at once; starts beyond it wait in its queue. */
  admission: Admission;
  /** Ready sandboxes handed out on start; none when undefined. */
  pool?: WarmPool;
  /** Where terminal recordings go (one asciicast file per sandbox session); none when undefined. */
  recordings?: { dir: string; maxBytes: number };
  settings: {
    instance: string;
    sandboxImage: string;
    limits: SandboxLimits;
    readyTimeoutMs: number;
    setupTimeoutMs: number;
    checkIntervalMs: number;
    /** Terminal output kept for tabs that attach later. */
    screenChars?: number;
  };
}
