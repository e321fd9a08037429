import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { RunnerProcess } from '../../lab-runner/test/integration/runner-process.ts';
import { expectPassed, LESSON, run, startLab, TASKS } from '../first-containers.ts';

/**
 * One lab solved in Chromium against a sandbox on a worker node of the test cluster
 * (scripts/test-cluster.sh up; `make test` runs this inside its cluster layer).
 */
const root = join(import.meta.dirname, '../..');
const cluster = (args: string[]) =>
  execFileSync('bash', [join(root, 'scripts/test-cluster.sh'), ...args], { encoding: 'utf8' });
const manager = (args: string[]) =>
  execFileSync('docker', ['-H', 'unix:///run/slwc/n1.sock', ...args], { encoding: 'utf8' }).trim();

test('a learner solves the fundamentals lab in the browser, on a worker node', async ({ page }) => {
  test.setTimeout(600_000);
  const env: Record<string, string> = {};
  for (const line of cluster(['env']).split('\n')) {
    const m = /^(SLIPWAY_[A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  // Only the workers take sandboxes here: the manager is cordoned for the test.
  const managerId = manager(['info', '--format', '{{.Swarm.NodeID}}']);
  manager(['node', 'update', '--availability', 'pause', managerId]);
  const runner = new RunnerProcess({ prefix: 'e2e-cluster', env });
  try {
    await runner.start();
    await page.goto(`${runner.url}${LESSON}`);
    await startLab(page);
    const services = manager([
      'service',
      'ls',
      '-q',
      '--filter',
      `label=slipway.instance=${runner.instance}`,
    ]);
    const node = manager(['service', 'ps', '--format', '{{.Node}} {{.CurrentState}}', services]);
    const nodeIds = manager(['service', 'ps', '-q', services]);
    const where = manager(['inspect', '--format', '{{.NodeID}}', nodeIds.split('\n')[0]!]);
    expect(where).not.toBe(managerId);
    expect(node).toMatch(/Running/);

    await run(page, 'docker run -d --name web -p 8080:80 nginx');
    await expectPassed(page, 'run-web', 90_000);
    await run(page, 'docker run -d --name cache -v redis-data:/data redis');
    await expectPassed(page, 'redis-volume', 90_000);
    await run(page, 'sleep 1; docker exec cache redis-cli SET lesson fundamentals');
    await expectPassed(page, 'write-key', 90_000);
    await run(page, 'docker stop cache && docker rm cache');
    await run(page, 'docker run -d --name cache -v redis-data:/data redis');
    await expectPassed(page, 'keep-data', 90_000);
    await run(page, 'docker exec worker touch /tmp/go');
    await expectPassed(page, 'unblock-worker', 90_000);
    for (const id of TASKS) await expectPassed(page, id);
    await page.screenshot({ path: 'test-results/cluster-lab-finished.png' });
  } finally {
    manager(['node', 'update', '--availability', 'active', managerId]);
    await runner.dispose();
  }
});
