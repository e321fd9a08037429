import { Writable } from 'node:stream';
import type { ExecResult } from '../provider.ts';

/** A sink that keeps the first `limit` bytes and counts the rest. */
export class CappedSink extends Writable {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  dropped = 0;
  private readonly limit: number;
  private readonly onKept: ((soFar: string) => void) | undefined;

  /** `onKept` hears the text kept so far each time more is kept. */
  constructor(limit: number, onKept?: (soFar: string) => void) {
    super();
    this.limit = limit;
    this.onKept = onKept;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    const room = this.limit - this.kept;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(part);
      this.kept += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(0, room));
    if (room > 0) this.onKept?.(this.text());
    done();
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  text(): string {
    // A cut in the middle of a UTF-8 sequence decodes to U+FFFD rather than failing.
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** A finished command's result from its two capped streams; `started` is performance.now(). */
export function execResult(
  out: { stdout: CappedSink; stderr: CappedSink },
  exitCode: number | null,
  timedOut: boolean,
  started: number,
): ExecResult {
  return {
    exitCode,
    stdout: out.stdout.text(),
    stderr: out.stderr.text(),
    truncated: out.stdout.truncated || out.stderr.truncated,
    timedOut,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * Splits Docker's multiplexed exec stream (8-byte frame headers: stream id, 3 zero bytes,
 * big-endian length) into stdout and stderr. Frames may arrive split across chunks.
 */
export interface ByteSink {
  write(chunk: Buffer): unknown;
}

export class DockerDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  private readonly stdout: ByteSink;
  private readonly stderr: ByteSink;

  constructor(stdout: ByteSink, stderr: ByteSink) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const payload = this.pending.subarray(8, 8 + size);
      (this.pending[0] === 2 ? this.stderr : this.stdout).write(payload);
      this.pending = this.pending.subarray(8 + size);
    }
  }
}
