import { existsSync } from 'node:fs';
import { chown, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { slipwayError } from '../../errors/catalogue.ts';

/**
 * On an engine with --userns-remap, the inner dockerd runs as an unprivileged host uid and
 * cannot create its containers' cgroups. The runner (host root) hands it the sandbox's own
 * cgroup directories, not recursively: the inner engine may then create children, while the
 * sandbox's own limit files (memory.limit_in_bytes, pids.max) stay root-owned and unwritable.
 */
export interface Remap {
  uid: number;
  gid: number;
}

/** `/var/lib/x/100000.100000` is how dockerd names its data root under --userns-remap. */
export function remapFromRootDir(dockerRootDir: string): Remap | undefined {
  const m = /\/(\d+)\.(\d+)\/?$/.exec(dockerRootDir);
  return m ? { uid: Number(m[1]), gid: Number(m[2]) } : undefined;
}

export interface DelegationTarget {
  dir: string;
  files: string[];
}

/**
 * Which directories and files to hand over, from the text of /proc/<pid>/cgroup.
 * `exists` is injected so the mapping can be tested without a host.
 */
export function delegationTargets(
  procCgroup: string,
  cgroupRoot: string,
  exists: (path: string) => boolean,
): DelegationTarget[] {
  const lines = procCgroup.split('\n').filter((l) => l.trim() !== '');
  if (exists(join(cgroupRoot, 'cgroup.controllers'))) {
    // cgroup v2: one unified hierarchy.
    const path = lines.find((l) => l.startsWith('0::'))?.slice(3);
    if (!path) return [];
    return [
      {
        dir: join(cgroupRoot, path),
        files: ['cgroup.procs', 'cgroup.subtree_control', 'cgroup.threads'],
      },
    ];
  }
  const out: DelegationTarget[] = [];
  for (const line of lines) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (controllers === '') {
      const dir = join(cgroupRoot, 'unified', path);
      if (exists(dir)) out.push({ dir, files: ['cgroup.procs'] });
      continue;
    }
    const name = controllers.startsWith('name=') ? controllers.slice(5) : controllers;
    const mount = [name, ...name.split(',')].find((n) => exists(join(cgroupRoot, n)));
    if (!mount) continue;
    const dir = join(cgroupRoot, mount, path);
    if (exists(dir)) out.push({ dir, files: ['cgroup.procs', 'tasks'] });
  }
  return out;
}

export async function delegateCgroups(
  pid: number,
  remap: Remap,
  cgroupRoot = '/sys/fs/cgroup',
): Promise<void> {
  try {
    const text = await readFile(`/proc/${pid}/cgroup`, 'utf8');
    const targets = delegationTargets(text, cgroupRoot, existsSync);
    if (targets.length === 0) throw new Error(`no cgroup directories found for pid ${pid}`);
    for (const t of targets) {
      await chown(t.dir, remap.uid, remap.gid);
      for (const f of t.files) {
        const p = join(t.dir, f);
        if (existsSync(p)) await chown(p, remap.uid, remap.gid);
      }
    }
  } catch (err) {
    throw slipwayError('CGROUP_DELEGATION_FAILED', { detail: (err as Error).message }, err);
  }
}
