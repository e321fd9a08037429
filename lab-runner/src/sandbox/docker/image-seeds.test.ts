import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxSpec } from '../provider.ts';
import { ImageSeeds, type SeedBuild } from './image-seeds.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'slipway-seeds-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An engine that knows every image and keeps volumes as folders on this machine. */
function folderEngine(): Docker {
  const volumes = new Map<string, string>();
  return {
    getImage: (name: string) => ({ inspect: async () => ({ Id: `sha256:${name.length}` }) }),
    getVolume: (name: string) => ({
      inspect: async () => {
        const mountpoint = volumes.get(name);
        if (!mountpoint) throw new Error('no such volume');
        return { Mountpoint: mountpoint };
      },
      remove: async () => volumes.delete(name),
    }),
    createVolume: async ({ Name }: { Name: string }) => {
      if (!volumes.has(Name)) volumes.set(Name, tempDir());
    },
    listVolumes: async () => ({ Volumes: [] }),
  } as unknown as Docker;
}

const spec: SandboxSpec = {
  labels: { instance: 'unit', learner: 'l', lab: 'lab', session: 's' },
  image: 'slipway/sandbox:latest',
  hostname: 'h',
  limits: { memoryBytes: 1, pids: 1, cpus: 1 },
  images: [{ name: 'debian', source: 'slipway/course-debian:latest', tags: ['debian:latest'] }],
};

describe('ImageSeeds', () => {
  it('builds a seed once for starts waiting together; one giving up does not stop it for the others', async () => {
    let builds = 0;
    let finish = () => {};
    const built = new Promise<void>((r) => {
      finish = r;
    });
    const seeds = new ImageSeeds({
      docker: folderEngine(),
      variant: 'userns',
      build: async (): Promise<SeedBuild> => {
        builds++;
        await built;
        const dataDir = tempDir();
        mkdirSync(join(dataDir, 'overlay2'));
        writeFileSync(join(dataDir, 'overlay2', 'layer'), 'image data');
        writeFileSync(join(dataDir, 'engine-id'), 'the builder’s own id');
        return { dataDir, [Symbol.asyncDispose]: async () => {} };
      },
    });
    const leaving = new AbortController();
    const first = seeds.store(spec, leaving.signal);
    const second = seeds.store(spec, new AbortController().signal);
    await new Promise((r) => setTimeout(r, 20));
    leaving.abort(new Error('the learner left'));
    await expect(first).rejects.toThrow('the learner left');
    finish();
    const store = await second;
    expect(builds).toBe(1);
    expect(readFileSync(join(store, 'overlay2', 'layer'), 'utf8')).toBe('image data');
    expect(existsSync(join(store, 'engine-id'))).toBe(false);
    // A later start finds the finished seed without building again.
    expect(await seeds.store(spec, new AbortController().signal)).toBe(store);
    expect(builds).toBe(1);
  });
});
