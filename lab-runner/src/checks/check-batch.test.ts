import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { batchCommand, finishedRuns, parseBatch } from './check-batch.ts';

const NONCE = 'n0nce42';

/** Runs a batch with the local bash: the same program the sandbox runs. */
function runLocally(checks: Array<{ script: string; timeoutSeconds: number }>) {
  const [cmd, ...args] = batchCommand('fail() { echo "$*"; exit 1; }', checks, {
    nonce: NONCE,
    killGraceSeconds: 1,
    capBytes: 1000,
  });
  return execFileSync(cmd!, args, { encoding: 'utf8' });
}

describe('a batch of checks', () => {
  it('keeps each check apart: its exit, its stdout and its stderr', () => {
    const out = runLocally([
      { script: 'echo ok', timeoutSeconds: 5 },
      { script: 'echo working; fail "There is no container named web yet."', timeoutSeconds: 5 },
      { script: 'echo oops >&2; exit 7', timeoutSeconds: 5 },
    ]);
    const runs = parseBatch(out, NONCE);
    expect(runs.get(0)).toMatchObject({ exitCode: 0, stdout: 'ok\n' });
    expect(runs.get(1)).toMatchObject({
      exitCode: 1,
      stdout: 'working\nThere is no container named web yet.\n',
    });
    expect(runs.get(2)).toMatchObject({ exitCode: 7, stdout: '', stderr: 'oops\n' });
    expect(runs.get(0)!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('gives whole milliseconds, as the activity event of a check carries them', () => {
    const runs = parseBatch(`${NONCE} 0 0 1700000000.123456 1700000000.4567891\nok\n`, NONCE);
    expect(runs.get(0)!.durationMs).toBe(333);
  });

  it('stops a check at its own time limit and goes on to the next', () => {
    const out = runLocally([
      { script: 'sleep 30', timeoutSeconds: 1 },
      { script: 'echo after', timeoutSeconds: 5 },
    ]);
    const runs = parseBatch(out, NONCE);
    expect(runs.get(0)!.exitCode).toBe(124);
    expect(runs.get(1)).toMatchObject({ exitCode: 0, stdout: 'after\n' });
  });

  it('cannot be fooled by a check that prints something header-like', () => {
    const out = runLocally([{ script: 'echo "other 0 0 0 0"; echo "1 0 0 0"', timeoutSeconds: 5 }]);
    const runs = parseBatch(out, NONCE);
    expect([...runs.keys()]).toEqual([0]);
    expect(runs.get(0)!.stdout).toContain('other 0 0 0 0');
  });

  it('gives its checks one shared directory for the round, removed afterwards', () => {
    const out = runLocally([
      {
        script: 'echo seen >"$SLIPWAY_ROUND_DIR/note"; echo "$SLIPWAY_ROUND_DIR"',
        timeoutSeconds: 5,
      },
      { script: 'cat "$SLIPWAY_ROUND_DIR/note"', timeoutSeconds: 5 },
    ]);
    const runs = parseBatch(out, NONCE);
    expect(runs.get(1)).toMatchObject({ exitCode: 0, stdout: 'seen\n' });
    const roundDir = runs.get(0)!.stdout.trim();
    expect(roundDir).not.toBe('');
    expect(existsSync(roundDir)).toBe(false);
  });

  it('keeps at most the cap of each stream and goes on to the next check', () => {
    const out = runLocally([
      {
        script: 'head -c 5000 /dev/zero | tr "\\0" x; head -c 3000 /dev/zero | tr "\\0" y >&2',
        timeoutSeconds: 5,
      },
      { script: 'echo next', timeoutSeconds: 5 },
    ]);
    const runs = parseBatch(out, NONCE);
    expect(runs.get(0)!.stdout).toBe('x'.repeat(1000));
    expect(runs.get(0)!.stderr).toBe('y'.repeat(1000));
    expect(runs.get(1)).toMatchObject({ exitCode: 0, stdout: 'next\n' });
  });

  it('tells which checks have finished from the output so far', () => {
    const out = runLocally([
      { script: 'echo one; echo warn >&2', timeoutSeconds: 5 },
      { script: 'fail "two is not done"', timeoutSeconds: 5 },
    ]);
    const upTo = (marker: string) => out.slice(0, out.indexOf(marker) + marker.length);
    expect([...finishedRuns(upTo(`${NONCE} 0 err\n`), NONCE).keys()]).toEqual([]);
    const first = finishedRuns(upTo(`${NONCE} 0 done\n`), NONCE);
    expect([...first.keys()]).toEqual([0]);
    expect(first.get(0)).toMatchObject({ exitCode: 0, stdout: 'one\n', stderr: 'warn\n' });
    expect([...finishedRuns(upTo(`${NONCE} 1 err\n`), NONCE).keys()]).toEqual([0]);
    expect([...finishedRuns(out, NONCE).keys()]).toEqual([0, 1]);
  });

  it('leaves out checks whose output never arrived', () => {
    const runs = parseBatch(`\n${NONCE} 0 0 1.0 1.1\nok\n\n${NONCE} 0 err\n`, NONCE);
    expect([...runs.keys()]).toEqual([0]);
  });
});
