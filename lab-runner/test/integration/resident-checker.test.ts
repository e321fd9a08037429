import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchCommand, parseBatch } from '../../src/checks/check-batch.ts';
import { CheckRunner } from '../../src/checks/check-runner.ts';
import type { SandboxInfo } from '../../src/sandbox/provider.ts';
import { provisionSandbox } from '../../src/sessions/provision.ts';
import { courseLab, engine, newInstance, sandboxSettings, sweep, testProvider } from './engine.ts';

// The checker's resident process (images/sandbox/checkd/checkd.pl): checks without an engine exec,
// and the sandbox engine's activity heard as it happens.
const instance = newInstance('resident');
const provider = testProvider(instance);
const checks = new CheckRunner(provider, { maxOutputBytes: 16_384 });
const lab = courseLab('first-containers');
const settings = sandboxSettings;

let sandbox: SandboxInfo;
const checker = () => engine.getContainer(`slipway-chk-${sandbox.labels.session}`);
const inSandbox = (script: string) => provider.exec(sandbox.id, { cmd: ['sh', '-c', script] });

beforeAll(async () => {
  const session = randomBytes(6).toString('hex');
  sandbox = await provisionSandbox(
    provider,
    lab,
    { instance, learner: 'it-learner', lab: lab.id, session },
    settings,
  );
});
afterAll(() => sweep(instance));

describe("a sandbox's resident checker", () => {
  it('runs checks with their own output and exit codes, and no engine exec', async () => {
    const passed = await checks.run(sandbox.id, { checkScript: 'pass', timeout: 5 });
    const failed = await checks.run(sandbox.id, {
      checkScript: 'echo "out é"; echo err >&2; fail "There is no container named \\"web\\" yet."',
      timeout: 5,
    });
    expect(passed).toMatchObject({ kind: 'passed' });
    expect(failed).toMatchObject({
      kind: 'failed',
      reason: 'There is no container named "web" yet.',
    });
    const raw = await provider.exec(sandbox.id, {
      in: 'checker',
      cmd: ['bash', '-c', 'printf "a\\0b"; echo warn >&2; exit 3'],
      env: { GREETING: 'hi' },
    });
    expect(raw).toMatchObject({ exitCode: 3, stdout: 'a\0b', stderr: 'warn\n', timedOut: false });
    expect((await checker().inspect()).ExecIDs ?? []).toEqual([]);
  });

  // Each batch run natively by checkd (one check alone, or several in its round shell) and by
  // the bash batch program (SLIPWAY_BATCH unset), outcome by outcome.
  const bothWays = async (
    prelude: string,
    list: Array<{ script: string; timeoutSeconds: number }>,
  ) => {
    const nonce = `@@slipway-${randomBytes(4).toString('hex')}`;
    const cmd = batchCommand(prelude, list, { nonce, killGraceSeconds: 1, capBytes: 1000 });
    const outcomes = async (env: Record<string, string>) => {
      const r = await provider.exec(sandbox.id, { in: 'checker', cmd, env });
      expect(r.stdout).toContain(`\n${nonce} end\n`);
      return [...parseBatch(r.stdout, nonce)].map(([i, run]) => [
        i,
        run.exitCode,
        run.stdout,
        run.stderr,
        run.complete,
      ]);
    };
    const native = await outcomes({ SLIPWAY_BATCH: `${nonce} 1 1000` });
    return { native, program: await outcomes({}) };
  };
  const lib = 'fail() { echo "$*"; exit 1; }; pass() { exit 0; }';

  it('runs a check batch itself with the outcomes the bash batch program gives', async () => {
    const { native, program } = await bothWays(lib, [
      { script: 'pass', timeoutSeconds: 5 },
      { script: 'echo working; fail "There is no container named web yet."', timeoutSeconds: 5 },
      { script: 'echo "é oops" >&2; exit 7', timeoutSeconds: 5 },
      {
        script:
          'echo "$SLIPWAY_ROUND_DIR" | grep -q slipway-checks && [ -w "$SLIPWAY_ROUND_DIR" ] && [ "$LC_ALL" = C ] && pass; fail "no round dir"',
        timeoutSeconds: 5,
      },
      { script: 'sleep 30', timeoutSeconds: 1 },
      { script: "trap '' TERM; sleep 30", timeoutSeconds: 1 },
      { script: 'kill -9 $$', timeoutSeconds: 5 },
      { script: 'echo after the shell was killed', timeoutSeconds: 5 },
    ]);
    expect(native).toEqual(program);
    expect(native.map(([, code]) => code)).toEqual([0, 1, 7, 0, 124, 137, 137, 0]);
    expect(native[1]![2]).toBe('working\nThere is no container named web yet.\n');
    expect(native[2]![3]).toBe('é oops\n');
  });

  it("gives every check the prelude's output, no stdin, and does not wait for what a check leaves running", async () => {
    const prelude = `${lib}; echo from the prelude; echo prelude warns >&2`;
    const leaves = { script: '(exec -a slipway-left sleep 30) & echo left', timeoutSeconds: 5 };
    const many = await bothWays(prelude, [
      { script: 'read -r line && fail "read $line"; pass', timeoutSeconds: 5 },
      leaves,
      { script: 'pass', timeoutSeconds: 5 },
    ]);
    expect(many.native).toEqual(many.program);
    expect(many.native.map(([, code, out, err]) => [code, out, err])).toEqual([
      [0, 'from the prelude\n', 'prelude warns\n'],
      [0, 'from the prelude\nleft\n', 'prelude warns\n'],
      [0, 'from the prelude\n', 'prelude warns\n'],
    ]);
    const alone = await bothWays(lib, [leaves]);
    expect(alone.native).toEqual(alone.program);
    expect(alone.native[0]![1]).toBe(0);
  });

  it('stops a run cut off by its deadline, with its children', async () => {
    const mark = `slipway-cut-${randomBytes(3).toString('hex')}`;
    const r = await provider.exec(
      sandbox.id,
      { in: 'checker', cmd: ['bash', '-c', `sleep 300 & exec -a ${mark} sleep 300`] },
      { timeoutMs: 500 },
    );
    expect(r).toMatchObject({ exitCode: null, timedOut: true });
    await expect
      .poll(
        async () =>
          (
            await provider.exec(sandbox.id, {
              in: 'checker',
              cmd: ['sh', '-c', `ps -eo args | grep -c "^${mark}\\|^sleep 300" || true`],
            })
          ).stdout.trim(),
        { timeout: 10_000 },
      )
      .toBe('0');
  });

  it('hears containers, networks and volumes change in the sandbox, and not health probes', async () => {
    let heard = 0;
    const stop = new AbortController();
    const watching = provider.watchActivity(sandbox.id, () => heard++, { signal: stop.signal });
    try {
      let networks = 0;
      await expect
        .poll(async () => {
          await inSandbox(`docker network create probe-${networks++} >/dev/null`);
          return heard;
        })
        .toBeGreaterThan(0);
      await inSandbox(
        'docker run -d --name probed --health-cmd true --health-interval 1s --health-start-period 0s debian sleep 600',
      );
      await expect
        .poll(
          async () =>
            (await inSandbox("docker inspect -f '{{.State.Health.Status}}' probed")).stdout.trim(),
          {
            timeout: 30_000,
          },
        )
        .toBe('healthy');
      const countProbes = async () =>
        Number(
          (
            await inSandbox(
              "docker inspect -f '{{.State.Health.FailingStreak}} {{len .State.Health.Log}}' probed",
            )
          ).stdout
            .trim()
            .split(' ')[1],
        );
      // The log holds the last five probes; once it is full, wait for five new ones by time.
      await expect.poll(countProbes, { timeout: 30_000 }).toBe(5);
      const since = new Date().toISOString();
      const heardBefore = heard;
      await expect
        .poll(
          async () =>
            Number(
              (
                await inSandbox(
                  `docker inspect probed | jq '[.[0].State.Health.Log[] | select(.Start > "${since}")] | length'`,
                )
              ).stdout.trim(),
            ),
          { timeout: 30_000 },
        )
        .toBeGreaterThanOrEqual(3);
      expect(heard).toBe(heardBefore);
      await inSandbox('docker rm -f probed >/dev/null');
      await expect.poll(() => heard).toBeGreaterThan(heardBefore);
    } finally {
      stop.abort();
      await watching;
    }
  });

  it('is made again, and heard again, after it was killed', async () => {
    let heard = 0;
    const stop = new AbortController();
    const watching = provider.watchActivity(sandbox.id, () => heard++, { signal: stop.signal });
    try {
      const before = (await checker().inspect()).Id;
      await checker().kill();
      await expect
        .poll(
          async () => (await checks.run(sandbox.id, { checkScript: 'pass', timeout: 5 })).kind,
          {
            timeout: 30_000,
          },
        )
        .toBe('passed');
      expect((await checker().inspect()).Id).not.toBe(before);
      const from = heard;
      let volumes = 0;
      await expect
        .poll(
          async () => {
            await inSandbox(`docker volume create again-${volumes++} >/dev/null`);
            return heard;
          },
          { timeout: 30_000 },
        )
        .toBeGreaterThan(from);
    } finally {
      stop.abort();
      await watching;
    }
  });
});
