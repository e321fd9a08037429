import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Logger } from '../../src/errors/log.ts';
import { createSandboxProvider } from '../../src/sandbox/factory.ts';
import type { SandboxInfo, SandboxSpec } from '../../src/sandbox/provider.ts';
import type { SwarmSandboxProvider } from '../../src/sandbox/swarm/swarm-provider.ts';
import type { SwarmNode, SwarmTask } from '../../src/sandbox/swarm/swarm-state.ts';

/** Helpers for tests against the test cluster that global-setup.ts made. */
export const clusterEnv = (): Record<string, string> => inject('clusterEnv');

/** The manager's engine: tests look at the swarm through it to verify what the provider did. */
export const manager = () => new Docker({ socketPath: clusterEnv().SLIPWAY_DOCKER_SOCKET! });

export function swarmProvider(instance: string, logger?: Logger): SwarmSandboxProvider {
  const config = loadConfig({ ...process.env, ...clusterEnv(), SLIPWAY_INSTANCE: instance });
  return createSandboxProvider(config, logger) as SwarmSandboxProvider;
}

export const spec = (instance: string, over: Partial<SandboxSpec> = {}): SandboxSpec => ({
  labels: {
    instance,
    learner: 'cluster-learner',
    lab: 'cluster',
    session: randomBytes(6).toString('hex'),
  },
  image: 'slipway/sandbox:latest',
  hostname: 'cluster',
  limits: { memoryBytes: 512 * 1024 ** 2, pids: 500, cpus: 1 },
  ...over,
});

export async function nodes(): Promise<SwarmNode[]> {
  return (await manager().listNodes()) as SwarmNode[];
}

/** The node a sandbox's task runs on: `n1`, `n2`... */
export async function nodeOf(info: SandboxInfo): Promise<string> {
  const tasks = (await manager().listTasks({ filters: { service: [info.id] } })) as SwarmTask[];
  const task = tasks.find((t) => t.Status.State === 'running');
  const node = (await nodes()).find((n) => n.ID === task?.NodeID);
  return node?.Description?.Engine?.Labels?.['slipway.name'] ?? '?';
}

/** A node's swarm ID from its name. */
export async function nodeId(name: string): Promise<string> {
  const node = (await nodes()).find(
    (n) => n.Description?.Engine?.Labels?.['slipway.name'] === name,
  );
  if (!node) throw new Error(`no node ${name}`);
  return node.ID;
}

/** Runs a shell command on a node's engine, as an operator would with `docker -H`. */
export function onNode(i: number, args: string[]): string {
  return execFileSync('docker', ['-H', `unix:///run/slwc/n${i}.sock`, ...args], {
    encoding: 'utf8',
  });
}
