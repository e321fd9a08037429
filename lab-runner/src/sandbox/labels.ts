import type { SandboxLabels } from './provider.ts';

/** Label keys on every container, network and volume Slipway creates. */
export const LABEL = {
  app: 'slipway.app',
  kind: 'slipway.kind',
  instance: 'slipway.instance',
  learner: 'slipway.learner',
  lab: 'slipway.lab',
  session: 'slipway.session',
} as const;

export const APP = 'slipway';

export function toDockerLabels(
  l: SandboxLabels,
  kind: 'sandbox' | 'checker' | 'network' | 'volume',
): Record<string, string> {
  return {
    [LABEL.app]: APP,
    [LABEL.kind]: kind,
    [LABEL.instance]: l.instance,
    [LABEL.learner]: l.learner,
    [LABEL.lab]: l.lab,
    [LABEL.session]: l.session,
  };
}

export function fromDockerLabels(
  labels: Record<string, string> | undefined,
): SandboxLabels | undefined {
  if (!labels || labels[LABEL.app] !== APP) return undefined;
  const {
    [LABEL.instance]: instance,
    [LABEL.learner]: learner,
    [LABEL.lab]: lab,
    [LABEL.session]: session,
  } = labels;
  if (!instance || !learner || !lab || !session) return undefined;
  return { instance, learner, lab, session };
}

/** Docker `label=` filters for the given fields (always including the app label). */
export function labelFilters(filter: Partial<SandboxLabels>): string[] {
  const out = [`${LABEL.app}=${APP}`];
  for (const key of ['instance', 'learner', 'lab', 'session'] as const) {
    const value = filter[key];
    if (value !== undefined) out.push(`${LABEL[key]}=${value}`);
  }
  return out;
}
