/**
 * Which of a sandbox's limits it is at, and what the learner reads about each, as pure
 * decisions. Memory and processes are enforced by the kernel (the learner is warned as they
 * near them); disk is a budget Slipway enforces itself: over it the learner is warned, and
 * past `hardFactor` times it the sandbox is stopped (completed tasks are kept).
 */
export type LimitKind = 'memory' | 'pids' | 'disk';

export interface LimitNotice {
  kind: LimitKind;
  message: string;
}

export interface LimitReading {
  memoryBytes: number;
  pids: number;
  /** Not measured on every reading (it costs more). */
  diskBytes?: number;
}

export interface LimitSettings {
  memoryBytes: number;
  pids: number;
  diskBytes: number;
  /** Warn at this share of the memory and process limits. */
  nearShare?: number;
  /** Stop the sandbox at this multiple of the disk budget. */
  hardFactor?: number;
}

export function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

export function diskHardLimit(s: LimitSettings): number {
  return Math.round(s.diskBytes * (s.hardFactor ?? 1.25));
}

export function limitNotices(r: LimitReading, s: LimitSettings): LimitNotice[] {
  const near = s.nearShare ?? 0.9;
  const out: LimitNotice[] = [];
  if (r.memoryBytes >= near * s.memoryBytes) {
    out.push({
      kind: 'memory',
      message: `Your sandbox is using ${size(r.memoryBytes)} of its ${size(s.memoryBytes)} of memory. When it runs out, the biggest program in it is killed: remove containers you no longer need (docker ps, then docker rm -f NAME).`,
    });
  }
  if (r.pids >= near * s.pids) {
    out.push({
      kind: 'pids',
      message: `Your sandbox is running ${r.pids} of at most ${s.pids} processes; new ones fail with "Resource temporarily unavailable". Stop what you started (Ctrl-C, kill, or docker rm -f NAME).`,
    });
  }
  if (r.diskBytes !== undefined && r.diskBytes >= s.diskBytes) {
    out.push({
      kind: 'disk',
      message: `Your sandbox uses ${size(r.diskBytes)} of disk, over its budget of ${size(s.diskBytes)}. Free some (docker system prune -a, docker volume prune); at ${size(diskHardLimit(s))} it is stopped, keeping your completed tasks.`,
    });
  }
  return out;
}

/** Whether the disk use is past the hard limit, with what the learner reads if so. */
export function diskStop(diskBytes: number, s: LimitSettings): string | undefined {
  const hard = diskHardLimit(s);
  if (diskBytes < hard) return undefined;
  return `Your sandbox was stopped: it used ${size(diskBytes)} of disk, past its limit of ${size(hard)}. Your completed tasks are kept: Start brings a new sandbox back to where you were.`;
}
