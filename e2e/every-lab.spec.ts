import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { courseLabs } from './course.ts';
import { expect, test } from './fixtures.ts';

/**
 * Every lab of the course, solved through the browser terminal the way a learner types:
 * the lesson page, Start, one check before any work (its reason must say what is missing),
 * then each task's solution typed line by line until the task turns green.
 */
const labs = courseLabs().filter((l) => l.id !== 'first-containers'); // has its own, finer spec

/**
 * The last non-empty row ends in a bare prompt: the shell's `learner@host:dir# `, or bash's `> `
 * while a here-document or quote is open. Only a bare prompt counts: program output can end in
 * `#` too (BuildKit prints ` => => #` for an empty log line).
 */
async function atPrompt(page: Page, lab: string): Promise<boolean> {
  const rows = (await page.locator(`[data-lab="${lab}"] .xterm-rows > div`).allInnerTexts())
    .map((r) => r.replace(/\u00a0/g, ' ').trimEnd())
    .filter(Boolean);
  const last = rows.at(-1) ?? '';
  // Not anchored at the start: output without a final newline shares the prompt's row, and
  // then the prompt may wrap onto the next row (so the last two rows are read as one).
  const prompt = /learner@[\w.-]+:[^\s#]*#$/;
  return prompt.test(last) || prompt.test(`${rows.at(-2) ?? ''}${last}`) || last === '>';
}

const screen = (page: Page, lab: string) =>
  page
    .locator(`[data-lab="${lab}"] .xterm-rows > div`)
    .allInnerTexts()
    .then((rows) => rows.join('\n'));

/**
 * Types each line once the shell is back at its prompt, as a learner would: typed-ahead text
 * could otherwise be read by a command that reads stdin (e.g. `docker compose exec`).
 */
async function typeLines(page: Page, lab: string, text: string) {
  await page.locator(`[data-lab="${lab}"] [data-testid="lab-terminal"]`).click();
  for (const line of text.replace(/\n$/, '').split('\n')) {
    await expect.poll(() => atPrompt(page, lab), { timeout: 180_000 }).toBe(true);
    const before = await screen(page, lab);
    // keyboard.type, not insertText: xterm.js only sees key events.
    if (line !== '') await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    // Until the shell has echoed this line (or, for an empty one, moved on), the prompt on
    // screen is the old one: the next line waits for a change.
    await expect.poll(() => screen(page, lab), { timeout: 30_000 }).not.toBe(before);
  }
}

/**
 * Waits for a task to turn green. When it does not, the error (and a file that `make test`
 * prints last, so it survives a log cut to its tail) says what the learner would have seen:
 * the task's state, its reason and the last rows of the terminal.
 */
async function expectPassed(page: Page, lab: string, task: string) {
  const row = page.locator(`[data-lab="${lab}"] [data-testid="task-${task}"]`);
  try {
    await expect(row).toHaveAttribute('data-state', 'passed', { timeout: 180_000 });
  } catch (err) {
    const state = await row.getAttribute('data-state');
    const reason = (await row.locator('[data-testid="task-reason"]').textContent())?.trim();
    const rows = (await page.locator(`[data-lab="${lab}"] .xterm-rows > div`).allInnerTexts())
      .map((r) => r.replace(/\u00a0/g, ' ').trimEnd())
      .filter(Boolean)
      .slice(-12);
    const text = `${lab}/${task} is ${state}: ${reason ?? '(no reason)'}\nterminal:\n  ${rows.join('\n  ')}\n`;
    mkdirSync('test-results/diagnosis', { recursive: true });
    writeFileSync(`test-results/diagnosis/${lab}.txt`, text);
    throw new Error(`${text}${(err as Error).message}`);
  }
}

for (const lab of labs) {
  test(`solve ${lab.id} in the browser`, async ({ page, platform }) => {
    test.setTimeout(600_000);
    const root = page.locator(`[data-lab="${lab.id}"]`);
    await page.goto(lab.lesson);
    await root.locator('[data-testid="lab-start"]').click();
    await expect(root.locator('[data-testid="lab-status"]')).toHaveAttribute(
      'data-phase',
      'ready',
      { timeout: 180_000 },
    );
    await expect(root.locator('.xterm-rows')).toContainText('learner@', { timeout: 30_000 });

    // Nothing done yet: checking says, in words, what is missing for the first task.
    const first = root.locator(`[data-testid="task-${lab.tasks[0]!.id}"]`);
    await root.locator('[data-testid="lab-check"]').click();
    await expect(first).toHaveAttribute('data-state', 'failing', { timeout: 60_000 });
    const reason = (await first.locator('[data-testid="task-reason"]').textContent())?.trim() ?? '';
    expect(reason.length).toBeGreaterThan(10);
    expect(reason).not.toBe('This task is not done yet.');

    for (const task of lab.tasks) {
      await typeLines(page, lab.id, task.solution);
      await expectPassed(page, lab.id, task.id);
    }
    await expect(root.locator('[data-testid="lab-progress"]')).toHaveText(
      `${lab.tasks.length} of ${lab.tasks.length} tasks done`,
    );

    for (const preview of lab.previews) {
      await root.locator(`[data-testid="lab-preview-${preview.port}"]`).click();
      const frame = root.locator('[data-testid="lab-preview-frame"]');
      await expect(frame).toBeVisible();
      const body = frame.contentFrame().locator('body');
      await expect(body).not.toContainText('Nothing answers', { timeout: 30_000 });
      await expect(body).not.toContainText('has to be opened from its lab');
      await expect(body).not.toBeEmpty();
      // Served from the preview origin, never the site's own.
      await expect
        .poll(() =>
          page
            .frames()
            .some((f) =>
              f.url().startsWith(`${platform.previewUrl}/preview/${lab.id}/${preview.port}/`),
            ),
        )
        .toBe(true);
    }
    await page.screenshot({ path: `test-results/lab-${lab.id}.png` });
    // Free the sandbox for the next lab; progress stays.
    expect((await page.request.post(`/api/labs/${lab.id}/reset`)).ok()).toBe(true);
  });
}
