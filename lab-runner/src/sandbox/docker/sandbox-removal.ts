import type Docker from 'dockerode';
import { LABEL } from '../labels.ts';
import { sandboxNames } from './dind.ts';
import { call, engineCall, isGone } from './engine-errors.ts';

/**
 * Removes a sandbox session's parts: its checker, its container, its network and its two
 * volumes. Idempotent. The caller first retires the sandbox's checker (Checkers.retire), so no
 * check makes it again; one being made at that moment by a call already under way is removed
 * after the sandbox, and a volume still in use is freed of this session's containers and
 * asked again.
 */
export async function removeSession(
  docker: Docker,
  session: string,
  mirrorContainer: string | undefined,
  signal: AbortSignal,
): Promise<void> {
  const n = sandboxNames(session);
  // Its checker first: it holds the sandbox's network namespace and volumes.
  for (const name of [n.checker, n.container, n.checker]) {
    await removeContainer(docker, name, signal);
  }
  if (mirrorContainer) {
    // A network with the mirror still attached cannot be removed.
    await call(docker.getNetwork(n.network), 'disconnect', {
      Container: mirrorContainer,
      Force: true,
      abortSignal: signal,
    }).catch(() => {});
  }
  await ignoreGone(
    engineCall('removing the sandbox network', () =>
      call(docker.getNetwork(n.network), 'remove', { abortSignal: signal }),
    ),
  );
  for (const volume of [n.volume, n.home]) {
    for (let attempt = 0; ; attempt++) {
      try {
        await ignoreGone(
          engineCall('removing the sandbox volume', () =>
            call(docker.getVolume(volume), 'remove', { abortSignal: signal }),
          ),
        );
        break;
      } catch (err) {
        if (attempt >= 4 || signal.aborted) throw err;
        const users = await call<Docker.ContainerInfo[]>(docker, 'listContainers', {
          all: true,
          filters: { volume: [volume], label: [`${LABEL.session}=${session}`] },
          abortSignal: signal,
        }).catch(() => []);
        for (const u of users) await removeContainer(docker, u.Id, signal);
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
  }
}

async function removeContainer(docker: Docker, name: string, signal: AbortSignal) {
  await ignoreGone(
    engineCall('removing the sandbox', () =>
      docker.getContainer(name).remove({ force: true, v: true, abortSignal: signal }),
    ),
  );
}

async function ignoreGone(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isGone(err)) throw err;
  }
}
