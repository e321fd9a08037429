import { randomBytes } from 'node:crypto';
import type { SandboxInfo, SandboxProvider, SandboxSpec } from '../provider.ts';
import { waitUntilEngineReady } from '../readiness.ts';
import type { SeedBuild } from './image-seeds.ts';

/** Stops the inner engine; the entrypoint then exits with it and the builder sandbox stops. */
const STOP_ENGINE = `for p in /proc/[0-9]*; do
  [ "$(cat "$p/comm" 2>/dev/null)" = dockerd ] && kill -TERM "\${p#/proc/}"
done
true`;

/**
 * A builder for an image seed: a sandbox like `spec` (same image, limits and isolation) whose
 * engine loads `spec.images` the usual way and is then stopped cleanly, so its store on disk is
 * consistent. No learner ever has a shell in it. The caller copies `dataDir`, then disposes.
 */
export async function buildSeed(
  provider: SandboxProvider,
  spec: SandboxSpec,
  dataDirOf: (sandbox: SandboxInfo, signal: AbortSignal) => Promise<string>,
  signal: AbortSignal,
): Promise<SeedBuild> {
  const info = await provider.create(
    {
      ...spec,
      images: undefined,
      hostname: 'image-seed',
      labels: {
        ...spec.labels,
        learner: 'image-seed',
        session: `seed${randomBytes(5).toString('hex')}`,
      },
    },
    { signal },
  );
  const dispose = () => provider.destroy(info.id).catch(() => {});
  try {
    await waitUntilEngineReady(provider, info.id, { timeoutMs: 60_000, signal });
    await provider.loadImages(info.id, spec.images ?? [], { signal, timeoutMs: 180_000 });
    // The exec may be cut off as the sandbox stops under it; the state below is what counts.
    await provider.exec(info.id, { cmd: ['sh', '-c', STOP_ENGINE] }, { signal }).catch(() => {});
    for (let i = 0; ; i++) {
      const now = await provider.inspect(info.id, { signal });
      if (now?.state !== 'running') break;
      if (i >= 300) throw new Error('the seed builder’s engine did not stop within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { dataDir: await dataDirOf(info, signal), [Symbol.asyncDispose]: dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
