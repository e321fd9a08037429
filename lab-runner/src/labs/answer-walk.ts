/**
 * The answer walk of labs:test: in one fresh sandbox, task by task in order, each known-wrong
 * answer must turn the check red with its reason, and each other valid answer must turn it
 * green. A task without listed valid answers is completed with its solution, so the tasks
 * after it start from what a learner would have.
 */
import type { LabTask } from './load-labs.ts';

export interface Verdict {
  passed: boolean;
  reason: string;
}

/** What the walk needs from a sandbox: run a learner's commands, run one task's check. */
export interface AnswerSandbox {
  type(commands: string): Promise<{ exitCode: number | null; output: string }>;
  check(task: LabTask): Promise<Verdict>;
}

export interface WalkOptions {
  /** How long a wrong answer has to show its reason (state can take a moment to settle). */
  wrongWithinMs: number;
  /** How long a valid answer has to turn green. */
  validWithinMs: number;
  pollMs: number;
  log?: (line: string) => void;
}

export interface TaskWalk {
  task: string;
  wrongRefused: number;
  wrongListed: number;
  validAccepted: number;
  validListed: number;
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const oneLine = (s: string) => s.trim().replace(/\s+/g, ' ').slice(0, 300);

/** Asks the check until `done` holds or time is up; returns the last verdict. */
async function pollCheck(
  sandbox: AnswerSandbox,
  task: LabTask,
  withinMs: number,
  pollMs: number,
  done: (v: Verdict) => boolean,
): Promise<Verdict> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const v = await sandbox.check(task);
    if (done(v) || Date.now() >= deadline) return v;
    await sleep(pollMs);
  }
}

export async function walkTask(
  sandbox: AnswerSandbox,
  task: LabTask,
  opts: WalkOptions,
): Promise<TaskWalk> {
  const walk: TaskWalk = {
    task: task.id,
    wrongRefused: 0,
    wrongListed: task.wrong?.length ?? 0,
    validAccepted: 0,
    validListed: task.valid?.length ?? 0,
    problems: [],
  };
  for (const wrong of task.wrong ?? []) {
    await sandbox.type(wrong.run);
    // A wrong answer must never pass; it has a moment to show the expected reason.
    const v = await pollCheck(
      sandbox,
      task,
      opts.wrongWithinMs,
      opts.pollMs,
      (x) => x.passed || x.reason.includes(wrong.reason),
    );
    if (v.passed) walk.problems.push(`wrong answer "${wrong.name}" passed`);
    else if (!v.reason.includes(wrong.reason))
      walk.problems.push(
        `wrong answer "${wrong.name}": the learner read "${oneLine(v.reason)}", expected "${wrong.reason}"`,
      );
    else {
      walk.wrongRefused++;
      opts.log?.(`  ✗ ${task.id} / ${wrong.name}: ${oneLine(v.reason)}`);
    }
  }
  const valid = task.valid ?? [{ name: 'the solution', run: task.solution }];
  for (const answer of valid) {
    const typed = await sandbox.type(answer.run);
    const v = await pollCheck(sandbox, task, opts.validWithinMs, opts.pollMs, (x) => x.passed);
    if (v.passed) {
      if (task.valid) walk.validAccepted++;
      opts.log?.(`  ✓ ${task.id} / ${answer.name}`);
    } else {
      const tail =
        typed.exitCode === 0
          ? ''
          : ` (its commands exited ${typed.exitCode}: ${oneLine(typed.output.slice(-300))})`;
      walk.problems.push(
        `valid answer "${answer.name}" was refused: "${oneLine(v.reason)}"${tail}`,
      );
    }
  }
  return walk;
}

/** Every task in order; stops at a task whose valid answer failed (the rest would be noise). */
export async function walkAnswers(
  sandbox: AnswerSandbox,
  tasks: readonly LabTask[],
  opts: WalkOptions,
): Promise<TaskWalk[]> {
  const walks: TaskWalk[] = [];
  for (const task of tasks) {
    const walk = await walkTask(sandbox, task, opts);
    walks.push(walk);
    if (walk.problems.some((p) => p.startsWith('valid answer'))) break;
  }
  return walks;
}
