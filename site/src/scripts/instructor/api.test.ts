import { describe, expect, it } from 'vitest';
import { ApiFailure, api, apiText, failureFrom, pages, paths } from './api.ts';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
const err = (code: string, message: string, hint = '') => ({ error: { code, message, hint } });

describe('failureFrom', () => {
  it('keeps the runner words and picks the kind from the status', async () => {
    const f = await failureFrom(
      json(404, err('CLASS_NOT_FOUND', 'There is no such class.', 'Check the link.')),
    );
    expect(f).toMatchObject({
      kind: 'not-found',
      code: 'CLASS_NOT_FOUND',
      message: 'There is no such class.',
      hint: 'Check the link.',
    });
    expect((await failureFrom(json(401, err('INSTRUCTOR_ONLY', 'Please log in.')))).kind).toBe(
      'signed-out',
    );
    expect((await failureFrom(json(400, err('BAD_REQUEST', 'bad')))).kind).toBe('invalid');
    expect((await failureFrom(json(500, err('INTERNAL', 'oops')))).kind).toBe('server');
  });

  it('reads retry-after of a throttled login', async () => {
    const f = await failureFrom(
      json(429, err('LOGIN_THROTTLED', 'Too many failed logins.'), { 'retry-after': '840' }),
    );
    expect(f.kind).toBe('throttled');
    expect(f.retryAfter).toBe(840);
  });

  it('treats a proxy error page as the runner not answering', async () => {
    const f = await failureFrom(new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(f.kind).toBe('offline');
    expect(f.message).toBe('The lab service is not answering.');
  });

  it('has words even when the body has none', async () => {
    const f = await failureFrom(new Response('nope', { status: 404 }));
    expect(f.message).toBe('There is nothing at this address.');
    expect(f.code).toBe('HTTP_404');
  });
});

describe('api', () => {
  it('returns the JSON of a good answer and sends JSON bodies', async () => {
    let seen: RequestInit | undefined;
    const fetch = (async (_: string, init?: RequestInit) => {
      seen = init;
      return json(201, { id: 'x' });
    }) as typeof globalThis.fetch;
    await expect(api('/api/x', { method: 'POST', body: { a: 1 }, fetch })).resolves.toEqual({
      id: 'x',
    });
    expect(seen?.body).toBe('{"a":1}');
    expect(seen?.credentials).toBe('same-origin');
  });

  it('says the runner is not answering when fetch fails', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    const e = await api('/api/x', { fetch }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiFailure);
    expect((e as ApiFailure).kind).toBe('offline');
    expect((e as ApiFailure).hint).toMatch(/Retry/);
  });

  it('fails plainly on an answer that is not JSON', async () => {
    const fetch = (async () => new Response('<html>', { status: 200 })) as typeof globalThis.fetch;
    await expect(api('/api/x', { fetch })).rejects.toMatchObject({ kind: 'server' });
    const text = (async () =>
      new Response('{"version":2}\n', { status: 200 })) as typeof globalThis.fetch;
    await expect(apiText('/rec', { fetch: text })).resolves.toBe('{"version":2}\n');
  });
});

describe('paths', () => {
  it('builds the runner and page addresses', () => {
    expect(paths.learner('c 1', 'l/2')).toBe('/api/instructor/classes/c%201/learners/l%2F2');
    expect(paths.recording('c', 'l', 7)).toBe('/api/instructor/classes/c/learners/l/recordings/7');
    expect(paths.shadow({ protocol: 'https:', host: 'x.test' }, 'c', 'l', 'lab')).toBe(
      'wss://x.test/api/instructor/classes/c/learners/l/shadow?lab=lab',
    );
    expect(pages.join('http://h:1', 'ABCD2345')).toBe('http://h:1/join/?code=ABCD2345');
    expect(pages.learner('c', 'l')).toBe('/instructor/learner/?class=c&id=l');
  });
});
