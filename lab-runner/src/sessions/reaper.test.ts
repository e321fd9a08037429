import { describe, expect, it } from 'vitest';
import type { SessionResources } from '../sandbox/provider.ts';
import { orphans, vanished } from './reaper.ts';

const res = (
  session: string,
  ageMs: number,
  kinds: SessionResources['kinds'] = ['sandbox', 'network', 'volume'],
): SessionResources => ({
  session,
  id: `sbx-${session}`,
  labels: { instance: 'i', learner: 'l', lab: 'x', session },
  createdAt: new Date(1_000_000 - ageMs),
  kinds,
});

describe('reaper decisions', () => {
  it('removes what the store does not know, after the grace period only', () => {
    const found = [
      res('known', 600_000),
      res('orphan', 600_000),
      res('just-made', 5_000),
      res('leftover-net', 600_000, ['network']),
    ];
    expect(orphans(found, new Set(['known']), 1_000_000, 120_000).map((r) => r.session)).toEqual([
      'orphan',
      'leftover-net',
    ]);
  });

  it('notices live sessions whose sandbox is gone', () => {
    const found = [res('a', 0), res('b', 0, ['volume']), res('d', 0, ['checker', 'volume'])];
    // A checker still being removed after its sandbox went is not the sandbox.
    expect(vanished(found, new Set(['a', 'b', 'c', 'd']))).toEqual(['b', 'c', 'd']);
  });
});
