import { TERMINAL_LIMITS } from '../protocol/index.ts';

/** Terminal sizes outside what a screen can show are clamped, never passed to the engine. */
export function clampSize(cols: number, rows: number): { cols: number; rows: number } {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.trunc(v)));
  return {
    cols: clamp(cols, TERMINAL_LIMITS.minCols, TERMINAL_LIMITS.maxCols),
    rows: clamp(rows, TERMINAL_LIMITS.minRows, TERMINAL_LIMITS.maxRows),
  };
}
