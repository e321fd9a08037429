/**
 * labs:test — for every lab (or the ids given): a fresh sandbox, setup, every check must
 * fail with a learner-facing reason, solve.sh must succeed, then every check must pass. Then,
 * in a second fresh sandbox, the answer walk (answer-walk.ts): task by task, each known-wrong
 * answer of the manifest must be refused with its reason and each other valid answer accepted.
 * Runs labs in parallel (LABS_TEST_CONCURRENCY, default: one per two cores, at most 4: the
 * Compose labs need about a core each, or their services miss their health deadlines) and
 * removes every sandbox it made. Exit code 1 when any lab misbehaves.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { REASONS } from '../checks/check-result.ts';
import { CheckRunner } from '../checks/check-runner.ts';
import { loadConfig } from '../config.ts';
import { asSlipwayError } from '../errors/catalogue.ts';
import { type TaskWalk, walkAnswers } from '../labs/answer-walk.ts';
import { loadCourseImages } from '../labs/course-images.ts';
import { type Lab, loadLabs } from '../labs/load-labs.ts';
import { createSandboxProvider } from '../sandbox/factory.ts';
import { provisionSandbox, provisionSettings } from '../sessions/provision.ts';

const config = loadConfig(process.env);
const instance = `labs-test-${process.pid}`;
const provider = createSandboxProvider({ ...config, instance });
const checks = new CheckRunner(provider, { maxOutputBytes: config.checkOutputBytes });
const loaded = loadLabs(config.labsDir, loadCourseImages(config.imagesDir));

const wanted = process.argv.slice(2);
// A broken manifest fails the run when that lab is wanted (or all are), not otherwise.
const broken = loaded.failures.filter((f) => wanted.length === 0 || wanted.includes(f.id));
if (broken.length > 0) {
  for (const f of broken) console.error(f.message);
  process.exit(1);
}
const unknown = wanted.filter((id) => !loaded.labs.has(id));
if (unknown.length > 0) {
  console.error(
    `unknown lab(s): ${unknown.join(', ')} (known: ${[...loaded.labs.keys()].join(', ')})`,
  );
  process.exit(1);
}
const labs = [...loaded.labs.values()].filter((l) => wanted.length === 0 || wanted.includes(l.id));
/** LABS_TEST_PHASES=solve or =answers runs one of the two (a lab author's quicker loop). */
const phases = new Set((process.env.LABS_TEST_PHASES || 'solve,answers').split(','));
const concurrency =
  Number(process.env.LABS_TEST_CONCURRENCY) ||
  Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));

interface LabReport {
  id: string;
  problems: string[];
  seconds: number;
  walks?: TaskWalk[];
}

const log = (id: string, msg: string) => console.log(`[${id}] ${msg}`);

/** A fresh sandbox for `body`, removed after it whatever happens; problems are collected. */
async function inSandbox(
  lab: Lab,
  body: (sandboxId: string, problems: string[]) => Promise<void>,
): Promise<string[]> {
  const started = performance.now();
  const problems: string[] = [];
  const labels = {
    instance,
    learner: 'labs-test',
    lab: lab.id,
    session: randomBytes(6).toString('hex'),
  };
  let sandboxId: string | undefined;
  try {
    const info = await provisionSandbox(provider, lab, labels, provisionSettings(config));
    sandboxId = info.id;
    log(lab.id, `sandbox ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await body(info.id, problems);
  } catch (err) {
    const e = asSlipwayError(err);
    problems.push(`${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}`);
  } finally {
    if (sandboxId)
      await provider
        .destroy(sandboxId)
        .catch((err) => problems.push(`cleanup: ${(err as Error).message}`));
  }
  return problems;
}

async function testLab(lab: Lab): Promise<LabReport> {
  const started = performance.now();
  const problems = await inSandbox(lab, async (sandboxId, problems) => {
    const info = { id: sandboxId };
    const alone = new Map<string, string>();
    for (const task of lab.tasks) {
      const o = await checks.run(info.id, task);
      if (o.passed) problems.push(`${task.id}: passed before solve.sh ran`);
      else if (o.kind !== 'failed')
        problems.push(`${task.id}: before solving, the check was ${o.kind}: ${o.reason}`);
      else {
        alone.set(task.id, o.reason);
        log(lab.id, `  ✗ ${task.id}: ${o.reason}`);
      }
    }
    problems.push(...(await roundProblems(lab, info.id, 'before solving', alone)));

    const solve = await provider.exec(
      info.id,
      { cmd: ['bash', '-c', lab.solveScript], user: provider.learnerUser, maxOutputBytes: 65_536 },
      { timeoutMs: 300_000 },
    );
    if (solve.exitCode !== 0) {
      problems.push(
        `solve.sh exited ${solve.exitCode}: ${(solve.stderr || solve.stdout).trim().split('\n').slice(-5).join(' | ')}`,
      );
    }

    for (const task of lab.tasks) {
      // Some state settles a moment after the command returns (a server starting to listen).
      const deadline = Date.now() + 30_000;
      let last = await checks.run(info.id, task);
      while (!last.passed && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        last = await checks.run(info.id, task);
      }
      if (last.passed) log(lab.id, `  ✓ ${task.id}`);
      else problems.push(`${task.id}: still failing after solve.sh: ${last.reason}`);
    }
    problems.push(...(await roundProblems(lab, info.id, 'after solve.sh')));
  });
  return { id: lab.id, problems, seconds: (performance.now() - started) / 1000 };
}

/**
 * The platform runs a round's checks together (two or more: the checker's round shell, each
 * check in an eval of one bash), while the loops above run them one at a time. Both ways must
 * agree: every check passes after solve.sh, and before it each fails as it did alone, with a
 * reason of its own (a check that dies of a shell error has none).
 */
async function roundProblems(
  lab: Lab,
  sandboxId: string,
  when: string,
  alone?: ReadonlyMap<string, string>,
): Promise<string[]> {
  if (lab.tasks.length < 2) return [];
  const round = await checks.runAll(sandboxId, lab.tasks);
  return lab.tasks.flatMap((task, i) => {
    const o = round[i]!;
    const want = alone?.get(task.id);
    if (!alone) return o.passed ? [] : [`${task.id}: ${when}, in a round: ${o.kind}: ${o.reason}`];
    if (o.kind === 'failed' && (want === REASONS.notDone || o.reason !== REASONS.notDone))
      return [];
    const got = o.passed ? 'passed' : `${o.kind}: ${o.reason}`;
    return [`${task.id}: ${when}, in a round: ${got} (alone: ${want ?? 'no reason'})`];
  });
}

/** The answer walk of a lab whose tasks list wrong or other valid answers. */
async function walkLab(lab: Lab): Promise<LabReport> {
  const started = performance.now();
  let walks: TaskWalk[] = [];
  const problems = await inSandbox(lab, async (sandboxId, problems) => {
    walks = await walkAnswers(
      {
        type: async (commands) => {
          const r = await provider.exec(
            sandboxId,
            { cmd: ['bash', '-c', commands], user: provider.learnerUser, maxOutputBytes: 65_536 },
            { timeoutMs: 300_000 },
          );
          return { exitCode: r.exitCode, output: r.stderr || r.stdout };
        },
        check: async (task) => {
          const o = await checks.run(sandboxId, task);
          return { passed: o.passed, reason: o.passed ? '' : o.reason };
        },
      },
      lab.tasks,
      { wrongWithinMs: 20_000, validWithinMs: 30_000, pollMs: 500, log: (l) => log(lab.id, l) },
    );
    for (const w of walks) problems.push(...w.problems.map((p) => `${w.task}: ${p}`));
    const reached = new Set(walks.map((w) => w.task));
    for (const t of lab.tasks)
      if (!reached.has(t.id))
        problems.push(`${t.id}: not walked (an earlier task's answer failed)`);
  });
  return {
    id: `${lab.id} (answers)`,
    problems,
    seconds: (performance.now() - started) / 1000,
    walks,
  };
}

/** Per task: wrong answers refused / listed, other valid answers accepted / listed. */
function coverageTable(reports: LabReport[]): string[] {
  const lines = ['', 'task                                        wrong refused   other valid'];
  for (const r of reports.filter((x) => x.walks)) {
    for (const w of r.walks!) {
      lines.push(
        `${`${r.id.replace(' (answers)', '')}/${w.task}`.padEnd(44)}${`${w.wrongRefused}/${w.wrongListed}`.padEnd(16)}${w.validAccepted}/${w.validListed}`,
      );
    }
  }
  return lines;
}

async function main(): Promise<number> {
  const t0 = performance.now();
  console.log(`labs:test: ${labs.length} lab(s), ${concurrency} at a time, instance ${instance}`);
  const queue: Array<() => Promise<LabReport>> = [
    ...(phases.has('solve') ? labs.map((lab) => () => testLab(lab)) : []),
    ...(phases.has('answers')
      ? labs.filter((l) => l.tasks.some((t) => t.wrong || t.valid)).map((l) => () => walkLab(l))
      : []),
  ];
  const reports: LabReport[] = [];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) reports.push(await job());
    }),
  );
  // Anything left behind by a crash mid-test goes too.
  for (const s of await provider.list({})) await provider.destroy(s.id).catch(() => {});

  console.log('\nlab                              result   time');
  for (const r of reports.sort((a, b) => a.id.localeCompare(b.id))) {
    console.log(
      `${r.id.padEnd(32)} ${(r.problems.length === 0 ? 'ok' : 'FAILED').padEnd(8)} ${r.seconds.toFixed(1)} s`,
    );
    for (const p of r.problems) console.log(`    - ${p}`);
  }
  for (const line of coverageTable(reports)) console.log(line);
  const bare = labs.flatMap((l) => l.tasks.filter((t) => !t.wrong).map((t) => `${l.id}/${t.id}`));
  if (bare.length > 0)
    console.log(`tasks without known-wrong answers yet: ${bare.length} (${bare.join(', ')})`);
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return reports.every((r) => r.problems.length === 0) ? 0 : 1;
}

process.exitCode = await main();
