import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SandboxProvider } from '../../src/sandbox/provider.ts';
import { sandboxesOf, testProvider } from './engine.ts';
import { openPreview } from './preview-client.ts';
import { rawRequest, rawUpgrade } from './raw-http.ts';
import { RunnerProcess } from './runner-process.ts';

/**
 * Previews run on an origin of their own. A web app in a learner's sandbox (which a hostile
 * image could have put there) is served with no authority over Slipway: only an entry token
 * from the site opens it, only for that learner's current sandbox, and nothing of Slipway's
 * (API, terminal, cookies) answers on the preview origin.
 */
const runner = new RunnerProcess({ prefix: 'it-preview' });
const LAB = 'first-containers';
let cookie: string;
let sandboxId: string;
let provider: SandboxProvider;

/** Runs a script as root in the learner's sandbox, as the learner could. */
const inSandbox = async (script: string) => {
  const r = await provider.exec(sandboxId, { cmd: ['bash', '-c', script] }, { timeoutMs: 60_000 });
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout;
};

/** What a one-shot server got, once it has written it down (it answers without waiting). */
const requestSeen = (file: string) =>
  vi.waitFor(
    async () => {
      const text = await inSandbox(`cat ${file}`);
      if (!text.includes('\r\n\r\n')) throw new Error(`no whole request in ${file} yet`);
      return text;
    },
    { timeout: 10_000, interval: 100 },
  );

/** A one-shot web server in the sandbox that records the request it got. */
const oneShot = (port: number, response: string, file: string) =>
  inSandbox(
    // It stays connected for a while after answering, so the request is read whatever the timing.
    `rm -f ${file}; ({ printf '${response}'; sleep 15; } | setsid nc -l -p ${port} -q 1 > ${file} 2>&1 &) </dev/null >/dev/null 2>&1; ` +
      `for i in $(seq 100); do ss -ltn | grep -q ':${port} ' && exit 0; sleep 0.05; done; exit 1`,
  );

beforeAll(async () => {
  ({ cookie } = await runner.learnerAtPrompt());
  provider = testProvider(runner.instance);
  const [only] = await provider.list({});
  sandboxId = only!.id;
  await inSandbox('docker run -d --name web -p 8080:80 nginx >/dev/null');
  await vi.waitFor(
    async () => {
      const { res } = await openPreview(runner.url, `/preview/${LAB}/8080/`, cookie);
      if (res.status !== 200) throw new Error(`nginx answers ${res.status} yet`);
    },
    { timeout: 30_000, interval: 200 },
  );
}, 180_000);
afterAll(() => runner.dispose());

describe('the preview origin', () => {
  it('is reached only through the site, which sends the learner there with a one-minute token', async () => {
    const site = await fetch(`${runner.url}/preview/${LAB}/8080/index.html?x=1`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(site.status).toBe(303);
    const entry = new URL(site.headers.get('location')!);
    expect(entry.origin).toBe(runner.previewUrl);
    expect(entry.pathname).toBe('/__slipway/enter');
    expect(site.headers.get('referrer-policy')).toBe('no-referrer');

    const entered = await fetch(entry, { redirect: 'manual' });
    expect(entered.status).toBe(303);
    expect(entered.headers.get('location')).toBe(`/preview/${LAB}/8080/index.html?x=1`);
    expect(entered.headers.get('set-cookie')).toMatch(
      new RegExp(
        `^slipway_preview_${LAB}=[^;]+; Path=/preview/${LAB}/; HttpOnly; SameSite=Lax; Max-Age=14400$`,
      ),
    );
    // The token is good for one entry only.
    const again = await fetch(entry, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('This preview has to be opened from its lab');

    const nobody = await fetch(`${runner.url}/preview/${LAB}/8080/`, { redirect: 'manual' });
    expect(nobody.status).toBe(401);
  });

  it('does not take the learner’s own cookie as a pass, nor a forged preview cookie', async () => {
    const direct = await fetch(`${runner.previewUrl}/preview/${LAB}/8080/`, {
      headers: { cookie },
    });
    expect(direct.status).toBe(401);
    const body = await direct.text();
    expect(body).toContain('This preview has to be opened from its lab');
    // It offers the way back: the same preview through the site.
    expect(body).toContain(`href="${runner.url}/preview/${LAB}/8080/"`);
    const forged = await fetch(`${runner.previewUrl}/preview/${LAB}/8080/`, {
      headers: { cookie: `slipway_preview_${LAB}=eyJrIjoicHJldmlldyJ9.AAAA` },
    });
    expect(forged.status).toBe(401);
  });

  it('answers nothing of Slipway: no API, no terminal socket, no site', async () => {
    const { cookie: pass } = await openPreview(runner.url, `/preview/${LAB}/8080/`, cookie);
    const both = `${cookie}; ${pass}`;
    for (const path of ['/api/progress', '/api/health', '/api/labs/first-containers', '/']) {
      const r = await fetch(`${runner.previewUrl}${path}`, { headers: { cookie: both } });
      expect(r.status, path).toBe(404);
      expect(await r.text(), path).not.toContain('"labs"');
    }
    const terminal = await rawUpgrade(
      `${runner.previewUrl}/api/labs/${LAB}/terminal`,
      { cookie: both, origin: runner.previewUrl },
      '\r\n\r\n',
    );
    expect(terminal).toMatch(/^HTTP\/1\.1 404/);
    // And the site refuses the preview origin as the origin of a terminal socket.
    const fromPreview = await rawUpgrade(
      `${runner.url}/api/labs/${LAB}/terminal`,
      { cookie: both, origin: runner.previewUrl },
      '\r\n\r\n',
    );
    expect(fromPreview).toMatch(/^HTTP\/1\.1 403/);
  });

  it('keeps Slipway’s cookies from the app, in both directions', async () => {
    await oneShot(
      8081,
      'HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nSet-Cookie: slipway_learner=forged; Path=/\\r\\nSet-Cookie: app=1; Path=/\\r\\nContent-Length: 9\\r\\nConnection: close\\r\\n\\r\\napp-says\\n',
      '/tmp/req-8081.txt',
    );
    const { res, cookie: pass } = await openPreview(runner.url, `/preview/${LAB}/8081/x`, cookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('app-says\n');
    expect(res.headers.getSetCookie()).toEqual(['app=1; Path=/preview/first-containers/8081/']);
    const seen = await requestSeen('/tmp/req-8081.txt');
    expect(seen).toMatch(/^GET \/x HTTP\/1\.1\r\n/);
    expect(seen).not.toMatch(/slipway_/i);
    expect(seen).not.toContain(pass.split('=')[1]!);
    expect(seen).toMatch(/x-forwarded-prefix: \/preview\/first-containers\/8081\r\n/i);
  });

  it('carries WebSockets to the app, opened from the preview origin only', async () => {
    const { cookie: pass } = await openPreview(runner.url, `/preview/${LAB}/8080/`, cookie);
    const upgrade =
      'HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\nhello-from-the-sandbox\\n';
    await oneShot(8090, upgrade, '/tmp/req-8090.txt');
    const url = `${runner.previewUrl}/preview/${LAB}/8090/live`;
    const fromSite = await rawUpgrade(url, { cookie: pass, origin: runner.url }, '\r\n\r\n');
    expect(fromSite).toMatch(/^HTTP\/1\.1 403/);
    const ok = await rawUpgrade(
      url,
      { cookie: `${cookie}; ${pass}`, origin: runner.previewUrl },
      'hello-from-the-sandbox',
    );
    expect(ok).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(ok).toContain('hello-from-the-sandbox');
    const seen = await requestSeen('/tmp/req-8090.txt');
    expect(seen).toMatch(/^GET \/live HTTP\/1\.1\r\n/);
    expect(seen).not.toMatch(/slipway_/i);
  });

  it('refuses a Host it is not served at', async () => {
    const { cookie: pass } = await openPreview(runner.url, `/preview/${LAB}/8080/`, cookie);
    const r = await rawRequest(`${runner.previewUrl}/preview/${LAB}/8080/`, {
      host: `evil.example:${runner.previewPort}`,
      cookie: pass,
    });
    expect(r.status).toBe(421);
    expect(r.body).toContain('does not answer for the host name');
  });

  it('a preview cookie dies with its sandbox', async () => {
    const { cookie: pass } = await openPreview(runner.url, `/preview/${LAB}/8080/`, cookie);
    expect(
      (await fetch(`${runner.url}/api/labs/${LAB}/reset`, { method: 'POST', headers: { cookie } }))
        .ok,
    ).toBe(true);
    const next = runner.labSocket(cookie);
    await next.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    expect(await sandboxesOf(runner.instance)).toHaveLength(1);
    const stale = await fetch(`${runner.previewUrl}/preview/${LAB}/8080/`, {
      headers: { cookie: pass },
    });
    expect(stale.status).toBe(401);
    next.close();
  });
});
