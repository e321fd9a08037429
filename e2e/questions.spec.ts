import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InstructorStore } from '../lab-runner/src/accounts/instructor-store.ts';
import { hashPassword } from '../lab-runner/src/accounts/passwords.ts';
import { openDatabase } from '../lab-runner/src/progress/database.ts';
import { expect, test } from './fixtures.ts';

const PASSWORD = 'teacher-password-1';
const LESSON = '/docker-fundamentals/images-and-containers/';
const QUESTION = 'localhost-in-a-container';

test('a learner answers a question wrong, then right, and the instructor sees it in the class view and the CSV', async ({
  browser,
  platform,
}) => {
  test.setTimeout(300_000);
  const db = openDatabase(join(platform.dataDir, 'slipway.db'));
  new InstructorStore(db).create('quizmaster', await hashPassword(PASSWORD));
  db.close();

  const teacherCtx = await browser.newContext({ baseURL: platform.url });
  const teacher = await teacherCtx.newPage();
  await teacher.goto('/instructor/');
  await teacher.getByTestId('login-username').fill('quizmaster');
  await teacher.getByTestId('login-password').fill(PASSWORD);
  await teacher.getByTestId('login-submit').click();
  await teacher.getByTestId('new-class-name').fill('Question time');
  await teacher.getByTestId('new-class-module-docker-fundamentals').check();
  await teacher.getByTestId('new-class-submit').click();
  const code = (await teacher.getByTestId('class-join-code').textContent())!.trim();
  await teacher.locator('[data-testid^="class-link-"]').first().click();
  await expect(teacher.getByText(code)).toBeVisible();

  const learnerCtx = await browser.newContext({ baseURL: platform.url });
  const ada = await learnerCtx.newPage();
  await ada.goto(`/join/?code=${code}`);
  await ada.getByTestId('join-name').fill('Ada');
  await ada.getByTestId('join-submit').click();
  await expect(ada.getByTestId('join-done')).toContainText('Ada');
  const adaRow = teacher.locator('[data-testid^="row-"]', { hasText: 'Ada' });
  await expect(adaRow).toBeVisible({ timeout: 20_000 });
  const adaId = (await adaRow.getAttribute('data-testid'))!.slice('row-'.length);
  await expect(teacher.getByTestId(`questions-${adaId}`)).toHaveText(/^0 of \d+$/);
  const navigations: string[] = [];
  teacher.on('framenavigated', (f) => navigations.push(f.url()));

  // Wrong first: the explanation of the picked option, and which one was right.
  await ada.goto(LESSON);
  const question = ada.getByTestId(`question-${QUESTION}`);
  await expect(question.getByRole('group')).toContainText('Check your understanding');
  await question.getByLabel(/needs `?-p 6379:6379/).check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question).toHaveAttribute('data-state', 'wrong');
  await expect(question.getByRole('status')).toContainText('Not quite.');
  const picked = question.locator('[data-option="1"]');
  await expect(picked).toHaveAttribute('data-result', 'wrong');
  await expect(picked).toContainText('Publishing a port is for reaching a container from outside');
  await expect(question.locator('[data-option="0"]')).toContainText('the right answer');
  await expect(question.getByText('Answered correctly')).toBeHidden();

  // Then right: done, like a completed task.
  await question.getByLabel(/web container itself/).check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question).toHaveAttribute('data-state', 'right');
  await expect(question.getByRole('status')).toContainText('Right.');
  await expect(question.locator('[data-option="0"]')).toContainText(
    'Each container has its own network stack',
  );
  await expect(question.getByText('Answered correctly')).toBeVisible();

  // Back on the page later: the earlier answer and its explanation are there again.
  await ada.reload();
  await expect(question).toHaveAttribute('data-state', 'right');
  await expect(question.getByLabel(/web container itself/)).toBeChecked();
  await expect(question.getByRole('status')).toContainText('You answered this before');

  // A typed answer on another lesson: case does not matter.
  await ada.goto('/docker-fundamentals/troubleshooting/');
  const short = ada.getByTestId('question-exit-137-memory');
  await short.getByLabel('Your answer').fill('  oomkilled ');
  await short.getByRole('button', { name: 'Check answer' }).click();
  await expect(short).toHaveAttribute('data-state', 'right');

  // The class view, live (no reload): Ada has 2 of the module's questions right; per question,
  // who got it right.
  await expect(teacher.getByTestId(`questions-${adaId}`)).toHaveText(/^2 of \d+$/, {
    timeout: 5_000,
  });
  await expect(teacher.getByTestId(`question-count-${QUESTION}`)).toHaveText('1 of 1 right');
  await expect(teacher.getByTestId('question-count-rm-keeps-named-volumes')).toHaveText(
    '0 of 1 right',
  );
  expect(navigations).toEqual([]);

  // The learner page lists her answers, the wrong one first.
  await adaRow.getByRole('link').first().click();
  const answers = teacher.getByTestId(`learner-question-${QUESTION}`);
  await expect(answers).toHaveAttribute('data-state', 'done');
  await expect(answers.locator('li').nth(0)).toContainText('✗ wrong');
  await expect(answers.locator('li').nth(1)).toContainText('✓ right');
  await expect(teacher.getByTestId('learner-questions-summary')).toHaveText(
    /^2 of \d+ questions answered correctly\.$/,
  );

  // The CSV: a count and a column per question.
  await teacher.goBack();
  const download = teacher.waitForEvent('download');
  await teacher.getByTestId('export-csv').click();
  const csv = readFileSync((await (await download).path())!, 'utf8');
  const [head, ...lines] = csv.trim().split(/\r?\n/);
  const cols = head!.split(',');
  const adaLine = lines.find((l) => l.startsWith('Ada,'))!.split(',');
  expect(adaLine[cols.indexOf('questions_correct')]).toBe('2');
  expect(adaLine[cols.indexOf(`question:${QUESTION}`)]).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(adaLine[cols.indexOf('question:rm-keeps-named-volumes')]).toBe('');

  await learnerCtx.close();
  await teacherCtx.close();
});

test('without the lab service a question can still be read, and answering says so plainly', async ({
  page,
}) => {
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  await page.goto(LESSON);
  const question = page.getByTestId(`question-${QUESTION}`);
  await expect(question).toContainText('every connection is refused');
  await question.getByLabel(/web container itself/).check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question.getByRole('status')).toContainText(
    'Your answer could not be checked: the lab service does not answer.',
  );
  // Nothing was graded in the browser.
  await expect(question).toHaveAttribute('data-state', 'problem');
});
