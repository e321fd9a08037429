/** CPU readings for the benches: the machine, the sandboxes' cgroups, this process. */
import { readFileSync } from 'node:fs';
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
