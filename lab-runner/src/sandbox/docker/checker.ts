import type Docker from 'dockerode';
import { slipwayError } from '../../errors/catalogue.ts';
import { fromDockerLabels, toDockerLabels } from '../labels.ts';
import { CHECKER_API_DIR, sandboxNames } from './dind.ts';
import { call, engineCall, isGone } from './engine-errors.ts';

/**
 * A sandbox's checker: a container beside it that runs its task checks with tools and a check
 * library the learner cannot touch. The learner is root in the sandbox and may replace any file
 * there (`docker`, `curl`, `jq`, `bash`); the checker is another container of the same image,
 * so its files are its own. It shares the sandbox's network namespace (so `curl localhost:8080`
 * reaches what the learner published), talks to the sandbox's engine through the socket that
 * engine also opens in its data volume, and reads the learner's home read-only. It cannot be
 * seen from the sandbox (its own PID namespace) and runs with almost no capabilities.
 *
 * Its first process holds a connection to the sandbox's engine: when the sandbox stops, that
 * engine goes, the process ends and the engine removes the checker (AutoRemove). So a checker
 * never outlives its sandbox, on one host or on a cluster node, and is made again on demand.
 */

/**
 * Where the checker mounts the sandbox's engine volume (read-only) and finds its API: the same
 * place as in the sandbox, which also keeps the image's VOLUME from making one of its own.
 */
export const CHECKER_ENGINE_DIR = '/var/lib/docker';
const CHECKER_SOCKET = `${CHECKER_ENGINE_DIR}/${CHECKER_API_DIR}/docker.sock`;
export const CHECKER_DOCKER_HOST = `unix://${CHECKER_SOCKET}`;
const CHECKD_ENTRYPOINT = ['tini', '--', '/usr/local/libexec/slipway-checkd', CHECKER_SOCKET];

/** A checker made by this version: running slipway-checkd beside this very sandbox. */
function isCurrent(found: Docker.ContainerInspectInfo, sandbox: Docker.ContainerInspectInfo) {
  return (
    found.State.Running &&
    found.HostConfig.NetworkMode === `container:${sandbox.Id}` &&
    found.Config.OpenStdin &&
    JSON.stringify(found.Config.Entrypoint) === JSON.stringify(CHECKD_ENTRYPOINT)
  );
}

/** The checker's container settings for a sandbox container as the engine describes it. */
export function checkerSpec(sandbox: Docker.ContainerInspectInfo): Docker.ContainerCreateOptions {
  const labels = fromDockerLabels(sandbox.Config.Labels);
  if (!labels) throw slipwayError('SANDBOX_GONE');
  const mountOf = (target: string) =>
    sandbox.Mounts.find((m) => m.Destination === target && m.Type === 'volume')?.Name;
  const engine = mountOf('/var/lib/docker');
  const home = mountOf('/root');
  if (!engine || !home) {
    throw slipwayError('INTERNAL', {
      detail: `sandbox ${sandbox.Name} has no engine or home volume for its checker`,
    });
  }
  return {
    name: sandboxNames(labels.session).checker,
    Image: sandbox.Image,
    Labels: toDockerLabels(labels, 'checker'),
    // slipway-checkd runs the checks it is sent on stdin and lives as long as the sandbox's
    // engine answers (it holds the engine's event stream, see images/sandbox/checkd/checkd.pl).
    Entrypoint: CHECKD_ENTRYPOINT,
    Cmd: [],
    OpenStdin: true,
    StdinOnce: false,
    Env: [
      `DOCKER_HOST=${CHECKER_DOCKER_HOST}`,
      // The CLI's config, never the learner's (HOME is their read-only home).
      'DOCKER_CONFIG=/tmp/.docker',
      'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
    ],
    WorkingDir: '/root',
    HostConfig: {
      NetworkMode: `container:${sandbox.Id}`,
      AutoRemove: true,
      ReadonlyRootfs: true,
      Mounts: [
        { Type: 'volume', Source: engine, Target: CHECKER_ENGINE_DIR, ReadOnly: true },
        { Type: 'volume', Source: home, Target: '/root', ReadOnly: true },
      ],
      Tmpfs: {
        '/tmp': 'rw,nosuid,nodev,size=64m',
        '/var/cache/slipway-checks': 'rw,nosuid,nodev,size=16m',
      },
      // Reading the learner's files whoever owns them (the rootless mode's learner is uid 1000)
      // and the engine's socket; nothing else.
      CapDrop: ['ALL'],
      CapAdd: ['DAC_OVERRIDE', 'DAC_READ_SEARCH'],
      SecurityOpt: ['no-new-privileges'],
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      PidsLimit: 256,
      NanoCpus: 1e9,
      LogConfig: { Type: 'none', Config: {} },
    },
  } as Docker.ContainerCreateOptions;
}

/**
 * The running checker of a sandbox container, made if it has none. Safe to call at once from
 * several callers: a name conflict means another made it, which is then used.
 */
export async function ensureChecker(
  docker: Docker,
  sandboxId: string,
  signal: AbortSignal,
): Promise<string> {
  const sandbox = await engineCall('inspecting the sandbox', () =>
    call<Docker.ContainerInspectInfo>(docker.getContainer(sandboxId), 'inspect', {
      abortSignal: signal,
    }),
  );
  if (!sandbox.State.Running) throw slipwayError('SANDBOX_GONE');
  const spec = checkerSpec(sandbox);
  const name = spec.name!;
  for (let attempt = 0; ; attempt++) {
    const found = await engineCall('inspecting the sandbox checker', () =>
      call<Docker.ContainerInspectInfo>(docker.getContainer(name), 'inspect', {
        abortSignal: signal,
      }),
    ).catch((err) => {
      if (isGone(err)) return undefined;
      throw err;
    });
    if (found && isCurrent(found, sandbox)) return found.Id;
    if (found) {
      // Stopped, left from an earlier sandbox of the session (AutoRemove may be under way), or
      // made by an earlier version of Slipway.
      await call(docker.getContainer(name), 'remove', { force: true, abortSignal: signal }).catch(
        () => {},
      );
    }
    try {
      return await engineCall('starting the sandbox checker', async () => {
        const created = await call<Docker.Container>(docker, 'createContainer', {
          ...spec,
          abortSignal: signal,
        });
        await call(created, 'start', { abortSignal: signal });
        return created.id;
      });
    } catch (err) {
      if (attempt >= 3) throw err;
      // Someone else made it at the same time, or the old one was still being removed.
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
  }
}
