import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InstructorStore } from '../lab-runner/src/accounts/instructor-store.ts';
import { hashPassword } from '../lab-runner/src/accounts/passwords.ts';
import { openDatabase } from '../lab-runner/src/progress/database.ts';
import { expect, test } from './fixtures.ts';

const PASSWORD = 'teacher-password-1';

test('an instructor runs a class: learners join, a check turns the matrix green live, replay and CSV show the work', async ({
  browser,
  platform,
}) => {
  test.setTimeout(600_000);
  // The first instructor comes from the command line (no default password); the runner is
  // already running, so this writes the same SQLite file it uses.
  const db = openDatabase(join(platform.dataDir, 'slipway.db'));
  new InstructorStore(db).create('teacher', await hashPassword(PASSWORD));
  db.close();

  const teacherCtx = await browser.newContext({ baseURL: platform.url });
  const teacher = await teacherCtx.newPage();
  await teacher.goto('/instructor/');
  await teacher.getByTestId('login-username').fill('teacher');
  await teacher.getByTestId('login-password').fill(PASSWORD);
  await teacher.getByTestId('login-submit').click();
  await teacher.getByTestId('new-class-name').fill('Friday cohort');
  await teacher.getByTestId('new-class-module-docker-fundamentals').check();
  await teacher.getByTestId('new-class-submit').click();
  const code = (await teacher.getByTestId('class-join-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{8}$/);
  await teacher.locator('[data-testid^="class-link-"]').first().click();
  await expect(teacher.getByText(code)).toBeVisible();

  // Two learners, each in their own browser context.
  const learners = [];
  for (const name of ['Ada', 'Bo']) {
    const ctx = await browser.newContext({ baseURL: platform.url });
    const page = await ctx.newPage();
    await page.goto(`/join/?code=${code}`);
    await page.getByTestId('join-name').fill(name);
    await page.getByTestId('join-submit').click();
    await expect(page.getByTestId('join-done')).toContainText(name);
    learners.push({ name, ctx, page });
  }
  await expect(teacher.locator('[data-testid^="row-"]')).toHaveCount(2, { timeout: 20_000 });
  const adaRow = teacher.locator('[data-testid^="row-"]', { hasText: 'Ada' });
  const adaId = (await adaRow.getAttribute('data-testid'))!.slice('row-'.length);
  const cell = teacher.getByTestId(`cell-${adaId}-first-containers-run-web`);
  await expect(cell).toHaveAttribute('data-state', 'untried');

  // Ada completes a task; the instructor's matrix turns green without a reload.
  const ada = learners[0]!.page;
  await ada.goto('/docker-fundamentals/first-containers/');
  await ada.getByTestId('lab-start').click();
  await expect(ada.getByTestId('lab-status')).toHaveAttribute('data-phase', 'ready', {
    timeout: 120_000,
  });
  await ada.getByTestId('lab-terminal').click();
  await ada.keyboard.type('docker run -d --name web -p 8080:80 nginx', { delay: 5 });
  await ada.keyboard.press('Enter');
  await expect(ada.getByTestId('task-run-web')).toHaveAttribute('data-state', 'passed', {
    timeout: 60_000,
  });
  const navigations: string[] = [];
  teacher.on('framenavigated', (f) => navigations.push(f.url()));
  await expect(cell).toHaveAttribute('data-state', 'done', { timeout: 10_000 });
  expect(navigations).toEqual([]);
  await expect(teacher.getByTestId('task-chart')).toBeVisible();

  // The learner page: the replay shows the commands Ada typed.
  const sockets: string[] = [];
  teacher.on('websocket', (ws) => sockets.push(ws.url()));
  await adaRow.getByRole('link').first().click();
  // Which labs have a terminal open comes with the learner's data: no socket opens to ask.
  const adaLab = teacher.locator('[data-shadow-labs] [data-lab="first-containers"]');
  await expect(adaLab).toHaveAttribute('data-live', 'true');
  await expect(adaLab).toContainText('terminal open');
  expect(sockets.filter((u) => u.includes('/shadow'))).toEqual([]);
  await expect(teacher.getByTestId('timeline-command').first()).toContainText(
    'docker run -d --name web -p 8080:80 nginx',
  );
  const replay = teacher.getByTestId('replay');
  await expect(replay).toBeVisible();
  await expect(replay.getByTestId('replay-marker').first()).toBeAttached();
  await replay.getByTestId('replay-speed').selectOption({ index: 4 });
  await replay.getByTestId('replay-play').click();
  await expect(replay.locator('.xterm-rows')).toContainText('--name web -p 8080:80 nginx', {
    timeout: 60_000,
  });

  // The CSV has Ada's completion.
  await teacher.goBack();
  const download = teacher.waitForEvent('download');
  await teacher.getByTestId('export-csv').click();
  const csv = readFileSync((await (await download).path())!, 'utf8');
  const [head, ...lines] = csv.trim().split(/\r?\n/);
  const col = head!.split(',').indexOf('first-containers/run-web');
  const adaLine = lines.find((l) => l.startsWith('Ada,'))!;
  expect(adaLine.split(',')[col]).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(lines.find((l) => l.startsWith('Bo,'))!.split(',')[col]).toBe('');

  for (const l of learners) await l.ctx.close();
  await teacherCtx.close();
});
