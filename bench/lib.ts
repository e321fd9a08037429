/**
 * What every benchmark shares: percentiles, formatting, the row a figure is reported in, and
 * writing the latest run into BENCHMARKS.md. Pure functions except `machine()` and
 * `writeLatest()`; bench/lib.test.ts pins them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

/** One figure: Slipway's number beside a baseline measured in the same run. */
export interface BenchRow {
  figure: string;
  slipway: string;
  baseline: string;
  /** Slipway ÷ baseline, when both are the same kind of number. */
  ratio?: string;
  /** What the budget asks and whether this run meets it, e.g. "≤ 300 ms ✅". */
  budget?: string;
}

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of a non-empty sample; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function distribution(xs: readonly number[]): Distribution {
  return {
    n: xs.length,
    p50: percentile(xs, 50),
    p95: percentile(xs, 95),
    p99: percentile(xs, 99),
    max: xs.length ? Math.max(...xs) : Number.NaN,
  };
}

/** Milliseconds, with precision that suits the size: 0.35 ms, 21 ms, 4.42 s. */
export function fmtMs(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  return `${x.toFixed(x < 10 ? 2 : 0)} ms`;
}

/** "p50 / p95 / p99" of a distribution in milliseconds. */
export function fmtDist(d: Distribution): string {
  return `${fmtMs(d.p50)} / ${fmtMs(d.p95)} / ${fmtMs(d.p99)}`;
}

/** Slipway ÷ baseline as "1.23×"; "n/a" when either is missing or the baseline is zero. */
export function ratio(slipway: number, baseline: number): string {
  if (!Number.isFinite(slipway) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  return `${(slipway / baseline).toFixed(2)}×`;
}

/** "≤ 300 ms ✅" / "≤ 300 ms ❌": whether `value` is within `limit` (lower is better). */
export function budget(value: number, limit: number, label: string): string {
  return `${label} ${Number.isFinite(value) && value <= limit ? '✅' : '❌'}`;
}

export function markdownTable(rows: readonly BenchRow[]): string {
  const cell = (s: string | undefined) => (s ?? '').replaceAll('|', '\\|');
  const lines = [
    '| Figure | Slipway | Baseline (same run) | Ratio | Budget |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${cell(r.figure)} | ${cell(r.slipway)} | ${cell(r.baseline)} | ${cell(r.ratio)} | ${cell(r.budget)} |`,
    ),
  ];
  return lines.join('\n');
}

export const LATEST_START = '<!-- bench:latest:start -->';
export const LATEST_END = '<!-- bench:latest:end -->';

/**
 * `doc` with the text between the latest-run markers replaced by `section`. Without markers,
 * the section goes after the document's first paragraph (its title and introduction), so the
 * history below it is kept.
 */
export function replaceLatest(doc: string, section: string): string {
  const block = `${LATEST_START}\n${section.trim()}\n${LATEST_END}`;
  const start = doc.indexOf(LATEST_START);
  const end = doc.indexOf(LATEST_END);
  if (start !== -1 && end > start) {
    return doc.slice(0, start) + block + doc.slice(end + LATEST_END.length);
  }
  const firstHeading = doc.indexOf('\n## ');
  if (firstHeading === -1) return `${doc.trimEnd()}\n\n${block}\n`;
  return `${doc.slice(0, firstHeading + 1)}${block}\n\n${doc.slice(firstHeading + 1)}`;
}

export function writeLatest(file: string, section: string): void {
  writeFileSync(file, replaceLatest(readFileSync(file, 'utf8'), section));
}

/** One line describing the machine the figures come from. */
export function machine(dockerHost: string): string {
  const cpu = cpus();
  const engine = (() => {
    try {
      return execFileSync('docker', ['-H', dockerHost, 'version', '-f', '{{.Server.Version}}'], {
        encoding: 'utf8',
      }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const os = (() => {
    try {
      return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux';
    } catch {
      return 'Linux';
    }
  })();
  return `${os}, kernel ${release()}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Docker ${engine} (Slipway's engine), Node ${process.versions.node}`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
