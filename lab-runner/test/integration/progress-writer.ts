/**
 * A progress writer for the durability test: records completions in a loop and, after each
 * one is committed, says so on stdout (`ack <task>`), the way the runner tells a learner.
 * It prints `ready` once the database is open, then waits for a line on stdin before its first
 * write, so all writers start writing together (and none waits for the lock while others start).
 * Usage: node progress-writer.ts <db file> <worker id>
 */
import { readSync, writeSync } from 'node:fs';
import { openDatabase } from '../../src/progress/database.ts';
import { ProgressStore } from '../../src/progress/progress-store.ts';

const [file, worker] = process.argv.slice(2);
const store = new ProgressStore(openDatabase(file!));
const learner = `writer-${worker}`;
store.touchLearner(learner);
writeSync(1, 'ready\n');
readSync(0, Buffer.alloc(16)); // the go signal
for (let n = 0; ; n++) {
  const taskId = `t-${worker}-${n}`;
  const completed = store.recordAttempt({
    learnerId: learner,
    labId: 'durability',
    taskId,
    passed: true,
    reason: undefined,
    trigger: 'command',
    durationMs: 1,
    at: new Date(),
  });
  if (completed) writeSync(1, `ack ${taskId}\n`);
}
