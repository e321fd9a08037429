import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweep } from './engine.ts';
import { LabClient } from './ws-client.ts';

const root = join(import.meta.dirname, '../../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * The real platform as a separate process, the way `make up` runs it, so tests can stop it
 * by its pid (even with SIGKILL) and start it again on the same port and SQLite file.
 */
export class RunnerProcess {
  readonly instance: string;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'slipway-runner-'));
  port = 0;
  previewPort = 0;
  private child: ChildProcess | undefined;
  /** Settings for the next start(); a test may change them between restarts. */
  readonly env: Record<string, string>;
  log = '';

  constructor(opts: { prefix?: string; env?: Record<string, string> } = {}) {
    this.instance = `${opts.prefix ?? 'e2e'}-${randomBytes(3).toString('hex')}`;
    this.env = { ...opts.env };
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The preview origin beside the site's (the default: the same host on its own port). */
  get previewUrl(): string {
    return `http://127.0.0.1:${this.previewPort}`;
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    if (this.previewPort === 0) this.previewPort = await freePort();
    this.log += `\n--- runner started ${new Date().toISOString()} ---\n`;
    const child = spawn(process.execPath, ['lab-runner/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        SLIPWAY_PORT: String(this.port),
        SLIPWAY_PREVIEW_PORT: String(this.previewPort),
        SLIPWAY_DATA_DIR: this.dataDir,
        SLIPWAY_INSTANCE: this.instance,
        SLIPWAY_CHECK_INTERVAL_MS: '2000',
        // Tests that exercise the warm pool turn it on; the rest start sandboxes cold.
        SLIPWAY_WARM_POOL: '0',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => {
      this.log += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.log += d.toString();
    });
    const from = this.log.length;
    const until = Date.now() + 30_000;
    while (!this.log.slice(from).includes('Slipway is running at')) {
      if (child.exitCode !== null) throw new Error(`runner exited ${child.exitCode}:\n${this.log}`);
      if (Date.now() > until) throw new Error(`runner did not start:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the runner by its pid; SIGKILL gives it no chance to tidy up. */
  /** A new anonymous learner: the cookie the platform hands out when a page starts a lab. */
  async newLearner(): Promise<string> {
    const res = await fetch(`${this.url}/api/learner`, { method: 'POST' });
    return res.headers.get('set-cookie')!.split(';')[0]!;
  }

  /** Starts the platform if needed, and a new learner's lab, up to its shell's prompt. */
  async learnerAtPrompt(lab = 'first-containers'): Promise<{ cookie: string; term: LabClient }> {
    if (!this.child) await this.start();
    const cookie = await this.newLearner();
    const term = this.labSocket(cookie, lab);
    await term.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await term.waitForScreen(`learner@${lab}`);
    return { cookie, term };
  }

  /** That learner's lab WebSocket, as a page opens it. */
  labSocket(cookie: string, lab = 'first-containers', size = 'cols=120&rows=30'): LabClient {
    return new LabClient(`${this.url.replace('http', 'ws')}/api/labs/${lab}/terminal?${size}`, {
      cookie,
    });
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(child.pid, signal);
    await exited;
    this.child = undefined;
  }

  /** Stops the runner, removes its data and every sandbox, network and volume it labelled. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
    await sweep(this.instance);
  }
}
