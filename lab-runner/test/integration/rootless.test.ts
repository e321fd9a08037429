import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine, sandboxesOf } from './engine.ts';
import { RunnerProcess } from './runner-process.ts';

/**
 * The rootless isolation mode end to end: the learner is an unprivileged user whose own
 * Docker engine runs rootless; the lab works as usual, and the escape probes fail both in
 * their shell and as root inside one of their containers.
 */
const runner = new RunnerProcess({ prefix: 'it-rootless', env: { SLIPWAY_ISOLATION: 'rootless' } });
const probes = readFileSync(join(import.meta.dirname, 'escape-probes.sh'), 'utf8');

/** Runs a script in the sandbox as `user`, with the probes on stdin when asked. */
async function run(container: string, user: string, script: string): Promise<string> {
  const exec = await engine.getContainer(container).exec({
    Cmd: ['bash', '-c', script],
    User: user,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({});
  const chunks: Buffer[] = [];
  const out = new (await import('node:stream')).PassThrough();
  out.on('data', (d: Buffer) => chunks.push(d));
  engine.modem.demuxStream(stream, out, out);
  await new Promise((r) => stream.on('end', r));
  return Buffer.concat(chunks).toString();
}

const verdicts = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('PROBE '))
    .map((l) => {
      const [, name, verdict] = l.split(' ');
      return { name: name!, verdict: verdict! };
    });

beforeAll(() => runner.start());
afterAll(() => runner.dispose());

describe('rootless isolation mode', () => {
  it('runs the lab for an unprivileged learner, and every probe stays blocked', async () => {
    const cookie = await runner.newLearner();
    const a = runner.labSocket(cookie);
    await a.waitFor((m) => m.type === 'status' && m.phase === 'ready', 120_000);
    await a.waitForScreen('learner@first-containers');
    a.type('echo "uid=$(id -u)"; docker info --format "rootless={{.SecurityOptions}}"\r');
    await a.waitForScreen('uid=1000');
    await a.waitForScreen('name=rootless');
    a.type('docker run -d --name web -p 8080:80 nginx\r');
    await a.waitFor(
      (m) => m.type === 'task' && m.task.id === 'run-web' && m.task.state === 'passed',
      90_000,
    );

    const [name] = await sandboxesOf(runner.instance);
    const container = name!.replace(/^\//, '');
    const asLearner = verdicts(await run(container, 'learner', probes));
    expect(asLearner.length).toBeGreaterThanOrEqual(10);
    expect(asLearner.filter((p) => p.verdict === 'ESCAPED')).toEqual([]);

    // Root inside the learner's own container is the learner's uid outside it.
    const script = `docker run --rm -i debian bash <<'PROBES'\n${probes}\nPROBES`;
    const inContainer = verdicts(await run(container, 'learner', script));
    expect(inContainer.length).toBeGreaterThanOrEqual(10);
    expect(inContainer.filter((p) => p.verdict === 'ESCAPED')).toEqual([]);
    a.close();
  });
});
