import { mkdirSync, writeFileSync } from 'node:fs';
import { test as base } from '@playwright/test';
import { RunnerProcess } from '../lab-runner/test/integration/runner-process.ts';

/**
 * One real platform process per worker; every sandbox it made is removed afterwards.
 * `runnerEnv` adds settings to its environment (none by default); a spec that needs a runner
 * set up differently (e.g. sign-in.spec.ts, with SLIPWAY_OIDC_*) overrides it, which gives that
 * spec a worker, and so a runner, of its own.
 */
export const test = base.extend<
  { platform: RunnerProcess },
  { runner: RunnerProcess; runnerEnv: Record<string, string> }
>({
  runnerEnv: [{}, { scope: 'worker', option: true }],
  runner: [
    async ({ runnerEnv }, use) => {
      const runner = new RunnerProcess({ env: runnerEnv });
      await runner.start();
      try {
        await use(runner);
      } finally {
        // The platform's own log, for a failure whose cause is on its side (an error answer).
        mkdirSync('test-results', { recursive: true });
        writeFileSync(`test-results/runner-${runner.instance}.log`, runner.log);
        await runner.dispose();
      }
    },
    { scope: 'worker' },
  ],
  platform: async ({ runner }, use, info) => {
    const from = runner.log.length;
    await use(runner);
    if (info.status !== info.expectedStatus) {
      await info.attach('runner log', { body: runner.log.slice(from), contentType: 'text/plain' });
      console.error(`runner log during "${info.title}":\n${runner.log.slice(from).slice(-6000)}`);
    }
  },
  baseURL: async ({ runner }, use) => use(runner.url),
});

export { expect } from '@playwright/test';
