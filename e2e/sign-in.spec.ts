import type { Browser, BrowserContext, Page } from '@playwright/test';
import { CLIENT_ID, CLIENT_SECRET, TestIdp } from '../lab-runner/test/integration/oidc-idp.ts';
import { test as base, expect } from './fixtures.ts';

/**
 * Single sign-on in a real browser: the real runner, set up to sign people in through a real
 * OpenID Connect provider (oidc-provider, on 127.0.0.1, with its development login and consent
 * pages), and Chromium clicking through the site's "Sign in with …" buttons and the provider's
 * pages. Instructors get the dashboard; a learner keeps what they did before signing in and
 * finds it in another browser; someone in no instructor group is told why not.
 */
const PROVIDER = 'Test IdP';
const LESSON = '/docker-fundamentals/images-and-containers/';
const QUESTION = 'localhost-in-a-container';

const test = base.extend<Record<never, never>, { idpServer: TestIdp; idp: TestIdp }>({
  // The provider's address first: the runner is started with it.
  idpServer: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their deps as a pattern
    async ({}, use) => {
      const idp = new TestIdp({
        ivan: { name: 'Ivan Instructor', preferred_username: 'ivan', groups: ['staff'] },
        lena: { name: 'Lena Learner', preferred_username: 'lena', groups: ['students'] },
        noor: { name: 'Noor Nobody', preferred_username: 'noor', groups: ['library'] },
        mia: { name: 'Mia Member', preferred_username: 'mia', groups: ['students'] },
      });
      await idp.listen();
      try {
        await use(idp);
      } finally {
        await idp.close();
      }
    },
    { scope: 'worker' },
  ],
  runnerEnv: [
    async ({ idpServer }, use) =>
      use({
        SLIPWAY_OIDC_ISSUER: idpServer.issuer,
        SLIPWAY_OIDC_NAME: PROVIDER,
        SLIPWAY_OIDC_CLIENT_ID: CLIENT_ID,
        SLIPWAY_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        SLIPWAY_OIDC_SCOPES: 'openid profile groups',
        SLIPWAY_OIDC_INSTRUCTOR_GROUPS: 'staff',
        SLIPWAY_OIDC_LEARNERS: 'optional',
      }),
    { scope: 'worker' },
  ],
  // Then the provider itself, which registers the runner's redirect URI (known once it listens).
  idp: [
    async ({ idpServer, runner }, use) => {
      await idpServer.start(`${runner.url}/auth/oidc/callback`);
      await use(idpServer);
    },
    { scope: 'worker' },
  ],
  // The provider's pages import a web font from the internet: no name but 127.0.0.1 resolves.
  launchOptions: [
    async ({ launchOptions }, use) =>
      use({
        ...launchOptions,
        args: [
          ...(launchOptions.args ?? []),
          '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
        ],
      }),
    { scope: 'worker' },
  ],
});

interface Person {
  ctx: BrowserContext;
  page: Page;
  /** Requests to the runner's sign-in route: one per click, none from prefetching the link. */
  signInStarts: () => number;
}

/** A browser of one person's own (cookies, the provider's session); only 127.0.0.1 is reached. */
async function person(browser: Browser, baseURL: string): Promise<Person> {
  const ctx = await browser.newContext({ baseURL });
  await ctx.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort('blockedbyclient'),
  );
  let starts = 0;
  ctx.on('request', (r) => {
    if (new URL(r.url()).pathname === '/auth/oidc/login') starts++;
  });
  return { ctx, page: await ctx.newPage(), signInStarts: () => starts };
}

/** The provider's development pages: its login form (as `account`), then its consent page. */
async function signInAtProvider(page: Page, idp: TestIdp, account: string): Promise<void> {
  await expect(page).toHaveURL((u) => u.origin === idp.issuer);
  await expect(page.locator('h1')).toHaveText('Sign-in');
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill('any password will do');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await expect(page.locator('h1')).toHaveText('Authorize');
  await expect(page.getByText('groups', { exact: true }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
}

const cookie = async (ctx: BrowserContext, name: string) =>
  (await ctx.cookies()).find((c) => c.name === name)?.value;

/** The questions the runner holds answers to for this browser's learner, and whether each is done. */
const answered = (page: Page) =>
  page.evaluate(async () => {
    const res = await fetch('/api/questions', { headers: { accept: 'application/json' } });
    const body = (await res.json()) as { questions: Record<string, { done: boolean }> };
    return Object.fromEntries(Object.entries(body.questions).map(([id, q]) => [id, q.done]));
  });

test('an instructor signs in with the provider, lands on the dashboard and makes a class', async ({
  browser,
  platform,
  idp,
}) => {
  const { ctx, page, signInStarts } = await person(browser, platform.url);
  await page.goto('/instructor/');
  const button = page.getByTestId('login-sso');
  await expect(button).toHaveText(`Sign in with ${PROVIDER}`);
  await expect(page.getByTestId('whoami')).toBeHidden();
  await button.click();
  await signInAtProvider(page, idp, 'ivan');

  // Back on the dashboard, under the account made from the provider's preferred_username.
  await expect(page).toHaveURL(`${platform.url}/instructor/`);
  await expect(page.getByTestId('whoami')).toHaveText('ivan');
  await expect(page.getByTestId('login-sso')).toBeHidden();
  expect(signInStarts()).toBe(1);
  expect(await cookie(ctx, 'slipway_instructor')).toBeTruthy();
  // The pending sign-in's cookie is spent.
  expect(await cookie(ctx, 'slipway_oidc')).toBeUndefined();

  await page.getByTestId('new-class-name').fill('Signed-in Friday');
  await page.getByTestId('new-class-module-docker-fundamentals').check();
  await page.getByTestId('new-class-submit').click();
  await expect(page.getByTestId('class-join-code')).toHaveText(/^[A-Z2-9]{8}$/);
  await expect(page.getByTestId('class-list')).toContainText('Signed-in Friday');

  // A session like a password login's: it lasts over a reload.
  await page.reload();
  await expect(page.getByTestId('whoami')).toHaveText('ivan');
  await expect(page.getByTestId('class-list')).toContainText('Signed-in Friday');
  await ctx.close();
});

test('a learner signs in after answering a question, keeps the answer, and finds it in another browser', async ({
  browser,
  platform,
  idp,
}) => {
  // Anonymous first: a right answer, kept under this browser's learner cookie.
  const a = await person(browser, platform.url);
  await a.page.goto(LESSON);
  const question = a.page.getByTestId(`question-${QUESTION}`);
  await question.getByLabel(/web container itself/).check();
  await question.getByRole('button', { name: 'Check answer' }).click();
  await expect(question).toHaveAttribute('data-state', 'right');
  const learner = await cookie(a.ctx, 'slipway_learner');
  expect(learner).toBeTruthy();

  // The sign-in box on the join page.
  await a.page.goto('/join/');
  const box = a.page.locator('[data-join-sso]');
  await expect(box).toContainText('Optional: sign in to find your progress in any browser.');
  await expect(a.page.getByTestId('join-sso')).toHaveText(`Sign in with ${PROVIDER}`);
  await a.page.getByTestId('join-sso').click();
  await signInAtProvider(a.page, idp, 'lena');
  await expect(a.page).toHaveURL(`${platform.url}/join/`);
  await expect(box).toContainText(`You are signed in as Lena Learner with ${PROVIDER}.`);
  await expect(a.page.getByTestId('join-sso')).toBeHidden();
  expect(a.signInStarts()).toBe(1);

  // Still the same learner, and the answer is still there.
  expect(await cookie(a.ctx, 'slipway_learner')).toBe(learner);
  expect(await answered(a.page)).toEqual({ [QUESTION]: true });
  await a.page.goto(LESSON);
  await expect(question).toHaveAttribute('data-state', 'right');
  await expect(question.getByLabel(/web container itself/)).toBeChecked();
  await expect(question.getByRole('status')).toContainText('You answered this before');

  // Another browser: nothing of Lena's until she signs in there too, then her answer.
  const b = await person(browser, platform.url);
  await b.page.goto('/join/');
  expect(await answered(b.page)).toEqual({});
  await b.page.getByTestId('join-sso').click();
  await signInAtProvider(b.page, idp, 'lena');
  await expect(b.page).toHaveURL(`${platform.url}/join/`);
  await expect(b.page.locator('[data-join-sso]')).toContainText(
    `You are signed in as Lena Learner with ${PROVIDER}.`,
  );
  expect(b.signInStarts()).toBe(1);
  expect(await cookie(b.ctx, 'slipway_learner')).toBe(learner);
  expect(await answered(b.page)).toEqual({ [QUESTION]: true });
  await b.page.goto(LESSON);
  const there = b.page.getByTestId(`question-${QUESTION}`);
  await expect(there).toHaveAttribute('data-state', 'right');
  await expect(there.getByLabel(/web container itself/)).toBeChecked();
  await expect(there.getByRole('status')).toContainText('You answered this before');
  await expect(there.getByText('Answered correctly')).toBeVisible();
  await a.ctx.close();
  await b.ctx.close();
});

test('someone in no instructor group who presses the instructor button is told why not', async ({
  browser,
  platform,
  idp,
}) => {
  const { ctx, page, signInStarts } = await person(browser, platform.url);
  await page.goto('/instructor/');
  await page.getByTestId('login-sso').click();
  const answer = page.waitForResponse((r) =>
    r.url().startsWith(`${platform.url}/auth/oidc/callback`),
  );
  await signInAtProvider(page, idp, 'noor');
  expect((await answer).status()).toBe(403);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(
    `Your account at ${PROVIDER} is not in a group that may teach on this site.`,
  );
  await expect(heading).toHaveAttribute('data-error-code', 'NOT_AN_INSTRUCTOR');
  await expect(page.locator('.hint')).toHaveText(
    'Ask the administrator to add you to an instructor group, or log in with a Slipway username and password.',
  );
  await expect(page).toHaveTitle('Signing in did not work · Slipway');
  expect(signInStarts()).toBe(1);

  // No instructor session came of it: the instructor page still offers to log in.
  expect(await cookie(ctx, 'slipway_instructor')).toBeUndefined();
  expect((await ctx.request.get('/api/instructor/me')).status()).toBe(401);
  await page.getByRole('link', { name: 'Instructor page' }).click();
  await expect(page.getByTestId('login-sso')).toBeVisible();
  await expect(page.getByTestId('whoami')).toBeHidden();
  await ctx.close();
});

test('a class that asks for a sign-in turns an anonymous learner back with the reason, and takes her signed in', async ({
  browser,
  platform,
  idp,
}) => {
  const teacher = await person(browser, platform.url);
  await teacher.page.goto('/instructor/');
  await teacher.page.getByTestId('login-sso').click();
  await signInAtProvider(teacher.page, idp, 'ivan');
  await expect(teacher.page.getByTestId('whoami')).toHaveText('ivan');
  await teacher.page.getByTestId('new-class-name').fill('Members only');
  await teacher.page.getByTestId('new-class-module-docker-fundamentals').check();
  await teacher.page.getByTestId('new-class-require-sign-in').check();
  await teacher.page.getByTestId('new-class-submit').click();
  const code = await teacher.page.getByTestId('class-join-code').textContent();
  expect(code).toMatch(/^[A-Z2-9]{8}$/);

  // Anonymous: the join page says so as soon as the code is known, and the join is refused.
  const mia = await person(browser, platform.url);
  await mia.page.goto(`/join/?code=${code}`);
  await expect(mia.page.getByTestId('join-class')).toHaveText(
    'Class: Members only (sign in first to join)',
  );
  await mia.page.getByTestId('join-name').fill('Mia');
  await mia.page.getByTestId('join-submit').click();
  await expect(mia.page.getByTestId('join-error')).toContainText(
    'This class asks its learners to sign in before they join.',
  );

  // Signed in, back on the same join link: she is in.
  await mia.page.getByTestId('join-sso').click();
  await signInAtProvider(mia.page, idp, 'mia');
  await expect(mia.page).toHaveURL(`${platform.url}/join/?code=${code}`);
  await mia.page.getByTestId('join-name').fill('Mia');
  await mia.page.getByTestId('join-submit').click();
  await expect(mia.page.locator('[data-join-done-text]')).toHaveText(
    'You are in Members only as Mia',
  );

  // The class page shows the setting ticked; unticking it opens the class to anyone.
  const { classes } = (await (await teacher.ctx.request.get('/api/instructor/classes')).json()) as {
    classes: Array<{ id: string; name: string }>;
  };
  const id = classes.find((c) => c.name === 'Members only')!.id;
  await teacher.page.goto(`/instructor/class/?id=${id}`);
  await expect(teacher.page.getByText('Mia', { exact: true }).first()).toBeVisible();
  const box = teacher.page.getByTestId('class-require-sign-in');
  await expect(box).toBeChecked();
  const saved = teacher.page.waitForResponse((r) => r.url().endsWith(`/classes/${id}/settings`));
  await box.uncheck();
  expect((await saved).status()).toBe(200);
  const anon = await person(browser, platform.url);
  await anon.page.goto(`/join/?code=${code}`);
  await expect(anon.page.getByTestId('join-class')).toHaveText('Class: Members only');
  await teacher.ctx.close();
  await mia.ctx.close();
  await anon.ctx.close();
});
