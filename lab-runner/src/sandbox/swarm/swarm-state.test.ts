import { describe, expect, it } from 'vitest';
import { diff } from './swarm-events.ts';
import {
  currentTask,
  type SwarmNode,
  type SwarmService,
  type SwarmTask,
  schedulable,
  toInfo,
} from './swarm-state.ts';

const labels = {
  'slipway.app': 'slipway',
  'slipway.kind': 'sandbox',
  'slipway.instance': 'i',
  'slipway.learner': 'l',
  'slipway.lab': 'lab',
  'slipway.session': 's1',
};
const service: SwarmService = {
  ID: 'svc',
  CreatedAt: '2026-12-01T10:00:00Z',
  Spec: { Name: 'slipway-sbx-s1', Labels: labels },
};
const task = (
  state: string,
  at = '2026-12-01T10:00:01Z',
  extra: Partial<SwarmTask['Status']> = {},
): SwarmTask => ({
  ID: `t-${at}`,
  ServiceID: 'svc',
  NodeID: 'u5qqthqztwf0e77xoc5lxk6su',
  CreatedAt: at,
  Status: { State: state, ContainerStatus: { ContainerID: 'c'.repeat(64), ExitCode: 0 }, ...extra },
});
const node = (state: string, availability = 'active', sandboxes = 'true'): SwarmNode => ({
  ID: 'u5qqthqztwf0e77xoc5lxk6su',
  Description: {
    Hostname: 'vm',
    Engine: { Labels: { 'slipway.sandboxes': sandboxes, 'slipway.name': 'n2' } },
  },
  Spec: { Availability: availability },
  Status: { State: state, Addr: '10.0.0.2' },
});

describe('a Swarm sandbox’s state', () => {
  it('follows its newest task', () => {
    expect(
      currentTask([task('failed', '2026-12-01T10:00:01Z'), task('running', '2026-12-01T10:00:05Z')])
        ?.Status.State,
    ).toBe('running');
    expect(toInfo(service, task('preparing'), node('ready'))?.state).toBe('starting');
    expect(toInfo(service, task('running'), node('ready'))?.state).toBe('running');
    expect(
      toInfo(service, task('failed', undefined, { Err: 'no space' }), node('ready')),
    ).toMatchObject({
      state: 'stopped',
      exit: { code: 0, error: 'no space' },
    });
  });

  it('counts a running task on a lost node as stopped, and says which machine', () => {
    expect(toInfo(service, task('running'), node('down'))).toMatchObject({
      state: 'stopped',
      exit: { code: -1, error: 'its machine (n2) stopped answering' },
    });
  });

  it('ignores services that are not Slipway sandboxes', () => {
    expect(
      toInfo({ ...service, Spec: { Name: 'x', Labels: {} } }, task('running'), node('ready')),
    ).toBeUndefined();
  });
});

describe('which nodes take new sandboxes', () => {
  it('only ready, active nodes labelled for sandboxes', () => {
    expect(schedulable(node('ready'), 'slipway.sandboxes')).toBe(true);
    expect(schedulable(node('down'), 'slipway.sandboxes')).toBe(false);
    expect(schedulable(node('ready', 'pause'), 'slipway.sandboxes')).toBe(false);
    expect(schedulable(node('ready', 'active', 'false'), 'slipway.sandboxes')).toBe(false);
  });
});

describe('sandbox events from two looks at the swarm', () => {
  it('a running sandbox that stopped died (with the lost machine as the reason); a missing one was destroyed', () => {
    const running = toInfo(service, task('running'), node('ready'))!;
    const lost = toInfo(service, task('running'), node('down'))!;
    const at = new Date('2026-12-01T10:01:00Z');
    expect(diff(new Map([['a', running]]), new Map([['a', lost]]), at)).toEqual([
      {
        kind: 'died',
        id: 'a',
        labels: running.labels,
        exitCode: -1,
        reason: 'its machine (n2) stopped answering',
        at,
      },
    ]);
    expect(diff(new Map([['a', running]]), new Map(), at)).toEqual([
      { kind: 'destroyed', id: 'a', labels: running.labels, at },
    ]);
    expect(diff(new Map([['a', running]]), new Map([['a', running]]), at)).toEqual([]);
  });
});
