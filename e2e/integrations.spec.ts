import { join } from 'node:path';
import { InstructorStore } from '../lab-runner/src/accounts/instructor-store.ts';
import { hashPassword } from '../lab-runner/src/accounts/passwords.ts';
import { openDatabase } from '../lab-runner/src/progress/database.ts';
import { startReceiver } from '../lab-runner/src/webhooks/test-receiver.ts';
import { expect, test } from './fixtures.ts';

const PASSWORD = 'teacher-password-1';

// The webhook receiver is on this host, which instructors' webhooks may not reach by default.
test.use({ runnerEnv: { SLIPWAY_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' } });

test('an instructor makes an API token and a webhook in the dashboard, sees deliveries, and revokes both', async ({
  browser,
  platform,
}) => {
  test.setTimeout(180_000);
  const db = openDatabase(join(platform.dataDir, 'slipway.db'));
  new InstructorStore(db).create('integrator', await hashPassword(PASSWORD));
  db.close();
  const receiver = await startReceiver();
  try {
    const ctx = await browser.newContext({ baseURL: platform.url });
    const page = await ctx.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto('/instructor/');
    await page.getByTestId('login-username').fill('integrator');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('new-class-name').fill('Integrations');
    await page.getByTestId('new-class-module-docker-fundamentals').check();
    await page.getByTestId('new-class-submit').click();
    const code = (await page.getByTestId('class-join-code').textContent())!.trim();

    // A token: shown once, with a request to try; it reads the class.
    await page.getByTestId('token-create').click();
    await expect(page.getByTestId('token-error')).toContainText('Name the token');
    await page.getByTestId('token-label').fill('grades sync');
    await page.getByTestId('token-create').click();
    const token = (await page.getByTestId('token-value').textContent())!.trim();
    expect(token).toMatch(/^slw_/);
    await expect(page.getByTestId('token-created')).toContainText(`Bearer ${token}`);
    const listed = page.getByTestId('token-list').locator('li');
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText('grades sync');
    await expect(listed).toContainText('never used');
    await expect(listed).not.toContainText(token);
    const auth = { authorization: `Bearer ${token}` };
    const classes = await ctx.request.get('/api/v1/classes', { headers: auth });
    expect(classes.status()).toBe(200);
    expect((await classes.json()).classes[0]).toMatchObject({ name: 'Integrations' });

    // A webhook on the class: its secret once, then a delivery in the log.
    await expect(page.getByTestId('webhook-class')).toHaveValue(/.+/);
    await page.getByTestId('webhook-url').fill(receiver.url);
    await page.getByTestId('webhook-add').click();
    await expect(page.getByTestId('webhook-secret')).toHaveText(/^whsec_/);
    const hooks = page.getByTestId('webhook-list').locator('[data-webhook]');
    await expect(hooks).toHaveCount(1);
    await expect(hooks).toContainText('Active');

    const learner = await browser.newContext({ baseURL: platform.url });
    const origin = { origin: platform.url };
    await learner.request.post('/api/learner', { headers: origin });
    await learner.request.post('/api/join', {
      headers: origin,
      data: { code, displayName: 'Ada' },
    });
    const answered = await learner.request.post('/api/questions/exit-137-memory/answer', {
      headers: origin,
      data: { text: 'oomkilled' },
    });
    expect(answered.status()).toBe(200);
    await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByTestId('webhook-log')).toContainText('Delivered');
    await expect(page.getByTestId('webhook-log')).toContainText('question.answered');

    // Removed and revoked: the list is empty and the token is refused at once.
    await hooks.getByRole('button', { name: 'Remove' }).click();
    await expect(hooks).toHaveCount(0);
    await listed.getByRole('button', { name: 'Revoke' }).click();
    await expect(listed).toHaveCount(0);
    const refused = await ctx.request.get('/api/v1/classes', { headers: auth });
    expect(refused.status()).toBe(401);
    await learner.close();
    await ctx.close();
  } finally {
    await receiver.close();
  }
});
