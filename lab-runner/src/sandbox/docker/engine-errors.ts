import { SlipwayError, slipwayError } from '../../errors/catalogue.ts';

interface EngineFailure {
  name?: string;
  code?: string;
  statusCode?: number;
  reason?: string;
  json?: { message?: string } | null;
  message?: string;
}

const unreachable = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/**
 * The only place engine errors become Slipway errors. `operation` says what was being done,
 * in words ("creating the sandbox"), and ends up in logs and timeout messages.
 */
export function translateEngineError(err: unknown, operation: string): SlipwayError {
  if (err instanceof SlipwayError) return err;
  const e = (err ?? {}) as EngineFailure;
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ABORT_ERR') {
    return slipwayError('ENGINE_TIMEOUT', { operation }, err);
  }
  if (e.code && unreachable.has(e.code)) return slipwayError('ENGINE_UNAVAILABLE', {}, err);
  if (e.statusCode === 404) return slipwayError('SANDBOX_GONE', {}, err);
  const detail = e.json?.message ?? e.reason ?? e.message ?? String(err);
  // Being removed already (a checker's AutoRemove, when its sandbox's engine ends): as good as gone.
  if (e.statusCode === 409 && /^removal of container \S+ is already in progress/.test(detail)) {
    return slipwayError('SANDBOX_GONE', {}, err);
  }
  return slipwayError('ENGINE_ERROR', { operation, detail: detail.trim() }, err);
}

/** Runs an engine call and translates whatever it throws. */
export async function engineCall<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translateEngineError(err, operation);
  }
}

export function isGone(err: unknown): boolean {
  return err instanceof SlipwayError && err.code === 'SANDBOX_GONE';
}

/**
 * Calls a dockerode method with an options object its type definitions do not describe
 * (chiefly `abortSignal`, which dockerode supports at runtime).
 */
export function call<T>(target: object, method: string, options: object): Promise<T> {
  const fn = (target as Record<string, (o: object) => Promise<T>>)[method];
  if (!fn) throw new Error(`dockerode has no method ${method}`);
  return fn.call(target, options);
}
