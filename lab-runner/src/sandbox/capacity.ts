/** Sandboxes one machine can hold: memory for each one's limit, and CPU overcommitted (most idle). */
export function hostCapacity(h: {
  totalMemBytes: number;
  cpus: number;
  sandboxMemBytes: number;
  sandboxCpus: number;
  /** Memory kept for the host, the engine and the runner. */
  reserveBytes?: number;
  /** Sandboxes mostly wait for a learner to type; this many share one core's worth of limits. */
  cpuOvercommit?: number;
}): number {
  const byMem = Math.floor(
    (h.totalMemBytes - (h.reserveBytes ?? 2 * 1024 ** 3)) / h.sandboxMemBytes,
  );
  const byCpu = Math.floor((h.cpus * (h.cpuOvercommit ?? 8)) / h.sandboxCpus);
  return Math.max(1, Math.min(byMem, byCpu));
}
