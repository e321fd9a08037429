import { describe, expect, it } from 'vitest';
import { translateEngineError } from './engine-errors.ts';

describe('translateEngineError', () => {
  it('turns an unreachable socket into ENGINE_UNAVAILABLE', () => {
    const e = translateEngineError(
      Object.assign(new Error('connect ENOENT /run/x.sock'), { code: 'ENOENT' }),
      'creating the sandbox',
    );
    expect(e.code).toBe('ENGINE_UNAVAILABLE');
    expect(e.audience).toBe('learner');
  });

  it('turns an abort into ENGINE_TIMEOUT naming the operation', () => {
    const e = translateEngineError(
      new DOMException('timed out', 'TimeoutError'),
      'loading course images',
    );
    expect(e.code).toBe('ENGINE_TIMEOUT');
    expect(e.message).toBe('The Docker engine took too long to answer (loading course images).');
  });

  it('turns 404 into SANDBOX_GONE', () => {
    expect(
      translateEngineError({ statusCode: 404, json: { message: 'No such container' } }, 'x').code,
    ).toBe('SANDBOX_GONE');
  });

  it('takes a container the engine is removing already (AutoRemove) for gone', () => {
    const removing = {
      statusCode: 409,
      json: { message: 'removal of container slipway-chk-1 is already in progress' },
    };
    expect(translateEngineError(removing, 'removing the sandbox').code).toBe('SANDBOX_GONE');
  });

  it('keeps the engine message for other refusals, as a system error', () => {
    const e = translateEngineError(
      { statusCode: 409, json: { message: 'Conflict. The name is in use\n' } },
      'creating the sandbox',
    );
    expect(e.code).toBe('ENGINE_ERROR');
    expect(e.audience).toBe('system');
    expect(e.message).toBe(
      'The Docker engine refused creating the sandbox: Conflict. The name is in use',
    );
    expect(e.toLearner().code).toBe('INTERNAL');
  });
});
