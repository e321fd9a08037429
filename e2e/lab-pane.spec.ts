import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expectPassed, LAB, LESSON, run, startLab, task } from './first-containers.ts';
import { expect, test } from './fixtures.ts';

/**
 * The lab pane at a laptop's window: focus mode gives the terminal room (the shell itself says
 * how wide it is) beside the task list, with the lab working as before; and a file typed into
 * the terminal, key by key or by a Run button, arrives whole.
 */
test.use({ viewport: { width: 1400, height: 900 } });

const rows = (page: Page) => page.locator(`${LAB} .xterm-rows`);

let asked = 0;
/** The terminal's size as the shell in the sandbox sees it (`stty size`). */
async function sttySize(page: Page): Promise<{ rows: number; cols: number }> {
  const tag = `size${++asked}`;
  await page.locator(`${LAB} [data-testid="lab-terminal"]`).click();
  await page.keyboard.type(`echo "${tag}=$(stty size)"\n`);
  const answer = new RegExp(`${tag}=(\\d+)\\s(\\d+)`);
  await expect(rows(page)).toContainText(answer);
  const lines = await page.locator(`${LAB} .xterm-rows > div`).allTextContents();
  const m = answer.exec(lines.join('\n').replace(/\u00a0/g, ' '))!;
  return { rows: Number(m[1]), cols: Number(m[2]) };
}

test('focus mode gives the terminal 120 columns beside the tasks, checks go on, and leaving restores the page', async ({
  page,
  platform: _,
}) => {
  await page.goto(LESSON);
  await startLab(page);
  const lab = page.locator(LAB);
  const toggle = lab.locator('[data-testid="lab-focus"]');
  const terminal = lab.locator('[data-testid="lab-terminal"]');
  const header = page.locator('header.header');
  const inPage = await sttySize(page);
  const scrolled = await page.evaluate(() => window.scrollY);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(lab).toHaveAttribute('data-focus', '');
  // The runner was told the new size: the shell sees it.
  await expect.poll(async () => (await sttySize(page)).cols).toBeGreaterThanOrEqual(120);
  // The task list is on screen at the same time, beside the terminal.
  await expect(lab.locator('.lab-tasks-head')).toBeInViewport({ ratio: 1 });
  await expect(task(page, 'run-web')).toBeInViewport();
  const term = (await terminal.boundingBox())!;
  const tasks = (await lab.locator('.lab-tasks').boundingBox())!;
  expect(term.x + term.width).toBeLessThanOrEqual(tasks.x);
  // The rest of the page is out of reach meanwhile.
  await expect(header).toHaveJSProperty('inert', true);

  // A check still turns a task green, and its web preview opens.
  await run(page, 'docker run -d --name web -p 8080:80 nginx');
  await expectPassed(page, 'run-web');
  await expect(task(page, 'run-web')).toBeInViewport();
  await lab.locator('[data-testid="lab-preview-8080"]').click();
  const frame = lab.locator('[data-testid="lab-preview-frame"]');
  await expect(frame.contentFrame().locator('h1')).toHaveText('Welcome to nginx!', {
    timeout: 30_000,
  });
  await expect(frame).toBeInViewport();

  // Escape in the terminal is the shell's; outside it, Escape leaves focus mode.
  await terminal.click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+C'); // and the shell forgets it
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await lab.locator('.lab-tasks-title').click();
  await page.keyboard.press('Escape');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(lab).not.toHaveAttribute('data-focus');
  await expect(toggle).toBeFocused();
  await expect(header).toHaveJSProperty('inert', false);
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  await expect.poll(async () => (await sttySize(page)).cols).toBe(inPage.cols);

  // The same button goes in and out again.
  await toggle.click();
  await expect(lab).toHaveAttribute('data-focus', '');
  await toggle.click();
  await expect(lab).not.toHaveAttribute('data-focus');
});

const FILE = Array.from({ length: 23 }, (_, i) =>
  i === 0
    ? 'from flask import Flask, jsonify'
    : `def handler_${String(i).padStart(2, '0')}(x): return {"n": x * ${i}, "ok": True}`,
);
const md5 = createHash('md5')
  .update(`${FILE.join('\n')}\n`)
  .digest('hex');
const heredoc = (name: string) => [`cat > ${name} <<'EOF'`, ...FILE, 'EOF'];
const summary = (name: string) =>
  `echo "${name}: $(md5sum < ${name} | cut -c1-32) $(wc -l < ${name}) lines"`;

test('a 25-line here-document typed into the terminal, or by a Run button, lands whole', async ({
  page,
  platform: _,
}) => {
  // A Run button typing the same file, as a lesson's ```sh run block would: added while the
  // page loads, so the lab's script finds it.
  await page.addInitScript((lines: string[]) => {
    const add = new MutationObserver(() => {
      const tasks = document.querySelector('[data-lab] .lab-tasks');
      if (!tasks) return;
      add.disconnect();
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.testid = 'heredoc-run';
      button.dataset.run = JSON.stringify(lines);
      button.innerHTML = '<span data-run-text>Run</span>';
      tasks.before(button);
    });
    add.observe(document, { childList: true, subtree: true });
  }, heredoc('run.py'));
  await page.goto(LESSON);
  await startLab(page);

  await page.locator(`${LAB} [data-testid="lab-terminal"]`).click();
  // No delay between keys: as fast as the browser takes them.
  await page.keyboard.type(`${heredoc('typed.py').join('\n')}\n`);
  await page.keyboard.type(`clear; ${summary('typed.py')}\n`);
  await expect(rows(page)).toContainText(`typed.py: ${md5} 23 lines`);

  const button = page.locator('[data-testid="heredoc-run"]');
  await button.click();
  await expect(button).not.toHaveAttribute('aria-busy');
  await page.locator(`${LAB} [data-testid="lab-terminal"]`).click();
  await page.keyboard.type(`clear; ${summary('run.py')}\n`);
  await expect(rows(page)).toContainText(`run.py: ${md5} 23 lines`);
});
