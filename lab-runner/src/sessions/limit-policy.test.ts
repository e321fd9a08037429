import { describe, expect, it } from 'vitest';
import { diskStop, limitNotices } from './limit-policy.ts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const limits = { memoryBytes: 768 * MiB, pids: 1000, diskBytes: 4 * GiB };

describe('limitNotices', () => {
  it('says nothing well inside the limits', () => {
    expect(limitNotices({ memoryBytes: 100 * MiB, pids: 40, diskBytes: GiB }, limits)).toEqual([]);
  });

  it('names each limit the sandbox is at, with what to do', () => {
    const n = limitNotices({ memoryBytes: 700 * MiB, pids: 950, diskBytes: 4.5 * GiB }, limits);
    expect(n.map((x) => x.kind)).toEqual(['memory', 'pids', 'disk']);
    expect(n[0]!.message).toBe(
      'Your sandbox is using 700 MiB of its 768 MiB of memory. When it runs out, the biggest program in it is killed: remove containers you no longer need (docker ps, then docker rm -f NAME).',
    );
    expect(n[1]!.message).toContain('running 950 of at most 1000 processes');
    expect(n[2]!.message).toBe(
      'Your sandbox uses 4.5 GiB of disk, over its budget of 4.0 GiB. Free some (docker system prune -a, docker volume prune); at 5.0 GiB it is stopped, keeping your completed tasks.',
    );
  });

  it('leaves disk out of a reading that did not measure it', () => {
    expect(limitNotices({ memoryBytes: 0, pids: 0 }, limits)).toEqual([]);
  });
});

describe('diskStop', () => {
  it('stops only past the hard limit (1.25 times the budget by default)', () => {
    expect(diskStop(4.9 * GiB, limits)).toBeUndefined();
    expect(diskStop(5 * GiB, limits)).toBe(
      'Your sandbox was stopped: it used 5.0 GiB of disk, past its limit of 5.0 GiB. Your completed tasks are kept: Start brings a new sandbox back to where you were.',
    );
  });
});
