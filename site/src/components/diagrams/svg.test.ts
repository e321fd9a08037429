import { describe, expect, it } from 'vitest';
import { diagrams } from './catalogue.ts';
import {
  type ChartSpec,
  type DiagramSpec,
  edgeEnds,
  FONT,
  isChart,
  layoutText,
  problems,
  renderSvg,
  textBounds,
  textWidth,
} from './svg.ts';

const small: DiagramSpec = {
  id: 'small',
  title: 'Two boxes',
  desc: 'a and b, joined.',
  width: 400,
  height: 200,
  groups: [{ id: 'g', x: 10, y: 10, w: 380, h: 180, label: 'the group', kind: 'project' }],
  boxes: [
    { id: 'a', x: 30, y: 60, w: 120, h: 60, title: 'alpha', details: ['one'] },
    { id: 'b', x: 250, y: 60, w: 120, h: 60, title: 'beta <&>' },
  ],
  edges: [{ from: 'a', to: 'b', label: 'a→b' }],
  describe: ['alpha talks to beta <&>, in the group.'],
};

/** The text of every <text> element of an SVG string, unescaped. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&'),
  );
}

describe('renderSvg', () => {
  it('names the picture with a title and a description the svg points at', () => {
    const svg = renderSvg(small);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('aria-labelledby="small-title"');
    expect(svg).toContain('aria-describedby="small-desc"');
    expect(svg).toContain('<title id="small-title">Two boxes</title>');
    expect(svg).toContain('<desc id="small-desc">a and b, joined.</desc>');
    expect(svg).toContain('viewBox="0 0 400 200"');
  });

  it('draws every label once, escaped', () => {
    const svg = renderSvg(small);
    expect(texts(svg).sort()).toEqual(['a→b', 'alpha', 'beta <&>', 'one', 'the group'].sort());
    expect(svg).not.toContain('beta <&>');
  });

  it('writes no colours: the page theme supplies them', () => {
    for (const spec of Object.values(diagrams)) {
      const svg = renderSvg(spec);
      expect(svg).not.toMatch(/(fill|stroke)="(?!none)/);
      expect(svg).not.toMatch(/#[0-9a-f]{3,6}\b|rgb\(|hsl\(/i);
    }
  });

  it('ends arrows on the borders of the boxes they join', () => {
    const [a, b] = edgeEnds(small, small.edges[0]!);
    expect(a).toEqual([150, 90]);
    expect(b).toEqual([250, 90]);
  });

  it('refuses a diagram with an edge to nowhere, and says why', () => {
    const broken = { ...small, edges: [{ from: 'a', to: 'c' }] };
    expect(() => renderSvg(broken)).toThrow(/"c", which is not there/);
  });

  it('refuses text that does not fit its box', () => {
    const tight = {
      ...small,
      boxes: [small.boxes[0]!, { ...small.boxes[1]!, title: 'a-service-name-far-too-long' }],
      describe: ['alpha, the group, a-service-name-far-too-long'],
    };
    expect(problems(tight)).toEqual([
      expect.stringMatching(/"a-service-name-far-too-long" does not fit/),
    ]);
  });

  it('refuses a text alternative that leaves a box out', () => {
    expect(problems({ ...small, describe: ['alpha only'] })).toEqual([
      'the text alternative does not mention "beta <&>"',
      'the text alternative does not mention "the group"',
    ]);
  });

  it('refuses overlapping boxes and a missing title', () => {
    const b = { ...small.boxes[1]!, x: 100 };
    expect(problems({ ...small, title: ' ', boxes: [small.boxes[0]!, b] })).toEqual(
      expect.arrayContaining(['no title', 'boxes "a" and "b" overlap']),
    );
  });
});

describe('textWidth', () => {
  it('gives monospace 0.6 em a character and the body font more for wide letters', () => {
    expect(textWidth('redis', 10, true)).toBe(30);
    expect(textWidth('WWW', 10)).toBeGreaterThan(textWidth('iii', 10) * 2);
  });
});

describe('the course diagrams', () => {
  for (const [name, spec] of Object.entries(diagrams)) {
    describe(name, () => {
      it('has no problems and renders', () => {
        expect(spec.id).toBe(name);
        expect(problems(spec)).toEqual([]);
        expect(renderSvg(spec)).toContain(`data-diagram="${name}"`);
      });

      it('is drawn for the content column, with text no smaller than 12 px there', () => {
        expect(spec.width).toBe(720);
        expect(Math.min(...Object.values(FONT))).toBeGreaterThanOrEqual(12);
        for (const size of renderSvg(spec).matchAll(/font-size="([\d.]+)"/g))
          expect(Number(size[1])).toBeGreaterThanOrEqual(12);
      });

      if (!isChart(spec)) {
        it('draws every box title and group label, and joins only boxes that exist', () => {
          const drawn = texts(renderSvg(spec));
          for (const b of spec.boxes) expect(drawn).toContain(b.title);
          for (const g of spec.groups) expect(drawn).toContain(g.label);
          const ids = new Set([...spec.boxes, ...spec.groups].map((r) => r.id));
          for (const e of spec.edges) {
            expect(ids).toContain(e.from);
            expect(ids).toContain(e.to);
          }
        });

        it('keeps labels clear of each other', () => {
          const placed = layoutText(spec).map(textBounds);
          for (let i = 0; i < placed.length; i++)
            for (let j = i + 1; j < placed.length; j++) {
              const a = placed[i]!;
              const b = placed[j]!;
              const apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
              expect(apart, `${JSON.stringify(a)} and ${JSON.stringify(b)}`).toBe(true);
            }
        });
      }
    });
  }
});

describe('the back-off chart', () => {
  const chart: ChartSpec = diagrams['restart-backoff'];
  it('shows the delays a crash loop gets, the cap, and the reset', () => {
    expect(chart.bars.map((b) => b.valueLabel)).toEqual([
      '100 ms',
      '200 ms',
      '400 ms',
      '800 ms',
      '1.6 s',
      '3.2 s',
      '6.4 s',
      '12.8 s',
      '25.6 s',
      '51.2 s',
      '60 s',
      '60 s',
      '100 ms',
      '200 ms',
    ]);
    expect(chart.bars[12]!.tone).toBe('reset');
    expect(chart.markers).toEqual([{ after: 11, label: 'run 13 lasted 10 s or more' }]);
    expect(chart.describe[12]).toBe(
      'Restart 13: 100 ms (back to the start: the run before it lasted 10 seconds or more).',
    );
  });
});
