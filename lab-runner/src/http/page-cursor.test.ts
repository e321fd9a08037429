import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from './page-cursor.ts';

const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);
const items = ['d', 'a', 'e', 'b', 'c'].map((id) => ({ id }));
const key = (x: { id: string }) => x.id;

describe('pages', () => {
  it('walks every item once, in key order, whatever the input order', () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let n = 0; n < 10; n++) {
      const p = pageOf(items, key, after, 2);
      seen.push(...ids(p.items));
      if (p.next === null) break;
      after = p.next;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('has no next page when the last page is exactly full', () => {
    expect(pageOf(items, key, 'c', 2)).toEqual({ items: [{ id: 'd' }, { id: 'e' }], next: null });
    expect(pageOf(items, key, undefined, 5).next).toBe(null);
    expect(pageOf(items, key, undefined, 4).next).toBe('d');
  });

  it('continues correctly when the item a cursor names has gone, or one was added before it', () => {
    const without = items.filter((i) => i.id !== 'b');
    expect(ids(pageOf(without, key, 'b', 2).items)).toEqual(['c', 'd']);
    expect(ids(pageOf([...items, { id: 'aa' }], key, 'b', 2).items)).toEqual(['c', 'd']);
  });
});

describe('cursors', () => {
  it('round-trip and are opaque text safe in a URL', () => {
    const c = encodeCursor('class-1', 'learner/ä');
    expect(c).toMatch(/^[\w-]+$/);
    expect(decodeCursor('class-1', c)).toBe('learner/ä');
  });

  it('are refused by another list, and when made up or damaged', () => {
    const c = encodeCursor('class-1', 'x');
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as { code: string }).code;
      }
      return 'none';
    };
    expect(code(() => decodeCursor('class-2', c))).toBe('BAD_REQUEST');
    expect(code(() => decodeCursor('class-1', c.slice(3)))).toBe('BAD_REQUEST');
    expect(code(() => decodeCursor('class-1', 'bm90IGpzb24'))).toBe('BAD_REQUEST');
    expect(
      code(() =>
        decodeCursor(
          'class-1',
          Buffer.from('{"v":1,"list":"class-1","after":3}').toString('base64url'),
        ),
      ),
    ).toBe('BAD_REQUEST');
  });
});
