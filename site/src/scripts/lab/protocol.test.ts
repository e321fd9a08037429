import { describe, expect, it } from 'vitest';
import * as runner from '../../../../lab-runner/src/protocol/messages.ts';
import {
  applyTaskMessage,
  closeExplanation,
  errorBody,
  isLabInfo,
  MAX_FRAME_BYTES,
  MAX_RECONNECTS,
  parseServerMessage,
  previewUrl,
  progressText,
  reconnectDelay,
  shouldReconnect,
  splitInput,
  type TaskStatus,
  terminalUrl,
  visibleReasons,
} from './protocol.ts';

describe('splitInput', () => {
  it('sends small input as one message the runner accepts', () => {
    const msgs = splitInput('ls\r');
    expect(msgs).toEqual([{ v: 1, type: 'input', data: 'ls\r' }]);
    expect(runner.clientMessageSchema.safeParse(msgs[0]).success).toBe(true);
  });

  it('splits a big paste into messages within the character limit, in order', () => {
    const paste = 'x'.repeat(40_000);
    const msgs = splitInput(paste);
    expect(msgs.map((m) => (m.type === 'input' ? m.data.length : 0))).toEqual([16384, 16384, 7232]);
    expect(msgs.map((m) => (m.type === 'input' ? m.data : '')).join('')).toBe(paste);
    for (const m of msgs) expect(runner.clientMessageSchema.safeParse(m).success).toBe(true);
  });

  it('keeps every frame under the byte limit even when JSON escaping inflates it', () => {
    const paste = '\u0001'.repeat(20_000); // 6 bytes each as JSON
    const msgs = splitInput(paste);
    for (const m of msgs)
      expect(new TextEncoder().encode(JSON.stringify(m)).length).toBeLessThanOrEqual(
        MAX_FRAME_BYTES,
      );
    expect(msgs.map((m) => (m.type === 'input' ? m.data : '')).join('')).toBe(paste);
  });

  it('never cuts an emoji (surrogate pair) in half', () => {
    const paste = `${'a'.repeat(4)}😀😀`;
    const msgs = splitInput(paste, 5);
    const parts = msgs.map((m) => (m.type === 'input' ? m.data : ''));
    expect(parts.join('')).toBe(paste);
    for (const p of parts) expect(p).not.toMatch(/[\uD800-\uDBFF]$/);
  });
});

describe('terminalUrl', () => {
  it('uses ws or wss like the page and passes the size', () => {
    expect(
      terminalUrl({ protocol: 'http:', host: 'localhost:4321' }, 'first-containers', 80, 24),
    ).toBe('ws://localhost:4321/api/labs/first-containers/terminal?cols=80&rows=24');
    expect(terminalUrl({ protocol: 'https:', host: 'course.example' }, 'a', 100, 30)).toBe(
      'wss://course.example/api/labs/a/terminal?cols=100&rows=30',
    );
  });
});

describe('previewUrl', () => {
  it('points at the runner’s preview proxy for the lab and port', () => {
    expect(previewUrl('dagster', 3000)).toBe('/preview/dagster/3000/');
    expect(previewUrl('web', 8080, '/dashboards?x=1')).toBe('/preview/web/8080/dashboards?x=1');
    expect(previewUrl('web', 8080, 'docs/')).toBe('/preview/web/8080/docs/');
  });
});

describe('reconnecting', () => {
  it('reconnects only when the runner went away or the connection dropped', () => {
    expect(shouldReconnect(1001)).toBe(true);
    expect(shouldReconnect(1006)).toBe(true);
    for (const code of [1000, 1008, 1009, 4401, 4404, 4503])
      expect(shouldReconnect(code)).toBe(false);
  });

  it('tries quickly first, backs off to 4 s, for about 20 s in all', () => {
    expect([0, 1, 2, 3].map(reconnectDelay)).toEqual([400, 800, 1200, 1600]);
    expect(reconnectDelay(50)).toBe(4000);
    let total = 0;
    for (let i = 0; i < MAX_RECONNECTS; i++) total += reconnectDelay(i);
    expect(total).toBeGreaterThan(10_000);
    expect(total).toBeLessThan(30_000);
  });

  it('explains closes in words, preferring the runner’s reason', () => {
    expect(closeExplanation(4404, 'There is no lab called "x".')).toBe(
      'There is no lab called "x".',
    );
    expect(closeExplanation(4503, '')).toBe(
      'This lab cannot start because its definition has an error.',
    );
    expect(closeExplanation(1009, '')).toMatch(/too big/);
    expect(closeExplanation(1006, '')).toBe('Lost the connection to the lab service.');
    expect(closeExplanation(1008, 'bad message: it is not JSON')).toBe(
      'The lab service closed the connection: bad message: it is not JSON',
    );
  });
});

describe('tasks', () => {
  const order = ['a', 'b', 'c'];
  const statuses = (list: TaskStatus[]) => new Map(list.map((t) => [t.id, t]));

  it('applies snapshots and single changes, ignoring unknown tasks', () => {
    let s = statuses(order.map((id) => ({ id, state: 'pending' as const })));
    s = applyTaskMessage(s, {
      v: 1,
      type: 'tasks',
      tasks: [
        { id: 'a', state: 'passed' },
        { id: 'zzz', state: 'passed' },
      ],
    });
    s = applyTaskMessage(s, {
      v: 1,
      type: 'task',
      trigger: 'poll',
      task: { id: 'b', state: 'failing', reason: 'no' },
    });
    expect([...s.values()]).toEqual([
      { id: 'a', state: 'passed' },
      { id: 'b', state: 'failing', reason: 'no' },
      { id: 'c', state: 'pending' },
    ]);
  });

  it('shows the reason of the first unfinished task, and of tasks checked by a click', () => {
    const s = statuses([
      { id: 'a', state: 'passed' },
      { id: 'b', state: 'failing', reason: 'b is missing' },
      { id: 'c', state: 'failing', reason: 'c is missing' },
    ]);
    expect([...visibleReasons(order, s, new Set())]).toEqual(['b']);
    expect([...visibleReasons(order, s, new Set(['c']))]).toEqual(['b', 'c']);
  });

  it('counts progress in words', () => {
    expect(progressText(2, 5)).toBe('2 of 5 tasks done');
    expect(progressText(1, 1)).toBe('1 of 1 task done');
  });
});

describe('parsing', () => {
  it('accepts v1 messages only', () => {
    expect(parseServerMessage('{"v":1,"type":"output","data":"hi"}')).toEqual({
      v: 1,
      type: 'output',
      data: 'hi',
    });
    expect(parseServerMessage('{"v":2,"type":"output","data":"hi"}')).toBeUndefined();
    expect(parseServerMessage('not json')).toBeUndefined();
    expect(parseServerMessage(new ArrayBuffer(2))).toBeUndefined();
  });

  it('reads API bodies', () => {
    expect(
      errorBody({ error: { code: 'LAB_NOT_FOUND', message: 'No lab.', hint: 'Check the link.' } }),
    ).toEqual({
      code: 'LAB_NOT_FOUND',
      message: 'No lab.',
      hint: 'Check the link.',
    });
    expect(errorBody('<html>')).toBeUndefined();
    expect(isLabInfo({ id: 'x', progress: [], sandbox: { state: 'none', exists: false } })).toBe(
      true,
    );
    expect(isLabInfo({ error: {} })).toBe(false);
  });
});
