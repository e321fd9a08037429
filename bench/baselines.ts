/**
 * The baselines: the same work done without Slipway, straight at the engine, in the same run.
 * Every container made here carries the bench's instance label and is removed before return.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { type AddressInfo, WebSocket, WebSocketServer } from 'ws';

const run = promisify(execFile);

/** A `docker exec -it` run through `script` so it has a real TTY, as a learner's would. */
export function rawExecTty(
  host: string,
  container: string,
  cmd: string,
): ChildProcessWithoutNullStreams {
  return spawn('script', ['-qfc', `docker -H ${host} exec -it ${container} ${cmd}`, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Spawns `cmd`, resolves with the ms until its output contains `needle`, then kills it. */
export async function timeToOutput(
  proc: () => ChildProcessWithoutNullStreams,
  needle: RegExp,
): Promise<number> {
  const t0 = performance.now();
  const p = proc();
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (needle.test(out)) resolve();
      });
      p.on('exit', (code) =>
        reject(new Error(`exited ${code} before ${needle}: ${out.slice(-300)}`)),
      );
    });
    return performance.now() - t0;
  } finally {
    p.kill('SIGKILL');
  }
}

/**
 * `docker run -d` of a course image then `docker exec -it bash` to its prompt: what a start
 * costs with nothing in between. Returns ms from the run to the prompt.
 */
export async function runThenExec(host: string, image: string, labels: string[]): Promise<number> {
  const t0 = performance.now();
  const { stdout } = await run('docker', [
    '-H',
    host,
    'run',
    '-d',
    ...labels.flatMap((l) => ['--label', l]),
    '--entrypoint',
    'sleep',
    image,
    'infinity',
  ]);
  const id = stdout.trim();
  try {
    await timeToOutput(() => rawExecTty(host, id, 'bash --norc -i'), /[#$] $/m);
    return performance.now() - t0;
  } finally {
    await run('docker', ['-H', host, 'rm', '-f', id]);
  }
}

/** Removes the engine's image seeds (a cache; the runner rebuilds one on first use). */
export async function removeImageSeeds(host: string): Promise<void> {
  const { stdout } = await run('docker', [
    '-H',
    host,
    'volume',
    'ls',
    '-q',
    '--filter',
    'label=slipway.kind=image-seed',
  ]);
  const seeds = stdout.split('\n').filter(Boolean);
  if (seeds.length) await run('docker', ['-H', host, 'volume', 'rm', ...seeds]);
}

/** Round trips of one character through a bare WebSocket echo server on loopback: the floor. */
export async function bareWebSocketEcho(keys: number): Promise<number[]> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (s) => s.on('message', (d) => s.send(d)));
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((r) => ws.once('open', r));
  const out: number[] = [];
  try {
    for (let i = 0; i < keys; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        ws.once('message', () => resolve());
        ws.send(JSON.stringify({ v: 1, type: 'input', data: 'a' }));
      });
      out.push(performance.now() - t0);
    }
  } finally {
    ws.close();
    await new Promise((r) => server.close(r));
  }
  return out;
}

/** Bytes per second of `cmd`'s output through a raw `docker exec -t`, read to the end. */
export async function rawExecThroughput(
  host: string,
  container: string,
  cmd: string,
): Promise<{ bytes: number; ms: number }> {
  const t0 = performance.now();
  const p = spawn('docker', ['-H', host, 'exec', '-t', container, 'bash', '-c', cmd], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let bytes = 0;
  p.stdout.on('data', (d: Buffer) => {
    bytes += d.length;
  });
  await new Promise((r) => p.on('close', r));
  return { bytes, ms: performance.now() - t0 };
}
