import { mkdirSync } from 'node:fs';
import { expectPassed, LAB, LESSON, run, TASKS, task } from './first-containers.ts';
import { expect, test } from './fixtures.ts';

test('a learner solves the fundamentals lab in the browser terminal; progress survives a reload and a runner restart', async ({
  page,
  platform,
}) => {
  await page.goto(LESSON);
  for (const id of TASKS) await expect(task(page, id)).toHaveAttribute('data-state', 'pending');
  await expect(page.locator(`${LAB} [data-testid="lab-progress"]`)).toHaveText('0 of 5 tasks done');

  await page.locator(`${LAB} [data-testid="lab-start"]`).click();
  await expect(page.locator(`${LAB} [data-testid="lab-status"]`)).toHaveAttribute(
    'data-phase',
    'ready',
    { timeout: 120_000 },
  );
  await expect(page.locator(`${LAB} .xterm-rows`)).toContainText('learner@first-containers', {
    timeout: 30_000,
  });

  // A wrong answer first: the port is not published. The check says what is wrong.
  await run(page, 'docker run -d --name web nginx');
  await expect(task(page, 'run-web').locator('[data-testid="task-reason"]')).toHaveText(
    '"web" is running, but its port 80 is not published on port 8080.',
    { timeout: 30_000 },
  );
  await expect(task(page, 'run-web')).toHaveAttribute('data-state', 'failing');

  await run(page, 'docker rm -f web');
  await run(page, 'docker run -d --name web -p 8080:80 nginx');
  await expectPassed(page, 'run-web');

  await run(page, 'docker run -d --name cache -v redis-data:/data redis');
  await expectPassed(page, 'redis-volume');

  await run(page, 'sleep 1; docker exec cache redis-cli SET lesson fundamentals');
  await expectPassed(page, 'write-key');

  await run(page, 'docker stop cache && docker rm cache');
  await run(page, 'docker run -d --name cache -v redis-data:/data redis');
  await expectPassed(page, 'keep-data');

  await run(page, 'docker logs worker');
  await expect(page.locator(`${LAB} .xterm-rows`)).toContainText('waiting for the file /tmp/go');
  await run(page, 'docker exec worker touch /tmp/go');
  await expectPassed(page, 'unblock-worker');

  await expect(page.locator(`${LAB} [data-testid="lab-progress"]`)).toHaveText('5 of 5 tasks done');
  await run(page, 'clear; docker ps --format "table {{.Names}}\\t{{.Image}}\\t{{.Ports}}"');
  await expect(page.locator(`${LAB} .xterm-rows`)).toContainText('0.0.0.0:8080->80/tcp');
  mkdirSync('test-results', { recursive: true });
  await page.locator(LAB).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/lesson-finished.png', fullPage: false });
  await page.locator(LAB).screenshot({ path: 'test-results/lab-finished.png' });

  // Breaking a finished task: it stays done, and the learner reads what is wrong now.
  await run(page, 'docker rm -f web');
  const regression = task(page, 'run-web').locator('[data-testid="task-regression"]');
  await expect(regression).toHaveText('There is no container named "web" yet.', {
    timeout: 30_000,
  });
  await expect(regression).toBeVisible();
  await expect(task(page, 'run-web')).toHaveAttribute('data-state', 'passed');
  await expect(page.locator(`${LAB} [data-testid="lab-progress"]`)).toHaveText('5 of 5 tasks done');
  await run(page, 'docker run -d --name web -p 8080:80 nginx');
  await expect(regression).toBeHidden({ timeout: 30_000 });

  // A reload keeps progress, and the page goes back to the same sandbox by itself.
  await page.reload();
  for (const id of TASKS) await expectPassed(page, id, 30_000);
  await expect(page.locator(`${LAB} [data-testid="lab-status"]`)).toHaveAttribute(
    'data-phase',
    'ready',
    { timeout: 60_000 },
  );
  await run(page, 'docker ps --format "{{.Names}}" | sort | paste -sd, -');
  await expect(page.locator(`${LAB} .xterm-rows`)).toContainText('cache,web');

  // The runner is killed and started again: the page reconnects, nothing is lost.
  await platform.stop('SIGKILL');
  await platform.start();
  await expect(page.locator(`${LAB} [data-testid="lab-status"]`)).toHaveAttribute(
    'data-phase',
    'ready',
    { timeout: 60_000 },
  );
  for (const id of TASKS) await expectPassed(page, id, 30_000);
  await run(page, 'echo after-restart; docker ps --format "{{.Names}}" | sort | paste -sd, -');
  await expect(page.locator(`${LAB} .xterm-rows`)).toContainText('cache,web');

  await page.reload();
  for (const id of TASKS) await expectPassed(page, id, 30_000);
  await expect(page.locator(`${LAB} [data-testid="lab-progress"]`)).toHaveText('5 of 5 tasks done');
});

test('without JavaScript the lesson still reads, and the lab says it needs JavaScript', async ({
  browser,
  platform,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${platform.url}${LESSON}`);
  await expect(page.locator('h1')).toBeVisible();
  for (const id of TASKS) await expect(task(page, id)).toBeVisible();
  // Playwright's text search skips <noscript>; the element itself is what the reader sees.
  const note = page.locator(`${LAB} .lab-noscript`);
  await expect(note).toBeVisible();
  await expect(note).toContainText('The terminal for this lab needs JavaScript');
  await context.close();
});

test('when the lab service does not answer, the pane says so plainly and Retry recovers', async ({
  page,
}) => {
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  await page.goto(LESSON);
  const status = page.locator(`${LAB} [data-testid="lab-status"]`);
  await expect(status).toHaveAttribute('data-phase', 'offline');
  await expect(status).toContainText('not answering');
  for (const id of TASKS) await expect(task(page, id)).toBeVisible();
  await page.unroute('**/api/**');
  await page.locator(`${LAB} [data-testid="lab-retry"]`).click();
  await expect(status).not.toHaveAttribute('data-phase', 'offline');
  await expect(page.locator(`${LAB} [data-testid="lab-start"]`)).toBeVisible();
});
