/**
 * The learner's path, measured end to end against a real platform and engine:
 *   - time to terminal (Start → usable prompt): cold, from the warm pool, on reconnect;
 *     baseline `docker run` + `docker exec -it bash` to its prompt
 *   - keystroke echo: platform WebSocket vs raw `docker exec -it` vs dockerode exec, and a
 *     bare WebSocket echo on loopback (the floor)
 *   - bulk output MB/s through the terminal vs raw `docker exec -t`
 *   - one check and a whole lab's checks vs a bare `docker exec true`
 *   - memory of an idle sandbox
 */
import { CheckRunner } from '../lab-runner/src/checks/check-runner.ts';
import { loadCourseImages } from '../lab-runner/src/labs/course-images.ts';
import { loadLabs } from '../lab-runner/src/labs/load-labs.ts';
import { LabClient } from '../lab-runner/test/integration/ws-client.ts';
import {
  bareWebSocketEcho,
  rawExecThroughput,
  rawExecTty,
  removeImageSeeds,
  runThenExec,
} from './baselines.ts';
import { type BenchRow, budget, distribution, fmtDist, fmtMs, ratio, sleep } from './lib.ts';
import { benchPlatform } from './platform.ts';

const LAB = 'first-containers';
const PROMPT = 'learner@';

export interface TerminalBenchOptions {
  starts: number;
  keys: number;
  log: (s: string) => void;
}

/** Types one key at a time and times until `screen()` shows it echoed. */
async function echo(write: (s: string) => void, screen: () => string, keys: number) {
  const out: number[] = [];
  for (let i = 0; i < keys; i++) {
    const ch = 'abcdefghijklmnopqrstuvwxyz'[i % 26]!;
    const before = screen().length;
    const t0 = performance.now();
    write(ch);
    while (!screen().slice(before).includes(ch)) await new Promise((r) => setImmediate(r));
    out.push(performance.now() - t0);
    if (i % 40 === 39) {
      write('\u0015'); // Ctrl-U keeps the line short
      await sleep(20);
    }
  }
  return out;
}

async function startToPrompt(
  url: string,
  cookie: string,
): Promise<{ ms: number; client: LabClient }> {
  const t0 = performance.now();
  const client = new LabClient(url, { cookie });
  await client.waitForScreen(PROMPT, 180_000);
  return { ms: performance.now() - t0, client };
}

export async function terminalBench(o: TerminalBenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const add = (r: BenchRow) => {
    rows.push(r);
    o.log(`  ${r.figure}: ${r.slipway} | ${r.baseline} | ${r.ratio ?? ''} ${r.budget ?? ''}`);
  };

  // Cold: the pool is off, so every new learner's Start makes a sandbox.
  await using cold = await benchPlatform({ SLIPWAY_WARM_POOL: '0' });
  const host = `unix://${cold.config.dockerSocket}`;
  const labels = [
    `slipway.app=slipway`,
    `slipway.kind=bench`,
    `slipway.instance=${cold.config.instance}`,
  ];
  const baseline: number[] = [];
  for (let i = 0; i < o.starts; i++)
    baseline.push(await runThenExec(host, 'slipway/course-debian', labels));
  const base = distribution(baseline);

  // Seeds are a cache of the engine (image-seeds.ts). Start without any, so the first Start
  // shows what building one costs; the others start from it.
  await removeImageSeeds(host);
  const colds: number[] = [];
  let firstStart = 0;
  let client: LabClient | undefined;
  let cookie = '';
  for (let i = 0; i <= o.starts; i++) {
    client?.close();
    cookie = await cold.newLearner();
    const s = await startToPrompt(cold.terminalUrl(LAB), cookie);
    if (i === 0) firstStart = s.ms;
    else colds.push(s.ms);
    client = s.client;
  }
  const coldD = distribution(colds);
  add({
    figure: `Time to terminal, cold sandbox (${o.starts} new learners, p50 / p95 / p99)`,
    slipway: fmtDist(coldD),
    baseline: `\`docker run\` + \`docker exec -it bash\` to its prompt: ${fmtDist(base)}`,
    ratio: ratio(coldD.p50, base.p50),
    budget: budget(coldD.p50, 2000, 'p50 ≤ 2 s'),
  });
  add({
    figure: 'Time to terminal, first start of a set of images on the engine (builds its seed)',
    slipway: fmtMs(firstStart),
    baseline: `\`docker run\` + \`docker exec\`: ${fmtMs(base.p50)} p50`,
    ratio: ratio(firstStart, base.p50),
  });
  {
    // The same Start with images loaded after the engine is up, as before seeds.
    await using loading = await benchPlatform({
      SLIPWAY_WARM_POOL: '0',
      SLIPWAY_IMAGE_SEEDS: 'false',
    });
    const loads: number[] = [];
    for (let i = 0; i < Math.min(o.starts, 3); i++) {
      const s = await startToPrompt(loading.terminalUrl(LAB), await loading.newLearner());
      s.client.close();
      loads.push(s.ms);
    }
    const loadD = distribution(loads);
    add({
      figure: `Time to terminal, cold, images loaded after start (\`SLIPWAY_IMAGE_SEEDS=false\`, ${loads.length} learners)`,
      slipway: fmtDist(loadD),
      baseline: `seeded cold start above: ${fmtMs(coldD.p50)} p50`,
      ratio: ratio(loadD.p50, coldD.p50),
    });
  }

  const sandbox = (await cold.provider.list({ lab: LAB })).find(
    (s) => s.labels.learner !== '~pool' && s.state === 'running',
  )!;

  // Reconnect: a page reload, back to the same shell with its screen.
  const reconnects: number[] = [];
  for (let i = 0; i < o.starts; i++) {
    client!.close();
    await sleep(300);
    const s = await startToPrompt(cold.terminalUrl(LAB), cookie);
    reconnects.push(s.ms);
    client = s.client;
  }
  const recD = distribution(reconnects);
  add({
    figure: 'Time to terminal, reconnect (reload: same shell, screen restored)',
    slipway: fmtDist(recD),
    baseline: `\`docker run\` + \`docker exec\`: ${fmtMs(base.p50)} p50`,
    ratio: ratio(recD.p50, base.p50),
  });

  // Keystroke echo.
  await sleep(1500);
  const c = client!;
  const viaWs = distribution(
    await echo(
      (s) => c.type(s),
      () => c.screen,
      o.keys,
    ),
  );
  const raw = rawExecTty(host, sandbox.id, 'bash -l');
  let rawScreen = '';
  raw.stdout.on('data', (d: Buffer) => {
    rawScreen += d.toString();
  });
  await sleep(1500);
  const viaRaw = distribution(
    await echo(
      (s) => raw.stdin.write(s),
      () => rawScreen,
      o.keys,
    ),
  );
  raw.kill('SIGKILL');
  await using term = await cold.provider.openTerminal(sandbox.id, {
    cmd: ['bash', '-l'],
    cols: 120,
    rows: 30,
  });
  let direct = '';
  term.stream.on('data', (d: Buffer) => {
    direct += d.toString();
  });
  await sleep(1000);
  const viaExec = distribution(
    await echo(
      (s) => term.stream.write(s),
      () => direct,
      o.keys,
    ),
  );
  const floor = distribution(await bareWebSocketEcho(o.keys));
  add({
    figure: `Keystroke echo (${o.keys} keys, p50 / p95 / p99)`,
    slipway: fmtDist(viaWs),
    baseline: `raw \`docker exec -it\`: ${fmtDist(viaRaw)} · dockerode exec: ${fmtDist(viaExec)} · bare WebSocket on loopback: ${fmtDist(floor)}`,
    ratio: `p99 ${ratio(viaWs.p99, viaRaw.p99)}`,
    budget: budget(viaWs.p99, 1.2 * viaRaw.p99, 'p99 ≤ 1.2× raw'),
  });

  // Bulk output: the same bytes through the terminal and through a raw exec.
  const MB = 20;
  const cmd = `yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c ${MB * 1_000_000}`;
  let received = 0;
  let done: (() => void) | undefined;
  c.ws.on('message', (d: Buffer) => {
    received += d.length;
    if (done && d.toString().includes('BULK-DONE-2')) done();
  });
  const t0 = performance.now();
  const finished = new Promise<void>((r) => {
    done = r;
  });
  c.type(`\u0015${cmd}; echo BULK-DONE-$((1+1))\r`);
  await finished;
  const platformMBs = (MB / (performance.now() - t0)) * 1000;
  done = undefined;
  c.type('clear\r');
  const rawBulk = await rawExecThroughput(host, sandbox.id, cmd);
  const rawMBs = (rawBulk.bytes / 1e6 / rawBulk.ms) * 1000;
  add({
    figure: `Bulk output through the terminal (${MB} MB of \`yes\`)`,
    slipway: `${platformMBs.toFixed(1)} MB/s (${(received / 1e6).toFixed(0)} MB of frames)`,
    baseline: `raw \`docker exec -t\`: ${rawMBs.toFixed(1)} MB/s`,
    ratio: ratio(platformMBs, rawMBs),
  });
  c.close();

  // Checks, run exactly as the platform runs them.
  const labs = loadLabs(cold.config.labsDir, loadCourseImages(cold.config.imagesDir));
  const lab = labs.labs.get(LAB)!;
  const checks = new CheckRunner(cold.provider, { maxOutputBytes: cold.config.checkOutputBytes });
  const one: number[] = [];
  const whole: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 20; i++) {
    let t = performance.now();
    await checks.run(sandbox.id, lab.tasks[0]!);
    one.push(performance.now() - t);
    t = performance.now();
    await checks.runAll(sandbox.id, lab.tasks);
    whole.push(performance.now() - t);
    t = performance.now();
    await cold.provider.exec(sandbox.id, { cmd: ['true'] });
    bare.push(performance.now() - t);
  }
  const oneD = distribution(one);
  const bareD = distribution(bare);
  add({
    figure: `One check (\`${lab.tasks[0]!.id}\`, 20 runs, p50 / p95 / p99)`,
    slipway: fmtDist(oneD),
    baseline: `bare exec of \`true\`: ${fmtDist(bareD)}`,
    ratio: ratio(oneD.p50, bareD.p50),
    budget: budget(oneD.p50, 150, 'p50 ≤ 150 ms'),
  });
  const wholeD = distribution(whole);
  add({
    figure: `A whole lab's checks (${lab.tasks.length} tasks, one round)`,
    slipway: fmtDist(wholeD),
    baseline: `bare exec of \`true\`: ${fmtDist(bareD)}`,
    ratio: ratio(wholeD.p50, bareD.p50),
  });

  // Idle memory: no page open, nothing running beyond what the lab's setup left.
  await sleep(8000);
  const stats = await cold.provider.stats(sandbox.id);
  const idleMiB = stats.memoryBytes / 1024 ** 2;
  add({
    figure: 'Idle sandbox memory (inner engine up, lab images loaded, no page open)',
    slipway: `${idleMiB.toFixed(0)} MiB as \`docker stats\` counts it (${(stats.anonBytes / 1024 ** 2).toFixed(0)} MiB of it anonymous), ${stats.pids} processes`,
    baseline: 'limit per sandbox: 768 MiB',
    budget: budget(idleMiB * 1.048576, 60, '≤ 60 MB'),
  });

  // Warm: a pool of one ready sandbox is handed to each new learner.
  await using warm = await benchPlatform({ SLIPWAY_WARM_POOL: `${LAB}=1` });
  const warms: number[] = [];
  for (let i = 0; i < o.starts; i++) {
    while (warm.poolReady() < i + 1) await sleep(100);
    const s = await startToPrompt(warm.terminalUrl(LAB), await warm.newLearner());
    warms.push(s.ms);
    s.client.close();
  }
  const warmD = distribution(warms);
  rows.splice(1, 0, {
    figure: `Time to terminal, warm pool (${o.starts} new learners)`,
    slipway: fmtDist(warmD),
    baseline: `\`docker run\` + \`docker exec\`: ${fmtDist(base)}`,
    ratio: ratio(warmD.p50, base.p50),
    budget: budget(warmD.p50, 300, 'p50 ≤ 300 ms'),
  });
  o.log(`  warm: ${fmtDist(warmD)}`);
  return rows;
}
