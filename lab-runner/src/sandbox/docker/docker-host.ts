import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { slipwayError } from '../../errors/catalogue.ts';
import type { Logger } from '../../errors/log.ts';
import type { CourseImage } from '../../labs/course-images.ts';
import type { HandOverRequest, HandOverResult, SandboxHost } from '../host.ts';
import { fromDockerLabels } from '../labels.ts';
import {
  type CallOptions,
  deadline,
  type ExecRequest,
  type ExecResult,
  type SandboxSpec,
  type SandboxStats,
  type Terminal,
  type TerminalRequest,
} from '../provider.ts';
import { delegateCgroups, type Remap } from './cgroup-delegation.ts';
import { type CheckerMode, Checkers } from './checkers.ts';
import { execInContainer, terminalInContainer } from './docker-exec.ts';
import { call, engineCall } from './engine-errors.ts';
import { imageLoadScript } from './image-load.ts';
import { copyTree, type ImageSeeds } from './image-seeds.ts';

export interface DockerHostOptions {
  docker: Docker;
  callTimeoutMs: number;
  /** The remapped root of a --userns-remap engine (undefined: no remap, nothing to hand over). */
  remap: (opts?: CallOptions) => Promise<Remap | undefined>;
  cgroupRoot?: string;
  /** Prepared stores of course images, for handOver (undefined: images are loaded after start). */
  seeds?: ImageSeeds;
  logger?: Logger;
  /** How checks reach a sandbox's checker (default `resident`). */
  checkerMode?: CheckerMode;
}

/**
 * The work on sandboxes that must happen on the machine whose engine runs them (see host.ts),
 * against that engine's socket and that machine's /proc, /sys/fs/cgroup and volume folders.
 * The one-host provider uses it in-process; a cluster node's agent serves it to the runner.
 */
export class DockerHost implements SandboxHost {
  private readonly opts: DockerHostOptions;
  /** Each sandbox's checker (see checker.ts). */
  private readonly checkers: Checkers;
  /** Network drivers by network ID: they never change. */
  private readonly drivers = new Map<string, string>();

  constructor(opts: DockerHostOptions) {
    this.opts = opts;
    this.checkers = new Checkers({
      docker: opts.docker,
      mode: opts.checkerMode ?? 'resident',
      deadline: (o, ms) => this.signal(o, ms),
    });
  }

  private signal = (opts?: CallOptions, ms = this.opts.callTimeoutMs) => deadline(opts, ms);

  private container(id: string): Docker.Container {
    return this.opts.docker.getContainer(id);
  }

  exec(container: string, req: ExecRequest, opts?: CallOptions): Promise<ExecResult> {
    if (req.in === 'checker') return this.checkers.exec(container, req, this.signal(opts));
    return execInContainer(this.container(container), req, this.signal(opts), this.signal);
  }

  /**
   * Calls `onActivity` whenever the sandbox's engine reports a change, until `signal` aborts or
   * the sandbox is gone (see Checkers.watchActivity). Does nothing in the `exec` checker mode.
   */
  /** The sandbox is being removed: its checker is not made again (see Checkers.retire). */
  retire(container: string): void {
    this.checkers.retire(container);
  }

  watchActivity(container: string, onActivity: () => void, signal: AbortSignal): Promise<void> {
    return this.checkers.watchActivity(container, onActivity, signal);
  }

  openTerminal(
    container: string,
    req: TerminalRequest & { user: string },
    opts?: CallOptions,
  ): Promise<Terminal & { id: string }> {
    return terminalInContainer(this.container(container), req, this.signal(opts), this.signal);
  }

  /**
   * Where this machine reaches the container: its address on a bridge network (one host), its
   * docker_gwbridge address (a swarm task on an overlay), or, when it has neither (an overlay
   * without a way out), its process, whose network namespace is entered instead.
   */
  async reach(container: string, opts?: CallOptions): Promise<{ ip: string } | { pid: number }> {
    const signal = this.signal(opts);
    const c = await engineCall('finding the sandbox address', () =>
      this.container(container).inspect({ abortSignal: signal }),
    );
    if (!c.State.Running || c.State.Pid <= 0) throw slipwayError('SANDBOX_GONE');
    for (const [name, n] of Object.entries(c.NetworkSettings.Networks ?? {})) {
      if (!n.IPAddress) continue;
      let driver = this.drivers.get(n.NetworkID);
      if (driver === undefined) {
        const net = await call<{ Driver?: string }>(this.opts.docker.getNetwork(name), 'inspect', {
          abortSignal: signal,
        }).catch(() => undefined);
        driver = net?.Driver ?? '';
        if (net) this.drivers.set(n.NetworkID, driver);
      }
      if (driver === 'bridge') return { ip: n.IPAddress };
    }
    const gw = await call<{ Containers?: Record<string, { IPv4Address?: string }> }>(
      this.opts.docker.getNetwork('docker_gwbridge'),
      'inspect',
      { abortSignal: signal },
    ).catch(() => undefined);
    const ip = gw?.Containers?.[c.Id]?.IPv4Address?.split('/')[0];
    return ip ? { ip } : { pid: c.State.Pid };
  }

  async connectPort(container: string, port: number, opts?: CallOptions): Promise<Duplex> {
    const target = await this.reach(container, opts);
    if ('pid' in target) return connectInNamespace(target.pid, port);
    const signal = this.signal(opts, 10_000);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.ip, port });
      const fail = (err: Error) => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(slipwayError('PREVIEW_UNREACHABLE', { port: String(port) }, err));
      };
      const onAbort = () => fail(new Error('timed out connecting'));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', fail);
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.off('error', fail);
        resolve(socket);
      });
    });
  }

  async loadImages(
    container: string,
    images: readonly CourseImage[],
    opts?: CallOptions,
  ): Promise<void> {
    if (images.length === 0) return;
    const signal = this.signal(opts, 180_000);
    const tar = (await engineCall('exporting course images', () =>
      call<NodeJS.ReadableStream>(this.opts.docker, 'getImages', {
        names: images.map((i) => i.source),
        abortSignal: signal,
      }),
    )) as NodeJS.ReadableStream;
    const result = await this.exec(
      container,
      { cmd: ['sh', '-c', imageLoadScript(images)], stdin: tar, maxOutputBytes: 8192 },
      { signal, timeoutMs: 180_000 },
    );
    if (result.exitCode !== 0) {
      const detail = (result.stderr || result.stdout).trim().split('\n').at(-1) ?? 'unknown error';
      throw slipwayError(result.timedOut ? 'ENGINE_TIMEOUT' : 'ENGINE_ERROR', {
        operation: 'loading course images',
        detail,
      });
    }
  }

  async stats(container: string, opts?: CallOptions): Promise<SandboxStats> {
    const s = await engineCall('reading sandbox stats', () =>
      call<Docker.ContainerStats>(this.container(container), 'stats', {
        stream: false,
        // One sample, without the engine's one-second wait for a second one.
        'one-shot': true,
        abortSignal: this.signal(opts),
      }),
    );
    const mem = s.memory_stats;
    const m = (mem.stats ?? {}) as Record<string, number | undefined>;
    // cgroup v1 names first (total_*: the whole hierarchy), then v2's.
    const cache = m.total_inactive_file ?? m.inactive_file ?? m.cache ?? 0;
    return {
      memoryBytes: Math.max(0, (mem.usage ?? 0) - cache),
      anonBytes: m.total_rss ?? m.anon ?? m.rss ?? 0,
      pids: s.pids_stats?.current ?? 0,
      cpuNanos: s.cpu_stats?.cpu_usage?.total_usage ?? 0,
    };
  }

  async diskUsage(container: string, opts?: CallOptions): Promise<number> {
    const [c, du] = await Promise.all([
      engineCall('measuring the sandbox', () =>
        call<{ SizeRw?: number }>(this.container(container), 'inspect', {
          size: true,
          abortSignal: this.signal(opts),
        }),
      ),
      // -x: the inner engine's data volume only, not the overlays mounted inside it.
      this.exec(container, { cmd: ['du', '-sxb', '/var/lib/docker'], maxOutputBytes: 1024 }, opts),
    ]);
    const inner = Number(/^(\d+)/.exec(du.stdout)?.[1] ?? 0);
    return (c.SizeRw ?? 0) + inner;
  }

  async handOver(
    container: string,
    req: HandOverRequest,
    opts?: CallOptions,
  ): Promise<HandOverResult> {
    const signal = this.signal(opts, 300_000);
    const c = await engineCall('inspecting the sandbox', () =>
      this.container(container).inspect({ abortSignal: signal }),
    );
    const imagesReady = await this.seed(c, req, signal);
    const remap = await this.opts.remap({ signal });
    if (remap && c.State.Pid > 0) await this.delegate(container, c, remap, signal);
    if (req.signal && c.State.Running)
      await this.exec(container, { cmd: ['sh', '-c', ': >/run/slipway/handed-over'] }, { signal });
    return { imagesReady };
  }

  /**
   * Copies a seed of the images into the engine's volume, before the inner engine starts.
   * False when there is none or it could not be used: the images are then loaded after
   * start, so a seed problem only costs time.
   */
  async seed(c: Docker.ContainerInspectInfo, req: HandOverRequest, signal: AbortSignal) {
    const labels = fromDockerLabels(c.Config.Labels);
    const target = c.Mounts.find((m) => m.Destination === '/var/lib/docker')?.Source;
    if (!this.opts.seeds || !req.images?.length || !req.seedSpec || !labels || !target)
      return false;
    const spec: SandboxSpec = {
      labels,
      image: req.seedSpec.image,
      hostname: 'image-seed',
      limits: {
        memoryBytes: req.seedSpec.memoryBytes,
        pids: req.seedSpec.pids,
        cpus: req.seedSpec.cpus,
      },
      images: req.images,
    };
    return this.copySeed(spec, target, signal);
  }

  /** Puts the seed for spec.images into `target` (a volume's folder); false if it could not. */
  async copySeed(spec: SandboxSpec, target: string, signal: AbortSignal): Promise<boolean> {
    if (!this.opts.seeds || !spec.images?.length) return false;
    try {
      const store = await this.opts.seeds.store(spec, signal);
      await copyTree(store, target, signal);
      return true;
    } catch (err) {
      signal.throwIfAborted();
      this.opts.logger?.warn('image seed not used; the images are loaded after start', {
        session: spec.labels.session,
        error: err instanceof Error ? err.message : String(err),
      });
      await emptyFolder(target).catch(() => {});
      return false;
    }
  }

  /**
   * Hands the sandbox its cgroups. A sandbox that already exited has none left to hand over;
   * the readiness wait reports its exit, which is the useful reason. Its process can be gone
   * (or a zombie) a moment before the engine says it stopped, so the engine gets 2 s to say so.
   */
  private async delegate(
    id: string,
    c: Docker.ContainerInspectInfo,
    remap: Remap,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      await delegateCgroups(c.State.Pid, remap, this.opts.cgroupRoot);
    } catch (err) {
      for (let i = 0; ; i++) {
        const now = await call<Docker.ContainerInspectInfo>(this.container(id), 'inspect', {
          abortSignal: signal,
        }).catch(() => undefined);
        if (!now?.State.Running) return;
        if (i >= 20) {
          if (processAlive(c.State.Pid)) throw err;
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

async function emptyFolder(path: string): Promise<void> {
  for (const entry of await readdir(path))
    await rm(join(path, entry), { recursive: true, force: true });
}

/** Whether a host process exists and is not a zombie (it has exited but not been reaped). */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * A connection to 127.0.0.1:port inside another process's network namespace, as a child
 * process's stdin and stdout (bash's /dev/tcp, entered with nsenter). For sandboxes this
 * machine has no route to.
 */
function connectInNamespace(pid: number, port: number): Promise<Duplex> {
  const script = `exec 3<>/dev/tcp/127.0.0.1/${port} || exit 7; cat <&3 & cat >&3; wait`;
  const child = spawn('nsenter', ['-t', String(pid), '-n', 'bash', '-c', script], {
    stdio: ['pipe', 'pipe', 'ignore'],
    detached: true,
  });
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  stream.once('close', stop);
  return new Promise((resolve, reject) => {
    child.once('error', (err) =>
      reject(slipwayError('PREVIEW_UNREACHABLE', { port: String(port) }, err)),
    );
    child.once('exit', (code) => {
      if (code === 7) reject(slipwayError('PREVIEW_UNREACHABLE', { port: String(port) }));
      stream.destroy();
    });
    child.once('spawn', () => resolve(stream));
  });
}
