import { slipwayError } from '../errors/catalogue.ts';
import type { SandboxProvider } from './provider.ts';

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  pollMs?: number;
}

/** Reports the entrypoint's progress and, once it says ready, asks the inner engine itself. */
const PROBE = `s=$(cat /run/slipway/state 2>/dev/null)
case "$s" in
  ready) sock=\${DOCKER_HOST:-unix:///var/run/docker.sock}
    if curl -sf --unix-socket "\${sock#unix://}" http://engine/_ping >/dev/null 2>&1; then echo ready; else echo dockerd; fi ;;
  *) echo "\${s:-starting}" ;;
esac`;

const describe: Record<string, string> = {
  cgroups: 'it was still preparing its cgroups',
  handover: 'its machine did not hand it over',
  containerd: 'containerd did not start',
  dockerd: 'its Docker engine did not answer',
  starting: 'it did not start its init process',
};

/**
 * Wait strategy for a new sandbox: resolves once the inner `docker version` answers; fails
 * early with the entrypoint's reason when it gives up, or when the sandbox exits.
 */
export async function waitUntilEngineReady(
  provider: SandboxProvider,
  id: string,
  opts: WaitOptions,
): Promise<void> {
  const until = Date.now() + opts.timeoutMs;
  let last = 'starting';
  while (Date.now() < until) {
    opts.signal?.throwIfAborted();
    const info = await provider.inspect(id, { signal: opts.signal });
    if (!info)
      throw slipwayError('SANDBOX_START_FAILED', { reason: 'it was removed while starting' });
    if (info.state !== 'running') {
      const why = info.exit?.oomKilled
        ? 'it ran out of memory'
        : `it exited with code ${info.exit?.code ?? '?'}`;
      throw slipwayError('SANDBOX_START_FAILED', { reason: why });
    }
    const r = await provider.exec(
      id,
      { cmd: ['sh', '-c', PROBE], maxOutputBytes: 1024 },
      { signal: opts.signal, timeoutMs: 5_000 },
    );
    last = r.stdout.trim() || last;
    if (last === 'ready') return;
    if (last.startsWith('failed')) {
      throw slipwayError('SANDBOX_START_FAILED', {
        reason: `its Docker engine failed (${last.slice(7).trim() || 'unknown'})`,
      });
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 50));
  }
  throw slipwayError('SANDBOX_START_FAILED', {
    reason: `${describe[last] ?? last} within ${Math.round(opts.timeoutMs / 1000)} s`,
  });
}
