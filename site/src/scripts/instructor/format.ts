/** Numbers and times in the words and shapes the instructor pages show. Pure. */

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A span of time for people: "42 s", "12 min 05 s", "1 h 05 min", "3 days 4 h". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${pad(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${pad(m % 60)} min`;
  const d = Math.floor(h / 24);
  return `${plural(d, 'day')} ${h % 24} h`;
}

/** How long ago, coarse: "just now", "40 s ago", "5 min ago", "3 h ago", "2 days ago". */
export function ago(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/** A player position: "0:07", "12:34", "1:02:03". */
export function mediaTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export interface ClockOptions {
  locale?: string;
  timeZone?: string;
}

/** Time of day of an ISO instant, with seconds: "14:03:27" (the browser's locale by default). */
export function timeOfDay(iso: string | number, opts: ClockOptions = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(opts.locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  });
}

/** Date and time, short: "23 Nov, 14:03". */
export function dateTime(iso: string | number, opts: ClockOptions = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(opts.locale, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  });
}

/** The calendar day of an instant, as a key for grouping ("2026-11-23" in the given zone). */
export function dayKey(iso: string | number, opts: ClockOptions = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleDateString('en-CA', opts.timeZone ? { timeZone: opts.timeZone } : {});
}

/** A long date for headings: "Monday 23 November 2026". */
export function longDate(iso: string | number, opts: ClockOptions = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleDateString(opts.locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  });
}

const sandboxWords: Record<string, string> = {
  none: '—',
  starting: 'Starting',
  ready: 'Running',
  failed: 'Failed',
  stopped: 'Stopped',
};

/** The runner's sandbox state in words. */
export function sandboxLabel(state: string): string {
  return sandboxWords[state] ?? state.charAt(0).toUpperCase() + state.slice(1);
}
