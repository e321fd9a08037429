import type { Duplex } from 'node:stream';
import type { CourseImage } from '../labs/course-images.ts';

/**
 * The one interface between Slipway and whatever runs sandboxes: ./docker (one host) and
 * ./swarm (a Docker Swarm cluster) implement it. Terminals, checks, previews and image loading
 * all go through it; queueing, warm pools and culling are policies above it. Nothing above it
 * may assume the runner shares a machine with a sandbox. Engine errors never escape an
 * implementation untranslated: callers see SlipwayErrors (ENGINE_UNAVAILABLE, ENGINE_TIMEOUT,
 * SANDBOX_GONE, ENGINE_ERROR).
 */
export interface SandboxProvider {
  /** `docker` (one host), `swarm` (a cluster). */
  readonly kind: string;
  /** The user the learner is inside a sandbox; the lab's setup and solutions run as them. */
  readonly learnerUser: string;
  /** Resolves when the engine answers. */
  ping(opts?: CallOptions): Promise<void>;
  /** Creates and starts a sandbox. It is *running*, not yet *ready*: see waitUntilReady. */
  create(spec: SandboxSpec, opts?: CallOptions): Promise<SandboxInfo>;
  inspect(id: string, opts?: CallOptions): Promise<SandboxInfo | undefined>;
  /** Sandboxes whose labels match every given field. */
  list(filter: Partial<SandboxLabels>, opts?: CallOptions): Promise<SandboxInfo[]>;
  /** Runs a command to completion, collecting capped output. */
  exec(id: string, req: ExecRequest, opts?: CallOptions): Promise<ExecResult>;
  /** Starts an interactive TTY process (a shell) in the sandbox. */
  openTerminal(id: string, req: TerminalRequest, opts?: CallOptions): Promise<Terminal>;
  /** A connection to a TCP port served inside the sandbox (wherever the sandbox runs). */
  connectPort(id: string, port: number, opts?: CallOptions): Promise<Duplex>;
  /** Copies course images into the sandbox's own engine under their learner-facing tags. */
  loadImages(id: string, images: readonly CourseImage[], opts?: CallOptions): Promise<void>;
  /** Removes the sandbox and everything created for it (network, volume). Idempotent. */
  destroy(id: string, opts?: CallOptions): Promise<void>;
  /**
   * Calls `onActivity` whenever the sandbox's own engine reports a change (a container made,
   * started, stopped or turned healthy; a network, volume or image; not the `exec`s of health
   * probes), until `signal` aborts or the sandbox is gone, and then resolves. Resolves at once
   * where a provider cannot watch (its checks then rely on polls). Task checks follow it.
   */
  watchActivity(id: string, onActivity: () => void, opts: { signal: AbortSignal }): Promise<void>;
  /** Resource use right now. */
  stats(id: string, opts?: CallOptions): Promise<SandboxStats>;
  /** Bytes of disk the sandbox fills: its own writable layer plus its inner engine's data. */
  diskUsage(id: string, opts?: CallOptions): Promise<number>;
  /** Everything labelled for this instance, by sandbox session: what the reaper looks at. */
  resources(opts?: CallOptions): Promise<SessionResources[]>;
  /** Lifecycle events of this instance's sandboxes until the signal aborts. */
  events(opts: { signal: AbortSignal }): AsyncIterable<SandboxEvent>;
  /** How many sandboxes of these limits fit where this provider places them, right now. */
  capacity(limits: SandboxLimits, opts?: CallOptions): Promise<number>;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the provider's default deadline for this call. */
  timeoutMs?: number;
}

/** Labels on everything created for a sandbox; they are how a restarted runner finds it. */
export interface SandboxLabels {
  /** Separates runners (and test runs) sharing one engine. */
  instance: string;
  learner: string;
  lab: string;
  session: string;
}

export interface SandboxLimits {
  memoryBytes: number;
  pids: number;
  cpus: number;
}

export interface SandboxSpec {
  labels: SandboxLabels;
  image: string;
  hostname: string;
  limits: SandboxLimits;
  /**
   * Course images the inner engine should hold. A provider may put them in place before the
   * engine starts (SandboxInfo.imagesReady); otherwise the caller loads them with loadImages.
   */
  images?: readonly CourseImage[];
  /**
   * `open` (default): the sandbox reaches the outside network. `none`: its network has no
   * route out; the classroom mirror, previews and checks still reach it.
   */
  egress?: SandboxEgress;
}

export type SandboxEgress = 'open' | 'none';

/** Where a sandbox is in its life, whatever runs it. */
export type SandboxState = 'starting' | 'running' | 'stopped' | 'removing';

export interface SandboxInfo {
  id: string;
  labels: SandboxLabels;
  state: SandboxState;
  createdAt: Date;
  /** Set once the sandbox has stopped. */
  exit?: { code: number; oomKilled: boolean; error?: string };
  /** From create(): the spec's images were in the inner engine's store before it started. */
  imagesReady?: boolean;
}

export interface ExecRequest {
  cmd: string[];
  /**
   * `sandbox` (default): in the learner's sandbox. `checker`: in its checker, a container
   * beside it with tools the learner cannot touch, the sandbox's network, its engine
   * (DOCKER_HOST) and the learner's home (/root) read-only: where task checks run.
   */
  in?: 'sandbox' | 'checker';
  /**
   * With `in: 'checker'`: the sandbox's processes as its machine sees them ("PID ARGS" lines)
   * go to the command in SLIPWAY_SANDBOX_PROCESSES (the checker cannot see them itself).
   */
  sandboxProcesses?: boolean;
  env?: Record<string, string>;
  user?: string;
  workdir?: string;
  /** Sent to the process's stdin, which is then closed. */
  stdin?: string | NodeJS.ReadableStream;
  /** Output beyond this is dropped and `truncated` set (default 64 KiB per stream). */
  maxOutputBytes?: number;
  /** Called with the stdout kept so far, as it arrives (the result still carries all of it). */
  onStdout?: (soFar: string) => void;
}

export interface ExecResult {
  /** null when the call was cut off before the process ended (timeout or abort). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
  durationMs: number;
}

export interface TerminalRequest {
  cmd: string[];
  cols: number;
  rows: number;
  env?: Record<string, string>;
  workdir?: string;
}

export interface Terminal extends AsyncDisposable {
  /** Raw TTY bytes: write keystrokes, read screen output. Ends when the process exits. */
  readonly stream: Duplex;
  resize(cols: number, rows: number, opts?: CallOptions): Promise<void>;
  /** Exit code once the process has ended; null if still running or unknown. */
  exitCode(opts?: CallOptions): Promise<number | null>;
}

export interface SessionResources {
  session: string;
  /** What to pass to destroy() to remove all of them. */
  id: string;
  labels: SandboxLabels;
  /** The oldest of them. */
  createdAt: Date;
  /** `checker`: the checker beside a sandbox (it ends with its sandbox, and is not one). */
  kinds: Array<'sandbox' | 'checker' | 'network' | 'volume'>;
}

export interface SandboxStats {
  /** What `docker stats` shows: usage less the inactive page cache the kernel can drop. */
  memoryBytes: number;
  /** Anonymous memory alone (processes' heaps and stacks): what no other sandbox shares. */
  anonBytes: number;
  pids: number;
  /** CPU time used by everything in the sandbox since it started, in nanoseconds. */
  cpuNanos: number;
}

export type SandboxEvent =
  | {
      kind: 'died';
      id: string;
      labels: SandboxLabels;
      exitCode: number;
      /** Why, in a learner's words, when it is more than an exit code (its machine was lost). */
      reason?: string;
      at: Date;
    }
  | { kind: 'oom'; id: string; labels: SandboxLabels; at: Date }
  | { kind: 'destroyed'; id: string; labels: SandboxLabels; at: Date };

/** A deadline for one call: the caller's signal, cut off after timeoutMs. */
export function deadline(opts: CallOptions | undefined, defaultMs: number): AbortSignal {
  const t = AbortSignal.timeout(opts?.timeoutMs ?? defaultMs);
  return opts?.signal ? AbortSignal.any([opts.signal, t]) : t;
}
