import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/errors/log.ts';
import type { SandboxSpec } from '../../src/sandbox/provider.ts';
import { waitUntilEngineReady } from '../../src/sandbox/readiness.ts';
import { engine, leftovers, newInstance, sweep, testProvider } from './engine.ts';

const instance = newInstance('seeds');
const warnings: string[] = [];
const logger: Logger = {
  info: () => {},
  warn: (msg, fields) => warnings.push(`${msg} ${JSON.stringify(fields)}`),
  error: () => {},
};
const provider = testProvider(instance, { mirrorContainer: undefined }, logger);
// A tag no other test uses, so this file builds (and removes) a seed of its own.
const tag = `debian:seed-${randomBytes(3).toString('hex')}`;
const images = [{ name: 'debian', source: 'slipway/course-debian:latest', tags: [tag] }];
const spec = (over: Partial<SandboxSpec> = {}): SandboxSpec => ({
  labels: {
    instance,
    learner: 'it-learner',
    lab: 'seeds',
    session: randomBytes(6).toString('hex'),
  },
  image: 'slipway/sandbox:latest',
  hostname: 'seeds',
  limits: { memoryBytes: 768 * 1024 ** 2, pids: 1000, cpus: 1 },
  images,
  ...over,
});

const seedVolumes = async () =>
  ((await engine.listVolumes({ filters: { label: ['slipway.kind=image-seed'] } })).Volumes ?? [])
    .map((v) => v.Name)
    .sort();
const before = await seedVolumes();
const sh = async (id: string, script: string) => {
  const r = await provider.exec(id, { cmd: ['sh', '-c', script] });
  expect(r.stderr).toBe('');
  return r.stdout.trim();
};

afterAll(async () => {
  await sweep(instance);
  for (const v of await seedVolumes()) {
    if (!before.includes(v)) await engine.getVolume(v).remove();
  }
});

describe('image seeds', () => {
  let first: string;
  let second: string;

  it('starts a sandbox with its images already in its engine, building the seed once', async () => {
    const stale = `slipway-seed-it-stale-${randomBytes(3).toString('hex')}`;
    // A seed of an image the engine no longer has (it was rebuilt): removed when seeds are built.
    await engine.createVolume({
      Name: stale,
      Labels: {
        'slipway.app': 'slipway',
        'slipway.kind': 'image-seed',
        'slipway.seed.images': '0000000000000000',
      },
    });
    const a = await provider.create(spec());
    first = a.id;
    expect(a.imagesReady).toBe(true);
    const made = (await seedVolumes()).filter((v) => !before.includes(v));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(/^slipway-seed-[0-9a-f]{24}$/);
    expect(await seedVolumes()).not.toContain(stale);
    // The builder sandbox is gone: only the learner's sandbox, network and volume remain.
    const left = await leftovers(instance);
    expect(left.containers).toEqual([`/${a.id}`]);

    await waitUntilEngineReady(provider, a.id, { timeoutMs: 60_000 });
    expect(await sh(a.id, `docker images --format '{{.Repository}}:{{.Tag}}'`)).toBe(tag);
    expect(await sh(a.id, `docker run --rm --pull=never ${tag} echo inner ok`)).toBe('inner ok');

    const b = await provider.create(spec());
    second = b.id;
    expect(b.imagesReady).toBe(true);
    expect((await seedVolumes()).filter((v) => !before.includes(v))).toEqual(made);
  });

  it('gives each sandbox its own copy: its own engine ID and layers no other sandbox sees', async () => {
    await waitUntilEngineReady(provider, second, { timeoutMs: 60_000 });
    const ids = await Promise.all(
      [first, second].map((id) => sh(id, `docker info --format '{{.ID}}'`)),
    );
    expect(ids[0]).not.toBe('');
    expect(ids[0]).not.toBe(ids[1]);
    // Root in one sandbox writes into an image layer of its own store...
    const layer = await sh(first, 'ls -d /var/lib/docker/overlay2/*/diff/etc | head -n 1');
    await sh(first, `echo tampered > ${layer}/seed-probe`);
    // ...which the other sandbox's engine, started from the same seed, does not have.
    expect(await sh(second, `cat ${layer}/seed-probe 2>/dev/null || echo absent`)).toBe('absent');
    expect(
      await sh(second, `docker run --rm --pull=never ${tag} ls /etc/seed-probe 2>&1 || true`),
    ).toMatch(/No such file/);
  });

  it('falls back to loading after start when a seed cannot be made, and says why', async () => {
    const broken = [
      { name: 'nope', source: 'slipway/course-does-not-exist:latest', tags: ['nope'] },
    ];
    const c = await provider.create(spec({ images: broken }));
    expect(c.imagesReady).toBe(false);
    expect(c.state).toBe('running');
    expect(warnings.join('\n')).toMatch(/image seed not used.*course-does-not-exist/);
  });

  it('is not used when turned off', async () => {
    const off = testProvider(instance, { imageSeeds: false, mirrorContainer: undefined });
    const d = await off.create(spec());
    expect(d.imagesReady).toBe(false);
  });
});
