import type { SandboxEvent, SandboxInfo } from '../provider.ts';

/** How often the swarm is asked what its sandboxes do: Swarm has no cluster-wide die events. */
const POLL_MS = 1_000;

/**
 * Sandbox events from polling: a sandbox that was running and is now stopped has died (with
 * its exit code, or -1 when its node is lost); one that is gone was destroyed.
 */
export async function* watchSandboxes(
  list: () => Promise<SandboxInfo[]>,
  signal: AbortSignal,
): AsyncIterable<SandboxEvent> {
  let seen = new Map<string, SandboxInfo>();
  let first = true;
  while (!signal.aborted) {
    let now: SandboxInfo[];
    try {
      now = await list();
    } catch {
      if (signal.aborted) return;
      await sleep(POLL_MS, signal);
      continue;
    }
    const next = new Map(now.map((s) => [s.id, s]));
    if (!first) {
      for (const e of diff(seen, next, new Date())) yield e;
    }
    first = false;
    seen = next;
    await sleep(POLL_MS, signal);
  }
}

/** The events between two looks at the sandboxes. */
export function diff(
  before: ReadonlyMap<string, SandboxInfo>,
  after: ReadonlyMap<string, SandboxInfo>,
  at: Date,
): SandboxEvent[] {
  const out: SandboxEvent[] = [];
  for (const [id, was] of before) {
    const is = after.get(id);
    if (!is) {
      out.push({ kind: 'destroyed', id, labels: was.labels, at });
      continue;
    }
    if (was.state === 'running' && is.state === 'stopped')
      out.push({
        kind: 'died',
        id,
        labels: is.labels,
        exitCode: is.exit?.code ?? -1,
        ...(is.exit?.code === -1 && is.exit.error ? { reason: is.exit.error } : {}),
        at,
      });
  }
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
