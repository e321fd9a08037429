import type { WebSocket } from 'ws';
import { asSlipwayError, type SlipwayError, slipwayError } from '../errors/catalogue.ts';
import type { Logger } from '../errors/log.ts';
import type { ProgressStore } from '../progress/progress-store.ts';
import {
  CloseCode,
  clientMessageSchema,
  friendlyParse,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '../protocol/index.ts';
import type { SandboxProvider, Terminal } from '../sandbox/provider.ts';
import type { LabSession, ReadySandbox } from '../sessions/lab-session.ts';
import { OutputDecoder, truncateUtf8 } from '../terminal/output-decoder.ts';
import { clampSize } from '../terminal/resize.ts';

export interface LabSocketDeps {
  provider: SandboxProvider;
  store: ProgressStore;
  logger: Logger;
}

const SHELL = ['bash', '-l'];
/** A shell that keeps exiting at once is not restarted forever. */
const MAX_QUICK_RESPAWNS = 3;
/** Keystrokes typed while the shell is still opening are kept (up to this many characters). */
const MAX_PENDING_INPUT = 4096;

/**
 * One browser tab's lab connection: task updates and status for the session, and a login
 * shell in the learner's sandbox. Bad frames close the socket with a reason; the session, the
 * sandbox and saved progress are untouched by anything that happens here.
 */
export function serveLabSocket(
  ws: WebSocket,
  session: LabSession,
  size: { cols: number; rows: number },
  deps: LabSocketDeps,
): void {
  const { provider, logger } = deps;
  let terminal: Terminal | undefined;
  let closed = false;
  let cols = size.cols;
  let rows = size.rows;
  let quickExits = 0;
  let pendingInput = '';

  const send = (msg: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const sendError = (e: SlipwayError) =>
    send({ v: PROTOCOL_VERSION, type: 'error', ...e.toLearner() });
  const closeWith = (code: number, reason: string) => {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING)
      ws.close(code, truncateUtf8(reason, 123));
  };

  send({ v: PROTOCOL_VERSION, type: 'tasks', tasks: session.taskStatuses() });
  send(session.statusMessage());
  const unsubscribe = session.subscribe((msg) => {
    send(msg);
    // A sandbox that died takes its shell with it.
    if (msg.type === 'status' && (msg.phase === 'stopped' || msg.phase === 'failed'))
      void dropTerminal();
  });

  const dropTerminal = async () => {
    const t = terminal;
    terminal = undefined;
    if (t) await Promise.resolve(t[Symbol.asyncDispose]()).catch(() => {});
  };

  const openShell = async (sandbox: ReadySandbox) => {
    if (closed || terminal) return;
    const started = Date.now();
    const t = await provider.openTerminal(sandbox.id, { cmd: SHELL, cols, rows });
    if (closed) {
      await t[Symbol.asyncDispose]();
      return;
    }
    terminal = t;
    if (pendingInput) {
      t.stream.write(pendingInput);
      if (pendingInput.includes('\r')) session.commandEntered();
      pendingInput = '';
    }
    const decoder = new OutputDecoder();
    t.stream.on('data', (chunk: Buffer) => {
      const text = decoder.push(chunk);
      if (text) send({ v: PROTOCOL_VERSION, type: 'output', data: text });
    });
    t.stream.on('error', () => {});
    t.stream.once('close', () => {
      if (terminal !== t || closed) return;
      terminal = undefined;
      void afterShellEnded(sandbox, Date.now() - started);
    });
  };

  const afterShellEnded = async (sandbox: ReadySandbox, livedMs: number) => {
    // A shell also ends when its sandbox dies; the engine may need a moment to say so.
    await new Promise((r) => setTimeout(r, 250));
    if (await sandboxDied(sandbox)) return;
    quickExits = livedMs < 2000 ? quickExits + 1 : 0;
    if (quickExits > MAX_QUICK_RESPAWNS) {
      sendError(slipwayError('SANDBOX_START_FAILED', { reason: 'its shell keeps exiting' }));
      return;
    }
    send({
      v: PROTOCOL_VERSION,
      type: 'output',
      data: '\r\n\x1b[2m[shell exited; starting a new one]\x1b[0m\r\n',
    });
    await openShell(sandbox).catch(async (err) => {
      if (!(await sandboxDied(sandbox))) sendError(asSlipwayError(err));
    });
  };

  /** True (and the session told) when the sandbox is no longer running. */
  const sandboxDied = async (sandbox: ReadySandbox): Promise<boolean> => {
    const info = await provider.inspect(sandbox.id).catch(() => undefined);
    if (info?.state === 'running') return false;
    const detail = info?.exit?.oomKilled
      ? 'it ran out of memory'
      : info
        ? `it exited with code ${info.exit?.code ?? '?'}`
        : 'it was removed';
    session.sandboxGone(sandbox.sessionId, detail);
    return true;
  };

  const connect = () => {
    session.start().then(
      (sandbox) =>
        openShell(sandbox).catch((err) => {
          const e = asSlipwayError(err);
          logger.error('could not open a terminal', e, { lab: session.lab.id });
          sendError(e);
        }),
      () => {}, // The session already told every subscriber why.
    );
  };
  connect();

  ws.on('message', (raw, isBinary) => {
    if (isBinary) return badMessage('binary frames are not accepted');
    let json: unknown;
    try {
      json = JSON.parse(raw.toString());
    } catch {
      return badMessage('it is not JSON');
    }
    const parsed = friendlyParse(clientMessageSchema, json);
    if (!parsed.ok) {
      return badMessage(
        parsed.problems.map((p) => (p.field ? `${p.field}: ${p.expected}` : p.expected)).join('; '),
      );
    }
    const msg = parsed.value;
    switch (msg.type) {
      case 'input':
        if (terminal) {
          terminal.stream.write(msg.data);
          if (msg.data.includes('\r')) session.commandEntered();
        } else if (session.sandboxStatus.kind !== 'failed') {
          pendingInput = (pendingInput + msg.data).slice(-MAX_PENDING_INPUT);
        }
        return;
      case 'resize': {
        ({ cols, rows } = clampSize(msg.cols, msg.rows));
        terminal?.resize(cols, rows).catch(() => {});
        return;
      }
      case 'check':
        if (session.sandboxStatus.kind === 'ready') void session.runChecks('click');
        else if (session.sandboxStatus.kind !== 'starting') connect();
        return;
      case 'hint':
      case 'solution':
        if (session.lab.tasks.some((t) => t.id === msg.taskId)) {
          deps.store.recordLearnerEvent({
            learnerId: session.learnerId,
            labId: session.lab.id,
            taskId: msg.taskId,
            kind: msg.type,
          });
        }
        return;
    }
  });

  function badMessage(detail: string) {
    const e = slipwayError('BAD_MESSAGE', { detail });
    logger.warn('bad websocket message', { lab: session.lab.id, detail });
    sendError(e);
    closeWith(CloseCode.badMessage, `bad message: ${detail}`);
  }

  ws.on('close', () => {
    closed = true;
    unsubscribe();
    void dropTerminal();
  });
  ws.on('error', () => {});
}
