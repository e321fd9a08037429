/** What a check's process did, independent of how it was run. */
export interface CheckRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export type CheckOutcome =
  | { kind: 'passed'; passed: true; message?: string }
  | { kind: 'failed'; passed: false; reason: string }
  | { kind: 'timeout'; passed: false; reason: string }
  | { kind: 'broken'; passed: false; reason: string; detail: string };

export const REASONS = {
  notDone: 'This task is not done yet.',
  timeout: 'The check did not finish in time; your sandbox may be busy. It will be checked again.',
  broken: (code: number | null) =>
    `The check itself could not run (exit ${code ?? 'unknown'}). It will be tried again; tell your instructor if this keeps happening.`,
} as const;

const MAX_REASON = 280;
const ANSI =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal escapes is the point
  /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|[\u0000-\u0008\u000b-\u001f\u007f]/g;

function lastLine(text: string): string | undefined {
  const lines = text
    .replace(ANSI, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.at(-1);
  if (line === undefined) return undefined;
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

/**
 * Maps a check's exit to what the learner sees. Exit 0 passes; exit 1 fails with the last line
 * of output as the reason; 124/137 (killed by `timeout`) or a runner-side deadline is a
 * timeout; anything else means the check script itself is broken.
 */
export function interpretCheck(run: CheckRun): CheckOutcome {
  if (run.timedOut || run.exitCode === 124 || run.exitCode === 137) {
    return { kind: 'timeout', passed: false, reason: REASONS.timeout };
  }
  if (run.exitCode === 0) {
    const message = lastLine(run.stdout);
    return message === undefined
      ? { kind: 'passed', passed: true }
      : { kind: 'passed', passed: true, message };
  }
  if (run.exitCode === 1)
    return { kind: 'failed', passed: false, reason: lastLine(run.stdout) ?? REASONS.notDone };
  return {
    kind: 'broken',
    passed: false,
    reason: REASONS.broken(run.exitCode),
    detail: (lastLine(run.stderr) ?? lastLine(run.stdout) ?? '').slice(0, MAX_REASON),
  };
}
