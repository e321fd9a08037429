import { randomBytes } from 'node:crypto';
import type { Logger } from '../errors/log.ts';
import type { Lab } from '../labs/load-labs.ts';
import type { PoolStore } from '../progress/pool-store.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import type { SandboxProvider } from '../sandbox/provider.ts';
import { waitUntilEngineReady } from '../sandbox/readiness.ts';
import type { Admission } from './admission.ts';
import { type ProvisionSettings, provisionSandbox } from './provision.ts';
import { SHELL_EXEC, shellCommand } from './shell-command.ts';
import { nextToFill, surplus } from './warm-pool-policy.ts';

/** The learner label of pooled sandboxes. It stays after a claim: the database says whose it is. */
export const POOL_LEARNER = '~pool';

export interface PooledSandbox {
  sessionId: string;
  labId: string;
  sandboxId: string;
}

interface Held extends PooledSandbox {
  /** Gives back the admission slot this pooled sandbox holds. */
  release: () => void;
}

export interface WarmPoolDeps {
  provider: SandboxProvider;
  pool: PoolStore;
  store: ProgressStore;
  admission: Admission;
  labs: ReadonlyMap<string, Lab>;
  /** Ready sandboxes to keep per lab id. */
  targets: ReadonlyMap<string, number>;
  settings: ProvisionSettings & { instance: string };
  logger: Logger;
}

/**
 * Ready sandboxes per lab (engine up, images loaded, setup run), handed to learners on
 * Start so a start costs a database write instead of seconds. Each holds an admission slot;
 * the pool never takes the host's last free slot and gives a sandbox back as soon as a
 * learner has to queue. Pooled sandboxes survive a runner restart and are adopted again.
 */
export class WarmPool {
  private readonly deps: WarmPoolDeps;
  private readonly ready: Held[] = [];
  private readonly fillingLabs = new Map<string, number>();
  private filling: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private failures = 0;

  constructor(deps: WarmPoolDeps) {
    this.deps = deps;
  }

  /** Ready sandboxes per lab right now. */
  counts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const p of this.ready) out.set(p.labId, (out.get(p.labId) ?? 0) + 1);
    return out;
  }

  /** At start: keeps the pooled sandboxes that still run and are wanted, removes the rest. */
  async adopt(): Promise<void> {
    const { pool, provider, labs, targets, admission, logger } = this.deps;
    const rows = pool.all();
    const drop = new Set(surplus(rows, targets).map((r) => r.sessionId));
    for (const row of rows) {
      if (!drop.has(row.sessionId) && labs.has(row.labId)) {
        const info = await provider.inspect(row.sandboxId).catch(() => undefined);
        const ok =
          info?.state === 'running' &&
          (await waitUntilEngineReady(provider, row.sandboxId, { timeoutMs: 10_000 }).then(
            () => true,
            () => false,
          ));
        if (ok) {
          const release = admission.tryAcquire(`pool:${row.sessionId}`);
          if (release) {
            this.ready.push({ ...row, release });
            continue;
          }
        }
      }
      await this.remove(row, 'pool: not needed after restart');
    }
    logger.info('warm pool adopted', {
      ready: this.ready.length,
      removed: rows.length - this.ready.length,
    });
  }

  /**
   * Hands a ready sandbox of the lab to the learner (the database records it as theirs) and
   * starts preparing a replacement; undefined when none is ready.
   */
  claim(labId: string, learnerId: string): PooledSandbox | undefined {
    const i = this.ready.findIndex((p) => p.labId === labId);
    if (i < 0) {
      this.kick();
      return undefined;
    }
    const [held] = this.ready.splice(i, 1);
    held!.release();
    const claimed = this.deps.pool.claim(held!.sessionId, learnerId);
    this.kick();
    if (!claimed) return undefined;
    const { release: _, ...sandbox } = held!;
    return sandbox;
  }

  /** A pooled sandbox died or was removed outside the pool. */
  forget(sessionId: string): void {
    const i = this.ready.findIndex((p) => p.sessionId === sessionId);
    if (i < 0) return;
    const [held] = this.ready.splice(i, 1);
    held!.release();
    this.deps.store.sandboxEnded(sessionId, 'pool: sandbox gone');
    this.kick();
  }

  /** Someone is queued for a slot: free the one the newest pooled sandbox holds. */
  yieldOne(): void {
    const held = this.ready.pop();
    if (!held) return;
    held.release();
    void this.remove(held, 'pool: slot given to a waiting learner');
  }

  /** Fills pools below their targets, one sandbox at a time, in the background. */
  kick(): void {
    if (this.filling || this.stopping.signal.aborted) return;
    this.filling = this.fill().finally(() => {
      this.filling = undefined;
    });
  }

  private async fill(): Promise<void> {
    const { provider, labs, targets, admission, settings, pool, logger } = this.deps;
    while (!this.stopping.signal.aborted) {
      const have = this.counts();
      for (const [lab, n] of this.fillingLabs) have.set(lab, (have.get(lab) ?? 0) + n);
      const labId = nextToFill(targets, have);
      const lab = labId ? labs.get(labId) : undefined;
      if (!lab) return;
      const sessionId = randomBytes(6).toString('hex');
      // Never the last free slot: a learner arriving now must not wait for the pool.
      const release = admission.tryAcquire(`pool:${sessionId}`, 1);
      if (!release) return;
      this.fillingLabs.set(lab.id, (this.fillingLabs.get(lab.id) ?? 0) + 1);
      try {
        const info = await provisionSandbox(
          provider,
          lab,
          { instance: settings.instance, learner: POOL_LEARNER, lab: lab.id, session: sessionId },
          settings,
          {
            signal: this.stopping.signal,
            created: (sb) =>
              pool.add({
                sessionId,
                labId: lab.id,
                sandboxId: sb.id,
                createdAt: new Date().toISOString(),
              }),
            abandoned: () => pool.remove(sessionId),
          },
        );
        await this.prepareShell(info.id);
        this.ready.push({ sessionId, labId: lab.id, sandboxId: info.id, release });
        this.failures = 0;
        logger.info('warm pool sandbox ready', { lab: lab.id, sandbox: info.id });
      } catch (err) {
        release();
        if (this.stopping.signal.aborted) return;
        this.failures++;
        logger.error('warm pool could not prepare a sandbox', err as Error, { lab: lab.id });
        // Back off so a broken lab or engine does not spin the host.
        const waitMs = Math.min(60_000, 2_000 * 2 ** this.failures);
        await new Promise((r) => setTimeout(r, waitMs).unref());
      } finally {
        this.fillingLabs.set(lab.id, (this.fillingLabs.get(lab.id) ?? 1) - 1);
      }
    }
  }

  /**
   * Starts the learner's login shell, detached, so a Start only attaches to it (bash's own
   * start-up is most of the time left on the learner's path). Without it, attaching starts one.
   */
  private async prepareShell(sandboxId: string): Promise<void> {
    const { provider, logger } = this.deps;
    const r = await provider
      .exec(
        sandboxId,
        { cmd: shellCommand('-n'), user: provider.learnerUser, ...SHELL_EXEC },
        { timeoutMs: 10_000, signal: this.stopping.signal },
      )
      .catch((err: unknown) => ({ exitCode: null, stderr: String(err) }));
    if (r.exitCode !== 0)
      logger.warn('warm pool could not prepare a shell', { sandbox: sandboxId, detail: r.stderr });
  }

  private async remove(p: PooledSandbox, reason: string): Promise<void> {
    await this.deps.provider.destroy(p.sandboxId).catch((err) =>
      this.deps.logger.error('could not remove a pooled sandbox', err as Error, {
        sandbox: p.sandboxId,
      }),
    );
    this.deps.store.sandboxEnded(p.sessionId, reason);
  }

  /** Stops filling (a start in progress is cut short and cleaned up). Ready ones stay. */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.filling;
    for (const held of this.ready.splice(0)) held.release();
  }
}
