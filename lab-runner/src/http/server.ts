import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { asSlipwayError, type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import { CloseCode, MAX_FRAME_BYTES } from '../protocol/index.ts';
import { truncateUtf8 } from '../terminal/output-decoder.ts';
import { clampSize } from '../terminal/resize.ts';
import { type ApiDeps, findLab, handleApi } from './api.ts';
import { serveLabSocket } from './lab-socket.ts';
import { originAllowed } from './origin.ts';
import { handlePreviewRequest, handlePreviewUpgrade } from './preview-proxy.ts';
import { sendError } from './responses.ts';
import { SHADOW_ROUTE, serveShadow } from './shadow-socket.ts';
import { serveStatic } from './static-files.ts';

export interface ServerDeps extends ApiDeps {
  store: ProgressStore;
  siteDir: string;
  /** Interval of WebSocket pings; a peer that misses one is dropped. */
  heartbeatMs?: number;
}

const TERMINAL_ROUTE = /^\/api\/labs\/([^/]+)\/terminal\/?$/;

const closeCodeFor = (e: SlipwayError): number =>
  e.code === 'NOT_SIGNED_IN'
    ? CloseCode.notSignedIn
    : e.code === 'LAB_NOT_FOUND'
      ? CloseCode.unknownLab
      : e.code === 'LAB_UNAVAILABLE'
        ? CloseCode.labUnavailable
        : CloseCode.badMessage;

export interface PlatformServer {
  server: Server;
  /** Tells every open lab socket the service is going away (1001), then stops listening. */
  shutdown(): Promise<void>;
}

/** One HTTP server: the built site, the JSON API and the lab WebSockets, on one port. */
export function createPlatformServer(deps: ServerDeps): PlatformServer {
  const { logger } = deps;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  const alive = new WeakMap<object, boolean>();

  const server = createServer((req, res) => {
    handlePreviewRequest(req, res, deps)
      .then((handled) => handled || handleApi(req, res, deps))
      .then((handled) => (handled ? undefined : serveStatic(deps.siteDir, req, res)))
      .catch((err) => sendError(res, err, logger, { path: req.url }));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? '').startsWith('/preview/')) {
      handlePreviewUpgrade(req, socket, head, deps).catch(() => socket.destroy());
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (SHADOW_ROUTE.test(url.pathname)) {
      if (!originAllowed(req, deps.allowedOrigins)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        alive.set(ws, true);
        ws.on('pong', () => alive.set(ws, true));
        serveShadow(ws, req, { ...deps.instructorApi, sessions: deps.sessions });
      });
      return;
    }
    const m = TERMINAL_ROUTE.exec(url.pathname);
    if (!m) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!originAllowed(req, deps.allowedOrigins)) {
      logger.warn('websocket from a foreign origin refused', { origin: req.headers.origin });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      // Refusals are sent as a close with a reason, which a browser can show; a failed
      // upgrade would only say "error".
      try {
        const learnerId = deps.identity.read(req);
        if (!learnerId) throw slipwayError('NOT_SIGNED_IN');
        const lab = findLab(deps.labs, decodeURIComponent(m[1]!));
        const size = clampSize(
          Number(url.searchParams.get('cols') ?? 80) || 80,
          Number(url.searchParams.get('rows') ?? 24) || 24,
        );
        deps.store.touchLearner(learnerId);
        serveLabSocket(ws, deps.sessions.get(learnerId, lab), size, deps);
      } catch (err) {
        const e = asSlipwayError(err);
        if (e.audience === 'system') logger.error('websocket refused', e);
        const learner = e.toLearner();
        ws.send(JSON.stringify({ v: 1, type: 'error', ...learner }));
        ws.close(closeCodeFor(e), truncateUtf8(learner.message, 123));
      }
    });
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, deps.heartbeatMs ?? 30_000);
  heartbeat.unref();
  return {
    server,
    async shutdown() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(CloseCode.goingAway, 'the lab service is restarting');
      // Give the close frames a moment to leave before the sockets are cut.
      await new Promise((r) => setTimeout(r, 50));
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
