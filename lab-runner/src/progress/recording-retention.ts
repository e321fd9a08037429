import { rm } from 'node:fs/promises';
import type { ProgressStore } from './progress-store.ts';

/** Deletes recordings older than the retention period, file first, then the row. */
export async function sweepRecordings(
  store: ProgressStore,
  retentionDays: number,
  now = new Date(),
): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  let removed = 0;
  for (const r of store.recordingsOlderThan(before)) {
    await rm(r.path, { force: true });
    store.forgetRecording(r.id);
    removed++;
  }
  return removed;
}
