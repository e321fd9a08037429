import WebSocket from 'ws';
import type { ServerMessage } from '../../src/protocol/index.ts';

/**
 * A lab WebSocket client for tests: collects every message and the terminal text. waitFor()
 * consumes messages in order, so consecutive waits see consecutive events.
 */
export class LabClient {
  readonly ws: WebSocket;
  private cursor = 0;
  readonly messages: ServerMessage[] = [];
  screen = '';
  closed: Promise<{ code: number; reason: string }>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as ServerMessage;
      if (m.type === 'output') this.screen += m.data;
      this.messages.push(m);
    });
    this.ws.on('error', () => {});
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`HTTP ${res.statusCode}`)),
      );
      this.ws.once('error', reject);
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  type(text: string): void {
    this.send({ v: 1, type: 'input', data: text });
  }

  async waitFor<T extends ServerMessage>(
    pred: (m: ServerMessage) => m is T,
    timeoutMs?: number,
  ): Promise<T>;
  async waitFor(pred: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  async waitFor(pred: (m: ServerMessage) => boolean, timeoutMs = 60_000): Promise<ServerMessage> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      for (; this.cursor < this.messages.length; this.cursor++) {
        const m = this.messages[this.cursor]!;
        if (pred(m)) {
          this.cursor++;
          return m;
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(
      `timed out; got ${this.messages.map((m) => (m.type === 'output' ? 'output' : JSON.stringify(m))).join('\n')}`,
    );
  }

  async waitForScreen(needle: string, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.screen.includes(needle)) {
      if (Date.now() > until)
        throw new Error(
          `screen never showed ${JSON.stringify(needle)}; screen: ${JSON.stringify(this.screen.slice(-500))}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  passed(): Set<string> {
    const out = new Set<string>();
    for (const m of this.messages)
      if (m.type === 'task' && m.task.state === 'passed') out.add(m.task.id);
    return out;
  }

  close(): void {
    this.ws.close();
  }
}
