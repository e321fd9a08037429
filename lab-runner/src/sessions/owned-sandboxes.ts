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
