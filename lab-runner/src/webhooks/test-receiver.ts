import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** What the receiver answers the nth request (0-based); `hang` never answers. */
export type Answer = number | 'hang';

/**
 * A webhook receiver for tests, on 127.0.0.1 only: it records every request with its raw
 * body and answers with the status `answer` gives, or not at all.
 */
export async function startReceiver(answer: (n: number) => Answer = () => 204) {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let open = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = received.length;
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      });
      const a = answer(n);
      if (a === 'hang') {
        open++;
        res.on('close', () => open--);
        return;
      }
      res.writeHead(a, { 'content-type': 'text/plain' });
      res.end(a >= 300 ? `answer ${a}` : '');
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Requests held unanswered right now. */
    hanging: () => open,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** A loopback port nothing listens on: connections to it are refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}/hook`;
}
