import type { ProgressStore } from '../progress/progress-store.ts';
import type { SandboxInfo, SandboxProvider } from '../sandbox/provider.ts';

/**
 * A learner's sandboxes for one lab: those labelled for them, and the one the database says is
 * theirs (a sandbox handed out by the warm pool keeps the pool's labels: labels cannot change).
 */
export async function ownedSandboxes(
  provider: SandboxProvider,
  store: ProgressStore,
  learnerId: string,
  labId: string,
): Promise<SandboxInfo[]> {
  const found = await provider.list({ learner: learnerId, lab: labId });
  const row = store.liveSandbox(learnerId, labId);
  if (row && !found.some((f) => f.id === row.sandboxId)) {
    const info = await provider.inspect(row.sandboxId);
    if (info) found.push(info);
  }
  return found;
}

/**
 * Removes every sandbox the learner has for the lab and ends their rows with `endReason`
 * (`sessionId`: the session's own row, ended even when its sandbox is already gone).
 */
export async function removeOwnedSandboxes(
  provider: SandboxProvider,
  store: ProgressStore,
  learnerId: string,
  labId: string,
  endReason: string,
  sessionId?: string,
): Promise<void> {
  // Looked up before the row ends: a sandbox from the pool is found only through it.
  const owned = await ownedSandboxes(provider, store, learnerId, labId);
  if (sessionId) store.sandboxEnded(sessionId, endReason);
  for (const found of owned) {
    await provider.destroy(found.id);
    store.sandboxEnded(found.labels.session, endReason);
  }
}
