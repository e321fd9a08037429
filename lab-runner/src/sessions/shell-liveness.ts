import { asSlipwayError } from '../errors/catalogue.ts';
import type { SandboxInfo, SandboxProvider } from '../sandbox/provider.ts';

export type SandboxFate =
  | { kind: 'respawn' }
  | { kind: 'gone'; detail: string }
  | { kind: 'closed' };

/**
 * The learner's shell ended, or a check found no sandbox to run in: the provider says whether
 * the sandbox lives. A running one gets a new shell; a dead one is gone, with the reason in the
 * learner's words, the provider's own first (a Swarm node that stopped answering). While the
 * engine itself restarts (its exec streams all end) it cannot say whether the sandbox lives,
 * so it is asked again for up to `patienceMs`.
 */
export async function sandboxFate(
  provider: Pick<SandboxProvider, 'inspect'>,
  sandboxId: string,
  closed: () => boolean,
  patienceMs = 120_000,
): Promise<SandboxFate> {
  const until = Date.now() + patienceMs;
  for (let wait = 500; !closed(); wait = Math.min(wait * 2, 5_000)) {
    let info: SandboxInfo | undefined;
    try {
      info = await provider.inspect(sandboxId);
    } catch (err) {
      const code = asSlipwayError(err).code;
      if ((code === 'ENGINE_UNAVAILABLE' || code === 'ENGINE_TIMEOUT') && Date.now() < until) {
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      info = undefined;
    }
    if (info?.state === 'running') return { kind: 'respawn' };
    const detail = info?.exit?.oomKilled
      ? 'it ran out of memory'
      : info
        ? (info.exit?.error ?? `it exited with code ${info.exit?.code ?? '?'}`)
        : 'it was removed';
    return { kind: 'gone', detail };
  }
  return { kind: 'closed' };
}
