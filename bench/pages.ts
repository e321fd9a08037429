/**
 * Page weight and time to a usable terminal, each beside a plain Starlight site built in the
 * same run. `node bench/pages.ts` prints a table (BENCH_SKIP_BUILD=1 reuses an existing dist/).
 *
 * Weight: a page loads eagerly its <script type=module src>, <link rel=stylesheet|modulepreload>,
 * inline <script>/<style>, and every chunk those scripts import statically (transitively).
 * Chunks reached only through import() (or a __vite__mapDeps list) are lazy. Sizes are gzip
 * level 9 (node:zlib), each file on its own, a page's inline code gzipped together. The terminal
 * is what the lab page may load lazily and the plain page may not. The baseline is a one-page
 * Starlight site whose lesson is the plain Slipway lesson's text.
 * Timing: the platform runs in this process with a warm pool of one sandbox for the lab. Each of
 * RUNS fresh Chromium contexts (a new learner, so a new warm sandbox) opens the lab page, clicks
 * Start as soon as it is shown, and a page-side MutationObserver stamps performance.now() (ms
 * since navigation start) when `learner@` shows in the terminal and when a key typed right after
 * that is echoed. Baseline: navigation -> load event of the Starlight lesson, served by a small
 * static server. Medians; one untimed load first warms the browser. Traffic stays on 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium } from '@playwright/test';
import { loadConfig } from '../lab-runner/src/config.ts';
import { silentLogger } from '../lab-runner/src/errors/log.ts';
import { startPlatform } from '../lab-runner/src/main.ts';
import { createSandboxProvider } from '../lab-runner/src/sandbox/factory.ts';
import type { BenchRow } from './lib.ts';
import { type TypingMarks, typingMarks } from './typing.ts';

const LAB = 'first-containers';
const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 3);
// As in playwright.config.ts.
const CHROMIUM_ARGS = `--no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --disable-quic`.split(/\s+/);
const XTERM = /xterm-(helper-textarea|screen|viewport)/;
const gz = (s: string) => (s.length ? gzipSync(s, { level: 9 }).length : 0);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

/** `astro build` in `cwd` with the repo's Astro, quietly; the output is shown only on failure. */
function astroBuild(cwd: string, root: string, ...flags: string[]): void {
  const astro = join(root, 'node_modules/astro/bin/astro.mjs');
  const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
  const r = spawnSync(process.execPath, [astro, 'build', '--silent', ...flags], { cwd, env });
  if (r.status !== 0) throw new Error(`astro build in ${cwd} failed:\n${r.stdout}${r.stderr}`);
}

/**
 * The lab's lesson and the first lesson, in course order, that uses no component (URL, and its
 * source: the baseline site renders it with plain Starlight).
 */
function pickLessons(root: string) {
  const content = join(root, 'content');
  const strip = (s: string) => s.replace(/^\d+-/, '').replace(/\.mdx?$/, '');
  const lessons = fs
    .readdirSync(content)
    .sort()
    .filter((mod) => fs.statSync(join(content, mod)).isDirectory())
    .flatMap((mod) =>
      fs
        .readdirSync(join(content, mod))
        .filter((f) => /\.mdx?$/.test(f))
        .sort()
        .map((f) => ({
          url: `/${strip(mod)}/${strip(f)}/`,
          source: fs.readFileSync(join(content, mod, f), 'utf8'),
        })),
    );
  const lab = lessons.find((l) => l.source.includes(`<Lab id="${LAB}"`));
  const plain = lessons.find((l) => !/^import |<[A-Z]/m.test(l.source));
  if (lab && plain) return { lab: lab.url, plain: plain.url, plainSource: plain.source };
  throw new Error(`the course needs a lesson with <Lab id="${LAB}" /> and one without components`);
}

/**
 * Builds a one-page Starlight site (plus the lesson) into `out`/dist. The project sits in the
 * repo only while it builds, so that Node and Vite resolve astro and Starlight from the repo's
 * node_modules (with a symlinked node_modules Astro's build fails); its caches go to `out`.
 */
function buildStarlight(root: string, out: string, lesson: string): void {
  const dir = fs.mkdtempSync(join(root, 'bench', '.tmp-starlight-'));
  const file = (path: string, lines: string[]) => {
    fs.mkdirSync(join(dir, path, '..'), { recursive: true });
    fs.writeFileSync(join(dir, path), `${lines.join('\n')}\n`);
  };
  try {
    file('astro.config.mjs', [
      "import starlight from '@astrojs/starlight';",
      "import { defineConfig } from 'astro/config';",
      '',
      'export default defineConfig({',
      `  cacheDir: '${out}/astro',`,
      `  vite: { cacheDir: '${out}/vite' },`,
      "  integrations: [starlight({ title: 'Plain' })],",
      '});',
    ]);
    file('src/content.config.mjs', [
      "import { docsLoader } from '@astrojs/starlight/loaders';",
      "import { docsSchema } from '@astrojs/starlight/schema';",
      "import { defineCollection } from 'astro:content';",
      '',
      'export const collections = {',
      '  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),',
      '};',
    ]);
    file('src/content/docs/index.mdx', ['---', 'title: Plain', '---', '', 'A [lesson](/lesson/).']);
    file('src/content/docs/lesson.md', [lesson.trimEnd()]);
    astroBuild(dir, root, '--outDir', join(out, 'dist'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a built page loads eagerly and lazily (gzip bytes); whether its eager JS holds xterm.js,
 * and how much of its eager CSS is xterm's.
 */
function pageWeight(dist: string, page: string) {
  const html = fs.readFileSync(join(dist, page, 'index.html'), 'utf8');
  const attr = (tag: string, name: string) => new RegExp(`\\s${name}=["']?([^"'\\s>]+)`).exec(tag);
  const local = (s: string) => /^(\.{1,2}\/|\/(?!\/)|_astro\/)/.test(s);
  const abs = (s: string, from: string) =>
    s.startsWith('_astro/') ? `/${s}` : new URL(s, `http://h${from}`).pathname;
  const read = (url: string) => fs.readFileSync(join(dist, decodeURIComponent(url)), 'utf8');
  const edges = (code: string, from: string) => {
    const specs = (re: RegExp, text = code) =>
      [...text.matchAll(re)].flatMap((m) => (local(m[2]!) ? [abs(m[2]!, from)] : []));
    const mapDeps = /__vite__mapDeps=[^\n]*?\[([^\]]*)\]/.exec(code)?.[1] ?? '';
    return {
      imports: specs(/\b(?:import|from)\s*(["'])([^"']+)\1/g),
      dynamic: [
        ...specs(/\bimport\(\s*(["'`])([^"'`$]+)\1\s*\)/g),
        ...specs(/(["'`])([^"'`]+)\1/g, mapDeps),
      ],
    };
  };
  /** Files reached from `roots` by static imports (and by dynamic ones too when `lazy`). */
  const closure = (roots: string[], skip: Set<string>, lazy: boolean) => {
    const files = new Set<string>();
    const dynamic = new Set<string>();
    for (let queue = [...roots], url = queue.shift(); url; url = queue.shift()) {
      if (files.has(url) || skip.has(url) || !fs.existsSync(join(dist, url))) continue;
      files.add(url);
      if (!url.endsWith('.js')) continue;
      const e = edges(read(url), url);
      queue.push(...e.imports, ...(lazy ? e.dynamic : []));
      for (const d of e.dynamic) dynamic.add(d);
    }
    return { files, dynamic };
  };
  const roots: string[] = [];
  let inlineJs = '';
  const inlineCss: string[] = [];
  for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const src = attr(attrs!, 'src')?.[1];
    if (src && local(src)) roots.push(abs(src, page));
    else if (!/type=["']?application\//.test(attrs!)) inlineJs += `${body}\n`;
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
    const href = attr(tag, 'href')?.[1];
    const rel = attr(tag, 'rel')?.[1];
    if (href && local(href) && /^(stylesheet|modulepreload)$/.test(rel ?? '')) {
      roots.push(abs(href, page));
    }
  }
  for (const [, css] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)) inlineCss.push(css!);
  const inline = edges(inlineJs, page);
  const eager = closure([...roots, ...inline.imports], new Set(), false);
  const lazy = closure([...eager.dynamic, ...inline.dynamic], eager.files, true);
  const js = [...eager.files].filter((f) => f.endsWith('.js')).map(read);
  const css = [...eager.files].filter((f) => f.endsWith('.css')).map(read);
  const sum = (texts: string[]) => texts.reduce((n, t) => n + gz(t), 0);
  return {
    js: sum(js) + gz(inlineJs),
    css: sum(css) + gz(inlineCss.join('\n')),
    xtermJs: XTERM.test(js.join('\n') + inlineJs),
    xtermCss: sum([...css, ...inlineCss].filter((t) => XTERM.test(t))),
    lazy: new Map([...lazy.files].map((f) => [f, gz(read(f))])),
  };
}

/** Serves a built site on 127.0.0.1 (a folder answers with its index.html). */
async function serveStatic(dir: string) {
  const types: Record<string, string> = { '.html': 'text/html', '.css': 'text/css' };
  types['.js'] = 'text/javascript'; // module scripts need a JavaScript type
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://h').pathname);
    const file = resolve(dir, `.${path}${path.endsWith('/') ? 'index.html' : ''}`);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    const type = types[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** Navigation start -> end of the load event, in a fresh context. */
async function loadEvent(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const end = () =>
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd;
    await page.waitForFunction(end);
    return await page.evaluate(end);
  } finally {
    await context.close();
  }
}

type Marks = Partial<Record<'start' | 'prompt' | 'key' | 'echo', number>>;

/** Runs in the page before its scripts: stamps Start, the prompt, a keydown and its echo. */
function watchTerminal(ch: string) {
  const marks: Marks = {};
  (window as unknown as { __bench: Marks }).__bench = marks;
  let before = 0;
  const count = () => (document.querySelector('.xterm-rows')?.textContent ?? '').split(ch).length;
  const on = (type: string, stamp: (e: Event) => void) =>
    document.addEventListener(type, stamp, { capture: true });
  on('click', (e) => {
    if ((e.target as Element).closest?.('[data-testid="lab-start"]'))
      marks.start ??= performance.now();
  });
  on('keydown', () => {
    if (marks.prompt === undefined || marks.key !== undefined) return;
    marks.key = performance.now();
    before = count();
  });
  new MutationObserver(() => {
    const text = document.querySelector('.xterm-rows')?.textContent ?? '';
    if (marks.prompt === undefined && text.includes('learner@')) marks.prompt = performance.now();
    if (marks.key !== undefined && marks.echo === undefined && count() > before) {
      marks.echo = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** A new learner opens the lab page and clicks Start as soon as it shows, then types a key. */
async function terminalMarks(
  browser: Browser,
  url: string,
): Promise<Required<Marks> & { typing: TypingMarks }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    await context.addInitScript(watchTerminal, 'z');
    const page = await context.newPage();
    const marks = () => (window as unknown as { __bench: Required<Marks> }).__bench;
    const stamped = (mark: keyof Marks) =>
      page.waitForFunction(`window.__bench.${mark} !== undefined`, undefined, { timeout: 60_000 });
    await page.goto(url, { waitUntil: 'commit' });
    await page
      .locator(`[data-lab="${LAB}"] [data-testid="lab-start"]`)
      .click({ timeout: 60_000 })
      .catch(async (err: Error) => {
        // Say what the page showed instead of a Start button.
        const status = page.locator(`[data-lab="${LAB}"] [data-testid="lab-status"]`);
        const shown = await status.evaluate((el) => `${el.dataset.phase}: ${el.textContent}`);
        throw new Error(`no Start button to click; the lab said "${shown.trim()}"`, { cause: err });
      });
    await stamped('prompt');
    await page.keyboard.type('z'); // Start focuses the terminal once it is ready
    await stamped('echo');
    const stamps = await page.evaluate(marks);
    await page.keyboard.press('Backspace');
    return { ...stamps, typing: await typingMarks(page) };
  } finally {
    await context.close();
  }
}

export async function pagesBench(opts: {
  root: string;
  log: (s: string) => void;
}): Promise<BenchRow[]> {
  const { root, log } = opts;
  const rows: BenchRow[] = [];
  const row = (figure: string, slipway: string, baseline: string, r?: string, budget?: string) =>
    rows.push({
      figure,
      slipway,
      baseline,
      ...(r ? { ratio: r } : {}),
      ...(budget ? { budget } : {}),
    });
  const vs = (figure: string, a: number, b: number, unit: (n: number) => string) =>
    row(figure, unit(a), unit(b), ratio(a, b));
  const cleanup: Array<() => unknown> = [];
  try {
    if (process.env.BENCH_SKIP_BUILD !== '1' || !fs.existsSync(join(root, 'dist'))) {
      log('building the Slipway site');
      astroBuild(root, root);
    }
    const lessons = pickLessons(root);
    const baseDir = fs.mkdtempSync(join(tmpdir(), 'slipway-bench-starlight-'));
    cleanup.push(() => fs.rmSync(baseDir, { recursive: true, force: true }));
    log('building a plain Starlight site');
    buildStarlight(root, baseDir, lessons.plainSource);

    // 1. Weight. A lab is marked in the HTML by its <section data-lab="id">.
    const dist = join(root, 'dist');
    const html = (url: string) => fs.readFileSync(join(dist, url, 'index.html'), 'utf8');
    if (html(lessons.plain).includes('data-lab=') || !html(lessons.lab).includes('data-lab=')) {
      throw new Error(`${lessons.plain} should have no lab and ${lessons.lab} one`);
    }
    const plain = pageWeight(dist, lessons.plain);
    const lab = pageWeight(dist, lessons.lab);
    const base = pageWeight(join(baseDir, 'dist'), '/lesson/');
    const terminal = [...lab.lazy].filter(([f]) => !plain.lazy.has(f));
    const term = terminal.reduce((n, [, b]) => n + b, 0);
    const added = lab.js - plain.js + lab.css - plain.css;
    const xterm = (w: ReturnType<typeof pageWeight>) =>
      `JS: ${w.xtermJs ? 'yes' : 'none'}; CSS: ${w.xtermCss ? kib(w.xtermCss) : 'none'}`;
    vs(`Plain lesson ${lessons.plain}: JS`, plain.js, base.js, kib);
    vs('Plain lesson: CSS', plain.css, base.css, kib);
    const clean = !plain.xtermJs && !plain.xtermCss;
    row(
      'Plain lesson: xterm code in it',
      xterm(plain),
      xterm(base),
      undefined,
      `none ${clean ? '✅' : '❌'}`,
    );
    vs(`Lab lesson ${lessons.lab}: JS, eager`, lab.js, base.js, kib);
    vs('Lab lesson: CSS, eager', lab.css, base.css, kib);
    row('Lab lesson: xterm code in it, eager', xterm(lab), xterm(base));
    row(
      'Lab adds, eager (JS + CSS)',
      kib(added),
      `terminal ${kib(term)}`,
      ratio(added, term),
      `≤ the terminal's weight ${added <= term ? '✅' : '❌'}`,
    );
    const chunks = terminal.map(([f, b]) => `${f.replace(/^.*\//, '')} ${kib(b)}`).join(', ');
    row('Terminal, lazy (when the lab connects)', `${kib(term)}: ${chunks}`, 'none');

    // 2. Timing, against the platform with a warm pool of one sandbox of the lab.
    const instance = `bench-pages-${randomBytes(3).toString('hex')}`;
    const dataDir = fs.mkdtempSync(join(tmpdir(), 'slipway-bench-pages-'));
    const env = {
      SLIPWAY_PORT: '0',
      SLIPWAY_PREVIEW_PORT: '0',
      SLIPWAY_DATA_DIR: dataDir,
      SLIPWAY_INSTANCE: instance,
    };
    const config = loadConfig({ ...process.env, ...env, SLIPWAY_WARM_POOL: `${LAB}=1` }, root);
    const provider = createSandboxProvider({ ...config, instance });
    cleanup.push(async () => {
      for (const s of await provider.list({})) await provider.destroy(s.id);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    let ready = 0;
    const platform = await startPlatform(config, {
      ...silentLogger,
      info: (msg) => void (msg === 'warm pool sandbox ready' && ready++),
      error: (msg, err) => log(`platform: ${msg}: ${String(err)}`),
    });
    cleanup.push(() => platform.close());
    const server = await serveStatic(join(baseDir, 'dist'));
    cleanup.push(server.close);
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    cleanup.push(() => browser.close());

    const urls = [
      `${server.url}/lesson/`,
      ...[lessons.plain, lessons.lab].map((u) => platform.url + u),
    ];
    for (const url of urls) await loadEvent(browser, url);
    const loads: number[][] = urls.map(() => []);
    for (let i = 0; i < RUNS; i++) {
      for (const [n, url] of urls.entries()) loads[n]!.push(await loadEvent(browser, url));
    }
    const marks: Array<Required<Marks> & { typing: TypingMarks }> = [];
    for (let i = 0; i < RUNS; i++) {
      log(`terminal run ${i + 1}/${RUNS}: waiting for a ready sandbox in the warm pool`);
      for (const until = Date.now() + 240_000; ready <= i; await sleep(100)) {
        if (Date.now() > until) throw new Error('no warm pool sandbox was ready after 240 s');
      }
      marks.push(await terminalMarks(browser, platform.url + lessons.lab));
    }
    const round = (xs: number[][]) => JSON.stringify(xs.map((x) => x.map(Math.round)));
    log(`load events, ms (Starlight, plain, lab lesson): ${round(loads)}`);
    const stampsOf = (m: Required<Marks>) => [m.start, m.prompt, m.key, m.echo];
    log(`marks, ms (Start, prompt, key, echo): ${round(marks.map(stampsOf))}`);
    log(
      `typing, ms (typed, pasted): ${round(marks.map((m) => [m.typing.typed, m.typing.pasted]))}`,
    );
    const [baseLoad, plainLoad, labLoad] = loads.map(median) as [number, number, number];
    const at = (k: keyof Marks) => median(marks.map((m) => m[k]));
    const keyToEcho = median(marks.map((m) => m.echo - m.key));
    const vsLoad = `Starlight load event ${ms(baseLoad)}`;
    vs(`Plain lesson: load event (median of ${RUNS})`, plainLoad, baseLoad, ms);
    vs('Lab lesson: load event', labLoad, baseLoad, ms);
    const prompt = `${ms(at('prompt'))} (Start clicked at ${ms(at('start'))})`;
    row(`Lab: prompt shown (${RUNS} learners)`, prompt, vsLoad, ratio(at('prompt'), baseLoad));
    const echo = `${ms(at('echo'))} (key -> echo ${ms(keyToEcho)})`;
    row('Lab: first typed key echoed', echo, vsLoad, ratio(at('echo'), baseLoad));
    const typing = (k: keyof TypingMarks) => median(marks.map((m) => m.typing[k]));
    row(
      `Lab: a 25-line file (${marks[0]!.typing.chars} characters) typed as fast as keys come`,
      `${ms(typing('typed'))} (last key -> shell done ${ms(typing('lag'))})`,
      `same keys into a bare textarea ${ms(typing('bare'))}`,
      ratio(typing('typed'), typing('bare')),
    );
    vs('Lab: the same file pasted', typing('pasted'), typing('bare'), ms);
    return rows;
  } finally {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (err) {
        log(`cleanup: ${String(err)}`);
      }
    }
  }
}

if (import.meta.main) {
  const rows = await pagesBench({ root: join(import.meta.dirname, '..'), log: console.error });
  console.log('| Figure | Slipway | Baseline (same run) | Ratio |\n| --- | --- | --- | --- |');
  for (const r of rows)
    console.log(`| ${r.figure} | ${r.slipway} | ${r.baseline} | ${r.ratio ?? ''} |`);
}
