import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstructorStore } from '../../src/accounts/instructor-store.ts';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/errors/log.ts';
import { type RunningPlatform, startPlatform } from '../../src/main.ts';
import { openDatabase } from '../../src/progress/database.ts';
import {
  classViewSchema,
  learnerDetailSchema,
  rowUpdateSchema,
} from '../../src/protocol/instructor-views.ts';
import { engineSocket, newInstance, sweep } from './engine.ts';
import { SseClient } from './sse-client.ts';
import { LabClient } from './ws-client.ts';

const root = join(import.meta.dirname, '../../..');
const instance = newInstance('classes');
const dataDir = mkdtempSync(join(tmpdir(), 'slipway-classes-'));
let platform: RunningPlatform;
const url = (p: string) => `${platform.url}${p}`;
const cookieOf = (r: Response) =>
  r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

async function learner(): Promise<string> {
  return cookieOf(await fetch(url('/api/learner'), { method: 'POST' }));
}
async function login(username: string, password: string) {
  return fetch(url('/api/instructor/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}
const post = (p: string, cookie: string, body: unknown) =>
  fetch(url(p), {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  const db = openDatabase(join(dataDir, 'slipway.db'));
  const instructors = new InstructorStore(db);
  instructors.create('xavier', await hashPassword('xavier-password-1'));
  instructors.create('yvonne', await hashPassword('yvonne-password-1'));
  instructors.create('zoe', await hashPassword('zoe-password-12'));
  db.close();
  platform = await startPlatform(
    loadConfig(
      {
        SLIPWAY_PORT: '0',
        SLIPWAY_PREVIEW_PORT: '0',
        SLIPWAY_DATA_DIR: dataDir,
        SLIPWAY_INSTANCE: instance,
        SLIPWAY_DOCKER_SOCKET: engineSocket,
        SLIPWAY_CHECK_INTERVAL_MS: '1000',
      },
      root,
    ),
    silentLogger,
  );
});
afterAll(async () => {
  await platform?.close();
  await sweep(instance);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('instructor accounts', () => {
  it('refuses wrong passwords in the same words for unknown users, then throttles', async () => {
    const wrong = await login('xavier', 'not-the-password');
    expect(wrong.status).toBe(401);
    const nobody = await login('nobody', 'not-the-password');
    expect(await nobody.json()).toEqual(await (await login('xavier', 'still-not-it')).json());
    for (let i = 0; i < 3; i++) await login('yvonne', `wrong-${i}-password`);
    await login('yvonne', 'wrong-again-password');
    await login('yvonne', 'wrong-last-password');
    const throttled = await login('yvonne', 'yvonne-password-1');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('gives a new session at every login and ends it at logout', async () => {
    const first = cookieOf(await login('xavier', 'xavier-password-1'));
    const second = cookieOf(await login('xavier', 'xavier-password-1'));
    expect(first).not.toBe(second);
    expect((await fetch(url('/api/instructor/me'), { headers: { cookie: second } })).status).toBe(
      200,
    );
    await post('/api/instructor/logout', second, {});
    expect((await fetch(url('/api/instructor/me'), { headers: { cookie: second } })).status).toBe(
      401,
    );
    expect((await fetch(url('/api/instructor/classes'))).status).toBe(401);
  });
});

describe('a class, live', () => {
  let x: string;
  let z: string;
  let classId: string;
  let joinCode: string;
  let a: string;
  let b: string;
  let aId: string;

  it('an instructor creates a class and two learners join it', async () => {
    x = cookieOf(await login('xavier', 'xavier-password-1'));
    const created = await post('/api/instructor/classes', x, {
      name: 'Docker 101',
      modules: ['docker-fundamentals'],
    });
    expect(created.status).toBe(201);
    ({ id: classId, joinCode } = await created.json());
    expect(joinCode).toMatch(/^[A-Z2-9]{8}$/);
    a = await learner();
    b = await learner();
    expect((await (await fetch(url(`/api/join/${joinCode}`))).json()).name).toBe('Docker 101');
    expect(
      (await post('/api/join', a, { code: joinCode.toLowerCase(), displayName: 'Ada' })).status,
    ).toBe(200);
    expect((await post('/api/join', b, { code: joinCode, displayName: 'Bo' })).status).toBe(200);
    const bad = await post('/api/join', b, { code: 'NOPE', displayName: '' });
    expect(bad.status).toBe(400);
    const view = classViewSchema.parse(
      await (
        await fetch(url(`/api/instructor/classes/${classId}`), { headers: { cookie: x } })
      ).json(),
    );
    expect(view.rows.map((r) => r.displayName)).toEqual(['Ada', 'Bo']);
    expect(view.labs.map((l) => l.id)).toContain('first-containers');
    aId = view.rows[0]!.learnerId;
  });

  it('another instructor cannot see the class, even with its id', async () => {
    z = cookieOf(await login('zoe', 'zoe-password-12'));
    const own = await fetch(url('/api/instructor/classes'), { headers: { cookie: z } });
    expect((await own.json()).classes).toEqual([]);
    for (const path of [
      `/api/instructor/classes/${classId}`,
      `/api/instructor/classes/${classId}/export.csv`,
      `/api/instructor/classes/${classId}/stream`,
      `/api/instructor/classes/${classId}/learners/${aId}`,
    ]) {
      const r = await fetch(url(path), { headers: { cookie: z } });
      expect(r.status, path).toBe(404);
    }
    const shadow = new LabClient(
      `${platform.url.replace('http', 'ws')}/api/instructor/classes/${classId}/learners/${aId}/shadow?lab=first-containers`,
      { cookie: z },
    );
    expect(await shadow.closed).toEqual({
      code: 4404,
      reason: 'There is no such learner in this class.',
    });
    const guessed = await fetch(url('/api/instructor/classes/AAAAAAAAAAAA'), {
      headers: { cookie: x },
    });
    expect(guessed.status).toBe(404);
  });

  it('a passing check reaches the instructor’s live view without a reload', async () => {
    const stream = new SseClient(url(`/api/instructor/classes/${classId}/stream`), { cookie: x });
    await stream.waitFor((e) => e.event === 'snapshot');
    const ada = new LabClient(
      `${platform.url.replace('http', 'ws')}/api/labs/first-containers/terminal`,
      { cookie: a },
    );
    await ada.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await ada.waitForScreen('learner@first-containers');
    ada.type('docker run -d --name web -p 8080:80 nginx\r');
    const passed = await ada.waitFor(
      (m) => m.type === 'task' && m.task.id === 'run-web' && m.task.state === 'passed',
      60_000,
    );
    const row = (await stream.waitFor(
      (e) =>
        e.event === 'row' &&
        (e.data as { row: { cells: Record<string, Record<string, { state: string }>> } }).row.cells[
          'first-containers'
        ]?.['run-web']?.state === 'done',
    )) as {
      data: { row: { displayName: string }; counts: Record<string, Record<string, number>> };
    };
    expect(rowUpdateSchema.parse(row.data).row.displayName).toBe('Ada');
    expect(row.data.counts['first-containers']?.['run-web']).toBe(1);
    expect(passed).toBeDefined();
    stream.close();

    // The instructor's read-only shadow shows Ada's screen; what the instructor types goes nowhere.
    const shadow = new LabClient(
      `${platform.url.replace('http', 'ws')}/api/instructor/classes/${classId}/learners/${aId}/shadow?lab=first-containers`,
      { cookie: x },
    );
    await shadow.waitForScreen('docker run -d --name web -p 8080:80 nginx');
    shadow.type('echo typed-by-instructor\r');
    ada.type('echo ada-still-here\r');
    await shadow.waitForScreen('ada-still-here');
    expect(ada.screen).not.toContain('typed-by-instructor');
    shadow.close();
    // The learner page lists the labs a shadow can attach to from the learner's detail.
    const open = learnerDetailSchema.parse(
      await (
        await fetch(url(`/api/instructor/classes/${classId}/learners/${aId}`), {
          headers: { cookie: x },
        })
      ).json(),
    );
    expect(open.terminals).toEqual(['first-containers']);

    // Learner B has their own sandbox: nothing of Ada's reaches them.
    const bo = new LabClient(
      `${platform.url.replace('http', 'ws')}/api/labs/first-containers/terminal`,
      { cookie: b },
    );
    await bo.waitForScreen('learner@first-containers', 120_000);
    bo.type('echo "web-count=$(docker ps -q --filter name=web | wc -l)"\r');
    await bo.waitForScreen('web-count=0');
    expect(bo.screen).not.toContain('ada-still-here');
    bo.close();
    ada.close();
  });

  it('shows what a learner did: commands, checks, a recording with check markers, and a CSV', async () => {
    const detail = learnerDetailSchema.parse(
      await (
        await fetch(url(`/api/instructor/classes/${classId}/learners/${aId}`), {
          headers: { cookie: x },
        })
      ).json(),
    );
    const commands = detail.timeline.flatMap((t) =>
      t.kind === 'command' ? [[t.command, t.exitCode]] : [],
    );
    expect(commands).toContainEqual(['docker run -d --name web -p 8080:80 nginx', 0]);
    expect(detail.timeline.some((t) => t.kind === 'completed' && t.taskId === 'run-web')).toBe(
      true,
    );
    expect(detail.recordings).toHaveLength(1);
    const cast = await (
      await fetch(
        url(
          `/api/instructor/classes/${classId}/learners/${aId}/recordings/${detail.recordings[0]!.id}`,
        ),
        { headers: { cookie: x } },
      )
    ).text();
    const [header, ...events] = cast
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(header.version).toBe(2);
    // The echo of a typed command can arrive in several output events.
    const output = events
      .filter((e: [number, string, string]) => e[1] === 'o')
      .map((e: [number, string, string]) => e[2])
      .join('');
    expect(output).toContain('--name web');
    expect(events.some((e: [number, string, string]) => e[1] === 'm' && e[2] === '✓ run-web')).toBe(
      true,
    );
    // Other learners' recordings are not reachable through this learner.
    const other = await fetch(
      url(`/api/instructor/classes/${classId}/learners/${aId}/recordings/999999`),
      { headers: { cookie: x } },
    );
    expect(other.status).toBe(404);

    const csv = await (
      await fetch(url(`/api/instructor/classes/${classId}/export.csv`), { headers: { cookie: x } })
    ).text();
    const [head, adaLine] = csv.split('\r\n');
    expect(head).toContain('first-containers/run-web');
    expect(adaLine).toMatch(/^Ada,/);
    const col = head!.split(',').indexOf('first-containers/run-web');
    expect(adaLine!.split(',')[col]).toMatch(/^\d{4}-\d\d-\d\dT/);
    const json = classViewSchema.parse(
      await (
        await fetch(url(`/api/instructor/classes/${classId}/export.json`), {
          headers: { cookie: x },
        })
      ).json(),
    );
    expect(json.rows[0]!.cells['first-containers']!['run-web']!.state).toBe('done');
  });
});
