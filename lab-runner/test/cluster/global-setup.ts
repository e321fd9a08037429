import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * The cluster tests' cluster: three Swarm nodes on this machine (scripts/test-cluster.sh),
 * made before the tests and removed after them, whatever happened.
 */
const script = join(import.meta.dirname, '../../../scripts/test-cluster.sh');

export default function setup(project: TestProject) {
  // TEST_CLUSTER=keep: use the cluster that is up (test-cluster.sh up), and leave it up.
  const keep = process.env.TEST_CLUSTER === 'keep';
  const out = execFileSync('bash', [script, keep ? 'env' : 'up'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(
    out
      .split('\n')
      .filter((l) => !/^SLIPWAY_/.test(l))
      .join('\n'),
  );
  const env: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^(SLIPWAY_[A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  project.provide('clusterEnv', env);
  return () => {
    if (!keep) execFileSync('bash', [script, 'down'], { stdio: 'inherit' });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    clusterEnv: Record<string, string>;
  }
}
