import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/**
 * A web page served from a learner's own sandbox (as a poisoned image could serve it) runs in
 * the preview pane with no authority over Slipway: it cannot call the API, open the learner's
 * terminal, or read Slipway's cookies; and the preview still renders.
 */
const LESSON = '/docker-fundamentals/first-containers/';
const LAB = '[data-lab="first-containers"]';

async function run(page: Page, command: string) {
  await page.locator(`${LAB} [data-testid="lab-terminal"]`).click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** The hostile page: tries everything a same-origin page could do, and shows what happened. */
function attackPage(siteUrl: string): string {
  const siteWs = siteUrl.replace(/^http/, 'ws');
  return `<!doctype html><meta charset="utf-8"><title>Served from the sandbox</title>
<h1>Hello from the sandbox</h1><pre id="out">running</pre>
<script>
const results = {};
const socket = (url) => new Promise((done) => {
  let ws;
  try { ws = new WebSocket(url); } catch (e) { return done('refused'); }
  ws.onopen = () => { ws.send(JSON.stringify({ v: 1, type: 'input', data: 'touch /tmp/pwned\\r' })); done('opened'); };
  ws.onerror = () => done('error');
  ws.onclose = (e) => done('closed ' + e.code);
});
(async () => {
  try { results.api = (await fetch('/api/progress', { credentials: 'include' })).status; } catch (e) { results.api = 'error'; }
  try { results.siteApi = (await fetch('${siteUrl}/api/progress', { credentials: 'include' })).status; } catch (e) { results.siteApi = 'blocked'; }
  results.cookie = document.cookie;
  results.terminal = await socket(location.origin.replace(/^http/, 'ws') + '/api/labs/first-containers/terminal?cols=80&rows=24');
  results.siteTerminal = await socket('${siteWs}/api/labs/first-containers/terminal?cols=80&rows=24');
  document.getElementById('out').textContent = 'RESULTS ' + JSON.stringify(results);
})();
</script>`;
}

test('a page served from the sandbox cannot call the API, open the terminal or read cookies; the preview still renders', async ({
  page,
  platform,
}) => {
  await page.goto(LESSON);
  const lab = page.locator(LAB);
  await lab.locator('[data-testid="lab-start"]').click();
  await expect(lab.locator('[data-testid="lab-status"]')).toHaveAttribute('data-phase', 'ready', {
    timeout: 120_000,
  });
  await expect(lab.locator('.xterm-rows')).toContainText('learner@first-containers', {
    timeout: 30_000,
  });

  const html = Buffer.from(attackPage(platform.url)).toString('base64');
  await run(page, `mkdir -p /tmp/site && echo ${html} | base64 -d > /tmp/site/index.html`);
  await run(
    page,
    'docker run -d --name web -p 8080:80 -v /tmp/site:/var/www/html:ro nginx && echo web-$((40+2))',
  );
  await expect(lab.locator('.xterm-rows')).toContainText('web-42', { timeout: 30_000 });

  await lab.locator('[data-testid="lab-preview-8080"]').click();
  const frame = lab.locator('[data-testid="lab-preview-frame"]').contentFrame();
  await expect(frame.locator('h1')).toHaveText('Hello from the sandbox', { timeout: 30_000 });
  const out = frame.locator('#out');
  await expect(out).toContainText('RESULTS', { timeout: 30_000 });
  const results = JSON.parse(((await out.textContent()) ?? '').replace(/^RESULTS /, ''));
  expect(results).toEqual({
    // The preview origin has no API: nothing of Slipway answers there.
    api: 404,
    // The site's API does not answer another origin's scripts (no CORS).
    siteApi: 'blocked',
    // Slipway's cookies are HttpOnly, and the preview origin holds none the page may read.
    cookie: '',
    terminal: 'error',
    siteTerminal: 'error',
  });
  // The preview is served from its own origin, not the site's.
  const previewFrame = page
    .frames()
    .find((f) => f.url().includes('/preview/first-containers/8080/'));
  expect(new URL(previewFrame!.url()).origin).toBe(platform.previewUrl);

  // Nothing reached the learner's shell.
  await run(page, 'test -e /tmp/pwned && echo "pwned-$((1+1))" || echo "clean-$((1+1))"');
  await expect(lab.locator('.xterm-rows')).toContainText('clean-2');
  await expect(lab.locator('.xterm-rows')).not.toContainText('pwned-2');
});
