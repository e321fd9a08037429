import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type {
  CallOptions,
  ExecRequest,
  ExecResult,
  Terminal,
  TerminalRequest,
} from '../provider.ts';
import { call, engineCall } from './engine-errors.ts';
import { CappedSink, DockerDemuxer, execResult } from './exec-output.ts';

type Deadline = (opts?: CallOptions, ms?: number) => AbortSignal;

/** Runs a command in a container to completion, collecting capped output. */
export async function execInContainer(
  container: Docker.Container,
  req: ExecRequest,
  signal: AbortSignal,
  deadline: Deadline,
): Promise<ExecResult> {
  const started = performance.now();
  const exec = await engineCall('starting a command in the sandbox', () =>
    container.exec({
      Cmd: req.cmd,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: req.stdin !== undefined,
      Tty: false,
      Env: Object.entries(req.env ?? {}).map(([k, v]) => `${k}=${v}`),
      User: req.user ?? 'root',
      WorkingDir: req.workdir ?? '/root',
      abortSignal: signal,
    } as Docker.ExecCreateOptions),
  );
  const socket = (await engineCall('starting a command in the sandbox', () =>
    exec.start({
      hijack: true,
      stdin: req.stdin !== undefined,
      abortSignal: signal,
    } as Docker.ExecStartOptions),
  )) as Duplex;

  const limit = req.maxOutputBytes ?? 64 * 1024;
  const stdout = new CappedSink(limit, req.onStdout);
  const stderr = new CappedSink(limit);
  const demux = new DockerDemuxer(stdout, stderr);
  let timedOut = false;
  await new Promise<void>((resolve) => {
    const finish = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      timedOut = true;
      socket.destroy();
      finish();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (chunk: Buffer) => demux.push(chunk));
    socket.once('end', finish);
    socket.once('close', finish);
    socket.once('error', finish);
    if (typeof req.stdin === 'string') socket.end(req.stdin);
    else if (req.stdin) {
      req.stdin.on('error', () => socket.destroy());
      req.stdin.pipe(socket);
    }
  });

  let exitCode: number | null = null;
  if (!timedOut) {
    // The stream can end a moment before the engine records the exit code.
    for (let i = 0; i < 20 && exitCode === null; i++) {
      const state = await engineCall('reading a command result', () =>
        exec.inspect({ abortSignal: deadline(undefined, 5_000) }),
      );
      if (!state.Running) exitCode = state.ExitCode ?? null;
      else await new Promise((r) => setTimeout(r, 25));
    }
  }
  return execResult({ stdout, stderr }, exitCode, timedOut, started);
}

/** Starts an interactive TTY process in a container; the terminal's `id` is its exec's. */
export async function terminalInContainer(
  container: Docker.Container,
  req: TerminalRequest & { user: string },
  signal: AbortSignal,
  deadline: Deadline,
): Promise<Terminal & { id: string }> {
  const exec = await engineCall('opening a terminal', () =>
    container.exec({
      Cmd: req.cmd,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      // Born at its real size: a program that reads the size at start (slipway-tty on
      // attach, readline) would otherwise see 0x0 until the first resize.
      ConsoleSize: [req.rows, req.cols],
      Env: Object.entries({ TERM: 'xterm-256color', ...req.env }).map(([k, v]) => `${k}=${v}`),
      WorkingDir: req.workdir ?? '/root',
      User: req.user,
      abortSignal: signal,
    } as Docker.ExecCreateOptions),
  );
  const stream = (await engineCall('opening a terminal', () =>
    exec.start({
      hijack: true,
      stdin: true,
      Tty: true,
      ConsoleSize: [req.rows, req.cols],
      abortSignal: signal,
    } as Docker.ExecStartOptions),
  )) as Duplex;
  const terminal: Terminal & { id: string } = {
    id: exec.id,
    stream,
    resize: async (cols, rows, o) => {
      await engineCall('resizing the terminal', () =>
        call(exec, 'resize', { h: rows, w: cols, abortSignal: deadline(o, 5_000) }),
      );
    },
    exitCode: async (o) => {
      const s = await engineCall('reading the terminal state', () =>
        exec.inspect({ abortSignal: deadline(o, 5_000) }),
      );
      return s.Running ? null : (s.ExitCode ?? null);
    },
    [Symbol.asyncDispose]: async () => {
      stream.destroy();
    },
  };
  await terminal.resize(req.cols, req.rows).catch(() => {});
  return terminal;
}
