import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { slipwayError } from '../../errors/catalogue.ts';
import type { ExecRequest, ExecResult } from '../provider.ts';
import { CheckdFrames, runRequest, stopRequest } from './checkd-wire.ts';
import { call, engineCall } from './engine-errors.ts';
import { CappedSink, DockerDemuxer, execResult } from './exec-output.ts';

interface PendingRun {
  stdout: CappedSink;
  stderr: CappedSink;
  end(code: number | null): void;
}

/**
 * The runner's end of a checker's slipway-checkd (images/sandbox/checkd/checkd.pl), over one attach
 * to the checker: runs commands there without an engine exec each (an exec costs the engine,
 * containerd and runc about 30 ms of CPU here, more than a round's checks themselves), and
 * hears the sandbox engine's activity. Once closed (the checker ended, or the attach broke)
 * it stays closed; the caller opens another.
 */
export class CheckerChannel {
  private readonly stream: Duplex;
  private readonly runs = new Map<string, PendingRun>();
  private readonly listeners = new Set<() => void>();
  private closedBy: Error | undefined;
  private readonly onClosed: Array<() => void> = [];

  private constructor(stream: Duplex) {
    this.stream = stream;
    const frames = new CheckdFrames();
    const sink = {
      write: (chunk: Buffer) => {
        for (const f of frames.push(chunk)) {
          if (f.kind === 'activity') for (const l of this.listeners) l();
          else if (f.kind === 'exit') this.runs.get(f.id)?.end(f.code);
          else {
            const run = this.runs.get(f.id);
            (f.kind === 'out' ? run?.stdout : run?.stderr)?.write(f.data);
          }
        }
      },
    };
    // checkd writes nothing to its stderr that a run needs (only its own death rattle).
    const demux = new DockerDemuxer(sink, { write: () => {} });
    stream.on('data', (chunk: Buffer) => demux.push(chunk));
    const close = () => this.close(slipwayError('SANDBOX_GONE'));
    stream.once('end', close);
    stream.once('close', close);
    stream.once('error', close);
  }

  /** Attaches to a running checker. */
  static async open(checker: Docker.Container, signal: AbortSignal): Promise<CheckerChannel> {
    const stream = await engineCall('attaching to the sandbox checker', () =>
      call<Duplex>(checker, 'attach', {
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true,
        abortSignal: signal,
      }),
    );
    return new CheckerChannel(stream);
  }

  get closed(): boolean {
    return this.closedBy !== undefined;
  }

  /** Resolves once the channel is closed, for whatever reason. */
  whenClosed(): Promise<void> {
    if (this.closedBy) return Promise.resolve();
    return new Promise((resolve) => this.onClosed.push(resolve));
  }

  /** Hears every change the sandbox's engine reports, until the returned function is called. */
  onActivity(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `req.cmd` in the checker to completion, as an exec would (stdin is not supported).
   * When `signal` aborts first, the run is stopped and the result says it timed out.
   */
  run(req: ExecRequest, signal: AbortSignal): Promise<ExecResult> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    const started = performance.now();
    const id = randomBytes(8).toString('hex');
    const limit = req.maxOutputBytes ?? 64 * 1024;
    const stdout = new CappedSink(limit, req.onStdout);
    const stderr = new CappedSink(limit);
    return new Promise<ExecResult>((resolve, reject) => {
      const onAbort = () => {
        if (!this.closedBy) this.stream.write(stopRequest(id));
        finish(null, true);
      };
      const finish = (exitCode: number | null, timedOut: boolean) => {
        this.runs.delete(id);
        signal.removeEventListener('abort', onAbort);
        resolve(execResult({ stdout, stderr }, exitCode, timedOut, started));
      };
      if (signal.aborted) return finish(null, true);
      this.runs.set(id, {
        stdout,
        stderr,
        end: (code) => {
          if (code !== null) return finish(code, false);
          signal.removeEventListener('abort', onAbort);
          reject(this.closedBy);
        },
      });
      signal.addEventListener('abort', onAbort, { once: true });
      this.stream.write(runRequest(id, req.env ?? {}, req.cmd));
    });
  }

  /** Ends the attach; runs still under way fail with `reason`. */
  close(reason: Error = slipwayError('SANDBOX_GONE')): void {
    if (this.closedBy) return;
    this.closedBy = reason;
    for (const run of this.runs.values()) run.end(null);
    this.runs.clear();
    this.listeners.clear();
    this.stream.destroy();
    for (const resolve of this.onClosed.splice(0)) resolve();
  }
}
