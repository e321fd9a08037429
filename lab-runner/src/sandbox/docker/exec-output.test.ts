import { describe, expect, it } from 'vitest';
import { CappedSink, DockerDemuxer } from './exec-output.ts';

const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

const flush = () => new Promise((r) => setImmediate(r));

describe('DockerDemuxer', () => {
  it('splits stdout and stderr, even when frames arrive in pieces', async () => {
    const out = new CappedSink(1024);
    const err = new CappedSink(1024);
    const d = new DockerDemuxer(out, err);
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'oops'), frame(1, 'wörld')]);
    for (let i = 0; i < all.length; i += 3) d.push(all.subarray(i, i + 3));
    await flush();
    expect(out.text()).toBe('hello wörld');
    expect(err.text()).toBe('oops');
  });
});

describe('CappedSink', () => {
  it('keeps the first bytes and counts what it dropped', async () => {
    const s = new CappedSink(5);
    s.write(Buffer.from('abc'));
    s.write(Buffer.from('defgh'));
    await flush();
    expect(s.text()).toBe('abcde');
    expect(s.truncated).toBe(true);
    expect(s.dropped).toBe(3);
  });
});
