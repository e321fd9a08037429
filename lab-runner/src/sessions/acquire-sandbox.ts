import { randomBytes } from 'node:crypto';
import type { Lab } from '../labs/load-labs.ts';
import type { SandboxPhase } from '../protocol/index.ts';
import { waitUntilEngineReady } from '../sandbox/readiness.ts';
import { queuedMessage } from './admission.ts';
import { ownedSandboxes } from './owned-sandboxes.ts';
import { provisionSandbox } from './provision.ts';
import { replaySolutions } from './restore.ts';
import { RESET_REASON, type ReadySandbox } from './sandbox-status.ts';
import type { LabSessionDeps } from './session-deps.ts';
import type { SessionSlot } from './session-slot.ts';

export interface AcquireContext {
  deps: LabSessionDeps;
  learnerId: string;
  lab: Lab;
  slot: SessionSlot;
  /** Tells open pages where the start stands. */
  phase(phase: SandboxPhase, message: string): void;
  /** Adopting a running sandbox only makes sense while the session is still starting. */
  stillStarting(): boolean;
  /** Withdraws the session from the admission queue (every page of it left). */
  queueSignal: AbortSignal;
}

export interface Acquired {
  sandbox: ReadySandbox;
  /** Titles of the completed tasks redone in a replacement sandbox, to tell the learner. */
  restored: string[];
}

/**
 * A ready sandbox for one learner's lab, in this order: adopt the one already running (a
 * runner restart loses memory, not sandboxes), take one from the warm pool, or wait for a
 * place and provision one. A replacement for a sandbox that died or was stopped is brought
 * back to the last completed task; one the learner reset on purpose starts fresh.
 */
export async function acquireSandbox(ctx: AcquireContext): Promise<Acquired> {
  const { provider, store, settings, logger } = ctx.deps;
  const { learnerId, lab } = ctx;
  for (const found of await ownedSandboxes(provider, store, learnerId, lab.id)) {
    if (found.state === 'running' && ctx.stillStarting()) {
      try {
        await waitUntilEngineReady(provider, found.id, { timeoutMs: 10_000 });
        if (!store.liveSandbox(learnerId, lab.id)) {
          store.sandboxStarted({
            sessionId: found.labels.session,
            learnerId,
            labId: lab.id,
            sandboxId: found.id,
          });
        }
        // Already running: it keeps its place, even past capacity.
        await ctx.slot.take({ force: true });
        logger.info('adopted sandbox', { sandbox: found.id, learner: learnerId, lab: lab.id });
        return { sandbox: { id: found.id, sessionId: found.labels.session }, restored: [] };
      } catch (err) {
        logger.warn('sandbox not adoptable; replacing it', {
          sandbox: found.id,
          error: (err as Error).message,
        });
      }
    }
    await provider.destroy(found.id);
    store.sandboxEnded(found.labels.session, `replaced (was ${found.state})`);
  }

  const previous = store.lastEndedSandbox(learnerId, lab.id);
  const restore = previous !== undefined && previous.endReason !== RESET_REASON;
  const pooled = await claimPooled(ctx);
  if (pooled) {
    // Its slot passed from the pool to this learner.
    await ctx.slot.take({ force: true });
    return { sandbox: pooled, restored: restore ? await restoreTasks(ctx, pooled.id) : [] };
  }
  await ctx.slot.take({
    update: (u) => ctx.phase('queued', queuedMessage(u)),
    signal: ctx.queueSignal,
  });
  const sessionId = randomBytes(6).toString('hex');
  const info = await provisionSandbox(
    provider,
    lab,
    { instance: settings.instance, learner: learnerId, lab: lab.id, session: sessionId },
    settings,
    {
      phase: (phase, message) => ctx.phase(phase, message),
      created: (sb) =>
        store.sandboxStarted({ sessionId, learnerId, labId: lab.id, sandboxId: sb.id }),
      abandoned: () => store.sandboxEnded(sessionId, 'failed to start'),
    },
  );
  return {
    sandbox: { id: info.id, sessionId },
    restored: restore ? await restoreTasks(ctx, info.id) : [],
  };
}

/** A ready sandbox from the warm pool, if one is there and still running. */
async function claimPooled(ctx: AcquireContext): Promise<ReadySandbox | undefined> {
  const { pool, provider, store, logger } = ctx.deps;
  const pooled = pool?.claim(ctx.lab.id, ctx.learnerId);
  if (!pooled) return undefined;
  const info = await provider.inspect(pooled.sandboxId).catch(() => undefined);
  if (info?.state === 'running') {
    logger.info('sandbox from the warm pool', {
      sandbox: pooled.sandboxId,
      learner: ctx.learnerId,
      lab: ctx.lab.id,
    });
    return { id: pooled.sandboxId, sessionId: pooled.sessionId };
  }
  await provider.destroy(pooled.sandboxId).catch(() => {});
  store.sandboxEnded(pooled.sessionId, 'pooled sandbox was not running');
  return undefined;
}

/** Replays the completed tasks' solutions in a new sandbox; returns their titles. */
async function restoreTasks(ctx: AcquireContext, sandboxId: string): Promise<string[]> {
  const done = new Set(ctx.deps.store.completions(ctx.learnerId, ctx.lab.id).map((c) => c.taskId));
  const tasks = ctx.lab.tasks.filter((t) => done.has(t.id));
  if (tasks.length === 0) return [];
  ctx.phase(
    'restoring',
    `Bringing your new sandbox back to where you were (${tasks.length} completed task${tasks.length === 1 ? '' : 's'})…`,
  );
  await replaySolutions(ctx.deps, sandboxId, ctx.lab, tasks, ctx.deps.settings.setupTimeoutMs);
  return tasks.map((t) => t.title);
}
