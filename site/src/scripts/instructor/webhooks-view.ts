/** What the dashboard's webhooks panel shows, worked out apart from the page. */
import type { LoggedDelivery } from '../../../../lab-runner/src/webhooks/delivery-store.ts';
import type { Subscription } from '../../../../lab-runner/src/webhooks/subscription-store.ts';
import { ago } from './format.ts';

/** `GET /api/instructor/classes/:id/webhooks`. */
export interface WebhookList {
  subscriptions: Array<Omit<Subscription, 'classId'>>;
  eventTypes: string[];
}
export type Webhook = WebhookList['subscriptions'][number];
/** `POST` of a new webhook (201): its signing secret, in this one answer only. */
export type CreatedWebhook = Webhook & { secret: string };
export type { LoggedDelivery };

/**
 * A first look at the URL before the runner's own check (which also refuses internal
 * addresses): undefined when it may do.
 */
export function webhookUrlProblem(raw: string): string | undefined {
  const t = raw.trim();
  if (!t) return 'Give the address that should receive the events.';
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return 'That is not a web address: it starts with https:// or http://.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'Webhooks are sent over https:// or http:// only.';
  return undefined;
}

export function eventsProblem(events: readonly string[]): string | undefined {
  return events.length === 0 ? 'Pick at least one kind of event to send.' : undefined;
}

/** An endpoint's state in words: active, failing, or paused and why. */
export function webhookState(w: Webhook): { tone: 'ok' | 'warn' | 'bad'; text: string } {
  if (w.paused) return { tone: 'bad', text: `Paused: ${w.paused.reason}` };
  if (w.failures > 0)
    return {
      tone: 'warn',
      text: `${w.failures} failed ${w.failures === 1 ? 'attempt' : 'attempts'} in a row`,
    };
  return { tone: 'ok', text: 'Active' };
}

/** One line of the delivery log. */
export function deliveryLine(d: LoggedDelivery, now: number) {
  const last = d.log.at(-1);
  const answer = d.responseCode
    ? `HTTP ${d.responseCode}`
    : (d.lastError ?? last?.error ?? 'no answer yet');
  const status =
    d.status === 'delivered'
      ? 'Delivered'
      : d.status === 'failed'
        ? 'Failed'
        : d.attempts === 0
          ? 'Waiting'
          : 'Retrying';
  return {
    status,
    tone: d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : 'warn',
    event: d.type,
    when: ago(now - Date.parse(d.occurredAt)),
    detail:
      d.attempts === 0
        ? 'not sent yet'
        : `${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}, last: ${answer}`,
  } as const;
}
