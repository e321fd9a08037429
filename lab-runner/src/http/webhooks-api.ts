import { lookup } from 'node:dns/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlockList } from 'node:net';
import type { Instructor } from '../accounts/instructor-store.ts';
import type { ClassStore } from '../classes/class-store.ts';
import { slipwayError } from '../errors/catalogue.ts';
import { createWebhookBodySchema, webhookEventTypes } from '../protocol/index.ts';
import type { DeliveryStore } from '../webhooks/delivery-store.ts';
import type { Subscription, SubscriptionStore } from '../webhooks/subscription-store.ts';
import { addressProblem, literalAddress, urlProblem } from '../webhooks/url-policy.ts';
import { readJson } from './request-body.ts';
import { sendJson } from './responses.ts';

export interface WebhooksApiDeps {
  classes: ClassStore;
  webhooks: {
    subscriptions: SubscriptionStore;
    deliveries: DeliveryStore;
    /** Internal ranges the operator lets instructors' endpoints reach. */
    allowed: BlockList;
    /** Tells the delivery worker a delivery is due now. */
    wake: () => void;
  };
}

/** Enough for a class's LMS, chat and a spare; more is a sign of something wrong. */
export const MAX_WEBHOOKS_PER_CLASS = 10;
const RESOLVE_TIMEOUT_MS = 5_000;

const ROUTE =
  /^\/api\/instructor\/classes\/([\w-]{6,40})\/webhooks(?:\/(deliveries)(?:\/(\d{1,15})\/redeliver)?|\/(wh_[\w-]{8,40})(?:\/(resume))?)?$/;

const shown = ({ classId: _, ...s }: Subscription) => s;

/** Every address the URL's host stands for must be outside the platform's networks. */
async function refusal(raw: string, allowed: BlockList): Promise<string | undefined> {
  const bad = urlProblem(raw);
  if (bad) return bad;
  const url = new URL(raw);
  const literal = literalAddress(url);
  if (literal) return addressProblem(literal, allowed);
  const signal = AbortSignal.timeout(RESOLVE_TIMEOUT_MS);
  const timedOut = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  );
  try {
    const addresses = await Promise.race([lookup(url.hostname, { all: true }), timedOut]);
    for (const a of addresses) {
      const problem = addressProblem(a.address, allowed);
      if (problem) return problem;
    }
    return undefined;
  } catch (err) {
    return signal.aborted
      ? `its host name did not resolve within ${RESOLVE_TIMEOUT_MS / 1000} s`
      : `its host name does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

/**
 * A class's webhooks, for the instructor who owns the class (anyone else finds no class):
 * list, register (the secret is in this one answer only), delete, resume a paused one, the
 * delivery log, and a redelivery.
 */
export async function handleWebhooksApi(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  me: Instructor,
  deps: WebhooksApiDeps,
): Promise<boolean> {
  const m = ROUTE.exec(path);
  if (!m) return false;
  const c = deps.classes.ownedBy(m[1]!, me.id);
  if (!c) throw slipwayError('CLASS_NOT_FOUND');
  const [, , deliveriesPath, deliveryId, subscriptionId, resume] = m;
  const { subscriptions, deliveries } = deps.webhooks;
  const method = req.method ?? 'GET';
  const only = (allowed: string) => {
    if (method !== allowed) throw slipwayError('METHOD_NOT_ALLOWED', { method });
  };

  if (deliveryId) {
    only('POST');
    const id = Number(deliveryId);
    const subscription = deliveries.subscriptionOf(c.id, id);
    const s = subscription ? subscriptions.ofClass(c.id, subscription) : undefined;
    if (!s) throw slipwayError('WEBHOOK_NOT_FOUND');
    if (s.paused) throw slipwayError('WEBHOOK_PAUSED', { reason: s.paused.reason });
    deliveries.redeliver(c.id, id);
    deps.webhooks.wake();
    return sendJson(res, 202, { ok: true });
  }
  if (deliveriesPath) {
    only('GET');
    return sendJson(res, 200, { deliveries: deliveries.recent(c.id) });
  }
  if (subscriptionId) {
    const s = subscriptions.ofClass(c.id, subscriptionId);
    if (!s) throw slipwayError('WEBHOOK_NOT_FOUND');
    if (resume) {
      only('POST');
      subscriptions.resume(s.id);
      deps.webhooks.wake();
      return sendJson(res, 200, shown(subscriptions.get(s.id)!));
    }
    only('DELETE');
    subscriptions.delete(c.id, s.id);
    return sendJson(res, 200, { ok: true });
  }
  if (method === 'GET')
    return sendJson(res, 200, {
      subscriptions: subscriptions.forClass(c.id).map(shown),
      eventTypes: webhookEventTypes,
    });
  only('POST');
  const body = await readJson(req, createWebhookBodySchema);
  if (subscriptions.forClass(c.id).length >= MAX_WEBHOOKS_PER_CLASS)
    throw slipwayError('BAD_REQUEST', {
      detail: `a class has at most ${MAX_WEBHOOKS_PER_CLASS} webhooks`,
    });
  const refused = await refusal(body.url, deps.webhooks.allowed);
  if (refused) throw slipwayError('WEBHOOK_URL_REFUSED', { reason: refused });
  const { subscription, secret } = subscriptions.create(c.id, body.url, body.events);
  return sendJson(res, 201, { ...shown(subscription), secret });
}
