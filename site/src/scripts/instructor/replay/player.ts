/**
 * The replay player on the page: binds the markup of ReplayPlayer.astro to an xterm.js screen
 * and the pure parts (asciicast parsing, seek plans, the playback clock).
 */
import { mediaTime, timeOfDay } from '../format.ts';
import { type ReadOnlyTerminal, readOnlyTerminal } from '../xterm.ts';
import {
  type Cast,
  compressPauses,
  markers,
  type PlayEvent,
  parseCast,
  toPlayTime,
  toRecordingTime,
} from './asciicast.ts';
import { PlaybackClock } from './clock.ts';
import { planSeek, type ScreenOp, type SeekPlan } from './seek.ts';

/** Pauses longer than this are shortened when "skip pauses" is on (seconds). */
export const PAUSE_LIMIT = 2;

function req<T extends Element>(root: Element, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`replay player is missing ${selector}`);
  return el;
}

export class ReplayPlayer {
  private readonly root: HTMLElement;
  private readonly el: {
    screen: HTMLElement;
    overlay: HTMLElement;
    message: HTMLElement;
    play: HTMLButtonElement;
    scrub: HTMLInputElement;
    markers: HTMLElement;
    time: HTMLElement;
    speed: HTMLSelectElement;
    skip: HTMLInputElement;
    clock: HTMLElement;
  };
  private terminal: ReadOnlyTerminal | undefined;
  private cast: Cast | undefined;
  private events: PlayEvent[] = [];
  private clock = new PlaybackClock(0);
  /** How many events the screen shows. */
  private shown = 0;
  /** The screen is being written; further seeks wait for it. */
  private busy = false;
  private wanted: number | undefined;
  private raf = 0;
  private scrubbing = false;

  constructor(root: HTMLElement) {
    this.root = root;
    this.el = {
      screen: req(root, '[data-replay-screen]'),
      overlay: req(root, '[data-replay-overlay]'),
      message: req(root, '[data-replay-message]'),
      play: req(root, '[data-testid="replay-play"]'),
      scrub: req(root, '[data-testid="replay-scrub"]'),
      markers: req(root, '[data-replay-markers]'),
      time: req(root, '[data-testid="replay-time"]'),
      speed: req(root, '[data-testid="replay-speed"]'),
      skip: req(root, '[data-testid="replay-skip-pauses"]'),
      clock: req(root, '[data-replay-clock]'),
    };
    this.el.play.addEventListener('click', () => this.toggle());
    // While the thumb is held, playback must not pull it away from the pointer.
    this.el.scrub.addEventListener('pointerdown', () => {
      this.scrubbing = true;
    });
    for (const type of ['pointerup', 'pointercancel', 'blur'])
      this.el.scrub.addEventListener(type, () => {
        this.scrubbing = false;
      });
    this.el.scrub.addEventListener('input', () => this.seek(Number(this.el.scrub.value) / 1000));
    this.el.scrub.addEventListener('change', () => {
      this.scrubbing = false;
      this.seek(Number(this.el.scrub.value) / 1000);
    });
    this.el.speed.addEventListener('change', () => {
      this.clock.setSpeed(Number(this.el.speed.value) || 1);
    });
    this.el.skip.addEventListener('change', () => this.retime());
    root.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Shows a message over the screen instead of a recording (loading, empty, an error). */
  message(text: string, state: 'empty' | 'loading' | 'error'): void {
    this.stop();
    this.root.dataset.state = state;
    this.el.message.textContent = text;
    this.el.overlay.hidden = false;
    this.setEnabled(false);
  }

  /**
   * Loads a recording's text. `at` (seconds into the recording) positions it; `keep` keeps
   * the current position (reloading a recording that grew).
   */
  load(text: string, opts: { at?: number; keep?: boolean; autoplay?: boolean } = {}): void {
    const previousAt =
      opts.keep && this.cast ? toRecordingTime(this.events, this.clock.position()) : undefined;
    const wasPlaying = this.clock.playing;
    this.stop();
    let cast: Cast;
    try {
      cast = parseCast(text);
    } catch (err) {
      this.cast = undefined;
      this.message(err instanceof Error ? err.message : String(err), 'error');
      return;
    }
    this.cast = cast;
    this.terminal?.dispose();
    this.el.screen.replaceChildren();
    // No scrollback: the screen is exactly what the learner saw at that moment (earlier output
    // is one scrub away), and big seeks write less.
    this.terminal = readOnlyTerminal(
      this.el.screen,
      { cols: cast.header.width, rows: cast.header.height },
      { scrollback: 0 },
    );
    this.shown = 0;
    this.busy = false;
    this.wanted = undefined;
    this.retime(false);
    if (cast.events.length === 0) {
      this.message('This recording is empty: nothing was shown in the terminal yet.', 'empty');
      return;
    }
    this.root.dataset.state = 'ready';
    this.el.overlay.hidden = true;
    this.setEnabled(true);
    // Without a moment to show, the screen shows how the session ended (Play starts over).
    const at = opts.at ?? previousAt;
    this.seek(
      at === undefined ? this.clock.duration : toPlayTime(this.events, at, this.pauseLimit()),
    );
    if (opts.autoplay || (opts.keep && wasPlaying)) this.play();
  }

  get loaded(): boolean {
    return this.cast !== undefined;
  }

  play(): void {
    if (!this.cast || this.events.length === 0) return;
    if (this.clock.ended) this.seek(0);
    this.clock.play();
    this.root.dataset.playing = 'true';
    this.el.play.setAttribute('aria-label', 'Pause');
    this.loop();
  }

  pause(): void {
    this.clock.pause();
    this.root.dataset.playing = 'false';
    this.el.play.setAttribute('aria-label', 'Play');
    cancelAnimationFrame(this.raf);
    this.ui();
  }

  toggle(): void {
    if (this.clock.playing) this.pause();
    else this.play();
  }

  /** Moves to play time `t` (seconds); the screen follows as soon as it can. */
  seek(t: number): void {
    this.clock.seek(t);
    this.render(this.clock.position());
    this.ui();
  }

  /** Moves to a moment of the recording (seconds since it started), whatever the pause setting. */
  seekRecording(at: number): void {
    this.seek(toPlayTime(this.events, at, this.pauseLimit()));
  }

  dispose(): void {
    this.stop();
    this.terminal?.dispose();
    this.terminal = undefined;
  }

  private stop(): void {
    cancelAnimationFrame(this.raf);
    if (this.clock.playing) this.clock.pause();
    this.root.dataset.playing = 'false';
    this.el.play.setAttribute('aria-label', 'Play');
  }

  private pauseLimit(): number {
    return this.el.skip.checked ? PAUSE_LIMIT : 0;
  }

  /** Rebuilds the play time line (pause skipping changed), staying at the same moment. */
  private retime(keepPosition = true): void {
    if (!this.cast) return;
    const at = keepPosition ? toRecordingTime(this.events, this.clock.position()) : 0;
    const playing = this.clock.playing;
    this.events = compressPauses(this.cast.events, this.pauseLimit());
    const duration = this.events.at(-1)?.t ?? 0;
    this.clock = new PlaybackClock(duration);
    this.clock.setSpeed(Number(this.el.speed.value) || 1);
    this.clock.seek(toPlayTime(this.events, at, this.pauseLimit()));
    this.el.scrub.max = String(Math.round(duration * 1000));
    this.drawMarkers(duration);
    // The same events in the same order: the screen's position is still a count of them.
    this.render(this.clock.position());
    if (playing) this.play();
    this.ui();
  }

  private drawMarkers(duration: number): void {
    this.el.markers.replaceChildren(
      ...markers(this.events).map((m) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'sw-marker';
        b.dataset.testid = 'replay-marker';
        b.dataset.passed = String(m.passed);
        b.title = m.label;
        b.setAttribute('aria-label', `Go to check: ${m.label}`);
        b.style.setProperty('--at', String(duration > 0 ? m.t / duration : 0));
        b.addEventListener('click', () => this.seek(m.t));
        return b;
      }),
    );
  }

  private loop(): void {
    cancelAnimationFrame(this.raf);
    const frame = () => {
      const t = this.clock.position();
      this.render(t);
      this.ui();
      if (this.clock.ended) {
        this.pause();
        return;
      }
      this.raf = requestAnimationFrame(frame);
    };
    this.raf = requestAnimationFrame(frame);
  }

  /** Brings the screen to play time t; while a write is running, only the latest wish is kept. */
  private render(t: number): void {
    if (!this.terminal || !this.cast) return;
    if (this.busy) {
      this.wanted = t;
      return;
    }
    const plan = planSeek(
      this.events,
      { cols: this.cast.header.width, rows: this.cast.header.height },
      this.shown,
      t,
    );
    if (!plan.reset && plan.ops.length === 0) {
      this.shown = plan.shown;
      return;
    }
    this.apply(plan);
  }

  private apply(plan: SeekPlan): void {
    const terminal = this.terminal;
    if (!terminal) return;
    this.busy = true;
    if (plan.reset) {
      terminal.term.reset();
      terminal.resize(plan.reset.cols, plan.reset.rows);
    }
    const ops = plan.ops;
    let i = 0;
    // Writes are asynchronous: a resize must wait until what came before it is on screen.
    const next = () => {
      if (this.terminal !== terminal) return;
      while (i < ops.length) {
        const op: ScreenOp = ops[i++]!;
        if (op.kind === 'resize') terminal.resize(op.cols, op.rows);
        else {
          terminal.term.write(op.data, next);
          return;
        }
      }
      this.shown = plan.shown;
      this.busy = false;
      // What the learner saw is the bottom of the screen, whatever the scrollback did (the
      // viewport catches up with a big write a frame later).
      terminal.term.scrollToBottom();
      requestAnimationFrame(() => terminal.term.scrollToBottom());
      if (this.wanted !== undefined) {
        const w = this.wanted;
        this.wanted = undefined;
        this.render(w);
      }
    };
    next();
  }

  private ui(): void {
    const t = this.clock.position();
    const total = this.clock.duration;
    if (!this.scrubbing) this.el.scrub.value = String(Math.round(t * 1000));
    this.el.scrub.style.setProperty('--progress', String(total > 0 ? t / total : 0));
    const text = `${mediaTime(t)} / ${mediaTime(total)}`;
    if (this.el.time.textContent !== text) this.el.time.textContent = text;
    const start = this.cast?.header.timestamp;
    const clock = start ? timeOfDay(start * 1000 + toRecordingTime(this.events, t) * 1000) : '';
    if (this.el.clock.textContent !== clock)
      this.el.clock.textContent = clock ? `Recorded at ${clock}` : '';
  }

  private setEnabled(on: boolean): void {
    this.el.play.disabled = !on;
    this.el.scrub.disabled = !on;
    if (!on) {
      this.el.markers.replaceChildren();
      this.el.time.textContent = '0:00 / 0:00';
      this.el.clock.textContent = '';
    }
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if (target.closest('select, input, button') && e.key === ' ') return;
    if (target.closest('select, input')) return;
    if (e.key === ' ' || e.key === 'k') {
      e.preventDefault();
      this.toggle();
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      this.seek(this.clock.position() + (e.key === 'ArrowRight' ? 5 : -5));
    }
  }
}
