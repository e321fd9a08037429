/**
 * Build-time diagrams: a diagram is plain data (boxes, groups, arrows, notes, or a bar chart),
 * and these functions turn it into inline SVG markup. Nothing runs in the browser.
 *
 * Colours are never written into the SVG: every shape and text carries a class, and
 * Diagram.astro maps the classes to Starlight's colour variables, so the same markup is right
 * in the dark and the light theme.
 */

/** Units of the viewBox; the SVG is drawn at 1 unit = 1 CSS pixel when it is this wide. */
export const CONTENT_WIDTH = 720;

export const FONT = {
  /** A box's title (service or container name), monospace. */
  title: 14,
  /** The lines under a box's title. */
  detail: 12.5,
  /** A group's label. */
  group: 13,
  /** Arrow labels, notes, chart labels. */
  small: 12,
} as const;

/** Inner padding of a box or a label's background. */
export const PAD = 8;
const LINE_GAP = 4;

export type BoxKind = 'service' | 'accent' | 'layer' | 'network';
export type GroupKind = 'host' | 'project' | 'network' | 'image' | 'container';

export interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** The name, set in monospace. */
  title: string;
  /** Lines under the title, in the body font. */
  details?: string[];
  kind?: BoxKind;
}

export interface Group {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  kind: GroupKind;
  /** Where the label sits on the top edge; `end` keeps it clear of arrows on the left. */
  labelAlign?: 'start' | 'end';
}

export type Side = 'top' | 'bottom' | 'left' | 'right';

export interface Edge {
  /** The id of a box or a group. */
  from: string;
  to: string;
  label?: string;
  /** Where the label's centre goes; the middle of the line when not given. */
  labelAt?: [number, number];
  /** `vertical`/`horizontal`: a straight line at the centre of `from`, across to `to`. */
  straight?: 'vertical' | 'horizontal';
  /** `link`: a plain line (membership), `arrow` (the default) ends in an arrowhead. */
  kind?: 'arrow' | 'link';
  dashed?: boolean;
}

export interface Note {
  x: number;
  y: number;
  text: string;
  anchor?: 'start' | 'middle' | 'end';
  /** Draw it on the page's background, to keep lines that pass under it from crossing it. */
  bg?: boolean;
}

export interface DiagramSpec {
  id: string;
  /** The accessible name: short, says what the picture shows. */
  title: string;
  /** One or two sentences: what the picture is about. */
  desc: string;
  width: number;
  height: number;
  groups: Group[];
  boxes: Box[];
  edges: Edge[];
  notes?: Note[];
  /** The text alternative: the same facts as the picture, one list item each. */
  describe: string[];
}

export interface Bar {
  /** Under the bar (the x axis). */
  label: string;
  value: number;
  /** Above the bar. */
  valueLabel: string;
  tone?: 'normal' | 'cap' | 'reset';
}

export interface ChartSpec {
  id: string;
  title: string;
  desc: string;
  width: number;
  height: number;
  xTitle: string;
  yTitle: string;
  yMax: number;
  /** A logarithmic y axis starting at this value (each doubling is then one equal step). */
  yLogMin?: number;
  yTicks: Array<{ value: number; label: string }>;
  bars: Bar[];
  /** A dashed line between bar `after` and the next, with a label. */
  markers?: Array<{ after: number; label: string }>;
  describe: string[];
}

export type AnySpec = DiagramSpec | ChartSpec;

export const isChart = (spec: AnySpec): spec is ChartSpec => 'bars' in spec;

// --- Measuring text -----------------------------------------------------------------------
// No font metrics at build time, so widths are estimated on the generous side, after DejaVu
// Sans (the widest of the usual system fonts): monospace fonts advance 0.6 em per character;
// for the body font, narrow, wide and capital letters and digits are told apart.

const NARROW = new Set([..."iljtfr.,:;!|'()[] /-"]);
const WIDE = new Set([...'mwMW@%&']);

export function textWidth(text: string, size: number, mono = false): number {
  if (mono) return text.length * size * 0.6;
  let em = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) em += 0.4;
    else if (WIDE.has(ch)) em += 1;
    else if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) em += 0.72;
    else em += 0.62;
  }
  return em * size;
}

// --- Geometry -----------------------------------------------------------------------------

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const centre = (r: Rect): [number, number] => [r.x + r.w / 2, r.y + r.h / 2];

/** Where the line from the centre of `r` towards `p` leaves `r`. */
export function borderPoint(r: Rect, p: [number, number]): [number, number] {
  const [cx, cy] = centre(r);
  const dx = p[0] - cx;
  const dy = p[1] - cy;
  if (dx === 0 && dy === 0) return [cx, cy];
  const sx = dx === 0 ? Number.POSITIVE_INFINITY : r.w / 2 / Math.abs(dx);
  const sy = dy === 0 ? Number.POSITIVE_INFINITY : r.h / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return [cx + dx * s, cy + dy * s];
}

export function contains(outer: Rect, inner: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w &&
    inner.y + inner.h <= outer.y + outer.h
  );
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The two end points of an edge, on the borders of its boxes or groups. */
export function edgeEnds(spec: DiagramSpec, edge: Edge): [[number, number], [number, number]] {
  const from = findRect(spec, edge.from);
  const to = findRect(spec, edge.to);
  if (edge.straight === 'vertical') {
    const x = from.x + from.w / 2;
    const down = to.y >= from.y + from.h;
    return down
      ? [
          [x, from.y + from.h],
          [x, to.y],
        ]
      : [
          [x, from.y],
          [x, to.y + to.h],
        ];
  }
  if (edge.straight === 'horizontal') {
    const y = from.y + from.h / 2;
    const right = to.x >= from.x + from.w;
    return right
      ? [
          [from.x + from.w, y],
          [to.x, y],
        ]
      : [
          [from.x, y],
          [to.x + to.w, y],
        ];
  }
  return [borderPoint(from, centre(to)), borderPoint(to, centre(from))];
}

function findRect(spec: DiagramSpec, id: string): Rect {
  const found = spec.boxes.find((b) => b.id === id) ?? spec.groups.find((g) => g.id === id);
  if (!found) throw new Error(`diagram ${spec.id}: an edge refers to "${id}", which is not there`);
  return found;
}

// --- Layout of text -----------------------------------------------------------------------

export interface PlacedText {
  text: string;
  x: number;
  /** The baseline. */
  y: number;
  size: number;
  mono: boolean;
  anchor: 'start' | 'middle' | 'end';
  cls: string;
  /** The rectangle the text must stay inside (a box's inner area, or the whole diagram). */
  within: Rect;
}

/** Every piece of text a diagram draws, where it goes, and what it must fit in. */
export function layoutText(spec: DiagramSpec): PlacedText[] {
  const out: PlacedText[] = [];
  const whole = { x: 0, y: 0, w: spec.width, h: spec.height };
  for (const g of spec.groups) {
    const end = g.labelAlign === 'end';
    out.push({
      text: g.label,
      x: end ? g.x + g.w - 10 : g.x + 10,
      y: g.y + 19,
      size: FONT.group,
      mono: false,
      anchor: end ? 'end' : 'start',
      cls: `d-group-label d-group-label-${g.kind}`,
      within: { x: g.x + 4, y: g.y, w: g.w - 8, h: 26 },
    });
  }
  for (const b of spec.boxes) {
    const details = b.details ?? [];
    const height =
      FONT.title + details.length * (FONT.detail + LINE_GAP) + (details.length ? LINE_GAP : 0);
    let y = b.y + (b.h - height) / 2 + FONT.title * 0.8;
    const inner = { x: b.x + PAD, y: b.y + 2, w: b.w - 2 * PAD, h: b.h - 4 };
    out.push({
      text: b.title,
      x: b.x + b.w / 2,
      y,
      size: FONT.title,
      mono: true,
      anchor: 'middle',
      cls: 'd-title',
      within: inner,
    });
    y += FONT.title * 0.2 + LINE_GAP * 2;
    for (const line of details) {
      y += FONT.detail * 0.8;
      out.push({
        text: line,
        x: b.x + b.w / 2,
        y,
        size: FONT.detail,
        mono: false,
        anchor: 'middle',
        cls: 'd-detail',
        within: inner,
      });
      y += FONT.detail * 0.2 + LINE_GAP;
    }
  }
  for (const n of spec.notes ?? []) {
    out.push({
      text: n.text,
      x: n.x,
      y: n.y,
      size: FONT.small,
      mono: false,
      anchor: n.anchor ?? 'middle',
      cls: n.bg ? 'd-note d-note-bg' : 'd-note',
      within: whole,
    });
  }
  for (const e of spec.edges) {
    if (!e.label) continue;
    const [cx, cy] = edgeLabelCentre(spec, e);
    out.push({
      text: e.label,
      x: cx,
      y: cy + FONT.small * 0.35,
      size: FONT.small,
      mono: true,
      anchor: 'middle',
      cls: 'd-edge-label',
      within: whole,
    });
  }
  return out;
}

function edgeLabelCentre(spec: DiagramSpec, e: Edge): [number, number] {
  if (e.labelAt) return e.labelAt;
  const [a, b] = edgeEnds(spec, e);
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

/** The horizontal extent of a placed text. */
export function textBounds(t: PlacedText): Rect {
  const w = textWidth(t.text, t.size, t.mono);
  const x = t.anchor === 'start' ? t.x : t.anchor === 'end' ? t.x - w : t.x - w / 2;
  return { x, y: t.y - t.size * 0.8, w, h: t.size };
}

// --- Checks -------------------------------------------------------------------------------

/** Everything wrong with a diagram's data; the build stops on any of them. */
export function problems(spec: AnySpec): string[] {
  const out: string[] = [];
  if (!/^[a-z0-9-]+$/.test(spec.id)) out.push(`id "${spec.id}" is not lower-case-with-dashes`);
  if (!spec.title.trim()) out.push('no title');
  if (!spec.desc.trim()) out.push('no description');
  if (spec.describe.length === 0) out.push('no text alternative');
  if (isChart(spec)) return out.concat(chartProblems(spec));

  const ids = [...spec.boxes.map((b) => b.id), ...spec.groups.map((g) => g.id)];
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) out.push(`"${id}" is used twice`);
    seen.add(id);
  }
  for (const e of spec.edges) {
    for (const end of [e.from, e.to])
      if (!seen.has(end)) out.push(`an edge refers to "${end}", which is not there`);
  }
  const whole = { x: 0, y: 0, w: spec.width, h: spec.height };
  for (const r of [...spec.groups, ...spec.boxes])
    if (!contains(whole, r)) out.push(`"${r.id}" is outside the picture`);
  for (let i = 0; i < spec.boxes.length; i++)
    for (let j = i + 1; j < spec.boxes.length; j++) {
      const a = spec.boxes[i]!;
      const b = spec.boxes[j]!;
      if (overlaps(a, b)) out.push(`boxes "${a.id}" and "${b.id}" overlap`);
    }
  if (out.some((p) => p.includes('not there'))) return out;
  for (const t of layoutText(spec)) {
    const r = textBounds(t);
    if (!contains(t.within, { ...r, y: t.within.y, h: Math.min(r.h, t.within.h) }))
      out.push(`"${t.text}" does not fit (${Math.ceil(r.w)} wide, room for ${t.within.w})`);
    if (t.y > t.within.y + t.within.h) out.push(`"${t.text}" runs out of the bottom of its box`);
  }
  const text = spec.describe.join('\n').toLowerCase();
  for (const name of [...spec.boxes.map((b) => b.title), ...spec.groups.map((g) => g.label)])
    if (!text.includes(name.toLowerCase()))
      out.push(`the text alternative does not mention "${name}"`);
  return out;
}

function chartProblems(spec: ChartSpec): string[] {
  const out: string[] = [];
  const plot = chartPlot(spec);
  const min = spec.yLogMin ?? 0;
  for (const b of spec.bars) {
    if (b.value < min || b.value > spec.yMax) out.push(`bar ${b.label} is off the scale`);
    // Value labels may be wider than a slot: they sit at different heights, and the check
    // below keeps neighbours apart.
    if (textWidth(b.label, FONT.small) > plot.slot - 2)
      out.push(`"${b.label}" is wider than its bar's slot (${plot.slot.toFixed(1)})`);
  }
  const labels = spec.bars.map((b, i) => {
    const [x, y] = valueLabelAt(spec, i);
    const w = textWidth(b.valueLabel, FONT.small);
    return { x: x - w / 2, y: y - FONT.small * 0.8, w, h: FONT.small };
  });
  for (let i = 1; i < labels.length; i++)
    if (overlaps(labels[i - 1]!, labels[i]!))
      out.push(`the values of bars ${spec.bars[i - 1]!.label} and ${spec.bars[i]!.label} overlap`);
  for (const m of spec.markers ?? [])
    if (m.after < 0 || m.after >= spec.bars.length - 1)
      out.push(`marker "${m.label}" is not between two bars`);
  const text = spec.describe.join('\n');
  for (const b of spec.bars)
    if (!text.includes(b.valueLabel)) out.push(`the text alternative lacks "${b.valueLabel}"`);
  return out;
}

// --- Emitting SVG -------------------------------------------------------------------------

export function escapeXml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

const num = (n: number) => String(Math.round(n * 10) / 10);

function textEl(t: PlacedText): string {
  return `<text x="${num(t.x)}" y="${num(t.y)}" class="${t.cls}${t.mono ? ' d-mono' : ''}" font-size="${t.size}" text-anchor="${t.anchor}">${escapeXml(t.text)}</text>`;
}

function open(spec: AnySpec): string {
  const t = `${spec.id}-title`;
  const d = `${spec.id}-desc`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="slipway-diagram-svg" viewBox="0 0 ${spec.width} ${spec.height}" width="${spec.width}" height="${spec.height}" role="img" aria-labelledby="${t}" aria-describedby="${d}" data-diagram="${spec.id}"><title id="${t}">${escapeXml(spec.title)}</title><desc id="${d}">${escapeXml(spec.desc)}</desc>`;
}

/** The SVG markup of a diagram or chart; throws with every problem when the data is wrong. */
export function renderSvg(spec: AnySpec): string {
  const wrong = problems(spec);
  if (wrong.length) throw new Error(`diagram ${spec.id}:\n- ${wrong.join('\n- ')}`);
  return isChart(spec) ? renderChart(spec) : renderDiagram(spec);
}

function renderDiagram(spec: DiagramSpec): string {
  const parts: string[] = [open(spec)];
  const arrow = `${spec.id}-arrow`;
  parts.push(
    `<defs><marker id="${arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="d-arrowhead"/></marker></defs>`,
  );
  const texts = layoutText(spec);
  for (const g of spec.groups) {
    parts.push(
      `<g class="d-group d-group-${g.kind}" data-id="${g.id}"><rect x="${g.x}" y="${g.y}" width="${g.w}" height="${g.h}" rx="10" class="d-group-rect"/></g>`,
    );
  }
  for (const e of spec.edges) {
    const [a, b] = edgeEnds(spec, e);
    const marker = e.kind === 'link' ? '' : ` marker-end="url(#${arrow})"`;
    parts.push(
      `<line x1="${num(a[0])}" y1="${num(a[1])}" x2="${num(b[0])}" y2="${num(b[1])}" class="d-edge${e.dashed ? ' d-dashed' : ''}${e.kind === 'link' ? ' d-link' : ''}" data-from="${e.from}" data-to="${e.to}"${marker}/>`,
    );
  }
  for (const t of texts.filter((t) => t.cls.startsWith('d-group-label'))) parts.push(textEl(t));
  for (const b of spec.boxes) {
    const own = texts.filter(
      (t) =>
        (t.cls === 'd-title' || t.cls === 'd-detail') &&
        t.within.x === b.x + PAD &&
        t.within.y === b.y + 2,
    );
    parts.push(
      `<g class="d-box d-box-${b.kind ?? 'service'}" data-id="${b.id}"><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="6" class="d-box-rect"/>${own.map(textEl).join('')}</g>`,
    );
  }
  for (const t of texts.filter((t) => t.cls === 'd-edge-label' || t.cls === 'd-note d-note-bg')) {
    const r = textBounds(t);
    parts.push(
      `<g class="d-label"><rect x="${num(r.x - 4)}" y="${num(r.y - 3)}" width="${num(r.w + 8)}" height="${num(r.h + 6)}" rx="3" class="d-label-bg"/>${textEl(t)}</g>`,
    );
  }
  for (const t of texts.filter((t) => t.cls === 'd-note')) parts.push(textEl(t));
  parts.push('</svg>');
  return parts.join('');
}

// --- Bar chart ----------------------------------------------------------------------------

interface Plot {
  left: number;
  top: number;
  right: number;
  bottom: number;
  slot: number;
}

export function chartPlot(spec: ChartSpec): Plot {
  const left = 64;
  const right = spec.width - 16;
  const top = 52;
  const bottom = spec.height - 58;
  return { left, top, right, bottom, slot: (right - left) / spec.bars.length };
}

/** The y coordinate of a value. */
export function chartY(spec: ChartSpec, v: number): number {
  const p = chartPlot(spec);
  const share =
    spec.yLogMin === undefined
      ? v / spec.yMax
      : Math.log(v / spec.yLogMin) / Math.log(spec.yMax / spec.yLogMin);
  return p.bottom - share * (p.bottom - p.top);
}

/** Where a bar's value label goes (its centre x and baseline y). */
export function valueLabelAt(spec: ChartSpec, i: number): [number, number] {
  const p = chartPlot(spec);
  const b = spec.bars[i]!;
  const h = Math.max(p.bottom - chartY(spec, b.value), 1.5);
  return [p.left + p.slot * (i + 0.5), p.bottom - h - 6];
}

function renderChart(spec: ChartSpec): string {
  const p = chartPlot(spec);
  const y = (v: number) => chartY(spec, v);
  const parts: string[] = [open(spec)];
  const t = (text: string, x: number, yy: number, anchor: PlacedText['anchor'], cls: string) =>
    textEl({
      text,
      x,
      y: yy,
      size: FONT.small,
      mono: false,
      anchor,
      cls,
      within: { x: 0, y: 0, w: spec.width, h: spec.height },
    });
  for (const tick of spec.yTicks) {
    parts.push(
      `<line x1="${p.left}" x2="${p.right}" y1="${num(y(tick.value))}" y2="${num(y(tick.value))}" class="d-grid"/>`,
    );
    parts.push(t(tick.label, p.left - 8, y(tick.value) + 4, 'end', 'd-axis-label'));
  }
  parts.push(
    `<line x1="${p.left}" x2="${p.right}" y1="${p.bottom}" y2="${p.bottom}" class="d-axis"/>`,
  );
  spec.bars.forEach((b, i) => {
    const cx = p.left + p.slot * (i + 0.5);
    const w = p.slot * 0.62;
    const top = y(b.value);
    const h = Math.max(p.bottom - top, 1.5);
    parts.push(
      `<g class="d-bar d-bar-${b.tone ?? 'normal'}"><rect x="${num(cx - w / 2)}" y="${num(p.bottom - h)}" width="${num(w)}" height="${num(h)}" rx="2" class="d-bar-rect"/>${t(b.valueLabel, cx, p.bottom - h - 6, 'middle', 'd-value')}${t(b.label, cx, p.bottom + 17, 'middle', 'd-axis-label')}</g>`,
    );
  });
  for (const m of spec.markers ?? []) {
    const x = p.left + p.slot * (m.after + 1);
    parts.push(
      `<line x1="${num(x)}" x2="${num(x)}" y1="${p.top - 26}" y2="${p.bottom}" class="d-marker d-dashed"/>`,
    );
    parts.push(t(m.label, x - 6, p.top - 30, 'end', 'd-note'));
  }
  parts.push(t(spec.xTitle, (p.left + p.right) / 2, spec.height - 12, 'middle', 'd-axis-title'));
  parts.push(t(spec.yTitle, 8, 20, 'start', 'd-axis-title'));
  parts.push('</svg>');
  return parts.join('');
}
