import { expect, type Page } from '@playwright/test';

/** The fundamentals lab as its lesson page shows it, and a learner's way of working it. */
export const LESSON = '/docker-fundamentals/first-containers/';
export const LAB = '[data-lab="first-containers"]';
export const TASKS = ['run-web', 'redis-volume', 'write-key', 'keep-data', 'unblock-worker'];

export const task = (page: Page, id: string) => page.locator(`${LAB} [data-testid="task-${id}"]`);

/** Types a command into the xterm.js terminal the way a learner does, then Enter. */
export async function run(page: Page, command: string) {
  await page.locator(`${LAB} [data-testid="lab-terminal"]`).click();
  await page.keyboard.type(command, { delay: 5 });
  await page.keyboard.press('Enter');
}

export async function expectPassed(page: Page, id: string, timeout = 45_000) {
  await expect(task(page, id)).toHaveAttribute('data-state', 'passed', { timeout });
}

/** Start, and wait for the prompt. */
export async function startLab(page: Page) {
  await page.locator(`${LAB} [data-testid="lab-start"]`).click();
  await expect(page.locator(`${LAB} [data-testid="lab-status"]`)).toHaveAttribute(
    'data-phase',
    'ready',
    { timeout: 180_000 },
  );
  await expect(page.locator(`${LAB} .xterm-rows`)).toContainText('learner@first-containers', {
    timeout: 30_000,
  });
}
