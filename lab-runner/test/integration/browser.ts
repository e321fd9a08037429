/**
 * A browser as far as signing in needs one: a cookie jar (keyed by host name, as browsers
 * share cookies between ports of one host) and requests that do not follow redirects, so a
 * test sees every hop. Only ever used against 127.0.0.1.
 */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  cookies(host = '127.0.0.1'): Map<string, string> {
    let c = this.jar.get(host);
    if (!c) {
      c = new Map();
      this.jar.set(host, c);
    }
    return c;
  }

  cookieHeader(url: string): string {
    return [...this.cookies(new URL(url).hostname)].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Copies of the jar, to put a browser back as it was (for replays). */
  snapshot(): Map<string, Map<string, string>> {
    return new Map([...this.jar].map(([h, c]) => [h, new Map(c)]));
  }

  restore(saved: Map<string, Map<string, string>>): void {
    this.jar.clear();
    for (const [h, c] of saved) this.jar.set(h, new Map(c));
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; accept?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: init.accept ?? 'text/html' };
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(url, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    const jar = this.cookies(new URL(url).hostname);
    for (const set of res.headers.getSetCookie()) {
      const [pair, ...attrs] = set.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (gone) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /** A JSON request to the runner, as a page's script makes it. */
  async api<T = unknown>(
    url: string,
    init: { method?: string; json?: unknown } = {},
  ): Promise<{ status: number; body: T }> {
    const res = await this.request(url, { ...init, accept: 'application/json' });
    return { status: res.status, body: (await res.json()) as T };
  }
}
