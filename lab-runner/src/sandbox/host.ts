import type { Duplex } from 'node:stream';
import type { CourseImage } from '../labs/course-images.ts';
import type {
  CallOptions,
  ExecRequest,
  ExecResult,
  SandboxStats,
  Terminal,
  TerminalRequest,
} from './provider.ts';

/**
 * What must run on the machine where a sandbox's container runs: commands and terminals in it,
 * connections to its ports, its resource and disk readings, and handing a new one its cgroups
 * (and, where it helps, a prepared store of its images). On one host the provider does it
 * in-process (docker/docker-host.ts); on a cluster each node's agent does it for the runner
 * (agent/). Every `container` is the container's id on that machine's engine.
 */
export interface SandboxHost {
  exec(container: string, req: ExecRequest, opts?: CallOptions): Promise<ExecResult>;
  openTerminal(
    container: string,
    req: TerminalRequest & { user: string },
    opts?: CallOptions,
  ): Promise<Terminal>;
  connectPort(container: string, port: number, opts?: CallOptions): Promise<Duplex>;
  /** Copies course images from this machine's engine into the sandbox's own engine. */
  loadImages(container: string, images: readonly CourseImage[], opts?: CallOptions): Promise<void>;
  stats(container: string, opts?: CallOptions): Promise<SandboxStats>;
  /** See SandboxProvider.watchActivity. */
  watchActivity(container: string, onActivity: () => void, signal: AbortSignal): Promise<void>;
  diskUsage(container: string, opts?: CallOptions): Promise<number>;
  /**
   * Readies a container that just started, before its inner engine does: puts a prepared store
   * of `images` into its engine's volume when it can (true if it did), then hands it its
   * cgroups. A sandbox that has already exited is left as it is.
   */
  handOver(container: string, req: HandOverRequest, opts?: CallOptions): Promise<HandOverResult>;
}

export interface HandOverRequest {
  /** Seed its engine's store with these images (see docker/image-seeds.ts), if possible. */
  images?: readonly CourseImage[];
  /** The sandbox image, isolation and limits a seed builder should match. */
  seedSpec?: { image: string; memoryBytes: number; pids: number; cpus: number };
  /** Tell its entrypoint it is handed over (it waits for that when SLIPWAY_WAIT_HANDOVER_S is set). */
  signal?: boolean;
}

export interface HandOverResult {
  imagesReady: boolean;
}
