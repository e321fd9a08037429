import { describe, expect, it } from 'vitest';
import { interpretCheck, REASONS } from './check-result.ts';

const run = (exitCode: number | null, stdout = '', stderr = '', timedOut = false) => ({
  exitCode,
  stdout,
  stderr,
  timedOut,
});

describe('interpretCheck', () => {
  it('passes on exit 0', () => {
    expect(interpretCheck(run(0))).toEqual({ kind: 'passed', passed: true });
    expect(interpretCheck(run(0, 'nice\n'))).toEqual({
      kind: 'passed',
      passed: true,
      message: 'nice',
    });
  });

  it('uses the last line of output as the reason on exit 1', () => {
    expect(
      interpretCheck(run(1, 'debug noise\nThere is no container named "web" yet.\n\n')),
    ).toEqual({
      kind: 'failed',
      passed: false,
      reason: 'There is no container named "web" yet.',
    });
  });

  it('falls back to a plain sentence when a failing check says nothing', () => {
    expect(interpretCheck(run(1))).toEqual({
      kind: 'failed',
      passed: false,
      reason: REASONS.notDone,
    });
  });

  it('strips terminal escapes and caps long reasons', () => {
    const r = interpretCheck(run(1, `\u001b[31mred\u001b[0m ${'x'.repeat(400)}`));
    expect(r.passed).toBe(false);
    if (!r.passed) {
      expect(r.reason.startsWith('red x')).toBe(true);
      expect(r.reason.length).toBe(280);
      expect(r.reason.endsWith('…')).toBe(true);
    }
  });

  it('treats the timeout exits and a runner deadline as a timeout, never as the learner’s fault', () => {
    for (const r of [run(124), run(137), run(null, '', '', true)]) {
      expect(interpretCheck(r)).toEqual({
        kind: 'timeout',
        passed: false,
        reason: REASONS.timeout,
      });
    }
  });

  it('reports other exits as a broken check, keeping the detail for the log', () => {
    expect(interpretCheck(run(127, '', 'bash: dokcer: command not found\n'))).toEqual({
      kind: 'broken',
      passed: false,
      reason: REASONS.broken(127),
      detail: 'bash: dokcer: command not found',
    });
  });
});
