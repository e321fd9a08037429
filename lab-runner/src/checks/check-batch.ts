/**
 * Several task checks in one exec. Each check still runs alone, in order, under its own time
 * limit, with its own stdout, stderr and exit code, so its outcome is the same as a single
 * run's; one exec instead of N saves the engine's per-exec cost (about 35 ms each here).
 *
 * The batch prints, per check, a header line `<nonce> <index> <exit> <start> <end>` followed by
 * its stdout, then `<nonce> <index> err` and its stderr, then `<nonce> <index> done`. The nonce is random per run, so no
 * check output can forge a header. The checks of a batch share `$SLIPWAY_ROUND_DIR`, where
 * checklib.sh keeps its one snapshot of the engine's state per round.
 */
import type { CheckRun } from './check-result.ts';

/** The bash program of a batch; its arguments are: prelude, then time limit and script pairs. */
export function batchProgram(nonce: string, killGraceSeconds: number, capBytes: number): string {
  // Few processes per check (timeout and bash): starting one costs ~5 ms in a sandbox, and
  // checks run every few seconds for every learner. Output is capped with bash's own read.
  // It runs in the sandbox's checker, whose tools are its own; the fixed PATH keeps it so.
  // The engine's socket is the one thing of the learner's a check must trust: its identity is
  // kept at the first round, and a socket put in its place since (a fake engine) fails every
  // check with a reason the learner and their instructor both see.
  return `set -u
export LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin
d=\${TMPDIR:-/tmp}/slipway-checks.$$.$RANDOM
mkdir -m 0700 "$d" "$d/engine" || exit 3
trap 'rm -rf "$d"' EXIT
export SLIPWAY_ROUND_DIR=$d/engine
sock=\${DOCKER_HOST:-unix:///var/run/docker.sock}; sock=\${sock#unix://}
kept=/var/cache/slipway-checks/engine-socket
now=$(stat -c '%d:%i' "$sock" 2>/dev/null)
if [ -s "$kept" ]; then
  [ -z "$now" ] || [ "$(<"$kept")" = "$now" ] || export SLIPWAY_ENGINE_REPLACED=1
elif [ -n "$now" ]; then
  mkdir -p "\${kept%/*}" 2>/dev/null && echo "$now" >"$kept"
fi
prelude=$1; shift
i=0
while [ $# -gt 1 ]; do
  limit=$1; script=$2; shift 2
  t0=$EPOCHREALTIME
  timeout -k ${killGraceSeconds}s "$limit"s bash -c "$prelude
$script" >"$d/out" 2>"$d/err" </dev/null
  rc=$?
  t1=$EPOCHREALTIME
  printf '\\n%s %d %d %s %s\\n' ${nonce} "$i" "$rc" "$t0" "$t1"
  out=; IFS= read -r -d '' -N ${capBytes} out <"$d/out"; printf '%s' "$out"
  printf '\\n%s %d err\\n' ${nonce} "$i"
  out=; IFS= read -r -d '' -N ${capBytes} out <"$d/err"; printf '%s' "$out"
  printf '\\n%s %d done\\n' ${nonce} "$i"
  i=$((i+1))
done
printf '\\n%s end\\n' ${nonce}
`;
}

/** The argv of a batch for checks with these scripts and time limits. */
export function batchCommand(
  prelude: string,
  checks: ReadonlyArray<{ script: string; timeoutSeconds: number }>,
  opts: { nonce: string; killGraceSeconds: number; capBytes: number },
): string[] {
  return [
    '/bin/bash',
    '-c',
    batchProgram(opts.nonce, opts.killGraceSeconds, opts.capBytes),
    'slipway-checks',
    prelude,
    ...checks.flatMap((c) => [String(c.timeoutSeconds), c.script]),
  ];
}

export interface BatchedRun extends CheckRun {
  durationMs: number;
  /** All of its output has arrived. */
  complete: boolean;
}

/**
 * Each check's run from a batch's stdout, by index. A check whose header never arrived (the
 * batch was cut off before it ran) is missing from the result.
 */
export function parseBatch(stdout: string, nonce: string): Map<number, BatchedRun> {
  const out = new Map<number, BatchedRun>();
  const parts = `\n${stdout}`.split(`\n${nonce} `).slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const header = (nl === -1 ? part : part.slice(0, nl)).trim().split(' ');
    const body = nl === -1 ? '' : part.slice(nl + 1);
    const index = Number(header[0]);
    if (!Number.isInteger(index)) continue;
    if (header[1] === 'err' || header[1] === 'done') {
      const run = out.get(index);
      if (run && header[1] === 'err') run.stderr = body;
      if (run && header[1] === 'done') run.complete = true;
      continue;
    }
    const [, exit, start, end] = header.map(Number);
    out.set(index, {
      exitCode: Number.isInteger(exit) ? exit! : null,
      stdout: body,
      stderr: '',
      timedOut: false,
      durationMs: Math.max(0, Math.round(((end ?? 0) - (start ?? 0)) * 1000)),
      complete: false,
    });
  }
  return out;
}

/** The runs whose output has all arrived, from a batch's stdout so far. */
export function finishedRuns(soFar: string, nonce: string): Map<number, BatchedRun> {
  return new Map([...parseBatch(soFar, nonce)].filter(([, run]) => run.complete));
}
