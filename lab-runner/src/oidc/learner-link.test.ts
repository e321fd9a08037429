import { describe, expect, it } from 'vitest';
import { linkDecision } from './learner-link.ts';

describe('linkDecision', () => {
  it('links the anonymous learner of the browser at a first sign-in', () => {
    expect(linkDecision({ person: undefined, browser: 'anon', browserLinked: false })).toEqual({
      kind: 'link-browser',
      learnerId: 'anon',
    });
  });

  it('makes a new learner at a first sign-in from a browser with none', () => {
    expect(linkDecision({ person: undefined, browser: undefined, browserLinked: false })).toEqual({
      kind: 'new',
    });
  });

  it('merges a second browser’s anonymous progress into the person’s learner', () => {
    expect(linkDecision({ person: 'ada', browser: 'anon', browserLinked: false })).toEqual({
      kind: 'merge',
      from: 'anon',
      into: 'ada',
    });
  });

  it('does nothing when the browser already is the person', () => {
    expect(linkDecision({ person: 'ada', browser: 'ada', browserLinked: true })).toEqual({
      kind: 'same',
      learnerId: 'ada',
    });
  });

  it('never moves another person’s progress: a shared browser just switches', () => {
    expect(linkDecision({ person: 'ada', browser: 'bob', browserLinked: true })).toEqual({
      kind: 'switch',
      learnerId: 'ada',
    });
    expect(linkDecision({ person: undefined, browser: 'bob', browserLinked: true })).toEqual({
      kind: 'new',
    });
    expect(linkDecision({ person: 'ada', browser: undefined, browserLinked: false })).toEqual({
      kind: 'switch',
      learnerId: 'ada',
    });
  });
});
