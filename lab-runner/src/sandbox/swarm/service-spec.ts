import { DIND_CAPS, sandboxNames } from '../docker/dind.ts';
import { toDockerLabels } from '../labels.ts';
import type { SandboxSpec } from '../provider.ts';

/** Sandboxes mostly wait for a learner: this many share a core's reservation. */
export const CPU_OVERCOMMIT = 8;
/** How long the sandbox's entrypoint waits for its node agent's hand-over. */
export const HANDOVER_WAIT_S = 300;

/**
 * The Swarm service for a sandbox: one replica, never restarted by Swarm (Slipway replaces a
 * lost sandbox itself, restored to the learner's progress), its reservation as its slot on a
 * node whose engine is labelled `<label>=true`, on the overlay network made for it. What a
 * service cannot set (seccomp, the cgroup namespace) comes from the node engines' defaults.
 */
export function serviceSpec(spec: SandboxSpec, label: string) {
  const n = sandboxNames(spec.labels.session);
  const labels = toDockerLabels(spec.labels, 'sandbox');
  return {
    Name: n.container,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        // By name: each node runs its own build (nodes may be another CPU kind), and node
        // engines never pull (DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1, scripts/ensure-engine.sh).
        Image: spec.image,
        Hostname: spec.hostname,
        // The agent checks these before it touches the container.
        Labels: labels,
        Env: ['SLIPWAY_DOCKERD_ARGS=', `SLIPWAY_WAIT_HANDOVER_S=${HANDOVER_WAIT_S}`],
        Mounts: [
          {
            Type: 'volume',
            Source: n.volume,
            Target: '/var/lib/docker',
            VolumeOptions: { Labels: toDockerLabels(spec.labels, 'volume') },
          },
          // A volume so that its checker can read it (docker/checker.ts); filled from the image.
          {
            Type: 'volume',
            Source: n.home,
            Target: '/root',
            VolumeOptions: { Labels: toDockerLabels(spec.labels, 'volume') },
          },
        ],
        CapabilityAdd: [...DIND_CAPS],
      },
      Resources: {
        Limits: {
          NanoCPUs: Math.round(spec.limits.cpus * 1e9),
          MemoryBytes: spec.limits.memoryBytes,
          Pids: spec.limits.pids,
        },
        // The slot Swarm keeps for it: a node without room for one more takes no more.
        Reservations: {
          NanoCPUs: Math.round((spec.limits.cpus * 1e9) / CPU_OVERCOMMIT),
          MemoryBytes: spec.limits.memoryBytes,
        },
      },
      RestartPolicy: { Condition: 'none' },
      Placement: { Constraints: [`engine.labels.${label} == true`] },
      Networks: [{ Target: n.network }],
      LogDriver: { Name: 'json-file', Options: { 'max-size': '1m', 'max-file': '1' } },
    },
    Mode: { Replicated: { Replicas: 1 } },
  };
}
