import type { IncomingMessage, ServerResponse } from 'node:http';
import { labsFor } from '../classes/class-labs.ts';
import type { ClassInfo } from '../classes/class-store.ts';
import { completionCounts } from '../classes/roster.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { RowUpdate } from '../protocol/instructor-views.ts';
import { questionCounts } from '../questions/class-questions.ts';
import { type ClassViewDeps, classView, learnerRow } from './class-view.ts';

/**
 * Server-sent events for the live class view: a full `snapshot` first and every 10 s (time on
 * task moves, members join), and a `row` the moment one of the class's learners does anything
 * (a check passing reaches the instructor within the same tick it is recorded).
 */
export function streamClass(
  req: IncomingMessage,
  res: ServerResponse,
  c: ClassInfo,
  deps: ClassViewDeps & { bus: EventBus },
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const send = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  let view = classView(deps, c);
  send('snapshot', view);
  const members = () => new Set(view.rows.map((r) => r.learnerId));
  let inClass = members();

  const refreshNow = () => {
    view = classView(deps, c);
    inClass = members();
    send('snapshot', view);
  };
  const off = deps.bus.subscribe((e) => {
    if (e.kind === 'joined') {
      if (e.classId === c.id) refreshNow();
      return;
    }
    if (!inClass.has(e.learnerId)) return;
    const labs = labsFor(c.modules, deps.outline());
    const member = view.rows.find((r) => r.learnerId === e.learnerId)!;
    const row = learnerRow(deps, labs, member, Date.now(), view.questions);
    view = { ...view, rows: view.rows.map((r) => (r.learnerId === row.learnerId ? row : r)) };
    view.counts = completionCounts(view.rows, view.labs);
    view.questionCounts = questionCounts(view.rows, view.questions);
    const update: RowUpdate = { row, counts: view.counts, event: e };
    send('row', update);
  });
  const refresh = setInterval(refreshNow, 10_000);
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    off();
    clearInterval(refresh);
    clearInterval(ping);
  });
}
