import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { z } from 'zod';
import { asSlipwayError, type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import { type AgentRoute, agentRoutes, friendlyParse } from '../protocol/index.ts';
import type { DockerHost } from '../sandbox/docker/docker-host.ts';
import { engineCall, isGone } from '../sandbox/docker/engine-errors.ts';
import { APP, LABEL } from '../sandbox/labels.ts';
import type { Terminal } from '../sandbox/provider.ts';
import type { Credentials } from './credentials.ts';

export interface AgentDeps {
  host: DockerHost;
  /** This node's engine, to check what a request names before touching it. */
  docker: Docker;
  credentials: Credentials;
  logger: Logger;
}

/** How long a closed terminal's exec is remembered (its state may still be asked for). */
const TERMINAL_GRACE_MS = 60_000;
const BODY_LIMIT = 1024 * 1024;

/**
 * A cluster node's agent: does for the runner what must happen on this node (see
 * sandbox/host.ts), over HTTPS with mutual TLS. It answers only the runner's certificate and
 * only about Slipway sandboxes: a container without Slipway's sandbox labels, or a volume
 * without its labels, is refused whatever the request says. Streams (terminals, ports) are
 * HTTP upgrades that become raw byte pipes.
 */
export function createAgentServer(deps: AgentDeps): Server {
  const terminals = new Map<string, Terminal>();
  const server = createServer({
    ca: deps.credentials.ca,
    cert: deps.credentials.cert,
    key: deps.credentials.key,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.3',
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err) => fail(res, err));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(req, socket, head).catch((err) => {
      const e = asSlipwayError(err);
      if (e.audience === 'system') deps.logger.error('agent stream refused', e);
      socket.end(
        `HTTP/1.1 ${e.status} ${e.code}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ error: wire(e) })}`,
      );
    });
  });

  /** Only Slipway's sandboxes: the labels the providers put on every sandbox container. */
  async function sandbox(container: string): Promise<void> {
    const c = await deps.docker
      .getContainer(container)
      .inspect()
      .catch(() => undefined);
    const labels = c?.Config.Labels ?? {};
    if (!c) throw slipwayError('SANDBOX_GONE');
    if (labels[LABEL.app] !== APP || labels[LABEL.kind] !== 'sandbox')
      throw slipwayError('AGENT_REFUSED', { what: `container ${container.slice(0, 12)}` });
  }

  async function volume(name: string): Promise<boolean> {
    const v = await deps.docker
      .getVolume(name)
      .inspect()
      .catch(() => undefined);
    if (!v) return false;
    if (v.Labels?.[LABEL.app] !== APP || v.Labels?.[LABEL.kind] !== 'volume')
      throw slipwayError('AGENT_REFUSED', { what: `volume ${name}` });
    return true;
  }

  /** A sandbox's volume, once Swarm has removed the container that used it (a few seconds). */
  async function removeVolume(name: string): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        await engineCall('removing the sandbox volume', () => deps.docker.getVolume(name).remove());
        return;
      } catch (err) {
        if (isGone(err)) return;
        if (i >= 150 || !/in use/i.test(asSlipwayError(err).message)) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'https://agent').pathname;
    if (path === '/v1/ping') return json(res, 200, { ok: true });
    if (req.method !== 'POST')
      throw slipwayError('METHOD_NOT_ALLOWED', { method: req.method ?? '?' });
    const route = path as AgentRoute;
    if (!(route in agentRoutes) || route === '/v1/terminal' || route === '/v1/port')
      throw slipwayError('NOT_FOUND');
    const body = parse(route, await readBody(req));
    const timeout = 'timeoutMs' in body ? { timeoutMs: body.timeoutMs } : {};
    switch (route) {
      case '/v1/exec': {
        const b = body as z.output<(typeof agentRoutes)['/v1/exec']>;
        await sandbox(b.container);
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        let sent = 0;
        const result = await deps.host.exec(
          b.container,
          {
            cmd: b.cmd,
            ...(b.env ? { env: b.env } : {}),
            ...(b.user ? { user: b.user } : {}),
            ...(b.workdir ? { workdir: b.workdir } : {}),
            ...(b.in ? { in: b.in } : {}),
            ...(b.sandboxProcesses ? { sandboxProcesses: true } : {}),
            ...(b.stdin !== undefined ? { stdin: b.stdin } : {}),
            ...(b.maxOutputBytes ? { maxOutputBytes: b.maxOutputBytes } : {}),
            onStdout: (soFar) => {
              res.write(`${JSON.stringify({ out: soFar.slice(sent) })}\n`);
              sent = soFar.length;
            },
          },
          timeout,
        );
        res.end(`${JSON.stringify({ result })}\n`);
        return;
      }
      case '/v1/terminal/resize': {
        const b = body as z.output<(typeof agentRoutes)['/v1/terminal/resize']>;
        const t = terminals.get(b.terminal);
        if (!t) throw slipwayError('SANDBOX_GONE');
        await t.resize(b.cols, b.rows);
        return json(res, 200, { ok: true });
      }
      case '/v1/terminal/state': {
        const b = body as z.output<(typeof agentRoutes)['/v1/terminal/state']>;
        const t = terminals.get(b.terminal);
        if (!t) throw slipwayError('SANDBOX_GONE');
        return json(res, 200, { exitCode: await t.exitCode() });
      }
      case '/v1/stats': {
        const b = body as z.output<(typeof agentRoutes)['/v1/stats']>;
        await sandbox(b.container);
        return json(res, 200, await deps.host.stats(b.container, timeout));
      }
      case '/v1/disk': {
        const b = body as z.output<(typeof agentRoutes)['/v1/disk']>;
        await sandbox(b.container);
        return json(res, 200, { bytes: await deps.host.diskUsage(b.container, timeout) });
      }
      case '/v1/load-images': {
        const b = body as z.output<(typeof agentRoutes)['/v1/load-images']>;
        await sandbox(b.container);
        await deps.host.loadImages(b.container, b.images, timeout);
        return json(res, 200, { ok: true });
      }
      case '/v1/hand-over': {
        const b = body as z.output<(typeof agentRoutes)['/v1/hand-over']>;
        await sandbox(b.container);
        const r = await deps.host.handOver(
          b.container,
          {
            ...(b.images ? { images: b.images } : {}),
            ...(b.seedSpec ? { seedSpec: b.seedSpec } : {}),
            ...(b.signal ? { signal: true } : {}),
          },
          timeout,
        );
        return json(res, 200, r);
      }
      case '/v1/volumes/list': {
        const b = body as z.output<(typeof agentRoutes)['/v1/volumes/list']>;
        const found = await deps.docker.listVolumes({
          filters: {
            label: [
              `${LABEL.app}=${APP}`,
              `${LABEL.kind}=volume`,
              `${LABEL.instance}=${b.instance}`,
            ],
          },
        });
        return json(res, 200, {
          volumes: (found.Volumes ?? []).map((v) => ({
            name: v.Name,
            labels: v.Labels ?? {},
            createdAt: (v as { CreatedAt?: string }).CreatedAt ?? null,
          })),
        });
      }
      case '/v1/activity': {
        const b = body as z.output<(typeof agentRoutes)['/v1/activity']>;
        await sandbox(b.container);
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write('{"watching":true}\n');
        const hangUp = new AbortController();
        res.once('close', () => hangUp.abort());
        await deps.host.watchActivity(
          b.container,
          () => res.write('{"activity":true}\n'),
          hangUp.signal,
        );
        res.end('{"ended":true}\n');
        return;
      }
      case '/v1/volumes/remove': {
        const b = body as z.output<(typeof agentRoutes)['/v1/volumes/remove']>;
        if (await volume(b.volume)) await removeVolume(b.volume);
        return json(res, 200, { ok: true });
      }
    }
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = new URL(req.url ?? '/', 'https://agent').pathname;
    const raw = req.headers['x-slipway-params'];
    let params: unknown;
    try {
      params = JSON.parse(Buffer.from(String(raw ?? ''), 'base64url').toString('utf8'));
    } catch {
      throw slipwayError('BAD_REQUEST', { detail: 'x-slipway-params is not base64url JSON' });
    }
    let stream: Duplex;
    const headers: string[] = [];
    if (path === '/v1/terminal') {
      const b = parse('/v1/terminal', params) as z.output<(typeof agentRoutes)['/v1/terminal']>;
      await sandbox(b.container);
      const t = await deps.host.openTerminal(b.container, {
        cmd: b.cmd,
        cols: b.cols,
        rows: b.rows,
        user: b.user,
        ...(b.env ? { env: b.env } : {}),
        ...(b.workdir ? { workdir: b.workdir } : {}),
      });
      terminals.set(t.id, t);
      t.stream.once('close', () =>
        setTimeout(() => terminals.delete(t.id), TERMINAL_GRACE_MS).unref(),
      );
      stream = t.stream;
      headers.push(`x-slipway-terminal: ${t.id}`);
    } else if (path === '/v1/port') {
      const b = parse('/v1/port', params) as z.output<(typeof agentRoutes)['/v1/port']>;
      await sandbox(b.container);
      stream = await deps.host.connectPort(b.container, b.port);
    } else {
      throw slipwayError('NOT_FOUND');
    }
    (socket as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
    socket.write(
      [
        'HTTP/1.1 101 Switching Protocols',
        'Connection: Upgrade',
        'Upgrade: slipway-stream',
        ...headers,
        '',
        '',
      ].join('\r\n'),
    );
    if (head.length > 0) stream.write(head);
    stream.pipe(socket);
    socket.pipe(stream);
    const end = () => {
      stream.destroy();
      socket.destroy();
    };
    stream.on('error', end);
    socket.on('error', end);
    stream.once('close', end);
    socket.once('close', end);
  }

  function fail(res: ServerResponse, err: unknown): void {
    const e = asSlipwayError(err);
    if (e.audience === 'system') deps.logger.error('agent request failed', e);
    if (res.headersSent) {
      res.end(`${JSON.stringify({ error: wire(e) })}\n`);
      return;
    }
    json(res, e.status, { error: wire(e) });
  }

  return server;
}

/** An error as it travels to the runner: learner-facing ones whole, system ones with detail. */
function wire(e: SlipwayError) {
  return { code: e.code, message: e.message, params: e.params };
}

function parse<R extends AgentRoute>(route: R, body: unknown): z.output<(typeof agentRoutes)[R]> {
  const parsed = friendlyParse(agentRoutes[route], body);
  if (!parsed.ok)
    throw slipwayError('BAD_REQUEST', {
      detail: parsed.problems.map((p) => `${p.field || 'body'}: ${p.expected}`).join('; '),
    });
  return parsed.value as z.output<(typeof agentRoutes)[R]>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(data),
  });
  res.end(data);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        reject(slipwayError('BAD_REQUEST', { detail: 'the body is too large' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        reject(slipwayError('BAD_REQUEST', { detail: 'the body is not JSON' }));
      }
    });
    req.on('error', reject);
  });
}
