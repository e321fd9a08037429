import { describe, expect, it } from 'vitest';
import {
  nextToFill,
  parsePoolSetting,
  poolTargets,
  surplus,
  unknownPoolLabs,
} from './warm-pool-policy.ts';

const labs = ['first-containers', 'compose-networking', 'ocs-split'];

describe('parsePoolSetting', () => {
  it('reads a number as that many for every lab', () => {
    expect(poolTargets(parsePoolSetting('2'), labs)).toEqual(
      new Map(labs.map((l) => [l, 2] as const)),
    );
    expect(poolTargets(parsePoolSetting('0'), labs).size).toBe(0);
  });

  it('reads a list as counts for the labs named, none for the rest', () => {
    const s = parsePoolSetting('first-containers=2, ocs-split=1');
    expect(poolTargets(s, labs)).toEqual(
      new Map([
        ['first-containers', 2],
        ['ocs-split', 1],
      ]),
    );
    expect(unknownPoolLabs(parsePoolSetting('nope=1,ocs-split=1'), labs)).toEqual(['nope']);
  });

  it('names the part it cannot read', () => {
    expect(() => parsePoolSetting('first-containers:2')).toThrow(
      '"first-containers:2" is neither a number nor lab-id=count (e.g. "1" or "first-containers=2,ocs-split=1")',
    );
  });
});

describe('nextToFill', () => {
  it('picks the lab furthest below its target, the first one on a tie', () => {
    const targets = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    expect(nextToFill(targets, new Map())).toBe('b');
    expect(nextToFill(targets, new Map([['b', 1]]))).toBe('a');
    expect(
      nextToFill(
        targets,
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
      ),
    ).toBeUndefined();
  });
});

describe('surplus', () => {
  it('keeps the first ones up to the target and returns the rest', () => {
    const pooled = [
      { labId: 'a', n: 1 },
      { labId: 'a', n: 2 },
      { labId: 'gone', n: 3 },
    ];
    expect(surplus(pooled, new Map([['a', 1]])).map((p) => p.n)).toEqual([2, 3]);
  });
});
