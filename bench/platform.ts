/**
 * A real Slipway platform for a benchmark: its own data directory and instance label on the
 * local engine, new learners on demand, and a close() that removes every sandbox it made.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../lab-runner/src/config.ts';
import { type Logger, silentLogger } from '../lab-runner/src/errors/log.ts';
import { type RunningPlatform, startPlatform } from '../lab-runner/src/main.ts';
import { createSandboxProvider } from '../lab-runner/src/sandbox/factory.ts';
import type { SandboxProvider } from '../lab-runner/src/sandbox/provider.ts';

export const ROOT = join(import.meta.dirname, '..');

export interface BenchPlatform extends AsyncDisposable {
  platform: RunningPlatform;
  config: Config;
  provider: SandboxProvider;
  /** Sandboxes the warm pool has reported ready since start. */
  poolReady(): number;
  /** A new learner's cookie (what a first page visit sets). */
  newLearner(): Promise<string>;
  terminalUrl(lab: string, cols?: number, rows?: number): string;
}

export async function benchPlatform(env: Record<string, string>): Promise<BenchPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  const instance = `bench-${randomBytes(3).toString('hex')}`;
  const config = loadConfig(
    {
      ...process.env,
      SLIPWAY_PORT: '0',
      SLIPWAY_PREVIEW_PORT: '0',
      SLIPWAY_DATA_DIR: dataDir,
      SLIPWAY_INSTANCE: instance,
      SLIPWAY_WARM_POOL: '0',
      ...env,
    },
    ROOT,
  );
  let ready = 0;
  const logger: Logger = {
    ...silentLogger,
    info: (msg: string) => {
      if (msg === 'warm pool sandbox ready') ready++;
    },
  };
  const platform = await startPlatform(config, logger);
  const provider = createSandboxProvider({ ...config, instance });
  return {
    platform,
    config,
    provider,
    poolReady: () => ready,
    async newLearner() {
      const res = await fetch(`${platform.url}/api/learner`, { method: 'POST' });
      return res.headers.get('set-cookie')!.split(';')[0]!;
    },
    terminalUrl: (lab, cols = 120, rows = 30) =>
      `${platform.url.replace('http', 'ws')}/api/labs/${lab}/terminal?cols=${cols}&rows=${rows}`,
    async [Symbol.asyncDispose]() {
      await platform.close();
      for (const s of await provider.list({})) await provider.destroy(s.id);
      for (const r of await provider.resources()) await provider.destroy(r.id);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
