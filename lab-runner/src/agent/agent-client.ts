import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import type { Duplex } from 'node:stream';
import { catalogue, type ErrorCode, SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { CourseImage } from '../labs/course-images.ts';
import type { AgentRequest, AgentRoute } from '../protocol/index.ts';
import type { HandOverRequest, HandOverResult, SandboxHost } from '../sandbox/host.ts';
import {
  type CallOptions,
  deadline,
  type ExecRequest,
  type ExecResult,
  type SandboxStats,
  type Terminal,
  type TerminalRequest,
} from '../sandbox/provider.ts';
import { AGENT_SERVER_NAME, type Credentials } from './credentials.ts';

export interface AgentAddress {
  /** The node's name, for messages ("the machine your sandbox runs on (node-2)"). */
  node: string;
  host: string;
  port: number;
}

/**
 * A node's agent, seen from the runner: the SandboxHost of that node, over mutual TLS. Engine
 * errors arrive as the agent's SlipwayErrors; an agent that does not answer is NODE_UNAVAILABLE.
 */
export class RemoteHost implements SandboxHost {
  private readonly at: AgentAddress;
  private readonly agent: Agent;
  private readonly callTimeoutMs: number;

  constructor(at: AgentAddress, credentials: Credentials, callTimeoutMs = 30_000) {
    this.at = at;
    this.callTimeoutMs = callTimeoutMs;
    this.agent = new Agent({
      ca: credentials.ca,
      cert: credentials.cert,
      key: credentials.key,
      servername: AGENT_SERVER_NAME,
      keepAlive: true,
      minVersion: 'TLSv1.3',
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private options(path: string, signal: AbortSignal, headers: Record<string, string> = {}) {
    return {
      host: this.at.host,
      port: this.at.port,
      path,
      method: 'POST',
      agent: this.agent,
      servername: AGENT_SERVER_NAME,
      signal,
      headers: { 'content-type': 'application/json', ...headers },
    };
  }

  private unreachable(err: unknown): SlipwayError {
    if (err instanceof SlipwayError) return err;
    const e = err as { name?: string };
    if (e?.name === 'AbortError' || e?.name === 'TimeoutError')
      return slipwayError('ENGINE_TIMEOUT', { operation: `asking ${this.at.node}'s agent` }, err);
    return slipwayError('NODE_UNAVAILABLE', { node: this.at.node }, err);
  }

  /** One request; `each` sees every NDJSON line of a streamed answer as it arrives. */
  private call<R extends AgentRoute, T>(
    route: R,
    body: AgentRequest<R>,
    opts: CallOptions | undefined,
    defaultMs = this.callTimeoutMs,
    each?: (line: Record<string, unknown>) => void,
  ): Promise<T> {
    const signal = deadline(opts, defaultMs + 5_000);
    return new Promise<T>((resolve, reject) => {
      const req = request(this.options(route, signal), (res: IncomingMessage) => {
        let buffered = '';
        let last: Record<string, unknown> | undefined;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          if (!each) return;
          let nl = buffered.indexOf('\n');
          while (nl >= 0) {
            const line = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>;
            buffered = buffered.slice(nl + 1);
            nl = buffered.indexOf('\n');
            last = line;
            each(line);
          }
        });
        res.on('end', () => {
          try {
            const answer = (each ? last : JSON.parse(buffered || '{}')) as Record<string, unknown>;
            if (answer?.error) return reject(fromWire(answer.error));
            if ((res.statusCode ?? 500) >= 400)
              return reject(
                slipwayError('ENGINE_ERROR', {
                  operation: route,
                  detail: `HTTP ${res.statusCode}`,
                }),
              );
            resolve(answer as T);
          } catch (err) {
            reject(slipwayError('ENGINE_ERROR', { operation: route, detail: String(err) }));
          }
        });
        res.on('error', (err) => reject(this.unreachable(err)));
      });
      req.on('error', (err) => reject(this.unreachable(err)));
      req.end(JSON.stringify(body));
    });
  }

  /** An upgrade to a raw stream; resolves with the stream and the agent's answer headers. */
  private stream<R extends AgentRoute>(
    route: R,
    params: AgentRequest<R>,
    opts: CallOptions | undefined,
  ): Promise<{ socket: Duplex; headers: IncomingMessage['headers'] }> {
    const signal = deadline(opts, this.callTimeoutMs);
    return new Promise((resolve, reject) => {
      const req = request(
        this.options(route, signal, {
          connection: 'Upgrade',
          upgrade: 'slipway-stream',
          'x-slipway-params': Buffer.from(JSON.stringify(params)).toString('base64url'),
        }),
      );
      req.on('upgrade', (res, socket, head) => {
        // Keystrokes are single bytes: never hold one back to batch it.
        (socket as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
        if (head.length > 0) socket.unshift(head);
        resolve({ socket, headers: res.headers });
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          try {
            reject(fromWire((JSON.parse(text) as { error: unknown }).error));
          } catch {
            reject(
              slipwayError('ENGINE_ERROR', { operation: route, detail: `HTTP ${res.statusCode}` }),
            );
          }
        });
      });
      req.on('error', (err) => reject(this.unreachable(err)));
      req.end();
    });
  }

  async exec(container: string, req: ExecRequest, opts?: CallOptions): Promise<ExecResult> {
    if (req.stdin !== undefined && typeof req.stdin !== 'string')
      throw slipwayError('INTERNAL', { detail: 'a streamed stdin cannot be sent to a node agent' });
    const timeoutMs = opts?.timeoutMs ?? this.callTimeoutMs;
    let soFar = '';
    const answer = await this.call<'/v1/exec', { result: ExecResult }>(
      '/v1/exec',
      {
        container,
        cmd: req.cmd,
        ...(req.env ? { env: req.env } : {}),
        ...(req.user ? { user: req.user } : {}),
        ...(req.workdir ? { workdir: req.workdir } : {}),
        ...(req.in ? { in: req.in } : {}),
        ...(req.sandboxProcesses ? { sandboxProcesses: true } : {}),
        ...(typeof req.stdin === 'string' ? { stdin: req.stdin } : {}),
        ...(req.maxOutputBytes ? { maxOutputBytes: req.maxOutputBytes } : {}),
        timeoutMs,
      },
      { ...opts, timeoutMs },
      timeoutMs,
      (line) => {
        if (typeof line.out === 'string' && line.out) {
          soFar += line.out;
          req.onStdout?.(soFar);
        }
      },
    );
    return answer.result;
  }

  /** Hears the sandbox engine's activity through the node's agent (see SandboxHost). */
  async watchActivity(container: string, onActivity: () => void, signal: AbortSignal) {
    await this.call<'/v1/activity', unknown>(
      '/v1/activity',
      { container },
      // As long as the caller wants (a timer's longest is 2^31-1 ms; the call adds 5 s).
      { signal, timeoutMs: 2_000_000_000 },
      2_000_000_000,
      (line) => {
        if (line.activity === true) onActivity();
      },
    ).catch((err) => {
      if (!signal.aborted) throw err;
    });
  }

  async openTerminal(
    container: string,
    req: TerminalRequest & { user: string },
    opts?: CallOptions,
  ): Promise<Terminal> {
    const { socket, headers } = await this.stream(
      '/v1/terminal',
      {
        container,
        cmd: req.cmd,
        cols: req.cols,
        rows: req.rows,
        user: req.user,
        ...(req.env ? { env: req.env } : {}),
        ...(req.workdir ? { workdir: req.workdir } : {}),
      },
      opts,
    );
    const terminal = String(headers['x-slipway-terminal'] ?? '');
    return {
      stream: socket,
      resize: async (cols, rows, o) => {
        await this.call('/v1/terminal/resize', { terminal, cols, rows }, o, 5_000);
      },
      exitCode: async (o) =>
        (
          await this.call<'/v1/terminal/state', { exitCode: number | null }>(
            '/v1/terminal/state',
            { terminal },
            o,
            5_000,
          )
        ).exitCode,
      [Symbol.asyncDispose]: async () => {
        socket.destroy();
      },
    };
  }

  async connectPort(container: string, port: number, opts?: CallOptions): Promise<Duplex> {
    try {
      return (await this.stream('/v1/port', { container, port }, opts)).socket;
    } catch (err) {
      if (err instanceof SlipwayError && err.code === 'PREVIEW_UNREACHABLE') throw err;
      throw slipwayError('PREVIEW_UNREACHABLE', { port: String(port) }, err);
    }
  }

  async loadImages(
    container: string,
    images: readonly CourseImage[],
    opts?: CallOptions,
  ): Promise<void> {
    const timeoutMs = opts?.timeoutMs ?? 180_000;
    await this.call(
      '/v1/load-images',
      { container, images: [...images], timeoutMs },
      opts,
      timeoutMs,
    );
  }

  stats(container: string, opts?: CallOptions): Promise<SandboxStats> {
    return this.call('/v1/stats', { container }, opts);
  }

  async diskUsage(container: string, opts?: CallOptions): Promise<number> {
    return (await this.call<'/v1/disk', { bytes: number }>('/v1/disk', { container }, opts)).bytes;
  }

  handOver(container: string, req: HandOverRequest, opts?: CallOptions): Promise<HandOverResult> {
    const timeoutMs = opts?.timeoutMs ?? 300_000;
    return this.call(
      '/v1/hand-over',
      {
        container,
        ...(req.images ? { images: [...req.images] } : {}),
        ...(req.seedSpec ? { seedSpec: req.seedSpec } : {}),
        ...(req.signal ? { signal: true } : {}),
        timeoutMs,
      },
      opts,
      timeoutMs,
    );
  }

  async volumes(
    instance: string,
    opts?: CallOptions,
  ): Promise<Array<{ name: string; labels: Record<string, string>; createdAt: string | null }>> {
    return (
      await this.call<
        '/v1/volumes/list',
        {
          volumes: Array<{
            name: string;
            labels: Record<string, string>;
            createdAt: string | null;
          }>;
        }
      >('/v1/volumes/list', { instance }, opts)
    ).volumes;
  }

  async removeVolume(volume: string, opts?: CallOptions): Promise<void> {
    await this.call('/v1/volumes/remove', { volume }, opts);
  }

  async ping(opts?: CallOptions): Promise<void> {
    const signal = deadline(opts, 5_000);
    await new Promise<void>((resolve, reject) => {
      const req = request({ ...this.options('/v1/ping', signal), method: 'GET' }, (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 500) < 400
            ? resolve()
            : reject(this.unreachable(new Error(`HTTP ${res.statusCode}`))),
        );
      });
      req.on('error', (err) => reject(this.unreachable(err)));
      req.end();
    });
  }
}

/** An agent's error, as the runner's own: a known code keeps its words; others are system errors. */
function fromWire(raw: unknown): SlipwayError {
  const e = (raw ?? {}) as { code?: string; message?: string; params?: Record<string, string> };
  if (e.code && e.code in catalogue) return slipwayError(e.code as ErrorCode, e.params ?? {});
  return slipwayError('ENGINE_ERROR', {
    operation: 'a node agent',
    detail: e.message ?? 'unknown',
  });
}
