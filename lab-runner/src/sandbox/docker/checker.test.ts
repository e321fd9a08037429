import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { toDockerLabels } from '../labels.ts';
import { CHECKER_DOCKER_HOST, checkerSpec } from './checker.ts';

const labels = { instance: 'i1', learner: 'l1', lab: 'first-containers', session: 's1' };
const sandbox = (mounts: Array<{ Destination: string; Name: string }>) =>
  ({
    Id: 'c'.repeat(64),
    Name: '/slipway-sbx-s1',
    Image: 'sha256:abc',
    Config: { Labels: toDockerLabels(labels, 'sandbox') },
    Mounts: mounts.map((m) => ({ ...m, Type: 'volume' })),
  }) as unknown as Docker.ContainerInspectInfo;

describe('checkerSpec', () => {
  const spec = checkerSpec(
    sandbox([
      { Destination: '/var/lib/docker', Name: 'slipway-docker-s1' },
      { Destination: '/root', Name: 'slipway-home-s1' },
    ]),
  );

  it("joins the sandbox's network and sees its engine and home read-only", () => {
    expect(spec.name).toBe('slipway-chk-s1');
    expect(spec.Image).toBe('sha256:abc');
    expect(spec.HostConfig?.NetworkMode).toBe(`container:${'c'.repeat(64)}`);
    expect(spec.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: 'slipway-docker-s1', Target: '/var/lib/docker', ReadOnly: true },
      { Type: 'volume', Source: 'slipway-home-s1', Target: '/root', ReadOnly: true },
    ]);
    expect(spec.Env).toContain(`DOCKER_HOST=${CHECKER_DOCKER_HOST}`);
    expect(CHECKER_DOCKER_HOST).toBe('unix:///var/lib/docker/.slipway-api/docker.sock');
  });

  it('is labelled as the same session, confined, and removed when its first process ends', () => {
    expect(spec.Labels).toMatchObject({ 'slipway.kind': 'checker', 'slipway.session': 's1' });
    expect(spec.HostConfig).toMatchObject({
      AutoRemove: true,
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      CapAdd: ['DAC_OVERRIDE', 'DAC_READ_SEARCH'],
      SecurityOpt: ['no-new-privileges'],
    });
    expect(spec.HostConfig?.Privileged).toBeUndefined();
  });

  it('refuses a sandbox without a home volume, naming it', () => {
    expect(() =>
      checkerSpec(sandbox([{ Destination: '/var/lib/docker', Name: 'slipway-docker-s1' }])),
    ).toThrow(/slipway-sbx-s1 has no engine or home volume/);
  });
});
