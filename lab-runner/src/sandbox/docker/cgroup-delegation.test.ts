import { describe, expect, it } from 'vitest';
import { delegationTargets, remapFromRootDir } from './cgroup-delegation.ts';

const v1 = `12:name=systemd:/slipway/abc
8:pids:/slipway/abc
4:memory:/slipway/abc
2:cpu,cpuacct:/slipway/abc
0::/slipway/abc
`;

describe('cgroup delegation', () => {
  it('reads the remapped root from a userns data root', () => {
    expect(remapFromRootDir('/var/lib/slipway/docker/100000.100000')).toEqual({
      uid: 100000,
      gid: 100000,
    });
    expect(remapFromRootDir('/var/lib/docker')).toBeUndefined();
  });

  it('maps cgroup v1 controllers to their mount points, including combined and named ones', () => {
    const mounted = new Set([
      '/sys/fs/cgroup/systemd',
      '/sys/fs/cgroup/pids',
      '/sys/fs/cgroup/memory',
      '/sys/fs/cgroup/cpu,cpuacct',
      '/sys/fs/cgroup/unified',
    ]);
    const exists = (p: string) => [...mounted].some((m) => p === m || p.startsWith(`${m}/`));
    expect(delegationTargets(v1, '/sys/fs/cgroup', exists)).toEqual([
      { dir: '/sys/fs/cgroup/systemd/slipway/abc', files: ['cgroup.procs', 'tasks'] },
      { dir: '/sys/fs/cgroup/pids/slipway/abc', files: ['cgroup.procs', 'tasks'] },
      { dir: '/sys/fs/cgroup/memory/slipway/abc', files: ['cgroup.procs', 'tasks'] },
      { dir: '/sys/fs/cgroup/cpu,cpuacct/slipway/abc', files: ['cgroup.procs', 'tasks'] },
      { dir: '/sys/fs/cgroup/unified/slipway/abc', files: ['cgroup.procs'] },
    ]);
  });

  it('falls back to a single controller name when controllers are mounted apart', () => {
    const exists = (p: string) => p.startsWith('/sys/fs/cgroup/cpu/') || p === '/sys/fs/cgroup/cpu';
    expect(delegationTargets('2:cpu,cpuacct:/x', '/sys/fs/cgroup', exists)).toEqual([
      { dir: '/sys/fs/cgroup/cpu/x', files: ['cgroup.procs', 'tasks'] },
    ]);
  });

  it('hands over the unified directory and its control files on cgroup v2', () => {
    const exists = (p: string) => p === '/sys/fs/cgroup/cgroup.controllers';
    expect(
      delegationTargets('0::/system.slice/docker-abc.scope\n', '/sys/fs/cgroup', exists),
    ).toEqual([
      {
        dir: '/sys/fs/cgroup/system.slice/docker-abc.scope',
        files: ['cgroup.procs', 'cgroup.subtree_control', 'cgroup.threads'],
      },
    ]);
  });
});
