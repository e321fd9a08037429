/**
 * What the class and learner pages share around their views: loading, the panel that says
 * plainly what failed (or the way back to the login), and the live status with its banner
 * when the runner stops answering. Nothing happens until the page calls `start()`.
 */
import { type ApiFailure, asFailure } from './api.ts';
import type { StreamState } from './class-stream.ts';
import { h, loginUrl, problemPanel, required } from './dom.ts';
import { timeOfDay } from './format.ts';

export const LIVE_WORDS: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** The runner's hint for an unknown class speaks to learners; instructors get their own. */
export const NO_CLASS_HINT =
  'The link may be incomplete, or the class belongs to another instructor. Pick it from your classes.';

/** How a page answers a failure: back to the login, or a panel (with Retry unless not found). */
export type FailurePlan =
  | { kind: 'login' }
  | { kind: 'panel'; title?: string; hint?: string; retry: boolean };

export function failurePlan(f: ApiFailure): FailurePlan {
  if (f.kind === 'signed-out') return { kind: 'login' };
  if (f.kind !== 'not-found') return { kind: 'panel', retry: true };
  return f.code === 'LEARNER_NOT_FOUND'
    ? { kind: 'panel', title: 'No such learner', retry: false }
    : { kind: 'panel', title: 'No such class', hint: NO_CLASS_HINT, retry: false };
}

/** The banner's words while the runner does not answer. */
export function offlineNotice(lastMessageAt: number): string {
  return `This page shows what it knew${lastMessageAt ? ` at ${timeOfDay(lastMessageAt)}` : ''} and updates again as soon as the service is back. `;
}

export interface ShellOptions {
  /** The page's root, e.g. `[data-class-page]`. */
  root: string;
  /** Where the problem panel goes and the body that it replaces. */
  problem: string;
  body: string;
  /** The link back (to the class, or the instructor's classes). */
  back: () => HTMLElement;
  /** Load and show the page; called by `start()` and by Retry. */
  load: (shell: PageShell) => Promise<void>;
  /** Connections to close when the page fails. */
  stop?: () => void;
}

export class PageShell {
  readonly root: HTMLElement;
  readonly body: HTMLElement;
  /** When the page last heard from the runner (ms), for the live status. */
  lastMessageAt = 0;
  private readonly loading: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly live: HTMLElement;
  private readonly liveText: HTMLElement;
  private readonly opts: ShellOptions;

  constructor(opts: ShellOptions) {
    this.opts = opts;
    this.root = required(opts.root);
    this.loading = required('[data-loading]', this.root);
    this.problem = required(opts.problem, this.root);
    this.body = required(opts.body, this.root);
    this.banner = required('[data-testid="stream-banner"]', this.root);
    this.live = required('[data-testid="live-status"]', this.root);
    this.liveText = required('[data-live-text]', this.live);
  }

  /** Loads the page; a failure shows the problem panel. */
  async start(): Promise<void> {
    this.problem.replaceChildren();
    this.loading.hidden = false;
    try {
      await this.opts.load(this);
    } catch (err) {
      this.fail(err);
    }
  }

  /** The page has what it needs: show it. */
  ready(): void {
    this.loading.hidden = true;
    this.body.hidden = false;
  }

  /** The address names nothing to show: say so, with a way to pick. */
  nothingPicked(title: string, message: string, action: HTMLElement): void {
    this.loading.hidden = true;
    this.problem.replaceChildren(problemPanel(new Error(message), { title, actions: [action] }));
  }

  fail(err: unknown): void {
    const f = asFailure(err);
    const plan = failurePlan(f);
    if (plan.kind === 'login') {
      location.assign(loginUrl());
      return;
    }
    this.opts.stop?.();
    this.loading.hidden = true;
    this.body.hidden = true;
    const { title, hint } = plan;
    this.problem.replaceChildren(
      problemPanel(f, {
        ...(title ? { title } : {}),
        ...(hint ? { hint } : {}),
        ...(plan.retry ? { retry: () => void this.start() } : {}),
        actions: [this.opts.back()],
      }),
    );
  }

  /** The page heard from the runner now. */
  heard(): void {
    this.lastMessageAt = Date.now();
  }

  /** The live status; offline shows the banner, with a Retry that reopens the stream. */
  showLive(s: StreamState, reopen: () => void): void {
    this.live.dataset.state = s;
    this.liveText.textContent = LIVE_WORDS[s];
    this.live.title = this.lastMessageAt ? `Last update at ${timeOfDay(this.lastMessageAt)}` : '';
    this.body.dataset.stale = String(s === 'offline');
    if (s !== 'offline') {
      this.banner.hidden = true;
      return;
    }
    const retry = h('button', { type: 'button', class: 'sw-button sw-button--quiet' }, 'Retry now');
    retry.addEventListener('click', reopen);
    this.banner.replaceChildren(
      h('strong', {}, 'The lab service is not answering. '),
      offlineNotice(this.lastMessageAt),
      retry,
    );
    this.banner.hidden = false;
  }

  /** Live updates cannot go on (the page itself still shows what it has). */
  showStopped(message: string): void {
    this.banner.replaceChildren(h('strong', {}, 'Live updates stopped. '), message);
    this.banner.hidden = false;
    this.live.dataset.state = 'offline';
    this.liveText.textContent = 'Not live';
  }
}
