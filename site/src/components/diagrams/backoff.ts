/**
 * Docker's restart back-off, as the engine computes it (moby, restartmanager/restartmanager.go):
 * the first delay is 100 ms, each further one doubles the last, no delay is longer than one
 * minute, and a run that lasted 10 seconds or more puts the delay back to 100 ms.
 */
export const FIRST_DELAY_MS = 100;
export const MULTIPLIER = 2;
export const MAX_DELAY_MS = 60_000;
export const RESET_AFTER_MS = 10_000;

/**
 * The delay before each restart, in milliseconds, given how long each run lasted before it
 * ended (run i ends, then restart i waits delays[i]).
 */
export function restartDelays(runDurationsMs: number[]): number[] {
  let timeout = 0;
  return runDurationsMs.map((ran) => {
    if (ran >= RESET_AFTER_MS) timeout = 0;
    if (timeout === 0) timeout = FIRST_DELAY_MS;
    else if (timeout < MAX_DELAY_MS) timeout *= MULTIPLIER;
    if (timeout > MAX_DELAY_MS) timeout = MAX_DELAY_MS;
    return timeout;
  });
}

/** "100 ms", "1.6 s", "60 s". */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
