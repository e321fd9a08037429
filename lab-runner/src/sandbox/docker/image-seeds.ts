import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { APP, LABEL } from '../labels.ts';
import type { SandboxSpec } from '../provider.ts';

const run = promisify(execFile);

const SEED_KIND = 'image-seed';
/** A seed's build is shared by every start waiting for it, so no one start's deadline cuts it. */
const BUILD_TIMEOUT_MS = 300_000;
const SEED_IMAGES_LABEL = 'slipway.seed.images';

/** A stopped engine store holding some course images, ready to be copied; the caller disposes. */
export interface SeedBuild extends AsyncDisposable {
  /** Host path of the stopped builder's /var/lib/docker. */
  dataDir: string;
}

export interface ImageSeedsDeps {
  docker: Docker;
  /** Part of every seed's key: stores made under another isolation mode are laid out differently. */
  variant: string;
  /** Makes a builder sandbox like `spec` with `spec.images` loaded and its engine stopped. */
  build(spec: SandboxSpec, signal: AbortSignal): Promise<SeedBuild>;
}

/**
 * Prepared inner-engine stores ("seeds"), one per set of course images (and sandbox image and
 * isolation mode). A seed is made once by a builder sandbox that loads the images and stops
 * its engine; each new sandbox then gets a copy in its volume before its engine starts, in
 * place of a `docker load` after. On the XFS store that scripts/ensure-engine.sh sets up the
 * copy shares blocks (reflink, ~0.2 s for three images); elsewhere it is a full copy.
 *
 * Seeds are a cache of the engine shared by every runner on it, like images: volumes labelled
 * `slipway.kind=image-seed`, named by a hash of the image IDs they hold, and removed when one
 * of those images is gone (rebuilt). A seed is complete once its `store` folder exists: it is
 * renamed into place, so runners building the same seed at once never see half of one.
 */
export class ImageSeeds {
  private readonly deps: ImageSeedsDeps;
  private readonly pending = new Map<string, Promise<string>>();

  constructor(deps: ImageSeedsDeps) {
    this.deps = deps;
  }

  /** Host path of a complete seed for the spec's image and images, built first if there is none. */
  async store(spec: SandboxSpec, signal: AbortSignal): Promise<string> {
    const images = spec.images ?? [];
    const ids = await Promise.all(
      [spec.image, ...images.map((i) => i.source)].map((name) => this.imageId(name, signal)),
    );
    const key = createHash('sha256')
      .update(
        JSON.stringify({ v: 1, variant: this.deps.variant, ids, tags: images.map((i) => i.tags) }),
      )
      .digest('hex')
      .slice(0, 24);
    let p = this.pending.get(key);
    if (!p) {
      p = this.ensure(key, ids, spec, AbortSignal.timeout(BUILD_TIMEOUT_MS)).finally(() =>
        this.pending.delete(key),
      );
      this.pending.set(key, p);
    }
    return untilAborted(p, signal);
  }

  private async ensure(
    key: string,
    ids: string[],
    spec: SandboxSpec,
    signal: AbortSignal,
  ): Promise<string> {
    const name = `slipway-seed-${key}`;
    const volume = this.deps.docker.getVolume(name);
    const existing = await volume.inspect({ abortSignal: signal } as object).catch(() => undefined);
    if (existing && existsSync(join(existing.Mountpoint, 'store'))) {
      return join(existing.Mountpoint, 'store');
    }
    await this.pruneStale(signal);
    await this.deps.docker.createVolume({
      Name: name,
      Labels: {
        [LABEL.app]: APP,
        [LABEL.kind]: SEED_KIND,
        [SEED_IMAGES_LABEL]: ids.map((id) => id.replace(/^sha256:/, '').slice(0, 16)).join(','),
      },
      abortSignal: signal,
    } as Docker.VolumeCreateOptions);
    const { Mountpoint } = await volume.inspect({ abortSignal: signal } as object);
    const store = join(Mountpoint, 'store');
    const tmp = join(Mountpoint, `.building-${randomBytes(4).toString('hex')}`);
    try {
      await using build = await this.deps.build(spec, signal);
      await copyTree(build.dataDir, tmp, signal);
      // Each engine makes its own ID when it first starts.
      await rm(join(tmp, 'engine-id'), { force: true });
      await rename(tmp, store).catch((err: NodeJS.ErrnoException) => {
        // Another runner finished the same seed first: use theirs.
        if (!existsSync(store)) throw err;
      });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return store;
  }

  /** Removes seeds holding an image the engine no longer has (it was rebuilt or removed). */
  private async pruneStale(signal: AbortSignal): Promise<void> {
    const seeds = await this.deps.docker.listVolumes({
      filters: { label: [`${LABEL.app}=${APP}`, `${LABEL.kind}=${SEED_KIND}`] },
      abortSignal: signal,
    } as object);
    for (const v of seeds.Volumes ?? []) {
      const ids = (v.Labels?.[SEED_IMAGES_LABEL] ?? '').split(',').filter(Boolean);
      const present = await Promise.all(
        ids.map((id) =>
          this.imageId(id, signal).then(
            () => true,
            () => false,
          ),
        ),
      );
      if (present.every(Boolean)) continue;
      await this.deps.docker
        .getVolume(v.Name)
        .remove({ abortSignal: signal } as object)
        .catch(() => {});
    }
  }

  private async imageId(name: string, signal: AbortSignal): Promise<string> {
    const info = await this.deps.docker.getImage(name).inspect({ abortSignal: signal } as object);
    return info.Id;
  }
}

/** `p`, or the signal's reason if it aborts first (p itself goes on). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Copies a folder with owners, modes, extended attributes and hard links kept (as root on the
 * host: the files belong to the sandbox's remapped users), sharing blocks where the file system
 * can (XFS with reflink, Btrfs).
 */
export async function copyTree(from: string, to: string, signal: AbortSignal): Promise<void> {
  try {
    await mkdir(to, { recursive: true });
    await run('cp', ['-a', '--reflink=auto', `${from}/.`, `${to}/`], { signal });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`copying ${from} to ${to}: ${e.stderr?.trim() || e.message}`);
  }
}
