/**
 * Shared by the integration tests: the real sandbox engine, a unique instance label per test
 * file, and a sweep that removes everything carrying that label. Tests talk to the engine
 * directly here only to verify what the provider did (and to break things on purpose).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Docker from 'dockerode';
import { loadConfig } from '../../src/config.ts';
import type { Logger } from '../../src/errors/log.ts';
import { loadCourseImages } from '../../src/labs/course-images.ts';
import { type Lab, loadLabs } from '../../src/labs/load-labs.ts';
import { createSandboxProvider, type ProviderConfig } from '../../src/sandbox/factory.ts';
import type { SandboxProvider } from '../../src/sandbox/provider.ts';

export const engineSocket = process.env.SLIPWAY_DOCKER_SOCKET ?? '/run/slipway/docker.sock';
export const engine = new Docker({ socketPath: engineSocket });

export function newInstance(prefix: string): string {
  return `it-${prefix}-${randomBytes(3).toString('hex')}`;
}

export interface Leftovers {
  containers: string[];
  networks: string[];
  volumes: string[];
}

export async function leftovers(instance: string): Promise<Leftovers> {
  const label = [`slipway.instance=${instance}`];
  const [containers, networks, volumes] = await Promise.all([
    engine.listContainers({ all: true, filters: { label } }),
    engine.listNetworks({ filters: { label } }),
    engine.listVolumes({ filters: { label } }),
  ]);
  return {
    containers: containers.map((c) => c.Names[0] ?? c.Id),
    networks: networks.map((n) => n.Name),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name),
  };
}

/** The names of this instance's sandbox containers (not their checkers), as the engine lists them. */
export async function sandboxesOf(instance: string): Promise<string[]> {
  const found = await engine.listContainers({
    all: true,
    filters: { label: [`slipway.instance=${instance}`, 'slipway.kind=sandbox'] },
  });
  return found.map((c) => c.Names[0] ?? c.Id);
}

/** Removes every container, network and volume labelled with this instance. */
export async function sweep(instance: string): Promise<void> {
  const left = await leftovers(instance);
  await Promise.all(
    left.containers.map((c) =>
      engine
        .getContainer(c.replace(/^\//, ''))
        .remove({ force: true, v: true })
        .catch(() => {}),
    ),
  );
  // The classroom mirror is attached to every sandbox network; detach it first.
  await Promise.all(
    left.networks.map(async (n) => {
      const net = engine.getNetwork(n);
      const info = await net.inspect().catch(() => undefined);
      for (const id of Object.keys(info?.Containers ?? {})) {
        await net.disconnect({ Container: id, Force: true }).catch(() => {});
      }
      await net.remove().catch(() => {});
    }),
  );
  await Promise.all(
    left.volumes.map((v) =>
      engine
        .getVolume(v)
        .remove()
        .catch(() => {}),
    ),
  );
}

/** A sandbox container's address on its own network, read from the engine. */
export async function sandboxAddress(id: string): Promise<string> {
  const c = await engine.getContainer(id).inspect();
  const ip = Object.values(c.NetworkSettings.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress;
  if (!ip) throw new Error(`sandbox ${id} has no address`);
  return ip;
}

/**
 * The provider the tests use, built by the runner's own factory from the environment (as
 * `make test` sets it), for one test instance and with the classroom mirror attached.
 */
export function testProvider(
  instance: string,
  over: Partial<ProviderConfig> = {},
  logger?: Logger,
): SandboxProvider {
  return createSandboxProvider(
    {
      ...loadConfig({ ...process.env, SLIPWAY_DOCKER_SOCKET: engineSocket }),
      mirrorContainer: 'slipway-registry',
      instance,
      ...over,
    },
    logger,
  );
}

const repo = join(import.meta.dirname, '../../..');

/** A lab of the course, loaded as the runner loads it. */
export function courseLab(id: string): Lab {
  const { labs } = loadLabs(join(repo, 'labs'), loadCourseImages(join(repo, 'images')), repo);
  return labs.get(id) as Lab;
}

/** What provisionSandbox needs besides the lab: the defaults of a real deployment. */
export const sandboxSettings = {
  sandboxImage: 'slipway/sandbox:latest',
  limits: { memoryBytes: 768 * 1024 ** 2, pids: 1000, cpus: 1 },
  readyTimeoutMs: 60_000,
  setupTimeoutMs: 180_000,
};
