/**
 * The wire format of slipway-checkd, the checker's first process (images/sandbox/checkd/checkd.pl,
 * which documents it): requests the runner writes to its stdin, frames it prints on stdout.
 */

export type CheckdFrame =
  | { kind: 'out' | 'err'; id: string; data: Buffer }
  | { kind: 'exit'; id: string; code: number }
  | { kind: 'activity' };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The request that runs `argv` with `env` added to the checker's own environment. */
export function runRequest(
  id: string,
  env: Record<string, string>,
  argv: readonly string[],
): Buffer {
  if (!ID.test(id)) throw new Error(`bad run id ${JSON.stringify(id)}`);
  const items = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), '--', ...argv];
  if (items.some((s) => s.includes('\0'))) throw new Error('a command or variable holds a NUL');
  const payload = Buffer.from(items.map((s) => `${s}\0`).join(''), 'utf8');
  return Buffer.concat([Buffer.from(`R ${id} ${payload.length}\n`), payload]);
}

/** The request that stops a run (TERM to its process group, KILL after the grace). */
export function stopRequest(id: string): string {
  if (!ID.test(id)) throw new Error(`bad run id ${JSON.stringify(id)}`);
  return `K ${id}\n`;
}

/** Splits checkd's stdout into frames; input may arrive cut anywhere. Unknown lines are skipped. */
export class CheckdFrames {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): CheckdFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: CheckdFrame[] = [];
    for (;;) {
      const nl = this.pending.indexOf(10);
      if (nl < 0) break;
      const head = this.pending.subarray(0, nl).toString('latin1');
      const data = /^([OE]) (\S+) (\d+)$/.exec(head);
      if (data) {
        const size = Number(data[3]);
        if (this.pending.length < nl + 1 + size) break;
        frames.push({
          kind: data[1] === 'O' ? 'out' : 'err',
          id: data[2]!,
          data: this.pending.subarray(nl + 1, nl + 1 + size),
        });
        this.pending = this.pending.subarray(nl + 1 + size);
        continue;
      }
      this.pending = this.pending.subarray(nl + 1);
      const exit = /^X (\S+) (\d+)$/.exec(head);
      if (exit) frames.push({ kind: 'exit', id: exit[1]!, code: Number(exit[2]) });
      else if (head === 'A') frames.push({ kind: 'activity' });
    }
    return frames;
  }
}
