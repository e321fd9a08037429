import { describe, expect, it } from 'vitest';
import { hostCapacity } from './capacity.ts';

const GiB = 1024 ** 3;

describe('hostCapacity', () => {
  it('is bounded by memory after the reserve and by overcommitted CPU', () => {
    const sandbox = { sandboxMemBytes: 0.75 * GiB, sandboxCpus: 1 };
    expect(hostCapacity({ totalMemBytes: 24 * GiB, cpus: 2, ...sandbox })).toBe(16); // CPU
    expect(hostCapacity({ totalMemBytes: 8 * GiB, cpus: 16, ...sandbox })).toBe(8); // memory
    expect(hostCapacity({ totalMemBytes: 1 * GiB, cpus: 1, ...sandbox })).toBe(1); // at least one
  });
});
