/**
 * The real runner (startPlatform, the composition root) on a real SQLite file, with a course
 * of the test's own lessons and no Docker engine: for HTTP tests of what never needs a sandbox
 * (questions, classes, webhooks). The runner starts anyway and says the engine is away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Fixture, makeFixture } from '../../site/src/build/test-fixtures.ts';
import { InstructorStore } from '../src/accounts/instructor-store.ts';
import { hashPassword } from '../src/accounts/passwords.ts';
import { loadConfig } from '../src/config.ts';
import { type Logger, silentLogger } from '../src/errors/log.ts';
import { type RunningPlatform, startPlatform } from '../src/main.ts';
import { openDatabase } from '../src/progress/database.ts';

export interface EnginelessOptions {
  /** Names the data directory and the instance. */
  name: string;
  /** Path under content/ -> file text; each module folder gets a module.yaml. */
  lessons: Record<string, string>;
  /** Instructor accounts made before the runner starts: username -> password. */
  instructors?: Record<string, string>;
  /** More settings for the runner's environment. */
  env?: Record<string, string>;
  /** Writes more files (labs, images) into the repository layout before the runner starts. */
  setup?: (f: Fixture) => void;
  logger?: Logger;
}

/** The cookies a response sets, as a Cookie header. */
export const cookieOf = (r: Response) =>
  r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

export interface EnginelessPlatform extends AsyncDisposable {
  platform: RunningPlatform;
  /** The runner's data directory (its SQLite file is slipway.db there). */
  dataDir: string;
  url(path: string): string;
  /** A JSON request with a Cookie header (and a JSON body when given). */
  call(method: string, path: string, cookie?: string, body?: unknown): Promise<Response>;
  /** An instructor's session cookie. */
  login(username: string, password: string): Promise<string>;
  close(): Promise<void>;
}

export async function startEngineless(opts: EnginelessOptions): Promise<EnginelessPlatform> {
  const f = makeFixture();
  for (const [path, text] of Object.entries(opts.lessons)) {
    const module = path.split('/')[0]!;
    f.write(`content/${module}/module.yaml`, `title: ${module.replace(/^\d+-/, '')}\n`);
    f.write(`content/${path}`, text);
  }
  f.write('labs/.keep', '');
  f.write('images/course/.keep', '');
  opts.setup?.(f);
  const dataDir = mkdtempSync(join(tmpdir(), `slipway-${opts.name}-`));
  const removeFiles = () => {
    rmSync(dataDir, { recursive: true, force: true });
    f.cleanup();
  };
  let platform: RunningPlatform;
  try {
    const db = openDatabase(join(dataDir, 'slipway.db'));
    const accounts = new InstructorStore(db);
    for (const [user, password] of Object.entries(opts.instructors ?? {}))
      accounts.create(user, await hashPassword(password));
    db.close();
    const env = {
      SLIPWAY_PORT: '0',
      SLIPWAY_PREVIEW_PORT: '0',
      SLIPWAY_DATA_DIR: dataDir,
      SLIPWAY_CONTENT_DIR: join(f.root, 'content'),
      SLIPWAY_LABS_DIR: join(f.root, 'labs'),
      SLIPWAY_IMAGES_DIR: join(f.root, 'images'),
      SLIPWAY_SITE_DIR: join(f.root, 'dist'),
      SLIPWAY_DOCKER_SOCKET: join(dataDir, 'no-engine.sock'),
      SLIPWAY_MAX_SANDBOXES: '1',
      SLIPWAY_INSTANCE: `${opts.name}-test`,
      ...opts.env,
    };
    platform = await startPlatform(loadConfig(env, f.root), opts.logger ?? silentLogger);
  } catch (err) {
    removeFiles();
    throw err;
  }
  const url = (path: string) => `${platform.url}${path}`;
  const call = (method: string, path: string, cookie = '', body?: unknown) =>
    fetch(url(path), {
      method,
      headers: { cookie, 'content-type': 'application/json' },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const close = async () => {
    await platform.close();
    removeFiles();
  };
  return {
    platform,
    dataDir,
    url,
    call,
    login: async (username, password) =>
      cookieOf(await call('POST', '/api/instructor/login', '', { username, password })),
    close,
    [Symbol.asyncDispose]: close,
  };
}
