import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { slipwayError } from '../../errors/catalogue.ts';
import type { Logger } from '../../errors/log.ts';
import type { CourseImage } from '../../labs/course-images.ts';
import { fromDockerLabels, labelFilters, toDockerLabels } from '../labels.ts';
import {
  type CallOptions,
  deadline,
  type ExecRequest,
  type ExecResult,
  type SandboxEvent,
  type SandboxInfo,
  type SandboxLabels,
  type SandboxProvider,
  type SandboxSpec,
  type SandboxState,
  type SandboxStats,
  type SessionResources,
  type Terminal,
  type TerminalRequest,
} from '../provider.ts';
import { delegateCgroups, type Remap, remapFromRootDir } from './cgroup-delegation.ts';
import { engineCall, isGone, translateEngineError } from './engine-errors.ts';
import { CappedSink, DockerDemuxer } from './exec-output.ts';
import { imageLoadScript } from './image-load.ts';
import { copyTree, ImageSeeds } from './image-seeds.ts';
import { buildSeed } from './seed-builder.ts';

export interface DockerProviderOptions {
  /** Path of the engine's unix socket. */
  socketPath: string;
  /** Only sandboxes with this instance label are listed, watched or created. */
  instance: string;
  /**
   * Name of the classroom mirror container (a registry holding the course images). When it
   * runs, each sandbox network gets it as `mirror` and the inner engine uses it as its
   * registry mirror; when it does not, sandboxes simply have no mirror.
   */
  mirrorContainer?: string;
  /** Deadline for one engine call unless the caller gives its own. */
  callTimeoutMs?: number;
  cgroupRoot?: string;
  /**
   * `userns` (default): the learner is root in the sandbox, its engine runs as that root.
   * `rootless`: the learner is the unprivileged user `learner` and their engine runs as them
   * under RootlessKit, in one more user namespace (see the README's trust model).
   */
  isolation?: SandboxIsolation;
  /**
   * Whether a sandbox created with `images` starts from a copy of a prepared engine store
   * holding them (image-seeds.ts) instead of loading them after start. Default true.
   */
  imageSeeds?: boolean;
  /** Where the provider reports what it recovered from (a seed it could not use). */
  logger?: Logger;
}

export type SandboxIsolation = 'userns' | 'rootless';

/** What a rootless sandbox adds: its engine's socket, a TUN device for slirp4netns, and an
 * unmasked /proc (a nested user namespace may only mount proc where none is hidden). */
const ROOTLESS = {
  env: ['SLIPWAY_ISOLATION=rootless', 'DOCKER_HOST=unix:///run/user/1000/docker.sock'],
  hostConfig: {
    Devices: [
      { PathOnHost: '/dev/net/tun', PathInContainer: '/dev/net/tun', CgroupPermissions: 'rwm' },
    ],
    MaskedPaths: [],
    ReadonlyPaths: [],
  },
};

/**
 * Flags that let a real dockerd run inside the sandbox without --privileged. On a
 * user-namespaced engine root inside maps to an unprivileged host uid (see README, trust model),
 * and these capabilities are scoped to the sandbox's own user namespace. SYS_PTRACE is what lets
 * the inner runc open the namespaces of a container process running as a non-root user, i.e.
 * `docker exec` into such a container.
 */
const DIND_HOST_CONFIG = {
  CapAdd: ['SYS_ADMIN', 'NET_ADMIN', 'MKNOD', 'SYS_PTRACE'],
  SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
  CgroupnsMode: 'private',
} as const;

/** Calls a dockerode method with an options object its type definitions do not describe
 * (chiefly `abortSignal`, which dockerode supports at runtime). */
function call<T>(target: object, method: string, options: object): Promise<T> {
  const fn = (target as Record<string, (o: object) => Promise<T>>)[method];
  if (!fn) throw new Error(`dockerode has no method ${method}`);
  return fn.call(target, options);
}

/** How sandboxes' inner engines reach the classroom mirror on their own network. */
const MIRROR_ALIAS = 'mirror';

async function emptyFolder(path: string): Promise<void> {
  for (const entry of await readdir(path))
    await rm(join(path, entry), { recursive: true, force: true });
}

/** How long creating a sandbox may spend on its image seed, building it included. */
const SEED_TIMEOUT_MS = 300_000;

const names = (session: string) => ({
  container: `slipway-sbx-${session}`,
  network: `slipway-net-${session}`,
  volume: `slipway-docker-${session}`,
});

export class DockerSandboxProvider implements SandboxProvider {
  readonly kind = 'docker';
  private readonly docker: Docker;
  private readonly callTimeoutMs: number;
  private remap: Promise<Remap | undefined> | undefined;
  private readonly opts: DockerProviderOptions;

  private readonly seeds: ImageSeeds | undefined;

  constructor(opts: DockerProviderOptions) {
    this.opts = opts;
    this.docker = new Docker({ socketPath: opts.socketPath });
    this.callTimeoutMs = opts.callTimeoutMs ?? 30_000;
    this.seeds =
      opts.imageSeeds === false
        ? undefined
        : new ImageSeeds({
            docker: this.docker,
            variant: opts.isolation ?? 'userns',
            build: (spec, signal) =>
              buildSeed(this, spec, (sb, s) => this.volumePath(sb.labels.session, s), signal),
          });
  }

  private get rootless(): boolean {
    return this.opts.isolation === 'rootless';
  }

  /** Who the learner is inside a sandbox: their shell, the lab's setup and solutions run as them. */
  get learnerUser(): string {
    return this.rootless ? 'learner' : 'root';
  }

  private signal(opts?: CallOptions, ms = this.callTimeoutMs) {
    return deadline(opts, ms);
  }

  async ping(opts?: CallOptions): Promise<void> {
    await engineCall('checking the engine', () =>
      call(this.docker, 'ping', { abortSignal: this.signal(opts, 5_000) }),
    );
  }

  /** The remapped root of a --userns-remap engine, read once from `docker info`. */
  private userNamespaceRemap(opts?: CallOptions): Promise<Remap | undefined> {
    this.remap ??= engineCall('reading engine info', async () => {
      const info = await call<{ DockerRootDir?: string }>(this.docker, 'info', {
        abortSignal: this.signal(opts),
      });
      return remapFromRootDir(String(info.DockerRootDir ?? ''));
    }).catch((err) => {
      this.remap = undefined;
      throw err;
    });
    return this.remap;
  }

  async create(spec: SandboxSpec, opts?: CallOptions): Promise<SandboxInfo> {
    if (spec.labels.instance !== this.opts.instance) {
      throw slipwayError('INTERNAL', {
        detail: `sandbox instance ${spec.labels.instance} is not ${this.opts.instance}`,
      });
    }
    const n = names(spec.labels.session);
    // The first sandbox for a set of images builds its seed (a load, ~10 s; longer on a busy
    // host), so seeding has a deadline of its own; the rest of create has 60 s after it.
    let signal = this.signal(opts, SEED_TIMEOUT_MS);
    const remap = await this.userNamespaceRemap({ signal });
    try {
      const [mirrorArgs, imagesSeeded] = await Promise.all([
        (async () => {
          await engineCall('creating the sandbox network', () =>
            this.docker.createNetwork({
              Name: n.network,
              Driver: 'bridge',
              CheckDuplicate: true,
              Internal: spec.egress === 'none',
              Labels: toDockerLabels(spec.labels, 'network'),
              abortSignal: signal,
            } as Docker.NetworkCreateOptions),
          );
          return this.attachMirror(n.network, signal);
        })(),
        (async () => {
          await engineCall('creating the sandbox volume', () =>
            this.docker.createVolume({
              Name: n.volume,
              Labels: toDockerLabels(spec.labels, 'volume'),
              abortSignal: signal,
            }),
          );
          return this.seedVolume(spec, signal);
        })(),
      ]);
      signal = this.signal(opts, 60_000);
      const container = await engineCall('creating the sandbox', () =>
        this.docker.createContainer({
          name: n.container,
          Image: spec.image,
          Hostname: spec.hostname,
          Labels: toDockerLabels(spec.labels, 'sandbox'),
          Env: [
            `SLIPWAY_DOCKERD_ARGS=${[...mirrorArgs, ...(spec.innerEngineArgs ?? [])].join(' ')}`,
            ...(this.rootless ? ROOTLESS.env : []),
          ],
          HostConfig: {
            ...DIND_HOST_CONFIG,
            CapAdd: [...DIND_HOST_CONFIG.CapAdd],
            SecurityOpt: [...DIND_HOST_CONFIG.SecurityOpt],
            Memory: spec.limits.memoryBytes,
            MemorySwap: spec.limits.memoryBytes,
            PidsLimit: spec.limits.pids,
            NanoCpus: Math.round(spec.limits.cpus * 1e9),
            NetworkMode: n.network,
            Mounts: [{ Type: 'volume', Source: n.volume, Target: '/var/lib/docker' }],
            LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
            ...(this.rootless ? ROOTLESS.hostConfig : {}),
          },
          abortSignal: signal,
        } as Docker.ContainerCreateOptions),
      );
      await engineCall('starting the sandbox', () => container.start({ abortSignal: signal }));
      const inspected = await engineCall('inspecting the sandbox', () =>
        container.inspect({ abortSignal: signal }),
      );
      if (remap && inspected.State.Pid > 0) {
        try {
          await delegateCgroups(inspected.State.Pid, remap, this.opts.cgroupRoot);
        } catch (err) {
          // A sandbox that already exited has no cgroups left to hand over; the readiness
          // wait reports its exit, which is the useful reason. Its process can be gone (or a
          // zombie) a moment before the engine says it stopped, so give the engine 2 s to say so.
          for (let i = 0; ; i++) {
            const now = await call<Docker.ContainerInspectInfo>(container, 'inspect', {
              abortSignal: signal,
            }).catch(() => undefined);
            if (!now?.State.Running) return toInfo(now ?? inspected);
            if (i >= 20) {
              if (processAlive(inspected.State.Pid)) throw err;
              return toInfo(now);
            }
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }
      return { ...toInfo(inspected), imagesSeeded };
    } catch (err) {
      await this.destroy(n.container).catch(() => {});
      throw translateEngineError(err, 'creating the sandbox');
    }
  }

  /**
   * Copies a seed of spec.images into the new sandbox's volume before its engine starts.
   * False when there is none to copy or it could not be used: the images are then loaded
   * after start, as without seeds, so a seed problem only costs time.
   */
  private async seedVolume(spec: SandboxSpec, signal: AbortSignal): Promise<boolean> {
    if (!this.seeds || !spec.images?.length) return false;
    let target: string | undefined;
    try {
      const store = await this.seeds.store(spec, signal);
      target = await this.volumePath(spec.labels.session, signal);
      await copyTree(store, target, signal);
      return true;
    } catch (err) {
      signal.throwIfAborted();
      this.opts.logger?.warn('image seed not used; the images are loaded after start', {
        session: spec.labels.session,
        error: err instanceof Error ? err.message : String(err),
      });
      if (target) await emptyFolder(target).catch(() => {});
      return false;
    }
  }

  /** Host path of a sandbox volume's data (the runner shares the engine's host). */
  private async volumePath(session: string, signal: AbortSignal): Promise<string> {
    const v = await engineCall('inspecting the sandbox volume', () =>
      call<{ Mountpoint: string }>(this.docker.getVolume(names(session).volume), 'inspect', {
        abortSignal: signal,
      }),
    );
    return v.Mountpoint;
  }

  /** Connects the mirror to a sandbox network; returns the inner dockerd flags that use it. */
  private async attachMirror(network: string, signal: AbortSignal): Promise<string[]> {
    const name = this.opts.mirrorContainer;
    if (!name) return [];
    try {
      const state = await call<{ State: { Running: boolean } }>(
        this.docker.getContainer(name),
        'inspect',
        { abortSignal: signal },
      );
      if (!state.State.Running) return [];
    } catch {
      return [];
    }
    await engineCall('connecting the classroom mirror', () =>
      call(this.docker.getNetwork(network), 'connect', {
        Container: name,
        EndpointConfig: { Aliases: [MIRROR_ALIAS] },
        abortSignal: signal,
      }),
    );
    return [
      `--registry-mirror=http://${MIRROR_ALIAS}:5000`,
      `--insecure-registry=${MIRROR_ALIAS}:5000`,
    ];
  }

  async inspect(id: string, opts?: CallOptions): Promise<SandboxInfo | undefined> {
    try {
      const c = await engineCall('inspecting the sandbox', () =>
        this.docker.getContainer(id).inspect({ abortSignal: this.signal(opts) }),
      );
      const info = toInfo(c);
      return info.labels.instance === this.opts.instance ? info : undefined;
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    }
  }

  async list(filter: Partial<SandboxLabels>, opts?: CallOptions): Promise<SandboxInfo[]> {
    const found = await engineCall('listing sandboxes', () =>
      this.docker.listContainers({
        all: true,
        filters: {
          label: [
            ...labelFilters({ ...filter, instance: this.opts.instance }),
            'slipway.kind=sandbox',
          ],
        },
        abortSignal: this.signal(opts),
      }),
    );
    const out: SandboxInfo[] = [];
    for (const c of found) {
      const labels = fromDockerLabels(c.Labels);
      if (!labels) continue;
      out.push({
        id: (c.Names[0] ?? c.Id).replace(/^\//, ''),
        labels,
        state: c.State as SandboxState,
        createdAt: new Date(c.Created * 1000),
      });
    }
    return out;
  }

  async exec(id: string, req: ExecRequest, opts?: CallOptions): Promise<ExecResult> {
    const started = performance.now();
    const signal = this.signal(opts);
    const exec = await engineCall('starting a command in the sandbox', () =>
      this.docker.getContainer(id).exec({
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
          exec.inspect({ abortSignal: this.signal(opts, 5_000) }),
        );
        if (!state.Running) exitCode = state.ExitCode ?? null;
        else await new Promise((r) => setTimeout(r, 25));
      }
    }
    return {
      exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncated: stdout.truncated || stderr.truncated,
      timedOut,
      durationMs: Math.round(performance.now() - started),
    };
  }

  async openTerminal(id: string, req: TerminalRequest, opts?: CallOptions): Promise<Terminal> {
    const signal = this.signal(opts);
    const exec = await engineCall('opening a terminal', () =>
      this.docker.getContainer(id).exec({
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
        User: this.learnerUser,
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
    const terminal: Terminal = {
      stream,
      resize: async (cols, rows, o) => {
        await engineCall('resizing the terminal', () =>
          call(exec, 'resize', { h: rows, w: cols, abortSignal: this.signal(o, 5_000) }),
        );
      },
      exitCode: async (o) => {
        const s = await engineCall('reading the terminal state', () =>
          exec.inspect({ abortSignal: this.signal(o, 5_000) }),
        );
        return s.Running ? null : (s.ExitCode ?? null);
      },
      [Symbol.asyncDispose]: async () => {
        stream.destroy();
      },
    };
    await terminal.resize(req.cols, req.rows, opts).catch(() => {});
    return terminal;
  }

  async openPort(
    id: string,
    port: number,
    opts?: CallOptions,
  ): Promise<{ host: string; port: number }> {
    const c = await engineCall('finding the sandbox address', () =>
      this.docker.getContainer(id).inspect({ abortSignal: this.signal(opts) }),
    );
    const ip = Object.values(c.NetworkSettings.Networks ?? {})[0]?.IPAddress;
    if (!ip) throw slipwayError('SANDBOX_GONE');
    return { host: ip, port };
  }

  async loadImages(id: string, images: readonly CourseImage[], opts?: CallOptions): Promise<void> {
    if (images.length === 0) return;
    const signal = this.signal(opts, 180_000);
    const tar = (await engineCall('exporting course images', () =>
      call<NodeJS.ReadableStream>(this.docker, 'getImages', {
        names: images.map((i) => i.source),
        abortSignal: signal,
      }),
    )) as NodeJS.ReadableStream;
    const result = await this.exec(
      id,
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

  async destroy(id: string, opts?: CallOptions): Promise<void> {
    const signal = this.signal(opts, 60_000);
    const session = id.startsWith('slipway-sbx-') ? id.slice('slipway-sbx-'.length) : undefined;
    try {
      await engineCall('removing the sandbox', () =>
        this.docker.getContainer(id).remove({ force: true, v: true, abortSignal: signal }),
      );
    } catch (err) {
      if (!isGone(err)) throw err;
    }
    if (!session) return;
    const n = names(session);
    if (this.opts.mirrorContainer) {
      // A network with the mirror still attached cannot be removed.
      await call(this.docker.getNetwork(n.network), 'disconnect', {
        Container: this.opts.mirrorContainer,
        Force: true,
        abortSignal: signal,
      }).catch(() => {});
    }
    for (const [what, fn] of [
      ['network', () => call(this.docker.getNetwork(n.network), 'remove', { abortSignal: signal })],
      ['volume', () => call(this.docker.getVolume(n.volume), 'remove', { abortSignal: signal })],
    ] as const) {
      try {
        await engineCall(`removing the sandbox ${what}`, fn);
      } catch (err) {
        if (!isGone(err)) throw err;
      }
    }
  }

  async resources(opts?: CallOptions): Promise<SessionResources[]> {
    const signal = this.signal(opts);
    const label = labelFilters({ instance: this.opts.instance });
    const [containers, networks, volumes] = await engineCall('listing sandbox resources', () =>
      Promise.all([
        this.docker.listContainers({
          all: true,
          filters: { label },
          abortSignal: signal,
        } as Docker.ContainerListOptions),
        call<Docker.NetworkInspectInfo[]>(this.docker, 'listNetworks', {
          filters: { label },
          abortSignal: signal,
        }),
        call<{ Volumes: Docker.VolumeInspectInfo[] | null }>(this.docker, 'listVolumes', {
          filters: { label },
          abortSignal: signal,
        }),
      ]),
    );
    const bySession = new Map<string, SessionResources>();
    const add = (
      labels: Record<string, string> | undefined,
      kind: SessionResources['kinds'][number],
      created: Date,
    ) => {
      const l = fromDockerLabels(labels);
      if (!l) return;
      const r = bySession.get(l.session) ?? {
        session: l.session,
        id: names(l.session).container,
        labels: l,
        createdAt: created,
        kinds: [],
      };
      if (!r.kinds.includes(kind)) r.kinds.push(kind);
      if (created < r.createdAt) r.createdAt = created;
      bySession.set(l.session, r);
    };
    for (const c of containers) add(c.Labels, 'sandbox', new Date(c.Created * 1000));
    for (const n of networks) add(n.Labels, 'network', new Date(n.Created ?? Date.now()));
    for (const v of volumes.Volumes ?? [])
      add(
        v.Labels ?? undefined,
        'volume',
        new Date((v as { CreatedAt?: string }).CreatedAt ?? Date.now()),
      );
    return [...bySession.values()];
  }

  async stats(id: string, opts?: CallOptions): Promise<SandboxStats> {
    const s = await engineCall('reading sandbox stats', () =>
      call<Docker.ContainerStats>(this.docker.getContainer(id), 'stats', {
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

  async diskUsage(id: string, opts?: CallOptions): Promise<number> {
    const [c, du] = await Promise.all([
      engineCall('measuring the sandbox', () =>
        call<{ SizeRw?: number }>(this.docker.getContainer(id), 'inspect', {
          size: true,
          abortSignal: this.signal(opts),
        }),
      ),
      // -x: the inner engine's data volume only, not the overlays mounted inside it.
      this.exec(id, { cmd: ['du', '-sxb', '/var/lib/docker'], maxOutputBytes: 1024 }, opts),
    ]);
    const inner = Number(/^(\d+)/.exec(du.stdout)?.[1] ?? 0);
    return (c.SizeRw ?? 0) + inner;
  }

  async *events(opts: { signal: AbortSignal }): AsyncIterable<SandboxEvent> {
    const stream = (await engineCall('watching sandbox events', () =>
      call<NodeJS.ReadableStream>(this.docker, 'getEvents', {
        filters: {
          type: ['container'],
          event: ['die', 'oom', 'destroy'],
          label: [...labelFilters({ instance: this.opts.instance }), 'slipway.kind=sandbox'],
        },
        abortSignal: opts.signal,
      }),
    )) as NodeJS.ReadableStream;
    let buffered = '';
    try {
      for await (const chunk of stream) {
        buffered += chunk.toString();
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          nl = buffered.indexOf('\n');
          const event = line ? toEvent(JSON.parse(line)) : undefined;
          if (event) yield event;
        }
      }
    } catch (err) {
      if (!opts.signal.aborted) throw translateEngineError(err, 'watching sandbox events');
    }
  }
}

function toInfo(c: Docker.ContainerInspectInfo): SandboxInfo {
  const labels = fromDockerLabels(c.Config.Labels);
  if (!labels) throw slipwayError('SANDBOX_GONE');
  const s = c.State;
  return {
    id: c.Name.replace(/^\//, ''),
    labels,
    state: s.Status as SandboxState,
    createdAt: new Date(c.Created),
    ...(s.Running || s.Status === 'created'
      ? {}
      : {
          exit: {
            code: s.ExitCode,
            oomKilled: s.OOMKilled,
            ...(s.Error ? { error: s.Error } : {}),
          },
        }),
  };
}

interface EngineEvent {
  Action?: string;
  time?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

function toEvent(e: EngineEvent): SandboxEvent | undefined {
  const attrs = e.Actor?.Attributes ?? {};
  const labels = fromDockerLabels(attrs);
  if (!labels) return undefined;
  const id = attrs.name ?? e.Actor?.ID ?? '';
  const at = new Date((e.time ?? Date.now() / 1000) * 1000);
  switch (e.Action) {
    case 'die':
      return { kind: 'died', id, labels, exitCode: Number(attrs.exitCode ?? -1), at };
    case 'oom':
      return { kind: 'oom', id, labels, at };
    case 'destroy':
      return { kind: 'destroyed', id, labels, at };
    default:
      return undefined;
  }
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
