/** The dashboard's webhooks: per class, the endpoints (add, remove, resume) and the delivery log. */

import { api, paths } from './api.ts';
import { copyButton, h } from './dom.ts';
import { errorLine } from './error-line.ts';
import type { PanelOptions } from './tokens-panel.ts';
import type { ClassSummary } from './types.ts';
import {
  type CreatedWebhook,
  deliveryLine,
  eventsProblem,
  type LoggedDelivery,
  type Webhook,
  type WebhookList,
  webhookState,
  webhookUrlProblem,
} from './webhooks-view.ts';

/** Fills `root` with the panel; `show(classes)` sets the classes to pick from. */
export function webhooksPanel(
  root: HTMLElement,
  opts: PanelOptions,
): { show(classes: readonly ClassSummary[]): void } {
  let classId = '';
  let eventTypes: string[] = [];
  const pick = h('select', {
    class: 'sw-input',
    'aria-label': 'Class',
    'data-testid': 'webhook-class',
  });
  const body = h('div', {});
  const { el: error, say, failed } = errorLine('webhook-error', () => opts.signedOut());

  const url = h('input', {
    class: 'sw-input',
    type: 'url',
    placeholder: 'https://lms.example.org/slipway',
    'aria-label': 'Receiver URL',
    'data-testid': 'webhook-url',
  });
  const events = h('div', { class: 'sw-int-events' });
  const add = h(
    'button',
    { type: 'submit', class: 'sw-button sw-button--primary', 'data-testid': 'webhook-add' },
    'Add the webhook',
  );
  const form = h('form', { class: 'sw-int-form', novalidate: true }, url, events, add);
  const created = h('div', {});
  const list = h('ul', { class: 'sw-int-list', 'data-testid': 'webhook-list' });
  const log = h('ul', { class: 'sw-int-log', 'data-testid': 'webhook-log' });
  const refresh = h('button', { type: 'button', class: 'sw-button sw-button--quiet' }, 'Refresh');
  refresh.addEventListener('click', () => void load());

  function button(text: string, testid: string, act: () => Promise<unknown>): HTMLButtonElement {
    const b = h(
      'button',
      { type: 'button', class: 'sw-button sw-button--quiet', 'data-testid': testid },
      text,
    );
    b.addEventListener('click', async () => {
      b.disabled = true;
      say('');
      try {
        await act();
        await load();
      } catch (err) {
        b.disabled = false;
        failed(err);
      }
    });
    return b;
  }

  function renderList(hooks: readonly Webhook[]): void {
    list.replaceChildren(
      ...hooks.map((w) => {
        const state = webhookState(w);
        return h(
          'li',
          { class: 'sw-int-item', 'data-webhook': w.id },
          h(
            'div',
            { class: 'sw-int-main' },
            h('code', {}, w.url),
            h('span', { class: 'sw-muted' }, w.events.join(', ')),
            h('span', { class: `sw-int-state sw-int-state--${state.tone}` }, state.text),
          ),
          w.paused
            ? button('Resume', `webhook-resume-${w.id}`, () =>
                api(paths.webhookResume(classId, w.id), { method: 'POST' }),
              )
            : null,
          button('Remove', `webhook-remove-${w.id}`, async () => {
            if (!confirm(`Remove the webhook to ${w.url}? Nothing more is sent to it.`)) return;
            await api(paths.webhook(classId, w.id), { method: 'DELETE' });
          }),
        );
      }),
    );
    if (hooks.length === 0)
      list.replaceChildren(h('li', { class: 'sw-empty' }, 'No webhooks for this class.'));
  }

  function renderLog(deliveries: readonly LoggedDelivery[]): void {
    const now = Date.now();
    log.replaceChildren(
      ...deliveries.map((d) => {
        const line = deliveryLine(d, now);
        return h(
          'li',
          { class: `sw-int-delivery sw-int-state--${line.tone}`, 'data-delivery': d.id },
          h('strong', {}, line.status),
          h('span', {}, line.event),
          h('span', { class: 'sw-muted' }, `${line.when} → ${d.url}`),
          h('span', { class: 'sw-muted' }, line.detail),
        );
      }),
    );
    if (deliveries.length === 0)
      log.replaceChildren(h('li', { class: 'sw-empty' }, 'Nothing sent yet.'));
  }

  function renderEvents(): void {
    if (events.childElementCount > 0) return;
    events.replaceChildren(
      ...eventTypes.map((t) =>
        h(
          'label',
          { class: 'sw-int-event' },
          h('input', { type: 'checkbox', name: 'events', value: t, checked: true }),
          h('code', {}, t),
        ),
      ),
    );
  }

  async function load(): Promise<void> {
    if (!classId) return;
    const id = classId;
    try {
      const [hooks, deliveries] = await Promise.all([
        api<WebhookList>(paths.webhooks(id)),
        api<{ deliveries: LoggedDelivery[] }>(paths.webhookDeliveries(id)),
      ]);
      if (id !== classId) return;
      eventTypes = hooks.eventTypes;
      renderEvents();
      renderList(hooks.subscriptions);
      renderLog(deliveries.deliveries);
    } catch (err) {
      failed(err);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = [...events.querySelectorAll<HTMLInputElement>('input:checked')].map(
      (b) => b.value,
    );
    const problem = webhookUrlProblem(url.value) ?? eventsProblem(chosen);
    say(problem ?? '');
    if (problem) return;
    add.disabled = true;
    try {
      const w = await api<CreatedWebhook>(paths.webhooks(classId), {
        method: 'POST',
        body: { url: url.value.trim(), events: chosen },
      });
      created.replaceChildren(
        h(
          'div',
          { class: 'sw-created', 'data-testid': 'webhook-created' },
          h('p', { class: 'sw-kicker' }, 'Signing secret'),
          h(
            'p',
            { class: 'sw-created-help' },
            'The receiver checks each request’s signature with it. Copy it now: it is shown this once.',
          ),
          h(
            'div',
            { class: 'sw-code-row' },
            h('code', { class: 'sw-int-secret', 'data-testid': 'webhook-secret' }, w.secret),
            copyButton('Copy', () => w.secret, 'webhook-secret-copy'),
          ),
        ),
      );
      url.value = '';
      await load();
    } catch (err) {
      failed(err);
    } finally {
      add.disabled = false;
    }
  });

  pick.addEventListener('change', () => {
    classId = pick.value;
    created.replaceChildren();
    say('');
    void load();
  });

  body.append(
    form,
    error,
    created,
    h('h3', { class: 'sw-int-subtitle' }, 'Endpoints'),
    list,
    h(
      'div',
      { class: 'sw-int-log-head' },
      h('h3', { class: 'sw-int-subtitle' }, 'Recent deliveries'),
      refresh,
    ),
    log,
  );
  const none = h('p', { class: 'sw-empty' }, 'Make a class first: webhooks belong to a class.');
  root.replaceChildren(
    h(
      'p',
      { class: 'sw-field-help' },
      'Slipway POSTs signed events (a task passed, a learner stuck…) to these addresses.',
    ),
    pick,
    body,
    none,
  );

  return {
    show(classes) {
      const keep = classes.some((c) => c.id === classId) ? classId : (classes[0]?.id ?? '');
      pick.replaceChildren(...classes.map((c) => h('option', { value: c.id }, c.name)));
      pick.value = keep;
      pick.hidden = body.hidden = classes.length === 0;
      none.hidden = classes.length > 0;
      classId = keep;
      void load();
    },
  };
}
