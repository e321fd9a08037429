import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { asSlipwayError, type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { PreviewTokens } from '../identity/preview-tokens.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import {
  CloseCode,
  friendlyParse,
  MAX_FRAME_BYTES,
  terminalQuerySchema,
} from '../protocol/index.ts';
import { truncateUtf8 } from '../terminal/output-decoder.ts';
import { clampSize } from '../terminal/resize.ts';
import { type ApiDeps, findLab, handleApi } from './api.ts';
import { explainCloses } from './close-reasons.ts';
import { serveLabSocket } from './lab-socket.ts';
import { handleLti, type LtiRouteDeps } from './lti-routes.ts';
import { hostAllowed, originAllowed } from './origins.ts';
import { handlePreviewEntry } from './preview-entry.ts';
import { createPreviewServer } from './preview-server.ts';
import { pathProblem } from './request-path.ts';
import { sendError } from './responses.ts';
import { SHADOW_ROUTE, serveShadow } from './shadow-socket.ts';
import { handleSignIn, type SignInDeps } from './sign-in-routes.ts';
import { serveStatic } from './static-files.ts';

export interface ServerDeps extends ApiDeps {
  store: ProgressStore;
  siteDir: string;
  previewTokens: PreviewTokens;
  signIn: SignInDeps;
  lti: LtiRouteDeps;
  /** Interval of WebSocket pings; a peer that misses one is dropped. */
  heartbeatMs?: number;
}

const TERMINAL_ROUTE = /^\/api\/labs\/([^/]+)\/terminal\/?$/;

const closeCodeFor = (e: SlipwayError): number =>
  e.code === 'NOT_SIGNED_IN' || e.code === 'SIGN_IN_REQUIRED'
    ? CloseCode.notSignedIn
    : e.code === 'LAB_NOT_FOUND'
      ? CloseCode.unknownLab
      : e.code === 'LAB_UNAVAILABLE'
        ? CloseCode.labUnavailable
        : CloseCode.badMessage;

export interface PlatformServer {
  server: Server;
  /** Learners' web apps, on an origin of their own (see preview-server.ts). */
  previewServer: Server;
  /** Tells every open lab socket the service is going away (1001), then stops listening. */
  shutdown(): Promise<void>;
}

/** Refuses a request that names a host Slipway is not served at, or a malformed path. */
function refusal(req: IncomingMessage, deps: ServerDeps): SlipwayError | undefined {
  const bad = pathProblem(req.url);
  if (bad) return slipwayError('BAD_PATH', { detail: bad });
  if (!hostAllowed(req, deps.origins().siteHosts))
    return slipwayError('BAD_HOST', { host: req.headers.host ?? '' });
  return undefined;
}

function refuseUpgrade(socket: Duplex, e: SlipwayError): void {
  const text = `${e.message}\n${e.hint}\n`;
  socket.end(
    `HTTP/1.1 ${e.status} ${e.code}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/**
 * The site's server (the built site, the JSON API and the lab WebSockets, on one port) and the
 * preview server beside it.
 */
export function createPlatformServer(deps: ServerDeps): PlatformServer {
  const { logger } = deps;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  const alive = new WeakMap<object, boolean>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const refused = refusal(req, deps);
    if (refused) return sendError(res, refused, logger);
    handlePreviewEntry(req, res, deps)
      .then((handled) => handled || handleSignIn(req, res, deps.signIn))
      .then((handled) => handled || handleLti(req, res, deps.lti))
      .then((handled) => handled || handleApi(req, res, deps))
      .then((handled) => (handled ? undefined : serveStatic(deps.siteDir, req, res)))
      .catch((err) => sendError(res, err, logger, { path: req.url }));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refused = refusal(req, deps);
    if (refused) return refuseUpgrade(socket, refused);
    if (!originAllowed(req, deps.origins().site)) {
      logger.warn('websocket from a foreign origin refused', { origin: req.headers.origin });
      return refuseUpgrade(socket, slipwayError('FORBIDDEN_ORIGIN'));
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (SHADOW_ROUTE.test(url.pathname)) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        explainCloses(ws);
        alive.set(ws, true);
        ws.on('pong', () => alive.set(ws, true));
        serveShadow(ws, req, { ...deps.instructorApi, sessions: deps.sessions });
      });
      return;
    }
    const m = TERMINAL_ROUTE.exec(url.pathname);
    if (!m) return refuseUpgrade(socket, slipwayError('NOT_FOUND'));
    wss.handleUpgrade(req, socket, head, (ws) => {
      explainCloses(ws);
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      // Refusals are sent as a close with a reason, which a browser can show; a failed
      // upgrade would only say "error".
      try {
        const learnerId = deps.identity.read(req);
        deps.identity.mayAct(learnerId);
        if (!learnerId) throw slipwayError('NOT_SIGNED_IN');
        const lab = findLab(deps.labs, decodeURIComponent(m[1]!));
        const query = friendlyParse(terminalQuerySchema, {
          cols: url.searchParams.get('cols') ?? undefined,
          rows: url.searchParams.get('rows') ?? undefined,
        });
        if (!query.ok) {
          const detail = query.problems.map((p) => `${p.field}: ${p.expected}`).join('; ');
          throw slipwayError('BAD_MESSAGE', { detail: `terminal size in the address: ${detail}` });
        }
        const size = clampSize(query.value.cols, query.value.rows);
        deps.store.touchLearner(learnerId);
        serveLabSocket(ws, deps.sessions.get(learnerId, lab), size, deps);
      } catch (err) {
        const e = asSlipwayError(err);
        if (e.audience === 'system') logger.error('websocket refused', e);
        const learner = e.toLearner();
        ws.send(JSON.stringify({ v: 1, type: 'error', ...learner }));
        const reason =
          e.code === 'BAD_MESSAGE' ? `bad message: ${e.params.detail}` : learner.message;
        ws.close(closeCodeFor(e), truncateUtf8(reason, 123));
      }
    });
  });

  const previewServer = createPreviewServer(deps);

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
    previewServer,
    async shutdown() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(CloseCode.goingAway, 'the lab service is restarting');
      // Give the close frames a moment to leave before the sockets are cut.
      await new Promise((r) => setTimeout(r, 50));
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      for (const s of [server, previewServer]) s.closeAllConnections();
      await Promise.all(
        [server, previewServer].map(
          (s) => new Promise<void>((r) => (s.listening ? s.close(() => r()) : r())),
        ),
      );
    },
  };
}
