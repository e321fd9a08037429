import { describe, expect, it } from 'vitest';
import { ApiFailure } from './api.ts';
import { failurePlan, LIVE_WORDS, NO_CLASS_HINT, offlineNotice } from './page-shell.ts';

describe('how an instructor page answers a failure', () => {
  it('sends a signed-out instructor to the login', () => {
    expect(failurePlan(new ApiFailure('signed-out', 'x'))).toEqual({ kind: 'login' });
  });

  it('names what is missing, with the instructor’s own hint for a class, and no Retry', () => {
    expect(failurePlan(new ApiFailure('not-found', 'x', { code: 'CLASS_NOT_FOUND' }))).toEqual({
      kind: 'panel',
      title: 'No such class',
      hint: NO_CLASS_HINT,
      retry: false,
    });
    expect(failurePlan(new ApiFailure('not-found', 'x', { code: 'LEARNER_NOT_FOUND' }))).toEqual({
      kind: 'panel',
      title: 'No such learner',
      retry: false,
    });
  });

  it('offers Retry when trying again can help', () => {
    for (const kind of ['offline', 'server', 'throttled'] as const)
      expect(failurePlan(new ApiFailure(kind, 'x'))).toEqual({ kind: 'panel', retry: true });
  });
});

describe('the live status', () => {
  it('has words for every state of the stream', () => {
    expect(Object.keys(LIVE_WORDS).sort()).toEqual([
      'connecting',
      'live',
      'offline',
      'reconnecting',
    ]);
    expect(LIVE_WORDS.live).toBe('Live');
  });

  it('says since when the page is stale, when it knows', () => {
    expect(offlineNotice(0)).toBe(
      'This page shows what it knew and updates again as soon as the service is back. ',
    );
    expect(offlineNotice(Date.parse('2026-12-07T10:00:00Z'))).toMatch(
      /^This page shows what it knew at \S+/,
    );
  });
});
