/**
 * Live shadow: a read-only copy of a learner's terminal, fed by the runner's shadow socket
 * (the recent screen first, then live output). Nothing typed here is sent anywhere.
 */
import { PROTOCOL_VERSION } from '../lab/protocol.ts';
import { paths } from './api.ts';
import { type ShadowState, shadowCloseText } from './shadow-close.ts';
import { type ReadOnlyTerminal, readOnlyTerminal } from './xterm.ts';

export type { ShadowState };

interface ShadowMessage {
  v?: number;
  type?: string;
  data?: string;
  message?: string;
  cols?: number;
  rows?: number;
}

export interface ShadowOptions {
  classId: string;
  learnerId: string;
  labId: string;
  /** The learner's terminal size, when known (from their latest recording). */
  size: { cols: number; rows: number };
  onState(state: ShadowState, text: string): void;
}

/** One open shadow: its socket and its screen. */
export class Shadow {
  private readonly opts: ShadowOptions;
  private ws: WebSocket | undefined;
  private terminal: ReadOnlyTerminal | undefined;
  private closedByUs = false;

  constructor(container: HTMLElement, opts: ShadowOptions) {
    this.opts = opts;
    container.replaceChildren();
    this.terminal = readOnlyTerminal(container, opts.size, { scrollback: 5000 });
    this.connect();
  }

  private connect(): void {
    this.opts.onState('connecting', 'Connecting to the learner’s terminal…');
    const ws = new WebSocket(
      paths.shadow(location, this.opts.classId, this.opts.learnerId, this.opts.labId),
    );
    this.ws = ws;
    ws.addEventListener('message', (e) => {
      if (this.ws !== ws || typeof e.data !== 'string') return;
      let msg: ShadowMessage;
      try {
        msg = JSON.parse(e.data) as ShadowMessage;
      } catch {
        return;
      }
      if (msg.v !== PROTOCOL_VERSION) return;
      if (msg.type === 'output' && typeof msg.data === 'string')
        this.terminal?.term.write(msg.data);
      else if (msg.type === 'resize' && msg.cols && msg.rows) this.resize(msg.cols, msg.rows);
      else if (msg.type === 'status') this.opts.onState('live', 'Live, read-only');
      else if (msg.type === 'error' && msg.message) this.opts.onState('error', msg.message);
    });
    ws.addEventListener('close', (e) => {
      if (this.ws !== ws || this.closedByUs) return;
      const { state, text } = shadowCloseText(e.code, e.reason);
      this.opts.onState(state, text);
    });
  }

  /** Resizes the screen to the learner's terminal. */
  resize(cols: number, rows: number): void {
    this.terminal?.resize(cols, rows);
  }

  close(): void {
    this.closedByUs = true;
    this.ws?.close(1000, 'closed by the instructor');
    this.ws = undefined;
    this.terminal?.dispose();
    this.terminal = undefined;
  }
}
