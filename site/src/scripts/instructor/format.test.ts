import { describe, expect, it } from 'vitest';
import { ago, dayKey, duration, mediaTime, plural, sandboxLabel, timeOfDay } from './format.ts';

describe('format', () => {
  it('counts with the right word', () => {
    expect(plural(1, 'check')).toBe('1 check');
    expect(plural(0, 'check')).toBe('0 checks');
    expect(plural(2, 'class', 'classes')).toBe('2 classes');
  });

  it('says how long, at the right grain', () => {
    expect(duration(-5)).toBe('0 s');
    expect(duration(42_900)).toBe('42 s');
    expect(duration(12 * 60_000 + 5000)).toBe('12 min 05 s');
    expect(duration(65 * 60_000)).toBe('1 h 05 min');
    expect(duration(26 * 3_600_000)).toBe('1 day 2 h');
  });

  it('says how long ago', () => {
    expect(ago(3000)).toBe('just now');
    expect(ago(40_000)).toBe('40 s ago');
    expect(ago(5 * 60_000)).toBe('5 min ago');
    expect(ago(3 * 3_600_000)).toBe('3 h ago');
    expect(ago(72 * 3_600_000)).toBe('3 days ago');
  });

  it('shows player positions like a player', () => {
    expect(mediaTime(7.9)).toBe('0:07');
    expect(mediaTime(754)).toBe('12:34');
    expect(mediaTime(3723)).toBe('1:02:03');
  });

  it('shows times of day in the given zone, and nothing for a bad date', () => {
    expect(timeOfDay('2026-11-23T14:03:27.000Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe(
      '14:03:27',
    );
    expect(timeOfDay('not a date')).toBe('');
    expect(dayKey('2026-11-23T23:30:00.000Z', { timeZone: 'UTC' })).toBe('2026-11-23');
  });

  it('puts sandbox states in words', () => {
    expect(sandboxLabel('ready')).toBe('Running');
    expect(sandboxLabel('none')).toBe('—');
    expect(sandboxLabel('paused')).toBe('Paused');
  });
});
