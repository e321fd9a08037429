/** The learner page's replays: a pick of their terminal recordings and the player. */
import { type ApiFailure, apiText, asFailure, paths } from '../api.ts';
import { h, required } from '../dom.ts';
import { dateTime } from '../format.ts';
import { ReplayPlayer } from '../replay/player.ts';
import type { RecordingRef } from '../types.ts';

export interface RecordingOption {
  value: number;
  text: string;
}

/** Newest first, the newest marked as such. */
export function recordingOptions(
  recordings: readonly RecordingRef[],
  labName: (id: string) => string,
): RecordingOption[] {
  return [...recordings].reverse().map((r, i) => ({
    value: r.id,
    text: `${labName(r.labId)} · ${dateTime(r.startedAt)}${i === 0 ? ' (latest)' : ''}`,
  }));
}

/** What the player says when a recording cannot be loaded. */
export const loadFailureText = (f: ApiFailure) =>
  f.kind === 'not-found'
    ? 'This recording is gone: recordings are deleted after a while, or its file was removed.'
    : `Could not load the recording. ${f.message}`;

export interface OpenOptions {
  at?: number;
  autoplay?: boolean;
  keep?: boolean;
  scroll?: boolean;
}

export class RecordingsView {
  readonly player: ReplayPlayer;
  /** The recording in the player, if one loaded. */
  loaded: number | undefined;
  private readonly root: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly reload: HTMLButtonElement;
  private readonly recordingPath: (id: number) => string;
  private readonly signedOut: (f: ApiFailure) => void;
  private seq = 0;

  constructor(
    root: HTMLElement,
    classId: string,
    learnerId: string,
    signedOut: (f: ApiFailure) => void,
  ) {
    this.root = required('[data-replay]', root);
    this.player = new ReplayPlayer(this.root);
    this.select = required<HTMLSelectElement>('[data-testid="replay-recording"]', root);
    this.reload = required<HTMLButtonElement>('[data-testid="replay-reload"]', root);
    this.recordingPath = (id) => paths.recording(classId, learnerId, id);
    this.signedOut = signedOut;
    this.select.addEventListener('change', () => void this.open(Number(this.select.value)));
    this.reload.addEventListener('click', () => {
      const id = Number(this.select.value);
      if (id) void this.open(id, { keep: this.loaded === id });
    });
  }

  render(recordings: readonly RecordingRef[], labName: (id: string) => string): void {
    const options = recordingOptions(recordings, labName);
    const selected = this.select.value;
    this.select.replaceChildren(...options.map((o) => h('option', { value: o.value }, o.text)));
    if (selected && options.some((o) => String(o.value) === selected)) this.select.value = selected;
    this.select.disabled = options.length === 0;
    this.reload.disabled = options.length === 0;
    if (options.length === 0)
      this.player.message(
        'No terminal recordings yet. One starts when the learner opens a lab terminal.',
        'empty',
      );
  }

  /** The text of a recording (for the shadow's terminal size). */
  text(id: number): Promise<string> {
    return apiText(this.recordingPath(id));
  }

  async open(id: number, opts: OpenOptions = {}): Promise<void> {
    this.select.value = String(id);
    if (opts.scroll) this.root.scrollIntoView({ behavior: 'smooth', block: 'start' });
    if (this.loaded === id && this.player.loaded && !opts.keep) {
      if (opts.at !== undefined) this.player.seekRecording(opts.at);
      if (opts.autoplay) this.player.play();
      return;
    }
    const seq = ++this.seq;
    if (!opts.keep) this.player.message('Loading the recording…', 'loading');
    try {
      const text = await this.text(id);
      if (seq !== this.seq) return;
      this.loaded = id;
      this.player.load(text, opts);
    } catch (err) {
      if (seq !== this.seq) return;
      const f = asFailure(err);
      if (f.kind === 'signed-out') return this.signedOut(f);
      this.loaded = undefined;
      this.player.message(loadFailureText(f), 'error');
    }
  }
}
