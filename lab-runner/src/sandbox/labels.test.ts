import { describe, expect, it } from 'vitest';
import { fromDockerLabels, labelFilters, toDockerLabels } from './labels.ts';

describe('labels', () => {
  const l = { instance: 'default', learner: 'L1', lab: 'first-containers', session: 'abc' };

  it('round-trips through Docker labels', () => {
    const docker = toDockerLabels(l, 'sandbox');
    expect(docker['slipway.app']).toBe('slipway');
    expect(docker['slipway.kind']).toBe('sandbox');
    expect(fromDockerLabels(docker)).toEqual(l);
  });

  it('ignores resources that are not ours or are incomplete', () => {
    expect(fromDockerLabels({ 'slipway.lab': 'x' })).toBeUndefined();
    expect(fromDockerLabels(undefined)).toBeUndefined();
  });

  it('always filters on the app label', () => {
    expect(labelFilters({ lab: 'x' })).toEqual(['slipway.app=slipway', 'slipway.lab=x']);
  });
});
