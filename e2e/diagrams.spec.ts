import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { diagrams } from '../site/src/components/diagrams/catalogue.ts';

/**
 * The diagrams are static SVG in the built site, so these tests need no platform: they serve
 * dist/ (build it first with `npm run build`) and open each lesson with a diagram in the dark
 * and the light theme. Each diagram must be visible under its accessible name, every text in
 * it must stand out from what is behind it in that theme, and its text alternative must list
 * the same facts. A screenshot of each diagram in each theme is attached to the test.
 */
const LESSONS: Record<keyof typeof diagrams, string> = {
  'images-and-containers': '/docker-fundamentals/images-and-containers/',
  'compose-network': '/compose-networking/service-names-and-networks/',
  'dagster-services': '/dagster-services/four-services/',
  'ocs-split': '/ocs-split-deployments/split-projects/',
  'restart-backoff': '/health-restarts-monitoring/restart-policies/',
};

const dist = join(import.meta.dirname, '..', 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

let server: Server;
let origin: string;

test.beforeAll(async () => {
  if (!existsSync(join(dist, 'index.html'))) throw new Error('no dist/: run `npm run build` first');
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = join(dist, path);
    if (!file.startsWith(dist)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((done) => server?.close(done));
});

/** WCAG contrast of two "rgb(r, g, b)" colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

for (const theme of ['dark', 'light'] as const) {
  for (const [name, spec] of Object.entries(diagrams)) {
    test(`${name} reads well in the ${theme} theme`, async ({ page }, testInfo) => {
      await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      await page.goto(`${origin}${LESSONS[name as keyof typeof diagrams]}`);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);

      const svg = page.getByRole('img', { name: spec.title, exact: true });
      await svg.scrollIntoViewIfNeeded();
      await expect(svg).toBeVisible();
      await expect(svg).toHaveAttribute('data-diagram', name);
      await expect(svg).toHaveAccessibleDescription(spec.desc);

      // Every text against what is drawn behind it: its box, its label's background, the
      // innermost filled group around it, or the page.
      const pairs = await svg.evaluate((el) => {
        const root = el as SVGSVGElement;
        let page = 'rgb(0, 0, 0)';
        for (let n: Element | null = root; n; n = n.parentElement) {
          const bg = getComputedStyle(n).backgroundColor;
          if (bg && bg !== 'transparent' && !bg.endsWith(', 0)')) {
            page = bg;
            break;
          }
        }
        const filled = [...root.querySelectorAll<SVGRectElement>('.d-group-rect')].filter(
          (r) => getComputedStyle(r).fill !== 'none',
        );
        return [...root.querySelectorAll<SVGTextElement>('text')].map((t) => {
          const own =
            t.closest('.d-box')?.querySelector<SVGRectElement>('.d-box-rect') ??
            t.closest('.d-label')?.querySelector<SVGRectElement>('.d-label-bg');
          let back = own ? getComputedStyle(own).fill : page;
          if (!own) {
            const b = t.getBBox();
            const [x, y] = [b.x + b.width / 2, b.y + b.height / 2];
            const around = filled.filter((r) => {
              const g = r.getBBox();
              return x >= g.x && x <= g.x + g.width && y >= g.y && y <= g.y + g.height;
            });
            const inner = around.at(-1);
            if (inner) back = getComputedStyle(inner).fill;
          }
          const scale = root.getBoundingClientRect().width / root.viewBox.baseVal.width;
          const box = t.closest('.d-box')?.querySelector<SVGRectElement>('.d-box-rect');
          const b = t.getBBox();
          return {
            text: t.textContent ?? '',
            fill: getComputedStyle(t).fill,
            back,
            px: Number(t.getAttribute('font-size')) * scale,
            // In the real font: inside its box, and apart from every other text.
            fits: !box || b.width <= box.getBBox().width - 8,
            rect: { x: b.x, y: b.y, w: b.width, h: b.height },
          };
        });
      });
      expect(pairs.length).toBeGreaterThan(3);
      for (const p of pairs) {
        expect(p.fill, `fill of "${p.text}"`).toMatch(/^rgb/);
        expect(p.back, `background of "${p.text}"`).toMatch(/^rgb/);
        expect(
          contrast(p.fill, p.back),
          `"${p.text}": ${p.fill} on ${p.back} in the ${theme} theme`,
        ).toBeGreaterThanOrEqual(4.5);
        // At the content column's width no text is drawn smaller than about 12 px.
        expect(p.px, `size of "${p.text}"`).toBeGreaterThanOrEqual(11.5);
        expect(p.fits, `"${p.text}" fits its box`).toBe(true);
      }
      for (const [i, a] of pairs.entries())
        for (const b of pairs.slice(i + 1)) {
          const [r, s] = [a.rect, b.rect];
          const apart =
            r.x + r.w <= s.x || s.x + s.w <= r.x || r.y + r.h <= s.y || s.y + s.h <= r.y;
          expect(apart, `"${a.text}" and "${b.text}" overlap`).toBe(true);
        }

      // The text alternative: the same facts as a list.
      const figure = page.locator(`figure[data-diagram="${name}"]`);
      const details = figure.locator('details');
      await details.locator('summary', { hasText: 'Describe this diagram' }).click();
      await expect(details.locator('li')).toHaveText(spec.describe);
      await details.locator('summary').click();

      const shot = await figure.screenshot({
        path: testInfo.outputPath(`${name}-${theme}.png`),
        animations: 'disabled',
      });
      await testInfo.attach(`${name} (${theme})`, { body: shot, contentType: 'image/png' });
    });
  }
}

test('on a phone a diagram keeps a legible size and scrolls sideways inside its figure', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${origin}${LESSONS['dagster-services']}`);
  const figure = page.locator('figure[data-diagram="dagster-services"]');
  const scroller = figure.locator('.slipway-diagram-scroll');
  const svg = page.getByRole('img', { name: diagrams['dagster-services'].title, exact: true });
  await svg.scrollIntoViewIfNeeded();
  await expect(svg).toBeVisible();
  const sizes = await scroller.evaluate((el) => ({
    svg: el.querySelector('svg')!.getBoundingClientRect().width,
    box: el.clientWidth,
    scroll: el.scrollWidth,
    page: document.documentElement.scrollWidth,
  }));
  // 600 px for 720 units: 12-unit text stays at 10 px or more; the figure scrolls, not the page.
  expect(sizes.svg).toBeGreaterThanOrEqual(600);
  expect(sizes.scroll).toBeGreaterThan(sizes.box);
  expect(sizes.page).toBeLessThanOrEqual(390);
});
