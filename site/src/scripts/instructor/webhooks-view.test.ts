import { describe, expect, it } from 'vitest';
import {
  deliveryLine,
  eventsProblem,
  type LoggedDelivery,
  webhookState,
  webhookUrlProblem,
} from './webhooks-view.ts';

const now = Date.parse('2026-03-01T12:00:00Z');
const delivery: LoggedDelivery = {
  id: 1,
  subscriptionId: 'wh_1',
  url: 'https://lms.example/hook',
  eventId: 'ev_1',
  type: 'task.passed',
  occurredAt: '2026-03-01T11:58:00Z',
  status: 'delivered',
  attempts: 1,
  nextAttemptAt: null,
  lastAttemptAt: '2026-03-01T11:58:01Z',
  responseCode: 204,
  lastError: null,
  log: [{ at: '2026-03-01T11:58:01Z', responseCode: 204, error: null, durationMs: 40 }],
};

describe('the webhooks panel', () => {
  it('checks the URL and the events before asking the runner', () => {
    expect(webhookUrlProblem('')).toMatch(/Give the address/);
    expect(webhookUrlProblem('lms.example/hook')).toMatch(/not a web address/);
    expect(webhookUrlProblem('ftp://lms.example/')).toMatch(/https:\/\/ or http:\/\//);
    expect(webhookUrlProblem(' https://lms.example/hook ')).toBeUndefined();
    expect(eventsProblem([])).toMatch(/at least one/);
    expect(eventsProblem(['task.passed'])).toBeUndefined();
  });

  it('says whether an endpoint is active, failing or paused', () => {
    const w = {
      id: 'wh_1',
      url: 'https://lms.example/hook',
      events: ['task.passed' as const],
      createdAt: '2026-03-01T10:00:00Z',
      failures: 0,
      paused: null,
    };
    expect(webhookState(w)).toEqual({ tone: 'ok', text: 'Active' });
    expect(webhookState({ ...w, failures: 3 })).toEqual({
      tone: 'warn',
      text: '3 failed attempts in a row',
    });
    expect(webhookState({ ...w, paused: { at: '', reason: '20 failures in a row' } }).text).toBe(
      'Paused: 20 failures in a row',
    );
  });

  it('gives each delivery its outcome in words', () => {
    expect(deliveryLine(delivery, now)).toEqual({
      status: 'Delivered',
      tone: 'ok',
      event: 'task.passed',
      when: '2 min ago',
      detail: '1 attempt, last: HTTP 204',
    });
    const retrying = deliveryLine(
      { ...delivery, status: 'pending', attempts: 2, responseCode: null, lastError: 'timed out' },
      now,
    );
    expect(retrying).toMatchObject({
      status: 'Retrying',
      tone: 'warn',
      detail: '2 attempts, last: timed out',
    });
    expect(
      deliveryLine({ ...delivery, status: 'pending', attempts: 0, log: [] }, now),
    ).toMatchObject({ status: 'Waiting', detail: 'not sent yet' });
    expect(deliveryLine({ ...delivery, status: 'failed', responseCode: 500 }, now).tone).toBe(
      'bad',
    );
  });
});
