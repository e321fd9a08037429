import { sandboxNames } from './docker/dind.ts';
import { fromDockerLabels } from './labels.ts';
import type { SessionResources } from './provider.ts';

/**
 * Gathers labelled things (containers or services, networks, volumes) by the sandbox session
 * they were made for: what the reaper weighs against the database. Unlabelled ones are skipped.
 */
export class SessionResourceSet {
  private readonly bySession = new Map<string, SessionResources>();

  add(
    labels: Record<string, string> | undefined | null,
    kind: SessionResources['kinds'][number],
    created: Date,
  ): void {
    const l = fromDockerLabels(labels ?? undefined);
    if (!l) return;
    const r = this.bySession.get(l.session) ?? {
      session: l.session,
      id: sandboxNames(l.session).container,
      labels: l,
      createdAt: created,
      kinds: [],
    };
    if (!r.kinds.includes(kind)) r.kinds.push(kind);
    if (created < r.createdAt) r.createdAt = created;
    this.bySession.set(l.session, r);
  }

  list(): SessionResources[] {
    return [...this.bySession.values()];
  }
}
