import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { RemoteHost } from '../../agent/agent-client.ts';
import type { Credentials } from '../../agent/credentials.ts';
import { slipwayError } from '../../errors/catalogue.ts';
import type { Logger } from '../../errors/log.ts';
import type { CourseImage } from '../../labs/course-images.ts';
import { hostCapacity } from '../capacity.ts';
import { sandboxNames as names } from '../docker/dind.ts';
import { call, engineCall, isGone, translateEngineError } from '../docker/engine-errors.ts';
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
import { SessionResourceSet } from '../session-resources.ts';
import { watchSandboxes } from './swarm-events.ts';
import {
  currentTask,
  type Location,
  nodeName,
  type SwarmNode,
  type SwarmService,
  type SwarmTask,
  schedulable,
  taskState,
  toInfo,
} from './swarm-state.ts';

export interface SwarmProviderOptions {
  /** The unix socket of a manager node's engine (the runner runs beside a manager). */
  socketPath: string;
  instance: string;
  /** The runner's client certificate for the node agents. */
  credentials: Credentials;
  /** Port every node's agent listens on, at the node's cluster address. */
  agentPort: number;
  /** Engine label that marks nodes taking sandboxes (`dockerd --label <label>=true`). */
  placementLabel?: string;
  /** Whether agents give new sandboxes a prepared store of their images (default true). */
  imageSeeds?: boolean;
  callTimeoutMs?: number;
  logger?: Logger;
}

import { CPU_OVERCOMMIT, serviceSpec } from './service-spec.ts';

/**
 * Sandboxes on a Docker Swarm cluster: each is a service of one replica (restart condition
 * none) on an overlay network of its own, placed by Swarm on a node labelled for sandboxes
 * that has room for its reservation. Swarm's task state is the truth for where it runs; what
 * must happen on that node (exec, terminals, ports, cgroups, seeds, readings) goes to the
 * node's agent (agent/). The runner never talks to a worker's engine.
 */
export class SwarmSandboxProvider implements SandboxProvider {
  readonly kind = 'swarm';
  readonly learnerUser = 'root';
  private readonly docker: Docker;
  private readonly opts: SwarmProviderOptions;
  private readonly callTimeoutMs: number;
  private readonly label: string;
  private readonly hosts = new Map<string, RemoteHost>();

  constructor(opts: SwarmProviderOptions) {
    this.opts = opts;
    this.docker = new Docker({ socketPath: opts.socketPath });
    this.callTimeoutMs = opts.callTimeoutMs ?? 30_000;
    this.label = opts.placementLabel ?? 'slipway.sandboxes';
  }

  private signal(opts?: CallOptions, ms = this.callTimeoutMs) {
    return deadline(opts, ms);
  }

  async ping(opts?: CallOptions): Promise<void> {
    const info = await engineCall('checking the engine', () =>
      call<{ Swarm?: { ControlAvailable?: boolean } }>(this.docker, 'info', {
        abortSignal: this.signal(opts, 5_000),
      }),
    );
    if (!info.Swarm?.ControlAvailable)
      throw slipwayError('ENGINE_ERROR', {
        operation: 'checking the swarm',
        detail: 'this engine is not a swarm manager (SLIPWAY_PROVIDER=swarm needs one)',
      });
  }

  async nodes(opts?: CallOptions): Promise<SwarmNode[]> {
    return engineCall('listing swarm nodes', () =>
      call<SwarmNode[]>(this.docker, 'listNodes', { abortSignal: this.signal(opts) }),
    );
  }

  async capacity(limits: SandboxLimits, opts?: CallOptions): Promise<number> {
    let total = 0;
    for (const n of await this.nodes(opts)) {
      if (!schedulable(n, this.label)) continue;
      total += hostCapacity({
        totalMemBytes: n.Description?.Resources?.MemoryBytes ?? 0,
        cpus: (n.Description?.Resources?.NanoCPUs ?? 1e9) / 1e9,
        sandboxMemBytes: limits.memoryBytes,
        sandboxCpus: limits.cpus,
        cpuOvercommit: CPU_OVERCOMMIT,
      });
    }
    return Math.max(1, total);
  }

  /** The agent of a node (one client per node, kept). */
  hostOf(node: SwarmNode): RemoteHost {
    const addr = node.Status?.Addr;
    if (!addr) throw slipwayError('NODE_UNAVAILABLE', { node: nodeName(node) });
    let h = this.hosts.get(node.ID);
    if (!h) {
      h = new RemoteHost(
        { node: nodeName(node), host: addr, port: this.opts.agentPort },
        this.opts.credentials,
        this.callTimeoutMs,
      );
      this.hosts.set(node.ID, h);
    }
    return h;
  }

  private async service(id: string, opts?: CallOptions): Promise<SwarmService | undefined> {
    try {
      const s = await engineCall('inspecting the sandbox', () =>
        call<SwarmService>(this.docker.getService(id), 'inspect', {
          abortSignal: this.signal(opts),
        }),
      );
      return fromDockerLabels(s.Spec.Labels)?.instance === this.opts.instance ? s : undefined;
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    }
  }

  private async tasksOf(
    serviceIds: string[] | undefined,
    opts?: CallOptions,
  ): Promise<SwarmTask[]> {
    return engineCall('reading the sandbox tasks', () =>
      call<SwarmTask[]>(this.docker, 'listTasks', {
        ...(serviceIds ? { filters: { service: serviceIds } } : {}),
        abortSignal: this.signal(opts),
      }),
    );
  }

  /** Where a sandbox runs now (its node and container), or SANDBOX_GONE. */
  async locate(id: string, opts?: CallOptions): Promise<Location> {
    const s = await this.service(id, opts);
    if (!s) throw slipwayError('SANDBOX_GONE');
    const task = currentTask(await this.tasksOf([s.ID], opts));
    const container = task?.Status.ContainerStatus?.ContainerID;
    if (!task || !container || !task.NodeID || taskState(task.Status.State) !== 'running')
      throw slipwayError('SANDBOX_GONE');
    const node = await engineCall('inspecting a swarm node', () =>
      call<SwarmNode>(this.docker.getNode(task.NodeID!), 'inspect', {
        abortSignal: this.signal(opts),
      }),
    );
    if (node.Status?.State !== 'ready')
      throw slipwayError('NODE_UNAVAILABLE', { node: nodeName(node) });
    return { node, container };
  }

  async create(spec: SandboxSpec, opts?: CallOptions): Promise<SandboxInfo> {
    if (spec.labels.instance !== this.opts.instance) {
      throw slipwayError('INTERNAL', {
        detail: `sandbox instance ${spec.labels.instance} is not ${this.opts.instance}`,
      });
    }
    const n = names(spec.labels.session);
    const signal = this.signal(opts, 360_000);
    try {
      await engineCall('creating the sandbox network', () =>
        this.docker.createNetwork({
          Name: n.network,
          Driver: 'overlay',
          CheckDuplicate: true,
          Internal: spec.egress === 'none',
          Labels: toDockerLabels(spec.labels, 'network'),
          abortSignal: signal,
        } as Docker.NetworkCreateOptions),
      );
      await engineCall('creating the sandbox', () =>
        call(this.docker, 'createService', {
          ...serviceSpec(spec, this.label),
          abortSignal: signal,
        }),
      );
      const where = await this.untilRunning(n.container, signal);
      const handed = await this.hostOf(where.node).handOver(
        where.container,
        {
          ...(this.opts.imageSeeds !== false && spec.images?.length
            ? {
                images: spec.images,
                seedSpec: {
                  image: spec.image,
                  memoryBytes: spec.limits.memoryBytes,
                  pids: spec.limits.pids,
                  cpus: spec.limits.cpus,
                },
              }
            : {}),
          signal: true,
        },
        { signal, timeoutMs: 300_000 },
      );
      const info = await this.inspect(n.container, { signal });
      if (!info)
        throw slipwayError('SANDBOX_START_FAILED', { reason: 'it was removed while starting' });
      return { ...info, imagesReady: handed.imagesReady };
    } catch (err) {
      await this.destroy(n.container).catch(() => {});
      throw translateEngineError(err, 'creating the sandbox');
    }
  }

  /** Waits for Swarm to place and start the sandbox; says why when it cannot. */
  private async untilRunning(name: string, signal: AbortSignal): Promise<Location> {
    const since = Date.now();
    for (;;) {
      signal.throwIfAborted();
      const s = await this.service(name, { signal });
      if (!s)
        throw slipwayError('SANDBOX_START_FAILED', { reason: 'it was removed while starting' });
      const task = currentTask(await this.tasksOf([s.ID], { signal }));
      const state = task?.Status.State;
      if (task && state === 'running' && task.Status.ContainerStatus?.ContainerID)
        return this.locate(name, { signal });
      if (task && ['failed', 'rejected', 'shutdown', 'complete', 'orphaned'].includes(state ?? ''))
        throw slipwayError('SANDBOX_START_FAILED', {
          reason: task.Status.Err ?? task.Status.Message ?? `its task ended (${state})`,
        });
      // "no suitable node": every node is full, cordoned or down.
      if (task && state === 'pending' && Date.now() - since > 20_000)
        throw slipwayError('SANDBOX_START_FAILED', {
          reason: `no machine has room for it (${task.Status.Err ?? task.Status.Message ?? 'pending'})`,
        });
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async inspect(id: string, opts?: CallOptions): Promise<SandboxInfo | undefined> {
    const s = await this.service(id, opts);
    if (!s) return undefined;
    const task = currentTask(await this.tasksOf([s.ID], opts));
    const node = task?.NodeID
      ? await call<SwarmNode>(this.docker.getNode(task.NodeID), 'inspect', {
          abortSignal: this.signal(opts),
        }).catch(() => undefined)
      : undefined;
    return toInfo(s, task, node);
  }

  async services(filter: Partial<SandboxLabels>, opts?: CallOptions): Promise<SwarmService[]> {
    return engineCall('listing sandboxes', () =>
      call<SwarmService[]>(this.docker, 'listServices', {
        filters: {
          label: [
            ...labelFilters({ ...filter, instance: this.opts.instance }),
            'slipway.kind=sandbox',
          ],
        },
        abortSignal: this.signal(opts),
      }),
    );
  }

  async list(filter: Partial<SandboxLabels>, opts?: CallOptions): Promise<SandboxInfo[]> {
    const services = await this.services(filter, opts);
    if (services.length === 0) return [];
    const [tasks, nodes] = await Promise.all([
      this.tasksOf(
        services.map((s) => s.ID),
        opts,
      ),
      this.nodes(opts),
    ]);
    const out: SandboxInfo[] = [];
    for (const s of services) {
      const task = currentTask(tasks.filter((t) => t.ServiceID === s.ID));
      const info = toInfo(
        s,
        task,
        nodes.find((n) => n.ID === task?.NodeID),
      );
      if (info) out.push(info);
    }
    return out;
  }

  private async on<T>(
    id: string,
    opts: CallOptions | undefined,
    fn: (h: RemoteHost, c: string) => Promise<T>,
  ) {
    const where = await this.locate(id, opts);
    return fn(this.hostOf(where.node), where.container);
  }

  exec(id: string, req: ExecRequest, opts?: CallOptions): Promise<ExecResult> {
    return this.on(id, opts, (h, c) => h.exec(c, req, opts));
  }

  openTerminal(id: string, req: TerminalRequest, opts?: CallOptions): Promise<Terminal> {
    return this.on(id, opts, (h, c) => h.openTerminal(c, { ...req, user: this.learnerUser }, opts));
  }

  connectPort(id: string, port: number, opts?: CallOptions): Promise<Duplex> {
    return this.on(id, opts, (h, c) => h.connectPort(c, port, opts));
  }

  loadImages(id: string, images: readonly CourseImage[], opts?: CallOptions): Promise<void> {
    return this.on(id, opts, (h, c) => h.loadImages(c, images, opts));
  }

  watchActivity(id: string, onActivity: () => void, opts: { signal: AbortSignal }) {
    return this.on(id, opts, (h, c) => h.watchActivity(c, onActivity, opts.signal));
  }

  stats(id: string, opts?: CallOptions): Promise<SandboxStats> {
    return this.on(id, opts, (h, c) => h.stats(c, opts));
  }

  diskUsage(id: string, opts?: CallOptions): Promise<number> {
    return this.on(id, opts, (h, c) => h.diskUsage(c, opts));
  }

  async destroy(id: string, opts?: CallOptions): Promise<void> {
    const signal = this.signal(opts, 60_000);
    const session = id.startsWith('slipway-sbx-') ? id.slice('slipway-sbx-'.length) : undefined;
    const s = await this.service(id, { signal });
    const task = s ? currentTask(await this.tasksOf([s.ID], { signal })) : undefined;
    if (s) {
      await engineCall('removing the sandbox', () =>
        call(this.docker.getService(s.ID), 'remove', { abortSignal: signal }),
      ).catch((err) => {
        if (!isGone(err)) throw err;
      });
    }
    if (!session) return;
    const n = names(session);
    // The network can go once the task's container is gone; Swarm removes it in the background.
    for (let i = 0; ; i++) {
      try {
        await engineCall('removing the sandbox network', () =>
          call(this.docker.getNetwork(n.network), 'remove', { abortSignal: signal }),
        );
        break;
      } catch (err) {
        if (isGone(err)) break;
        if (i >= 100) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    // Its volume stays on the node it ran on until that node's agent removes it (the reaper
    // does so later for a node that is down now).
    const nodes = (await this.nodes({ signal })).filter((nd) => nd.Status?.State === 'ready');
    const first = nodes.find((nd) => nd.ID === task?.NodeID);
    for (const node of first ? [first] : nodes) {
      for (const volume of [n.volume, n.home]) {
        await this.hostOf(node)
          .removeVolume(volume, { signal, timeoutMs: 40_000 })
          .catch((err) =>
            this.opts.logger?.warn('sandbox volume not removed; the reaper will', {
              volume,
              node: nodeName(node),
              error: String(err),
            }),
          );
      }
    }
  }

  async resources(opts?: CallOptions): Promise<SessionResources[]> {
    const signal = this.signal(opts);
    const label = labelFilters({ instance: this.opts.instance });
    const [services, networks, nodes] = await Promise.all([
      call<SwarmService[]>(this.docker, 'listServices', {
        filters: { label },
        abortSignal: signal,
      }),
      call<Docker.NetworkInspectInfo[]>(this.docker, 'listNetworks', {
        filters: { label },
        abortSignal: signal,
      }),
      this.nodes({ signal }),
    ]).catch((err) => {
      throw translateEngineError(err, 'listing sandbox resources');
    });
    const found = new SessionResourceSet();
    const add = found.add.bind(found);
    for (const s of services) add(s.Spec.Labels, 'sandbox', new Date(s.CreatedAt));
    for (const n of networks) add(n.Labels, 'network', new Date(n.Created ?? Date.now()));
    // Volumes live on the nodes; a node that is down is asked again at the next sweep.
    for (const node of nodes.filter((n) => n.Status?.State === 'ready')) {
      const volumes = await this.hostOf(node)
        .volumes(this.opts.instance, { signal })
        .catch(() => []);
      for (const v of volumes) add(v.labels, 'volume', new Date(v.createdAt ?? Date.now()));
    }
    return found.list();
  }

  events(opts: { signal: AbortSignal }): AsyncIterable<SandboxEvent> {
    return watchSandboxes(() => this.list({}, { signal: opts.signal }), opts.signal);
  }

  /** Stops taking new sandboxes on a node; its running ones go on (Swarm's `pause`). */
  async cordon(nodeId: string, cordoned = true): Promise<void> {
    const node = await call<SwarmNode & { Version: { Index: number } }>(
      this.docker.getNode(nodeId),
      'inspect',
      {},
    );
    await call(this.docker.getNode(nodeId), 'update', {
      version: node.Version.Index,
      ...node.Spec,
      Availability: cordoned ? 'pause' : 'active',
    });
  }

  close(): void {
    for (const h of this.hosts.values()) h.close();
    this.hosts.clear();
  }
}
