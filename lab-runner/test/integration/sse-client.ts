/** Reads a server-sent event stream with fetch, for tests. */
export class SseClient {
  readonly events: Array<{ event: string; data: unknown; at: number }> = [];
  private readonly abort = new AbortController();
  readonly ready: Promise<Response>;

  constructor(url: string, headers: Record<string, string>) {
    this.ready = fetch(url, { headers, signal: this.abort.signal });
    void this.ready.then(
      async (res) => {
        if (!res.body) return;
        const decoder = new TextDecoder();
        let buf = '';
        try {
          for await (const chunk of res.body) {
            buf += decoder.decode(chunk as Uint8Array, { stream: true });
            let end = buf.indexOf('\n\n');
            while (end >= 0) {
              const block = buf.slice(0, end);
              buf = buf.slice(end + 2);
              end = buf.indexOf('\n\n');
              const event = /^event: (.*)$/m.exec(block)?.[1];
              const data = /^data: (.*)$/m.exec(block)?.[1];
              if (event && data)
                this.events.push({ event, data: JSON.parse(data), at: Date.now() });
            }
          }
        } catch {
          // Closed by the test.
        }
      },
      () => {},
    );
  }

  async waitFor(pred: (e: { event: string; data: unknown }) => boolean, timeoutMs = 20_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      if (Date.now() > until)
        throw new Error(`no such event; got ${this.events.map((e) => e.event).join(', ')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): void {
    this.abort.abort();
  }
}
