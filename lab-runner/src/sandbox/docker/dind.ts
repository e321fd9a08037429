/**
 * How a sandbox container is made: flags that let a real dockerd run inside it without
 * --privileged, and what the rootless isolation mode adds. Shared by the one-host provider and
 * the Swarm provider (whose node engines set what a service cannot: see swarm/README.md).
 */

/**
 * On a user-namespaced engine root inside maps to an unprivileged host uid (see README, trust
 * model), and these capabilities are scoped to the sandbox's own user namespace. SYS_PTRACE is
 * what lets the inner runc open the namespaces of a container process running as a non-root
 * user, i.e. `docker exec` into such a container.
 */
export const DIND_CAPS = ['SYS_ADMIN', 'NET_ADMIN', 'MKNOD', 'SYS_PTRACE'] as const;

export const DIND_HOST_CONFIG = {
  CapAdd: [...DIND_CAPS],
  SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
  CgroupnsMode: 'private',
} as const;

export type SandboxIsolation = 'userns' | 'rootless';

/** What a rootless sandbox adds: its engine's socket, a TUN device for slirp4netns, and an
 * unmasked /proc (a nested user namespace may only mount proc where none is hidden). */
export const ROOTLESS = {
  env: ['SLIPWAY_ISOLATION=rootless', 'DOCKER_HOST=unix:///run/user/1000/docker.sock'],
  hostConfig: {
    Devices: [
      { PathOnHost: '/dev/net/tun', PathInContainer: '/dev/net/tun', CgroupPermissions: 'rwm' },
    ],
    MaskedPaths: [],
    ReadonlyPaths: [],
  },
};

/** How sandboxes' inner engines reach the classroom mirror on their own network. */
export const MIRROR_ALIAS = 'mirror';

export const mirrorArgs = (host: string) => [
  `--registry-mirror=http://${host}:5000`,
  `--insecure-registry=${host}:5000`,
];

/** What each sandbox's container, network and volume are called, by session. */
export const sandboxNames = (session: string) => ({
  container: `slipway-sbx-${session}`,
  network: `slipway-net-${session}`,
  volume: `slipway-docker-${session}`,
  /** The learner's home (/root): a volume so that the sandbox's checker can read it. */
  home: `slipway-home-${session}`,
  /** The container beside the sandbox that runs its task checks (see docker/checker.ts). */
  checker: `slipway-chk-${session}`,
});

/** Where the sandbox's own engine also listens, in its data volume, for its checker. */
export const CHECKER_API_DIR = '.slipway-api';

/** Docker's container states, as the provider interface names them. */
export function sandboxState(dockerState: string): 'starting' | 'running' | 'stopped' | 'removing' {
  switch (dockerState) {
    case 'running':
      return 'running';
    case 'created':
    case 'restarting':
      return 'starting';
    case 'removing':
      return 'removing';
    default:
      return 'stopped';
  }
}
