import { rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A unix-socket proxy in front of the engine that holds every request back for `delayMs`. */
export async function createSlowProxy(
  target: string,
  delayMs: number,
): Promise<{ path: string } & AsyncDisposable> {
  const path = join(tmpdir(), `slipway-slow-${process.pid}-${Date.now()}.sock`);
  const server = createServer((client) => {
    client.pause();
    const timer = setTimeout(() => {
      const upstream = createConnection(target);
      client.pipe(upstream).pipe(client);
      client.resume();
      upstream.on('error', () => client.destroy());
    }, delayMs);
    client.on('error', () => clearTimeout(timer));
    client.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((r) => server.listen(path, r));
  return {
    path,
    async [Symbol.asyncDispose]() {
      server.close();
      rmSync(path, { force: true });
    },
  };
}
