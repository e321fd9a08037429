import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterEnv } from './cluster.ts';

/** `npm run labs:test` runs against the Swarm provider as against one host. */
const root = join(import.meta.dirname, '../../..');

describe('labs:test on the cluster', () => {
  it('solves first-containers in a fresh sandbox on the swarm', () => {
    const r = spawnSync(
      process.execPath,
      ['lab-runner/src/tools/labs-test.ts', 'first-containers'],
      {
        cwd: root,
        env: { ...process.env, ...clusterEnv() },
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.status, out).toBe(0);
    expect(out).toMatch(/first-containers\s+ok/);
  });
});
