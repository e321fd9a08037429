import { availableParallelism, totalmem } from 'node:os';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { slipwayError } from '../../errors/catalogue.ts';
import type { Logger } from '../../errors/log.ts';
import type { CourseImage } from '../../labs/course-images.ts';
import { hostCapacity } from '../capacity.ts';
import { fromDockerLabels, labelFilters, toDockerLabels } from '../labels.ts';
import {
  type CallOptions,
  deadline,
  type ExecRequest,
  type ExecResult,
  type SandboxEvent,
  type SandboxInfo,
  type SandboxLabels,
  type SandboxLimits,
  type SandboxProvider,
  type SandboxSpec,
  type SandboxStats,
  type SessionResources,
  type Terminal,
  type TerminalRequest,
} from '../provider.ts';
import { type Remap, remapFromRootDir } from './cgroup-delegation.ts';
import type { CheckerMode } from './checkers.ts';
import {
  DIND_HOST_CONFIG,
  MIRROR_ALIAS,
  mirrorArgs,
  sandboxNames as names,
  ROOTLESS,
  type SandboxIsolation,
  sandboxState,
} from './dind.ts';
import { DockerHost } from './docker-host.ts';
import { listResources, toInfo, watchEvents } from './docker-state.ts';
import { call, engineCall, isGone, translateEngineError } from './engine-errors.ts';
import { ImageSeeds } from './image-seeds.ts';
import { removeSession } from './sandbox-removal.ts';
import { buildSeed } from './seed-builder.ts';

export type { SandboxIsolation } from './dind.ts';

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
  /** How checks reach a sandbox's checker (default `resident`, see checkers.ts). */
  checkerMode?: CheckerMode;
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
  /** What this host holds (default: this machine's memory and cores, as the runner shares it). */
  machine?: { totalMemBytes: number; cpus: number };
}

/** How long creating a sandbox may spend on its image seed, building it included. */
const SEED_TIMEOUT_MS = 300_000;

/**
 * Sandboxes on one Docker engine that shares its machine with the runner: a container per
 * sandbox with its own bridge network and volume. What must happen on that machine (exec,
 * terminals, ports, cgroups, seeds, readings) is its DockerHost's work.
 */
export class DockerSandboxProvider implements SandboxProvider {
  readonly kind = 'docker';
  readonly host: DockerHost;
  private readonly docker: Docker;
  private readonly callTimeoutMs: number;
  private remap: Promise<Remap | undefined> | undefined;
  private readonly opts: DockerProviderOptions;

  constructor(opts: DockerProviderOptions) {
    this.opts = opts;
    this.docker = new Docker({ socketPath: opts.socketPath });
    this.callTimeoutMs = opts.callTimeoutMs ?? 30_000;
    const seeds =
      opts.imageSeeds === false
        ? undefined
        : new ImageSeeds({
            docker: this.docker,
            variant: opts.isolation ?? 'userns',
            // The builder is this provider's own sandbox, whoever asked for the seed.
            build: (spec, signal) =>
              buildSeed(
                this,
                { ...spec, labels: { ...spec.labels, instance: opts.instance } },
                (sb, s) => this.volumePath(sb.labels.session, s),
                signal,
              ),
          });
    this.host = new DockerHost({
      docker: this.docker,
      callTimeoutMs: this.callTimeoutMs,
      remap: (o) => this.userNamespaceRemap(o),
      cgroupRoot: opts.cgroupRoot,
      seeds,
      logger: opts.logger,
      ...(opts.checkerMode ? { checkerMode: opts.checkerMode } : {}),
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

  async capacity(limits: SandboxLimits): Promise<number> {
    const m = this.opts.machine ?? { totalMemBytes: totalmem(), cpus: availableParallelism() };
    return hostCapacity({ ...m, sandboxMemBytes: limits.memoryBytes, sandboxCpus: limits.cpus });
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
    await this.userNamespaceRemap({ signal });
    try {
      const [engineArgs, imagesReady] = await Promise.all([
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
          for (const name of [n.volume, n.home]) {
            await engineCall('creating the sandbox volume', () =>
              this.docker.createVolume({
                Name: name,
                Labels: toDockerLabels(spec.labels, 'volume'),
                abortSignal: signal,
              }),
            );
          }
          // Before the engine starts: a copy of a prepared store instead of a load after.
          if (!spec.images?.length) return false;
          return this.host.copySeed(
            spec,
            await this.volumePath(spec.labels.session, signal),
            signal,
          );
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
            `SLIPWAY_DOCKERD_ARGS=${engineArgs.join(' ')}`,
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
            Mounts: [
              { Type: 'volume', Source: n.volume, Target: '/var/lib/docker' },
              // A volume so that its checker can read it (docker/checker.ts); filled from the image.
              { Type: 'volume', Source: n.home, Target: '/root' },
            ],
            LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
            ...(this.rootless ? ROOTLESS.hostConfig : {}),
          },
          abortSignal: signal,
        } as Docker.ContainerCreateOptions),
      );
      await engineCall('starting the sandbox', () => container.start({ abortSignal: signal }));
      await this.host.handOver(n.container, {}, { signal });
      const inspected = await engineCall('inspecting the sandbox', () =>
        container.inspect({ abortSignal: signal }),
      );
      return { ...toInfo(inspected), imagesReady };
    } catch (err) {
      await this.destroy(n.container).catch(() => {});
      throw translateEngineError(err, 'creating the sandbox');
    }
  }

  /** Host path of a sandbox volume's data (this provider shares the engine's machine). */
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
    return mirrorArgs(MIRROR_ALIAS);
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
        state: sandboxState(c.State),
        createdAt: new Date(c.Created * 1000),
      });
    }
    return out;
  }

  exec(id: string, req: ExecRequest, opts?: CallOptions): Promise<ExecResult> {
    return this.host.exec(id, req, opts);
  }

  openTerminal(id: string, req: TerminalRequest, opts?: CallOptions): Promise<Terminal> {
    return this.host.openTerminal(id, { ...req, user: this.learnerUser }, opts);
  }

  connectPort(id: string, port: number, opts?: CallOptions): Promise<Duplex> {
    return this.host.connectPort(id, port, opts);
  }

  loadImages(id: string, images: readonly CourseImage[], opts?: CallOptions): Promise<void> {
    return this.host.loadImages(id, images, opts);
  }

  stats(id: string, opts?: CallOptions): Promise<SandboxStats> {
    return this.host.stats(id, opts);
  }

  watchActivity(id: string, onActivity: () => void, opts: { signal: AbortSignal }) {
    return this.host.watchActivity(id, onActivity, opts.signal);
  }

  diskUsage(id: string, opts?: CallOptions): Promise<number> {
    return this.host.diskUsage(id, opts);
  }

  async destroy(id: string, opts?: CallOptions): Promise<void> {
    const signal = this.signal(opts, 60_000);
    if (!id.startsWith('slipway-sbx-')) {
      try {
        await engineCall('removing the sandbox', () =>
          this.docker.getContainer(id).remove({ force: true, v: true, abortSignal: signal }),
        );
      } catch (err) {
        if (!isGone(err)) throw err;
      }
      return;
    }
    this.host.retire(id);
    await removeSession(
      this.docker,
      id.slice('slipway-sbx-'.length),
      this.opts.mirrorContainer,
      signal,
    );
  }

  resources(opts?: CallOptions): Promise<SessionResources[]> {
    return listResources(this.docker, this.opts.instance, this.signal(opts));
  }

  events(opts: { signal: AbortSignal }): AsyncIterable<SandboxEvent> {
    return watchEvents(this.docker, this.opts.instance, opts.signal);
  }
}
