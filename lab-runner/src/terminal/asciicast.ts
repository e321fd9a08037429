import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface RecordingInfo {
  path: string;
  startedAt: Date;
  bytes: number;
  truncated: boolean;
}

/**
 * Writes a terminal session as asciicast v2: a JSON header line, then `[seconds, code, data]`
 * lines — "o" output, "r" resize ("COLSxROWS"), "m" markers (check results). Past `maxBytes`
 * it writes one last marker saying so and records nothing more.
 */
export class AsciicastRecorder {
  private fd: number | undefined;
  private readonly started: number;
  private written = 0;
  private stopped = false;
  readonly info: RecordingInfo;
  private readonly opts: {
    path: string;
    cols: number;
    rows: number;
    maxBytes: number;
    title: string;
  };

  constructor(
    opts: { path: string; cols: number; rows: number; maxBytes: number; title: string },
    now = new Date(),
  ) {
    this.opts = opts;
    this.started = now.getTime();
    this.info = { path: opts.path, startedAt: now, bytes: 0, truncated: false };
  }

  private write(line: string): void {
    if (this.stopped) return;
    if (this.fd === undefined) {
      mkdirSync(dirname(this.opts.path), { recursive: true });
      // A recording that already exists is continued (the runner restarted mid-session).
      const existing = existsSync(this.opts.path) ? statSync(this.opts.path).size : 0;
      // Synchronous appends: what the learner saw is on disk even if the runner is killed.
      this.fd = openSync(this.opts.path, 'a');
      if (existing > 0) this.written = existing;
      const header =
        existing > 0
          ? undefined
          : JSON.stringify({
              version: 2,
              width: this.opts.cols,
              height: this.opts.rows,
              timestamp: Math.floor(this.started / 1000),
              title: this.opts.title,
              env: { TERM: 'xterm-256color', SHELL: '/bin/bash' },
            });
      if (header) this.append(`${header}\n`);
    }
    const size = Buffer.byteLength(line) + 1;
    if (this.written + size > this.opts.maxBytes) {
      this.append(
        `${JSON.stringify([this.elapsed(), 'm', 'recording stopped: size limit reached'])}\n`,
      );
      this.info.truncated = true;
      this.stopped = true;
    } else {
      this.append(`${line}\n`);
    }
    this.info.bytes = this.written;
  }

  private append(text: string): void {
    if (this.fd === undefined) return;
    try {
      this.written += writeSync(this.fd, text);
    } catch {
      // A full disk stops the recording, never the lab.
      this.stopped = true;
    }
  }

  private elapsed(now = Date.now()): number {
    return Math.max(0, Math.round(now - this.started)) / 1000;
  }

  output(text: string, now = Date.now()): void {
    if (text) this.write(JSON.stringify([this.elapsed(now), 'o', text]));
  }

  resize(cols: number, rows: number, now = Date.now()): void {
    this.write(JSON.stringify([this.elapsed(now), 'r', `${cols}x${rows}`]));
  }

  marker(label: string, now = Date.now()): void {
    this.write(JSON.stringify([this.elapsed(now), 'm', label]));
  }

  async close(): Promise<void> {
    this.stopped = true;
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The last `maxChars` of output in a recording: what the learner's screen showed when the
 * runner stopped, to give a reconnecting page its screen back.
 */
export function readCastTail(path: string, maxChars: number): string {
  if (!existsSync(path)) return '';
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const want = Math.min(size, maxChars * 6 + 4096);
    const buf = Buffer.alloc(want);
    readSync(fd, buf, 0, want, size - want);
    const lines = buf.toString('utf8').split('\n');
    if (want < size) lines.shift(); // most likely cut in the middle
    let out = '';
    for (const line of lines) {
      if (!line.startsWith('[')) continue;
      try {
        const [, code, data] = JSON.parse(line) as [number, string, string];
        if (code === 'o') out += data;
      } catch {
        // A line still being written when the runner died.
      }
    }
    return out.slice(-maxChars);
  } finally {
    closeSync(fd);
  }
}
