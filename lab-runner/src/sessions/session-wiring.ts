import type { Lab } from '../labs/load-labs.ts';
import type { ServerMessage, TaskStatus } from '../protocol/index.ts';
import type { CommandMark } from '../terminal/command-marks.ts';
import { CheckRounds } from './check-rounds.ts';
import type { PlatformWork } from './platform-work.ts';
import type { ReadySandbox } from './sandbox-status.ts';
import type { LabSessionDeps } from './session-deps.ts';
import { recorderFor } from './session-recording.ts';
import { TerminalHub } from './terminal-hub.ts';

/**
 * While a sandbox's engine activity is heard, rounds follow it, and a poll only catches what
 * makes no engine event (a file written, a key set with `docker exec`): this many times rarer.
 */
const QUIET_POLL_FACTOR = 8;

/**
 * How a lab session's terminal and check rounds are made from its deps: what they are told
 * and what they may ask of the session, in one place.
 */
export interface SessionHooks {
  learnerId: string;
  lab: Lab;
  deps: LabSessionDeps;
  work: PlatformWork;
  tasks: Map<string, TaskStatus>;
  /** The ready sandbox while the session is open; undefined otherwise. */
  sandbox: () => ReadySandbox | undefined;
  lastActivityAt: () => number;
  command: (sandbox: ReadySandbox, mark: CommandMark) => void;
  shellEnded: (sandbox: ReadySandbox) => Promise<'respawn' | 'stop'>;
  /** A check found no sandbox to run in (the provider decides whether it is gone). */
  checksLost: (sandbox: ReadySandbox) => void;
  broadcast: (msg: ServerMessage) => void;
}

export function terminalFor(h: SessionHooks): TerminalHub {
  const { deps, learnerId, lab } = h;
  return new TerminalHub({
    provider: deps.provider,
    logger: deps.logger,
    ringChars: deps.settings.screenChars ?? 64_000,
    recorder: (sandbox, size) =>
      recorderFor({ ...deps, recordings: deps.recordings, learnerId, lab }, sandbox, size),
    onCommand: (mark) => {
      const sandbox = h.sandbox();
      if (sandbox) h.command(sandbox, mark);
    },
    onShellEnded: h.shellEnded,
  });
}

export function roundsFor(h: SessionHooks, terminal: TerminalHub): CheckRounds {
  const { deps } = h;
  return new CheckRounds({
    lab: h.lab,
    learnerId: h.learnerId,
    checks: deps.checks,
    store: deps.store,
    bus: deps.bus,
    logger: deps.logger,
    intervalMs: deps.settings.checkIntervalMs,
    quietIntervalMs: deps.settings.checkIntervalMs * QUIET_POLL_FACTOR,
    watchActivity: (id, onActivity, signal) =>
      deps.provider.watchActivity(id, onActivity, { signal }),
    work: h.work,
    tasks: h.tasks,
    sandbox: h.sandbox,
    lastActivityAt: h.lastActivityAt,
    lost: h.checksLost,
    marker: (text) => terminal.marker(text),
    broadcast: h.broadcast,
  });
}
