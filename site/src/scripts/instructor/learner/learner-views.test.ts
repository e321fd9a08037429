import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../api.ts';
import type { RecordingRef } from '../types.ts';
import { changesTimeline } from './learner-page.ts';
import { loadFailureText, recordingOptions } from './recordings-view.ts';
import { latestRecording, terminalBadge } from './terminals-view.ts';
import { emptyText } from './timeline-view.ts';

const rec = (id: number, labId: string, startedAt: string): RecordingRef => ({
  id,
  labId,
  sessionId: `s${id}`,
  startedAt,
});
const recordings = [
  rec(1, 'first', '2026-11-23T10:00:00.000Z'),
  rec(2, 'second', '2026-11-23T10:10:00.000Z'),
  rec(3, 'first', '2026-11-23T10:20:00.000Z'),
];

describe('the learner page’s pieces', () => {
  it('lists recordings newest first, the newest marked', () => {
    const options = recordingOptions(recordings, (id) => `Lab ${id}`);
    expect(options.map((o) => o.value)).toEqual([3, 2, 1]);
    expect(options[0]!.text).toMatch(/^Lab first · .* \(latest\)$/);
    expect(options[1]!.text).not.toContain('latest');
    expect(recordingOptions([], String)).toEqual([]);
  });

  it('says plainly why a recording did not load', () => {
    expect(loadFailureText(new ApiFailure('not-found', 'x'))).toMatch(/^This recording is gone/);
    expect(loadFailureText(new ApiFailure('offline', 'Nobody answers.'))).toBe(
      'Could not load the recording. Nobody answers.',
    );
  });

  it('sizes a shadow from the learner’s latest recording of that lab', () => {
    expect(latestRecording(recordings, 'first')?.id).toBe(3);
    expect(latestRecording(recordings, 'third')).toBeUndefined();
  });

  it('says whether a terminal is open in a lab', () => {
    expect(terminalBadge(true)).toBe('terminal open');
    expect(terminalBadge(false)).toBe('no terminal open');
  });

  it('asks for the timeline again only when something shows on it', () => {
    expect(changesTimeline({ kind: 'check-attempt', trigger: 'poll' })).toBe(false);
    expect(changesTimeline({ kind: 'check-attempt', trigger: 'command' })).toBe(true);
    expect(changesTimeline({ kind: 'sandbox' })).toBe(true);
  });

  it('tells an empty timeline from a filter that hides everything', () => {
    expect(emptyText(0)).toMatch(/^Nothing yet/);
    expect(emptyText(4)).toBe('Nothing of this kind yet.');
  });
});
