import { fromDockerLabels } from '../labels.ts';
import type { SandboxInfo, SandboxLabels, SandboxState } from '../provider.ts';

/** The parts of a Swarm task the provider reads. */
export interface SwarmTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  CreatedAt: string;
  DesiredState?: string;
  Status: {
    State: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  };
}

export interface SwarmNode {
  ID: string;
  Description?: {
    Hostname?: string;
    Resources?: { NanoCPUs?: number; MemoryBytes?: number };
    /** The node engine's own labels (`dockerd --label`): how a node says it takes sandboxes. */
    Engine?: { Labels?: Record<string, string> };
  };
  Spec?: { Availability?: string; Labels?: Record<string, string> };
  Status?: { State?: string; Addr?: string };
}

export interface SwarmService {
  ID: string;
  CreatedAt: string;
  Spec: { Name: string; Labels?: Record<string, string> };
}

/** Where a running sandbox is: the node and its container there. */
export interface Location {
  node: SwarmNode;
  container: string;
}

/** A Swarm task's state, as the provider interface names it. */
export function taskState(state: string): SandboxState {
  switch (state) {
    case 'running':
      return 'running';
    case 'new':
    case 'allocated':
    case 'pending':
    case 'assigned':
    case 'accepted':
    case 'preparing':
    case 'ready':
    case 'starting':
      return 'starting';
    case 'remove':
      return 'removing';
    default:
      return 'stopped';
  }
}

/** The task that speaks for a service: its newest. */
export function currentTask(tasks: readonly SwarmTask[]): SwarmTask | undefined {
  return [...tasks].sort((a, b) => b.CreatedAt.localeCompare(a.CreatedAt))[0];
}

/** What people call a node: its engine's `slipway.name` label, or its host name. */
export const nodeName = (n: SwarmNode | undefined) =>
  n?.Description?.Engine?.Labels?.['slipway.name'] ??
  n?.Description?.Hostname ??
  n?.ID.slice(0, 12) ??
  '?';

/**
 * A sandbox as Swarm sees it. A task whose node is down counts as stopped: Swarm still calls
 * it running, but nothing can reach it, and with restart condition `none` Swarm will not move
 * it (Slipway does, by starting a new sandbox elsewhere).
 */
export function toInfo(
  service: SwarmService,
  task: SwarmTask | undefined,
  node: SwarmNode | undefined,
): SandboxInfo | undefined {
  const labels: SandboxLabels | undefined = fromDockerLabels(service.Spec.Labels);
  if (!labels) return undefined;
  const base = { id: service.Spec.Name, labels, createdAt: new Date(service.CreatedAt) };
  if (!task) return { ...base, state: 'starting' };
  const state = taskState(task.Status.State);
  if (state === 'running' && node && node.Status?.State !== 'ready')
    return {
      ...base,
      state: 'stopped',
      exit: {
        code: -1,
        oomKilled: false,
        error: `its machine (${nodeName(node)}) stopped answering`,
      },
    };
  if (state !== 'stopped') return { ...base, state };
  const err = task.Status.Err ?? task.Status.Message;
  return {
    ...base,
    state,
    exit: {
      code: task.Status.ContainerStatus?.ExitCode ?? -1,
      oomKilled: false,
      ...(err ? { error: err } : {}),
    },
  };
}

/**
 * Nodes that take new sandboxes: ready, active (not paused, i.e. cordoned, nor drained), and
 * whose engine is labelled for them (`dockerd --label slipway.sandboxes=true`).
 */
export function schedulable(n: SwarmNode, label: string): boolean {
  return (
    n.Status?.State === 'ready' &&
    n.Spec?.Availability === 'active' &&
    n.Description?.Engine?.Labels?.[label] === 'true'
  );
}
