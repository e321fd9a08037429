import { defineConfig } from '@playwright/test';

// Debian's Chromium (apt-get install chromium); never `npx playwright install` here.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 300_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  // `default`: everything on one host. `cluster`: against the test cluster, which the cluster
  // layer of `make test` makes first (scripts/test-cluster-suite.sh).
  projects: [
    { name: 'default', testIgnore: 'cluster/**' },
    { name: 'cluster', testMatch: 'cluster/**/*.spec.ts' },
  ],
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 1000 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
