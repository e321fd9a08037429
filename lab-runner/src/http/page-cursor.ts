import { slipwayError } from '../errors/catalogue.ts';

/**
 * Opaque cursors for the read API's pages. A cursor names the last item of the page before (by
 * its sort key) and the list it came from, so pages stay right when items are added or removed
 * between requests, and a cursor from one class's list is refused by another's.
 */
interface CursorBody {
  v: 1;
  list: string;
  after: string;
}

export function encodeCursor(list: string, after: string): string {
  const body: CursorBody = { v: 1, list, after };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The key to continue after; BAD_REQUEST for a cursor this API did not give for this list. */
export function decodeCursor(list: string, cursor: string): string {
  const refused = () =>
    slipwayError('BAD_REQUEST', { detail: 'the cursor is not one this list gave' });
  let body: Partial<CursorBody>;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    throw refused();
  }
  if (body?.v !== 1 || body.list !== list || typeof body.after !== 'string') throw refused();
  return body.after;
}

/**
 * One page of items in ascending order of a unique key: those after `after` (all when it is
 * undefined), at most `limit`, and the key to continue after when more follow.
 */
export function pageOf<T>(
  items: readonly T[],
  key: (item: T) => string,
  after: string | undefined,
  limit: number,
): { items: T[]; next: string | null } {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((i) => key(i) > after);
  const page = rest.slice(0, limit);
  return { items: page, next: rest.length > limit ? key(page.at(-1)!) : null };
}
