/**
 * How many ready sandboxes to keep per lab, as pure decisions. The setting is a whole number
 * (that many for every lab) or a list such as `first-containers=2,compose-networking=1`
 * (labs not listed get none).
 */
export type PoolSetting = { each: number } | { perLab: Record<string, number> };

const ENTRY = /^([a-z0-9][a-z0-9-]*)=(\d{1,3})$/;

/** Parses the setting; the message names what is wrong. */
export function parsePoolSetting(raw: string): PoolSetting {
  const text = raw.trim();
  if (/^\d{1,3}$/.test(text)) return { each: Number(text) };
  const perLab: Record<string, number> = {};
  for (const part of text.split(',')) {
    const m = ENTRY.exec(part.trim());
    if (!m) {
      throw new Error(
        `"${part.trim()}" is neither a number nor lab-id=count (e.g. "1" or "first-containers=2,ocs-split=1")`,
      );
    }
    perLab[m[1]!] = Number(m[2]);
  }
  return { perLab };
}

export function poolTargets(setting: PoolSetting, labIds: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of labIds) {
    const n = 'each' in setting ? setting.each : (setting.perLab[id] ?? 0);
    if (n > 0) out.set(id, n);
  }
  return out;
}

/** Labs named in the setting that do not exist (reported at start, not fatal). */
export function unknownPoolLabs(setting: PoolSetting, labIds: readonly string[]): string[] {
  if ('each' in setting) return [];
  return Object.keys(setting.perLab).filter((id) => !labIds.includes(id));
}

/**
 * The lab whose pool to fill next: the one furthest below its target (ready plus filling),
 * ties broken by the order labs were given; undefined when every pool is full.
 */
export function nextToFill(
  targets: ReadonlyMap<string, number>,
  have: ReadonlyMap<string, number>,
): string | undefined {
  let best: string | undefined;
  let bestGap = 0;
  for (const [lab, target] of targets) {
    const gap = target - (have.get(lab) ?? 0);
    if (gap > bestGap) {
      best = lab;
      bestGap = gap;
    }
  }
  return best;
}

/** Pooled sandboxes beyond their lab's target (after a setting change): to remove. */
export function surplus<T extends { labId: string }>(
  pooled: readonly T[],
  targets: ReadonlyMap<string, number>,
): T[] {
  const seen = new Map<string, number>();
  return pooled.filter((p) => {
    const n = (seen.get(p.labId) ?? 0) + 1;
    seen.set(p.labId, n);
    return n > (targets.get(p.labId) ?? 0);
  });
}
