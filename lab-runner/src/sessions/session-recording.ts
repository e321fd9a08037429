import { join } from 'node:path';
import type { Logger } from '../errors/log.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import { AsciicastRecorder, readCastTail } from '../terminal/asciicast.ts';
import type { ReadySandbox } from './sandbox-status.ts';

export interface RecordingContext {
  store: ProgressStore;
  logger: Logger;
  /** Where recordings go; none when undefined. */
  recordings: { dir: string; maxBytes: number } | undefined;
  learnerId: string;
  lab: { id: string; title: string };
}

/**
 * The recorder of a shell session in this sandbox: one asciicast file per sandbox session,
 * continued after a runner restart (the same shell goes on), registered in the store so the
 * instructor's replay finds it. Undefined when recordings are off or cannot be registered.
 */
export function recorderFor(
  ctx: RecordingContext,
  sandbox: ReadySandbox,
  size: { cols: number; rows: number },
): AsciicastRecorder | undefined {
  const rec = ctx.recordings;
  if (!rec) return undefined;
  const title = `${ctx.lab.title} — ${ctx.learnerId}`;
  const existing = ctx.store.recordingForSession(sandbox.sessionId);
  if (existing) {
    return new AsciicastRecorder(
      { path: existing.path, ...size, maxBytes: rec.maxBytes, title },
      new Date(existing.startedAt),
    );
  }
  const now = new Date();
  const path = join(
    rec.dir,
    ctx.learnerId,
    ctx.lab.id,
    `${sandbox.sessionId}-${now.getTime()}.cast`,
  );
  try {
    ctx.store.recordingStarted({
      learnerId: ctx.learnerId,
      labId: ctx.lab.id,
      sessionId: sandbox.sessionId,
      path,
      startedAt: now,
    });
  } catch (err) {
    ctx.logger.error('could not register a recording', err, { lab: ctx.lab.id });
    return undefined;
  }
  return new AsciicastRecorder({ path, ...size, maxBytes: rec.maxBytes, title }, now);
}

/** The screen of an adopted sandbox's shell, from the end of its recording. */
export function previousScreen(
  store: ProgressStore,
  sandbox: ReadySandbox,
  screenChars: number,
): string {
  const existing = store.recordingForSession(sandbox.sessionId);
  return existing ? readCastTail(existing.path, screenChars) : '';
}
