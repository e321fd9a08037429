/** CPU readings for the benches: the machine, the sandboxes' cgroups, this process. */
import { readdirSync, readFileSync } from 'node:fs';
import type { SandboxProvider } from '../lab-runner/src/sandbox/provider.ts';

const USER_HZ = 100;

/** CPU seconds the whole machine has been busy (not idle, not waiting on I/O). */
export function machineBusySeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const [user, nice, system, , , irq, softirq, steal] = cpu.map(Number);
  return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / USER_HZ;
}

/** CPU seconds the lab's sandboxes have used (their cgroups: the learners' own work). */
export async function sandboxSeconds(provider: SandboxProvider, lab: string): Promise<number> {
  let ns = 0;
  for (const s of await provider.list({ lab })) ns += (await provider.stats(s.id)).cpuNanos;
  return ns / 1e9;
}

/** CPU seconds this process (the scripted learners) has used. */
export function benchSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** A reading of the platform's own CPU, process by process (see platformDelta). */
export interface PlatformReading {
  /** Ticks by process ("pid@start", so a reused pid is another process). */
  procs: Map<string, number>;
  /** CPU nanoseconds by checker. */
  checkers: Map<string, number>;
}

/**
 * Reads the CPU of the platform's own processes, so that other work on the machine (another
 * test run, a build) is not taken for the platform's: the runner and what it started, the
 * engine's daemon with its containerd and port proxies, the engine's container shims (with the
 * runc they start), and the lab's checkers (their cgroups). The engine daemons are shared:
 * their work for other users of the same engine still counts.
 */
export async function platformReading(o: {
  runnerPid: number;
  engineDaemonPid: number;
  provider: SandboxProvider;
  lab: string;
}): Promise<PlatformReading> {
  const table = processTable();
  const tree = (root: number) => {
    const out = [root];
    for (let i = 0; i < out.length; i++)
      for (const p of table.values()) if (p.ppid === out[i]) out.push(p.pid);
    return out;
  };
  const shims = [...table.values()]
    .filter((p) => /containerd-shim\S*\0-namespace\0slipway\0/.test(p.cmdline))
    .map((p) => p.pid);
  const procs = new Map<string, number>();
  for (const pid of new Set([...tree(o.runnerPid), ...tree(o.engineDaemonPid), ...shims])) {
    const p = table.get(pid);
    if (p) procs.set(`${pid}@${p.start}`, p.ticks);
  }
  const checkers = new Map<string, number>();
  for (const s of await o.provider.list({ lab: o.lab })) {
    // Docker names a sandbox's checker after its session (lab-runner/src/sandbox/docker/dind.ts).
    const name = `slipway-chk-${s.labels.session}`;
    const ns = await o.provider.stats(name).then(
      (x) => x.cpuNanos,
      () => undefined,
    );
    if (ns !== undefined) checkers.set(name, ns);
  }
  return { procs, checkers };
}

/**
 * CPU seconds between two readings. Each process counts what it used between them (all of it
 * if it started since); one that ended in between loses only its last moments (its children's
 * time is in their parent's, once reaped).
 */
export function platformDelta(a: PlatformReading, b: PlatformReading): number {
  let ticks = 0;
  for (const [k, t] of b.procs) ticks += t - (a.procs.get(k) ?? 0);
  let ns = 0;
  for (const [k, n] of b.checkers) {
    const before = a.checkers.get(k) ?? 0;
    ns += n >= before ? n - before : n; // made again in between: its counter started at 0
  }
  return ticks / USER_HZ + ns / 1e9;
}

interface Proc {
  pid: number;
  ppid: number;
  /** Start time since boot, in ticks: with the pid, names one process. */
  start: number;
  /** utime + stime + cutime + cstime: its own CPU and that of the children it has reaped. */
  ticks: number;
  cmdline: string;
}

function processTable(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const pid = Number(name);
      out.set(pid, { pid, ppid: Number(f[1]), start: Number(f[19]), ticks, cmdline });
    } catch {
      // It ended while being read.
    }
  }
  return out;
}
