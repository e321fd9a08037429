import { test as base } from '@playwright/test';
import { RunnerProcess } from '../lab-runner/test/integration/runner-process.ts';

/** One real platform process per worker; every sandbox it made is removed afterwards. */
export const test = base.extend<{ platform: RunnerProcess }, { runner: RunnerProcess }>({
  runner: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their deps as a pattern
    async ({}, use) => {
      const runner = new RunnerProcess();
      await runner.start();
      try {
        await use(runner);
      } finally {
        await runner.dispose();
      }
    },
    { scope: 'worker' },
  ],
  platform: async ({ runner }, use) => use(runner),
  baseURL: async ({ runner }, use) => use(runner.url),
});

export { expect } from '@playwright/test';
