import {
  applyTaskMessage,
  type ClientMessage,
  CloseCode,
  closeExplanation,
  errorBody,
  isLabInfo,
  type LabInfo,
  type LearnerError,
  MAX_RECONNECTS,
  PROTOCOL_VERSION,
  parseServerMessage,
  progressText,
  reconnectDelay,
  type SandboxPhase,
  type ServerMessage,
  shouldReconnect,
  splitInput,
  type TaskStatus,
  terminalUrl,
  visibleReasons,
} from './protocol.ts';
import type { LabTerminal } from './terminal.ts';

/** What the status line's `data-phase` can say: the runner's phases plus the page's own. */
type Phase = SandboxPhase | 'idle' | 'offline' | 'closed';

const OFFLINE_MESSAGE =
  "The lab service is not answering, so the terminal can't start. The lesson still works.";
const OFFLINE_HINT = 'Press Retry in a moment. If it keeps happening, tell your instructor.';

const stateLabel: Record<TaskStatus['state'], string> = {
  pending: 'not checked yet',
  failing: 'not done yet',
  passed: 'done',
};

function required<T extends Element>(root: Element, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`lab widget is missing ${selector}`);
  return el;
}

/**
 * One `<Lab>` on a page: loads the learner's progress, opens the terminal socket, keeps the
 * task list, the status line and the buttons in step with what the runner says.
 */
export class LabController {
  private readonly root: HTMLElement;
  private readonly labId: string;
  private readonly order: string[];
  private statuses = new Map<string, TaskStatus>();
  /** Tasks whose latest result came from a Check click: their reasons stay visible. */
  private readonly clicked = new Set<string>();
  private readonly hintsSent = new Set<string>();

  private readonly el: {
    status: HTMLElement;
    statusHint: HTMLElement;
    start: HTMLButtonElement;
    retry: HTMLButtonElement;
    check: HTMLButtonElement;
    reset: HTMLButtonElement;
    progress: HTMLElement;
    meter: HTMLElement;
    screen: HTMLElement;
    terminal: HTMLElement;
    overlay: HTMLElement;
    overlayText: HTMLElement;
  };

  private terminal: LabTerminal | undefined;
  private terminalLoading: Promise<LabTerminal> | undefined;
  private ws: WebSocket | undefined;
  /** Bumped for every socket; events of older sockets are ignored. */
  private generation = 0;
  private reconnectAttempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether any socket of the current connection attempt series has opened. */
  private openedOnce = false;
  private reconnecting = false;
  /** The learner pressed Start/Retry: focus the terminal when it is ready. */
  private focusWhenReady = false;
  private lastError: LearnerError | undefined;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private phase: Phase = 'idle';

  constructor(root: HTMLElement) {
    this.root = root;
    this.labId = root.dataset.lab ?? '';
    this.order = [...root.querySelectorAll<HTMLElement>('[data-task]')].map(
      (li) => li.dataset.task ?? '',
    );
    for (const id of this.order) this.statuses.set(id, { id, state: 'pending' });
    this.el = {
      status: required(root, '[data-testid="lab-status"]'),
      statusHint: required(root, '[data-testid="lab-status-hint"]'),
      start: required(root, '[data-testid="lab-start"]'),
      retry: required(root, '[data-testid="lab-retry"]'),
      check: required(root, '[data-testid="lab-check"]'),
      reset: required(root, '[data-testid="lab-reset"]'),
      progress: required(root, '[data-testid="lab-progress"]'),
      meter: required(root, '[data-lab-meter]'),
      screen: required(root, '[data-lab-screen]'),
      terminal: required(root, '[data-testid="lab-terminal"]'),
      overlay: required(root, '[data-lab-overlay]'),
      overlayText: required(root, '[data-lab-overlay-text]'),
    };

    this.el.start.addEventListener('click', () => {
      this.focusWhenReady = true;
      void this.connect();
    });
    this.el.retry.addEventListener('click', () => {
      // After a failure or a lost connection, Retry goes straight back to the terminal; when
      // the service was unreachable it first asks it what state the lab is in.
      const resume = this.phase !== 'offline';
      this.focusWhenReady = true;
      void this.load(resume);
    });
    this.el.check.addEventListener('click', () => this.check());
    this.el.reset.addEventListener('click', () => void this.reset());
    for (const details of root.querySelectorAll<HTMLDetailsElement>('details[data-hint-for]')) {
      details.addEventListener('toggle', () => {
        const taskId = details.dataset.hintFor;
        if (!details.open || !taskId || this.hintsSent.has(taskId)) return;
        if (this.send({ v: PROTOCOL_VERSION, type: 'hint', taskId })) this.hintsSent.add(taskId);
      });
    }
    root.dataset.js = 'on';
    void this.load();
  }

  /**
   * Asks the runner for the lab and the learner's progress, then resumes a sandbox that
   * exists (or is starting). With `connect`, opens the terminal in any case.
   */
  async load(connect = false): Promise<void> {
    this.cancelReconnect();
    this.closeSocket();
    this.setStatus('connecting', 'Looking up your lab…');
    this.showButtons({});
    let info: LabInfo;
    try {
      const res = await fetch(`/api/labs/${encodeURIComponent(this.labId)}`, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { accept: 'application/json' },
      });
      const body: unknown = await res.json().catch(() => undefined);
      if (!res.ok) {
        const error = errorBody(body);
        // An error page without a Slipway error body: the runner is not behind this URL.
        if (!error) return this.offline();
        this.setStatus('failed', error.message, error.hint);
        this.showButtons({ retry: true });
        return;
      }
      if (!isLabInfo(body)) return this.offline();
      info = body;
    } catch {
      return this.offline();
    }

    this.applyStatuses(info.progress);
    const { sandbox } = info;
    if (connect || sandbox.exists || sandbox.state === 'starting' || sandbox.state === 'ready') {
      await this.connect();
    } else if (sandbox.state === 'failed') {
      this.setStatus(
        'failed',
        sandbox.message ?? 'Your last sandbox did not start.',
        'Press Start to try again. Your completed tasks are kept.',
      );
      this.showButtons({ start: true, reset: true });
    } else {
      this.idle();
    }
  }

  private idle(message = 'Press Start to get a sandbox with its own Docker engine.') {
    this.setStatus('idle', message);
    this.overlay('It takes a few seconds. Your work stays in the sandbox until you reset it.');
    this.showButtons({ start: true, reset: true });
  }

  private offline() {
    this.closeSocket();
    this.setStatus('offline', OFFLINE_MESSAGE, OFFLINE_HINT);
    this.overlay('');
    this.showButtons({ retry: true });
  }

  private async ensureTerminal(): Promise<LabTerminal> {
    if (this.terminal) return this.terminal;
    this.terminalLoading ??= import('./terminal.ts').then(({ createTerminal }) => {
      const t = createTerminal(this.el.terminal);
      t.term.onData((data) => {
        for (const msg of splitInput(data)) this.send(msg);
      });
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
    this.overlay('', true);
    this.showButtons({});
    const attempt = this.generation;
    let t: LabTerminal;
    try {
      t = await this.ensureTerminal();
      // Something else (Retry, Reset, another connect) took over while xterm.js loaded.
      if (attempt !== this.generation) return;
    } catch {
      this.setStatus(
        'failed',
        'The terminal could not be loaded.',
        'Reload the page. If it keeps happening, try another browser.',
      );
      this.showButtons({ retry: true });
      return;
    }
    t.fit();
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
      // Sizes may have changed while connecting.
      this.send({ v: PROTOCOL_VERSION, type: 'resize', cols: t.term.cols, rows: t.term.rows });
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
      case 'output':
        this.terminal?.term.write(msg.data);
        return;
      case 'tasks':
      case 'task': {
        if (msg.type === 'task') {
          if (msg.trigger === 'click') this.clicked.add(msg.task.id);
          else if (msg.task.state === 'passed') this.clicked.delete(msg.task.id);
          if (msg.trigger === 'click') this.checkDone();
        }
        this.statuses = applyTaskMessage(this.statuses, msg);
        this.renderTasks();
        return;
      }
      case 'error':
        this.lastError = { code: msg.code, message: msg.message, hint: msg.hint };
        if (this.phase !== 'failed' && this.phase !== 'stopped') {
          this.setStatus('failed', msg.message, msg.hint);
          this.showButtons({ retry: true, reset: true });
        }
        return;
    }
  }

  private onStatus(phase: SandboxPhase, message: string): void {
    const wasReconnecting = this.reconnecting;
    if (phase === 'ready') {
      this.reconnectAttempt = 0;
      this.reconnecting = false;
      this.lastError = undefined;
      this.setStatus('ready', message);
      this.overlay(null);
      this.showButtons({ check: true, reset: true });
      const t = this.terminal;
      if (t) {
        t.fit();
        if (wasReconnecting) t.term.write('\r\n\x1b[2m[reconnected]\x1b[0m\r\n');
        this.focusTerminal(t);
      }
      return;
    }
    if (phase === 'failed' || phase === 'stopped') {
      this.reconnecting = false;
      const hint =
        this.lastError && this.lastError.message === message ? this.lastError.hint : undefined;
      this.setStatus(phase, message, hint);
      this.overlay('');
      this.showButtons(
        phase === 'failed' ? { retry: true, reset: true } : { start: true, reset: true },
      );
      return;
    }
    // Still starting: connecting, creating, starting-engine, loading-images, setting-up.
    this.setStatus(phase, wasReconnecting && phase === 'connecting' ? 'Reconnecting…' : message);
    this.overlay('', true);
    this.showButtons({});
  }

  private onClose(code: number, reason: string): void {
    this.checkDone();
    if (shouldReconnect(code) && this.reconnectAttempt < MAX_RECONNECTS) {
      const delay = reconnectDelay(this.reconnectAttempt);
      this.reconnectAttempt += 1;
      this.reconnecting = true;
      this.setStatus('connecting', 'Reconnecting…');
      this.overlay('', true);
      this.showButtons({});
      this.reconnectTimer = setTimeout(() => void this.connect(), delay);
      return;
    }
    this.reconnecting = false;
    this.reconnectAttempt = 0;
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
    this.overlay('');
    this.showButtons({ retry: true, reset: code !== CloseCode.unknownLab });
    this.el.retry.textContent = 'Reconnect';
  }

  private check(): void {
    if (!this.send({ v: PROTOCOL_VERSION, type: 'check' })) return;
    this.el.check.disabled = true;
    this.el.check.textContent = 'Checking…';
    clearTimeout(this.checkTimer);
    // Results arrive as `task` messages; with nothing left to check, none come.
    this.checkTimer = setTimeout(() => this.checkDone(), 4000);
    if (this.order.every((id) => this.statuses.get(id)?.state === 'passed')) {
      this.checkTimer = setTimeout(() => this.checkDone(), 600);
    }
  }

  private checkDone(): void {
    clearTimeout(this.checkTimer);
    this.el.check.disabled = false;
    this.el.check.textContent = 'Check my work';
  }

  private async reset(): Promise<void> {
    const ok = window.confirm(
      'Reset this lab? Your sandbox and everything in it (containers, images, volumes) are deleted. Completed tasks stay completed.',
    );
    if (!ok) return;
    this.cancelReconnect();
    this.closeSocket();
    this.setStatus('stopped', 'Removing your sandbox…');
    this.overlay('', true);
    this.showButtons({});
    try {
      const res = await fetch(`/api/labs/${encodeURIComponent(this.labId)}/reset`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (!res.ok) {
        const error = errorBody(await res.json().catch(() => undefined));
        if (!error) return this.offline();
        this.setStatus('failed', error.message, error.hint);
        this.overlay('');
        this.showButtons({ retry: true, reset: true });
        return;
      }
    } catch {
      return this.offline();
    }
    this.terminal?.term.reset();
    this.clicked.clear();
    this.renderTasks();
    this.setStatus('stopped', 'Sandbox removed. Press Start for a fresh one.');
    this.overlay('Your completed tasks are kept; the new sandbox starts from scratch.');
    this.showButtons({ start: true, reset: true });
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
    this.generation += 1; // Its close event is ours, not the runner's.
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING))
      ws.close(CloseCode.normal, 'closed by the page');
    this.checkDone();
  }

  private cancelReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private focusTerminal(t: LabTerminal): void {
    if (this.focusWhenReady) {
      this.focusWhenReady = false;
      t.term.focus();
      return;
    }
    // Resumed on page load: take focus only if the learner is looking at the terminal.
    const box = this.el.terminal.getBoundingClientRect();
    const visible = box.top >= 0 && box.bottom <= window.innerHeight;
    if (visible && document.activeElement === document.body)
      t.term.textarea?.focus({ preventScroll: true });
  }

  private setStatus(phase: Phase, message: string, hint?: string): void {
    this.phase = phase;
    this.el.status.dataset.phase = phase;
    this.el.status.textContent = message;
    this.root.dataset.labPhase = phase;
    this.el.statusHint.textContent = hint ?? '';
    this.el.statusHint.hidden = !hint;
    if (phase !== 'closed') this.el.retry.textContent = 'Retry';
  }

  /** The layer over the terminal: text (or none), a spinner, or nothing at all (`null`). */
  private overlay(text: string | null, busy = false): void {
    this.el.overlay.hidden = text === null;
    this.el.overlayText.textContent = text ?? '';
    this.el.overlayText.hidden = !text;
    this.el.screen.dataset.busy = busy ? 'true' : 'false';
  }

  private showButtons(show: {
    start?: boolean;
    retry?: boolean;
    check?: boolean;
    reset?: boolean;
  }) {
    this.el.start.hidden = !show.start;
    this.el.retry.hidden = !show.retry;
    this.el.check.hidden = !show.check;
    this.el.reset.hidden = !show.reset;
  }

  private applyStatuses(progress: readonly TaskStatus[]): void {
    this.statuses = applyTaskMessage(this.statuses, {
      v: PROTOCOL_VERSION,
      type: 'tasks',
      tasks: [...progress],
    });
    this.renderTasks();
  }

  private renderTasks(): void {
    const reasons = visibleReasons(this.order, this.statuses, this.clicked);
    let done = 0;
    const current = this.order.find((id) => this.statuses.get(id)?.state !== 'passed');
    for (const id of this.order) {
      const s = this.statuses.get(id) ?? { id, state: 'pending' as const };
      if (s.state === 'passed') done += 1;
      const li = this.root.querySelector<HTMLElement>(`[data-task="${CSS.escape(id)}"]`);
      if (!li) continue;
      li.dataset.state = s.state;
      li.toggleAttribute('data-current', id === current);
      const label = li.querySelector('[data-task-state]');
      if (label) label.textContent = `(${stateLabel[s.state]})`;
      const reason = li.querySelector<HTMLElement>('[data-testid="task-reason"]');
      if (reason) {
        const text = reasons.has(id) ? (s.reason ?? '') : '';
        reason.textContent = text;
        reason.hidden = text === '';
      }
    }
    const total = this.order.length;
    this.el.progress.textContent = progressText(done, total);
    this.el.meter.style.setProperty('--done', String(total === 0 ? 0 : done / total));
    this.root.toggleAttribute('data-complete', total > 0 && done === total);
  }
}
