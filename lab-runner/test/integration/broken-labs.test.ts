import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/errors/log.ts';
import { type RunningPlatform, startPlatform } from '../../src/main.ts';
import { engineSocket, newInstance, sweep } from './engine.ts';

const root = join(import.meta.dirname, '../../..');
const instance = newInstance('broken');
const dir = mkdtempSync(join(tmpdir(), 'slipway-broken-'));
let platform: RunningPlatform;
let stderr = '';

beforeAll(async () => {
  // One good lab, one with a wrong field type, one with a missing check file.
  cpSync(join(root, 'labs/first-containers'), join(dir, 'labs/first-containers'), {
    recursive: true,
  });
  cpSync(join(root, 'labs/first-containers'), join(dir, 'labs/bad-type'), { recursive: true });
  cpSync(join(root, 'labs/first-containers'), join(dir, 'labs/no-check'), { recursive: true });
  writeFileSync(
    join(dir, 'labs/bad-type/lab.yaml'),
    'title: Broken\ntasks:\n  - id: one\n    title: 42\n    description: d\n    hint: 7\n    check: checks/run-web.sh\n',
  );
  rmSync(join(dir, 'labs/no-check/checks/write-key.sh'));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    platform = await startPlatform(
      loadConfig(
        {
          SLIPWAY_PORT: '0',
          SLIPWAY_PREVIEW_PORT: '0',
          SLIPWAY_WARM_POOL: '0',
          SLIPWAY_DATA_DIR: join(dir, 'data'),
          SLIPWAY_INSTANCE: instance,
          SLIPWAY_LABS_DIR: join(dir, 'labs'),
          SLIPWAY_DOCKER_SOCKET: engineSocket,
        },
        root,
      ),
      silentLogger,
    );
  } finally {
    write.mockRestore();
  }
});
afterAll(async () => {
  await platform?.close();
  await sweep(instance);
  rmSync(dir, { recursive: true, force: true });
});

describe('a runner started with broken lab manifests', () => {
  it('says at start which file and field are wrong and what was expected', () => {
    expect(stderr).toContain('lab "bad-type" was not loaded:');
    expect(stderr).toMatch(
      /labs\/bad-type\/lab\.yaml: tasks\[0\]\.title: expected a string, got a whole number/,
    );
    expect(stderr).toMatch(
      /labs\/bad-type\/lab\.yaml: tasks\[0\]\.hint: expected a string, got a whole number/,
    );
    expect(stderr).toMatch(
      /labs\/no-check\/lab\.yaml: tasks\[2\]\.check: file "checks\/write-key\.sh" does not exist/,
    );
  });

  it('still serves the good lab, and refuses the broken ones with a reason', async () => {
    const good = await fetch(`${platform.url}/api/labs/first-containers`);
    expect(good.status).toBe(200);
    const bad = await fetch(`${platform.url}/api/labs/bad-type`);
    expect(bad.status).toBe(503);
    expect((await bad.json()).error).toMatchObject({
      code: 'LAB_UNAVAILABLE',
      message: 'The lab "bad-type" cannot start because its definition has an error.',
    });
    const health = await (await fetch(`${platform.url}/api/health`)).json();
    expect(health.brokenLabs.map((b: { id: string }) => b.id)).toEqual(['bad-type', 'no-check']);
  });
});
