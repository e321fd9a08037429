import { FocusMode } from './focus-mode.ts';
import { InputPacer } from './input-pacer.ts';
import { ensureLearner, fetchLabInfo, resetLab } from './lab-api.ts';
import { PreviewPane } from './previews.ts';
import {
  type ClientMessage,
  CloseCode,
  closeExplanation,
  INPUT_MESSAGES_PER_SECOND,
  type LearnerError,
  MAX_RECONNECTS,
  PROTOCOL_VERSION,
  parseServerMessage,
  reconnectDelay,
  type SandboxPhase,
  type ServerMessage,
  shouldReconnect,
  splitInput,
  terminalUrl,
} from './protocol.ts';
import { type Reveal, TaskList } from './tasks-view.ts';
import type { LabTerminal } from './terminal.ts';
import { Typist } from './typist.ts';
import { type Buttons, LabView, type Phase } from './view.ts';

const OFFLINE_MESSAGE =
  "The lab service is not answering, so the terminal can't start. The lesson still works.";
/** Acknowledge drawn output in steps of this many characters (flow control). */
const ACK_EVERY = 16 * 1024;
const OFFLINE_HINT = 'Press Retry in a moment. If it keeps happening, tell your instructor.';
/**
 * Keystrokes coming faster than one per this many milliseconds go out together: at most half
 * the runner's message rate, so typing never meets it, whatever else the page sends.
 */
const INPUT_INTERVAL_MS = 2000 / INPUT_MESSAGES_PER_SECOND;

/** Phases in which the sandbox is on its way: a Run click waits instead of starting it. */
const STARTING: readonly Phase[] = [
  'connecting',
  'queued',
  'creating',
  'starting-engine',
  'loading-images',
  'setting-up',
  'restoring',
];

/**
 * One `<Lab>` on a page: loads the learner's progress, opens the terminal socket, keeps the
 * task list, the status line and the buttons in step with what the runner says, and types
 * commands for Run buttons.
 */
export class LabController {
  readonly labId: string;
  private readonly view: LabView;
  private readonly tasks: TaskList;
  private readonly previews: PreviewPane;
  private readonly typist: Typist;
  private readonly input: InputPacer;
  /** Hints and solutions opened, and whether the runner has been told (once per task). */
  private readonly reveals = new Map<string, boolean>();

  private terminal: LabTerminal | undefined;
  private terminalLoading: Promise<LabTerminal> | undefined;
  private ws: WebSocket | undefined;
  /** Bumped for every socket; events of older sockets are ignored. */
  private generation = 0;
  private reconnectAttempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether any socket of the current connection attempt series has opened. */
  private openedOnce = false;
  /** Whether this browser already is a learner (the runner stores one only when they act). */
  private learner = false;
  private reconnecting = false;
  /** The learner pressed Start/Retry/Run: focus the terminal when it is ready. */
  private focusWhenReady = false;
  private lastError: LearnerError | undefined;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private phase: Phase = 'idle';
  private unacked = 0;
  private takenOver = false;
  private idleTimer: ReturnType<typeof setInterval> | undefined;

  constructor(root: HTMLElement) {
    this.labId = root.dataset.lab ?? '';
    this.view = new LabView(root);
    this.tasks = new TaskList(root, this.labId, (kind, taskId) => this.reveal(kind, taskId));
    this.previews = new PreviewPane(root, this.labId);
    this.input = new InputPacer({
      send: (data) => {
        for (const msg of splitInput(data)) this.send(msg);
      },
      intervalMs: INPUT_INTERVAL_MS,
    });
    this.typist = new Typist({
      send: (data) => {
        if (this.ws?.readyState !== WebSocket.OPEN) return false;
        this.input.push(data);
        return true;
      },
      onTyping: () => {
        const t = this.terminal;
        if (t && document.activeElement !== t.term.textarea) t.term.focus();
      },
    });

    this.view.start.addEventListener('click', () => this.start());
    this.view.retry.addEventListener('click', () => {
      // After a failure or a lost connection, Retry goes straight back to the terminal; when
      // the service was unreachable it first asks it what state the lab is in.
      const resume = this.phase !== 'offline';
      this.focusWhenReady = true;
      void this.load(resume);
    });
    this.view.check.addEventListener('click', () => this.check());
    this.view.keep.addEventListener('click', () => {
      this.send({ v: PROTOCOL_VERSION, type: 'keep' });
      this.showIdle(null);
      if (this.terminal) this.focusTerminal(this.terminal);
    });
    this.view.reset.addEventListener('click', () => void this.reset());
    new FocusMode(root, this.view.focus, (on) => this.focusChanged(on));
    root.dataset.js = 'on';
    void this.load();
  }

  /**
   * Types `lines` into the terminal, each followed by Enter, once the shell is ready; starts
   * the lab first when it is not running. Resolves true when every line was typed.
   */
  run(lines: readonly string[], onTyping?: () => void): Promise<boolean> {
    this.view.scrollToTerminal();
    const typed = this.typist.type(lines, onTyping);
    if (this.phase !== 'ready' && !STARTING.includes(this.phase)) this.start();
    return typed;
  }

  /** Whether a Run click now has to wait for the sandbox to start. */
  get needsStart(): boolean {
    return this.phase !== 'ready';
  }

  private start(): void {
    this.focusWhenReady = true;
    if (this.phase === 'offline') void this.load(true);
    else void this.connect();
  }

  /**
   * Asks the runner for the lab and the learner's progress, then resumes a sandbox that
   * exists (or is starting). With `connect`, opens the terminal in any case.
   */
  async load(connect = false): Promise<void> {
    this.cancelReconnect();
    this.closeSocket();
    this.setStatus('connecting', 'Looking up your lab…');
    this.view.showButtons({});
    const result = await fetchLabInfo(this.labId);
    if (result.kind === 'offline') return this.offline();
    if (result.kind === 'error') {
      this.fail(result.error.message, result.error.hint, { retry: true });
      return;
    }
    const info = result.value;
    this.learner = info.learner !== false;
    this.tasks.load(info.progress);
    const { sandbox } = info;
    if (
      connect ||
      this.typist.busy ||
      sandbox.exists ||
      sandbox.state === 'starting' ||
      sandbox.state === 'ready'
    ) {
      await this.connect();
    } else if (sandbox.state === 'failed') {
      this.setStatus(
        'failed',
        sandbox.message ?? 'Your last sandbox did not start.',
        'Press Start to try again. Your completed tasks are kept.',
      );
      this.view.showButtons({ start: true, reset: true });
    } else {
      this.idle();
    }
  }

  private idle(message = 'Press Start to get a sandbox with its own Docker engine.') {
    this.setStatus('idle', message);
    this.view.overlay('It takes a few seconds. Your work stays in the sandbox until you reset it.');
    this.view.showButtons({ start: true, reset: true });
  }

  private offline() {
    this.closeSocket();
    this.typist.cancel();
    this.setStatus('offline', OFFLINE_MESSAGE, OFFLINE_HINT);
    this.view.overlay('');
    this.view.showButtons({ retry: true });
  }

  private fail(message: string, hint: string | undefined, buttons: Buttons) {
    this.setStatus('failed', message, hint);
    this.view.overlay('');
    this.view.showButtons(buttons);
    this.typist.cancel();
  }

  private async ensureTerminal(): Promise<LabTerminal> {
    if (this.terminal) return this.terminal;
    this.terminalLoading ??= import('./terminal.ts').then(({ createTerminal }) => {
      const t = createTerminal(this.view.terminal);
      t.term.onData((data) => this.input.push(data));
      t.term.onResize(({ cols, rows }) => {
        this.send({ v: PROTOCOL_VERSION, type: 'resize', cols, rows });
      });
      this.terminal = t;
      return t;
    });
    return this.terminalLoading;
  }

  /** Opens the terminal socket; the runner creates (or adopts) the sandbox behind it. */
  async connect(): Promise<void> {
    this.cancelReconnect();
    this.closeSocket();
    this.lastError = undefined;
    this.setStatus(
      'connecting',
      this.reconnecting ? 'Reconnecting…' : 'Connecting to your sandbox…',
    );
    this.view.overlay('', true);
    this.view.showButtons({});
    const attempt = this.generation;
    let t: LabTerminal;
    try {
      t = await this.ensureTerminal();
      // Something else (Retry, Reset, another connect) took over while xterm.js loaded.
      if (attempt !== this.generation) return;
    } catch {
      this.fail(
        'The terminal could not be loaded.',
        'Reload the page. If it keeps happening, try another browser.',
        { retry: true },
      );
      return;
    }
    t.fit();
    if (!this.learner) {
      // Starting a lab is what makes this browser a learner.
      const made = await ensureLearner();
      if (attempt !== this.generation) return;
      if (made.kind === 'offline') return this.offline();
      if (made.kind === 'error') {
        this.fail(made.error.message, made.error.hint, { retry: true });
        return;
      }
      this.learner = true;
    }
    const generation = ++this.generation;
    let ws: WebSocket;
    try {
      ws = new WebSocket(terminalUrl(window.location, this.labId, t.term.cols, t.term.rows));
    } catch {
      this.offline();
      return;
    }
    this.ws = ws;
    ws.addEventListener('open', () => {
      if (generation !== this.generation) return;
      this.openedOnce = true;
      // The runner sends the recent screen first: start from a clean terminal, not on top of
      // what this page showed before a reconnect.
      t.term.reset();
      this.unacked = 0;
      // Sizes may have changed while connecting.
      this.send({ v: PROTOCOL_VERSION, type: 'resize', cols: t.term.cols, rows: t.term.rows });
      this.flushReveals();
    });
    ws.addEventListener('message', (event) => {
      if (generation !== this.generation) return;
      const msg = parseServerMessage(event.data);
      if (msg) this.handle(msg);
    });
    ws.addEventListener('close', (event) => {
      if (generation !== this.generation) return;
      this.ws = undefined;
      this.onClose(event.code, event.reason);
    });
  }

  private handle(msg: ServerMessage): void {
    switch (msg.type) {
      case 'status':
        this.onStatus(msg.phase, msg.message);
        return;
      case 'output': {
        const chars = msg.data.length;
        // Flow control: tell the runner how much has been drawn, so a flood (`yes`) cannot
        // pile up faster than this page can show it.
        this.terminal?.term.write(msg.data, () => this.drawn(chars));
        this.typist.output(msg.data);
        return;
      }
      case 'notice':
        this.view.notice(`${msg.message} ${msg.hint ?? ''}`.trim());
        return;
      case 'taken-over':
        this.takenOver = true;
        return;
      case 'idle':
        this.showIdle(msg.stopAt === null ? null : { ...msg, stopAt: msg.stopAt });
        return;
      case 'limits':
        this.view.limits(msg.limits.map((l) => l.message));
        return;
      case 'resize':
        return;
      case 'tasks':
      case 'task':
        if (msg.type === 'task' && msg.trigger === 'click') this.checkDone();
        this.tasks.apply(msg);
        return;
      case 'error':
        this.lastError = { code: msg.code, message: msg.message, hint: msg.hint };
        if (this.phase !== 'failed' && this.phase !== 'stopped')
          this.fail(msg.message, msg.hint, { retry: true, reset: true });
        return;
    }
  }

  /** The coming-stop banner, with a countdown; null hides it. */
  private showIdle(
    w: { reason: 'idle' | 'lifetime'; stopAt: string; message: string } | null,
  ): void {
    clearInterval(this.idleTimer);
    this.idleTimer = undefined;
    if (!w) {
      this.view.idle(null);
      return;
    }
    const stopAt = Date.parse(w.stopAt);
    const draw = () => {
      const s = Math.max(0, Math.round((stopAt - Date.now()) / 1000));
      const left = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
      this.view.idle(`${w.message} Stopping in ${left}.`, w.reason === 'idle');
    };
    draw();
    this.idleTimer = setInterval(draw, 1000);
  }

  private onStatus(phase: SandboxPhase, message: string): void {
    const wasReconnecting = this.reconnecting;
    if (phase !== 'ready') {
      this.showIdle(null);
      this.view.limits([]);
    }
    if (phase === 'ready') {
      this.reconnectAttempt = 0;
      this.reconnecting = false;
      this.lastError = undefined;
      this.setStatus('ready', message);
      this.view.overlay(null);
      this.view.showButtons({ check: true, reset: true });
      const t = this.terminal;
      if (t) {
        t.fit();
        if (wasReconnecting) t.term.write('\r\n\x1b[2m[reconnected]\x1b[0m\r\n');
        this.focusTerminal(t);
      }
      this.typist.setReady(true, true);
      return;
    }
    if (phase === 'failed' || phase === 'stopped') {
      this.reconnecting = false;
      const hint =
        this.lastError && this.lastError.message === message ? this.lastError.hint : undefined;
      this.setStatus(phase, message, hint);
      this.view.overlay('');
      this.view.showButtons(
        phase === 'failed' ? { retry: true, reset: true } : { start: true, reset: true },
      );
      this.typist.cancel();
      return;
    }
    // Still starting: connecting, creating, starting-engine, loading-images, setting-up.
    this.setStatus(phase, wasReconnecting && phase === 'connecting' ? 'Reconnecting…' : message);
    this.view.overlay('', true);
    this.view.showButtons({});
  }

  private drawn(chars: number): void {
    this.unacked += chars;
    if (this.unacked >= ACK_EVERY) {
      this.send({ v: PROTOCOL_VERSION, type: 'ack', chars: this.unacked });
      this.unacked = 0;
    }
  }

  private onClose(code: number, reason: string): void {
    this.checkDone();
    if (code === CloseCode.takenOver || this.takenOver) {
      this.takenOver = false;
      this.reconnecting = false;
      this.typist.cancel();
      this.setStatus(
        'closed',
        'This lab is open in another tab or window.',
        'Press “Use it here” to bring it back to this page.',
      );
      this.view.overlay('');
      this.view.showButtons({ retry: true });
      this.view.retry.textContent = 'Use it here';
      return;
    }
    if (shouldReconnect(code) && this.reconnectAttempt < MAX_RECONNECTS) {
      const delay = reconnectDelay(this.reconnectAttempt);
      this.reconnectAttempt += 1;
      this.reconnecting = true;
      this.setStatus('connecting', 'Reconnecting…');
      this.view.overlay('', true);
      this.view.showButtons({});
      this.reconnectTimer = setTimeout(() => void this.connect(), delay);
      return;
    }
    this.reconnecting = false;
    this.reconnectAttempt = 0;
    this.typist.cancel();
    if (code === CloseCode.abnormal && !this.openedOnce) {
      this.offline();
      return;
    }
    this.openedOnce = false;
    const hint =
      this.lastError?.hint ??
      (code === CloseCode.notSignedIn
        ? 'Reload the page; if it keeps happening, allow cookies for this site.'
        : shouldReconnect(code)
          ? 'Press Reconnect to try again. Your sandbox and your progress are kept.'
          : undefined);
    this.setStatus('closed', closeExplanation(code, reason), hint);
    this.view.overlay('');
    this.view.showButtons({ retry: true, reset: code !== CloseCode.unknownLab });
    this.view.retry.textContent = 'Reconnect';
  }

  /** A hint or solution was opened: tell the runner once per task (when connected). */
  private reveal(kind: Reveal, taskId: string): void {
    const key = `${kind}:${taskId}`;
    if (this.reveals.get(key)) return;
    this.reveals.set(key, false);
    this.flushReveals();
  }

  private flushReveals(): void {
    for (const [key, sent] of this.reveals) {
      if (sent) continue;
      const [kind, taskId] = key.split(':') as [Reveal, string];
      if (!this.send({ v: PROTOCOL_VERSION, type: kind, taskId })) return;
      this.reveals.set(key, true);
    }
  }

  private check(): void {
    if (!this.send({ v: PROTOCOL_VERSION, type: 'check' })) return;
    this.view.checking(true);
    clearTimeout(this.checkTimer);
    // Results arrive as `task` messages; with nothing left to check, none come.
    this.checkTimer = setTimeout(() => this.checkDone(), this.tasks.allPassed ? 600 : 4000);
  }

  private checkDone(): void {
    clearTimeout(this.checkTimer);
    this.view.checking(false);
  }

  private async reset(): Promise<void> {
    const ok = window.confirm(
      'Reset this lab? Your sandbox and everything in it (containers, images, volumes) are deleted. Completed tasks stay completed.',
    );
    if (!ok) return;
    this.cancelReconnect();
    this.closeSocket();
    this.typist.cancel();
    this.previews.close();
    this.setStatus('stopped', 'Removing your sandbox…');
    this.view.overlay('', true);
    this.view.showButtons({});
    const result = await resetLab(this.labId);
    if (result.kind === 'offline') return this.offline();
    if (result.kind === 'error') {
      this.fail(result.error.message, result.error.hint, { retry: true, reset: true });
      return;
    }
    this.terminal?.term.reset();
    this.tasks.forgetClicks();
    this.setStatus('stopped', 'Sandbox removed. Press Start for a fresh one.');
    this.view.overlay('Your completed tasks are kept; the new sandbox starts from scratch.');
    this.view.showButtons({ start: true, reset: true });
  }

  private send(msg: ClientMessage): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  }

  private closeSocket(): void {
    const ws = this.ws;
    this.ws = undefined;
    this.input.clear();
    this.generation += 1; // Its close event is ours, not the runner's.
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING))
      ws.close(CloseCode.normal, 'closed by the page');
    this.checkDone();
  }

  private cancelReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  /** Focus mode came or went: the terminal takes its new size (the runner is told). */
  private focusChanged(on: boolean): void {
    const t = this.terminal;
    if (!t) return;
    t.fit();
    if (on && this.phase === 'ready') t.term.focus();
  }

  private focusTerminal(t: LabTerminal): void {
    if (this.focusWhenReady) {
      this.focusWhenReady = false;
      t.term.focus();
      return;
    }
    // Resumed on page load: take focus only if the learner is looking at the terminal.
    if (this.view.terminalVisible() && document.activeElement === document.body)
      t.term.textarea?.focus({ preventScroll: true });
  }

  private setStatus(phase: Phase, message: string, hint?: string): void {
    this.phase = phase;
    this.view.setStatus(phase, message, hint);
    this.previews.setReady(phase === 'ready');
    if (phase !== 'ready') this.typist.setReady(false);
  }
}
