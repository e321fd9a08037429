import type { Config } from '../config.ts';
import { slipwayError } from '../errors/catalogue.ts';
import type { Lab } from '../labs/load-labs.ts';
import type { SandboxPhase } from '../protocol/index.ts';
import type {
  SandboxEgress,
  SandboxInfo,
  SandboxLabels,
  SandboxLimits,
  SandboxProvider,
} from '../sandbox/provider.ts';
import { waitUntilEngineReady } from '../sandbox/readiness.ts';

export interface ProvisionSettings {
  sandboxImage: string;
  limits: SandboxLimits;
  egress?: SandboxEgress;
  readyTimeoutMs: number;
  setupTimeoutMs: number;
}

export function provisionSettings(config: Config): ProvisionSettings {
  return {
    sandboxImage: config.sandboxImage,
    limits: {
      memoryBytes: config.sandboxMemory,
      pids: config.sandboxPids,
      cpus: config.sandboxCpus,
    },
    egress: config.sandboxEgress,
    readyTimeoutMs: config.readyTimeoutMs,
    setupTimeoutMs: config.setupTimeoutMs,
  };
}

export interface ProvisionHooks {
  phase?: (phase: SandboxPhase, message: string) => void;
  /** Called once the sandbox exists, before it is ready (e.g. to record it). */
  created?: (info: SandboxInfo) => void;
  /** Called when a created sandbox is thrown away because it never became ready. */
  abandoned?: (info: SandboxInfo) => void;
  /** Cuts the start short (the sandbox is then destroyed, as on any failure). */
  signal?: AbortSignal;
}

/**
 * Creates a sandbox for a lab and makes it ready: inner engine answering, course images
 * in it (seeded by the provider before start, or loaded after), the lab's setup run. On any failure the sandbox is destroyed before the error
 * reaches the caller, so a failed start leaves nothing behind.
 */
export async function provisionSandbox(
  provider: SandboxProvider,
  lab: Lab,
  labels: SandboxLabels,
  settings: ProvisionSettings,
  hooks: ProvisionHooks = {},
): Promise<SandboxInfo> {
  hooks.phase?.('creating', 'Creating your sandbox…');
  const info = await provider.create(
    {
      labels,
      image: settings.sandboxImage,
      hostname: lab.id.slice(0, 63),
      limits: {
        memoryBytes: lab.sandbox.memory ?? settings.limits.memoryBytes,
        pids: lab.sandbox.pids ?? settings.limits.pids,
        cpus: lab.sandbox.cpus ?? settings.limits.cpus,
      },
      ...(settings.egress ? { egress: settings.egress } : {}),
      images: lab.images,
    },
    { signal: hooks.signal },
  );
  await using guard = new AsyncDisposableStack();
  guard.defer(async () => {
    await provider.destroy(info.id).catch(() => {});
    hooks.abandoned?.(info);
  });
  hooks.created?.(info);

  hooks.phase?.('starting-engine', 'Starting its Docker engine…');
  await waitUntilEngineReady(provider, info.id, {
    timeoutMs: settings.readyTimeoutMs,
    signal: hooks.signal,
  });

  // Its checker (where task checks run) starts beside the images and setup, so the first
  // round does not wait for it; one that fails here is made again by that round.
  const checker = provider
    .exec(info.id, { in: 'checker', cmd: ['true'] }, { signal: hooks.signal })
    .catch(() => undefined);
  guard.defer(() => checker.then(() => {}));

  if (lab.images.length > 0 && !info.imagesReady) {
    const names = lab.images.map((i) => (i.tags[0] ?? i.name).replace(/:latest$/, '')).join(', ');
    hooks.phase?.('loading-images', `Loading images (${names})…`);
    await provider.loadImages(info.id, lab.images, {
      timeoutMs: settings.setupTimeoutMs,
      signal: hooks.signal,
    });
  }
  if (lab.setupScript) {
    hooks.phase?.('setting-up', 'Preparing the lab…');
    const r = await provider.exec(
      info.id,
      { cmd: ['bash', '-c', lab.setupScript], user: provider.learnerUser, maxOutputBytes: 16_384 },
      { timeoutMs: settings.setupTimeoutMs, signal: hooks.signal },
    );
    if (r.exitCode !== 0) {
      const last = (r.stderr || r.stdout).trim().split('\n').at(-1) ?? '';
      throw slipwayError(
        'SANDBOX_START_FAILED',
        { reason: 'the lab’s setup step failed' },
        new Error(`setup of ${lab.id} exited ${r.exitCode}: ${last}`),
      );
    }
  }
  await checker;
  guard.move();
  return info;
}
