import { RunnerProcess } from '../lab-runner/test/integration/runner-process.ts';
import { expect, test } from './fixtures.ts';

/**
 * The idle culler as a learner meets it, on a platform of its own with short clocks: a warning
 * with a countdown, "Keep working" that withdraws it, a stop that says why, and Start again.
 */
const LAB = '[data-lab="first-containers"]';
const idle = new RunnerProcess({
  prefix: 'e2e-idle',
  env: {
    SLIPWAY_IDLE_TIMEOUT_MS: '10000',
    SLIPWAY_IDLE_WARNING_MS: '6000',
    SLIPWAY_IDLE_SWEEP_MS: '500',
  },
});
test.beforeAll(() => idle.start());
test.afterAll(() => idle.dispose());

test('an idle sandbox is announced with a countdown, kept on request, stopped with a reason, and started again', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto(`${idle.url}/docker-fundamentals/first-containers/`);
  const lab = page.locator(LAB);
  const status = lab.locator('[data-testid="lab-status"]');
  const banner = lab.locator('[data-testid="lab-idle"]');
  await lab.locator('[data-testid="lab-start"]').click();
  await expect(status).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });

  await expect(banner).toBeVisible({ timeout: 60_000 });
  await expect(banner).toContainText(/Stopping in 0:0\d\./);
  await lab.locator('[data-testid="lab-keep"]').click();
  await expect(banner).toBeHidden();

  // Left alone again: the warning comes back, then the stop, in words.
  await expect(banner).toBeVisible({ timeout: 60_000 });
  await expect(status).toHaveAttribute('data-phase', 'stopped', { timeout: 60_000 });
  await expect(status).toContainText('stopped after 10 seconds without activity');
  await expect(banner).toBeHidden();

  await lab.locator('[data-testid="lab-start"]').click();
  await expect(status).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
  await expect(lab.locator('.xterm-rows')).toContainText('learner@first-containers', {
    timeout: 30_000,
  });
});
