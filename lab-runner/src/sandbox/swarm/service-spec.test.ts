import { describe, expect, it } from 'vitest';
import { serviceSpec } from './service-spec.ts';

const spec = {
  labels: { instance: 'i', learner: 'l', lab: 'first-containers', session: 'abc123' },
  image: 'slipway/sandbox:latest',
  hostname: 'first-containers',
  limits: { memoryBytes: 768 * 1024 ** 2, pids: 1000, cpus: 1 },
};

describe('a sandbox as a Swarm service', () => {
  const s = serviceSpec(spec, 'slipway.sandboxes');

  it('is one replica Swarm never restarts, on its own network, only on nodes labelled for sandboxes', () => {
    expect(s.Name).toBe('slipway-sbx-abc123');
    expect(s.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(s.TaskTemplate.RestartPolicy).toEqual({ Condition: 'none' });
    expect(s.TaskTemplate.Networks).toEqual([{ Target: 'slipway-net-abc123' }]);
    expect(s.TaskTemplate.Placement.Constraints).toEqual([
      'engine.labels.slipway.sandboxes == true',
    ]);
  });

  it('holds its limits, and reserves its memory and an eighth of its CPU as its slot', () => {
    expect(s.TaskTemplate.Resources).toEqual({
      Limits: { NanoCPUs: 1e9, MemoryBytes: 768 * 1024 ** 2, Pids: 1000 },
      Reservations: { NanoCPUs: 125_000_000, MemoryBytes: 768 * 1024 ** 2 },
    });
  });

  it('carries Slipway’s labels on the service, its container and its volume, and waits for its hand-over', () => {
    const c = s.TaskTemplate.ContainerSpec;
    expect(c.Labels).toMatchObject({ 'slipway.kind': 'sandbox', 'slipway.session': 'abc123' });
    expect(c.Mounts[0]).toMatchObject({
      Source: 'slipway-docker-abc123',
      Target: '/var/lib/docker',
      VolumeOptions: { Labels: { 'slipway.kind': 'volume' } },
    });
    expect(c.Env).toContain('SLIPWAY_WAIT_HANDOVER_S=300');
    expect(c.CapabilityAdd).toEqual(['SYS_ADMIN', 'NET_ADMIN', 'MKNOD', 'SYS_PTRACE']);
  });
});
