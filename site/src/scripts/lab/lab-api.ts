/**
 * The lab widget's HTTP calls to the runner. Each answers what the widget needs to know: the
 * result, a learner-facing error from the runner, or that the runner is not there at all (a
 * network error, or an error page without a Slipway error body: static hosting).
 */
import { errorBody, isLabInfo, type LabInfo, type LearnerError } from './protocol.ts';

export type ApiResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'error'; error: LearnerError }
  | { kind: 'offline' };

async function call<T>(
  path: string,
  init: RequestInit,
  accept: (body: unknown) => T | undefined,
): Promise<ApiResult<T>> {
  try {
    const res = await fetch(path, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      ...init,
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const error = errorBody(body);
      return error ? { kind: 'error', error } : { kind: 'offline' };
    }
    const value = accept(body);
    return value === undefined ? { kind: 'offline' } : { kind: 'ok', value };
  } catch {
    return { kind: 'offline' };
  }
}

/** `GET /api/labs/<id>`: the lab, the learner's progress and their sandbox's state. */
export function fetchLabInfo(labId: string): Promise<ApiResult<LabInfo>> {
  return call(`/api/labs/${encodeURIComponent(labId)}`, { cache: 'no-store' }, (body) =>
    isLabInfo(body) ? body : undefined,
  );
}

/** `POST /api/labs/<id>/reset`: removes the learner's sandbox (progress is kept). */
export function resetLab(labId: string): Promise<ApiResult<true>> {
  return call(`/api/labs/${encodeURIComponent(labId)}/reset`, { method: 'POST' }, () => true);
}

/** `POST /api/learner`: makes this browser a learner (a signed cookie), once, before a lab starts. */
export function ensureLearner(): Promise<ApiResult<true>> {
  return call('/api/learner', { method: 'POST' }, () => true);
}
