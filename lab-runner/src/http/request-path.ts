/**
 * What is wrong with a request's path, in words, or undefined when nothing is. Checked once
 * where requests come in, so no route has to guess what a broken %-escape means.
 */
export function pathProblem(url: string | undefined): string | undefined {
  const u = url ?? '';
  if (!u.startsWith('/')) return 'the path does not start with "/"';
  const q = u.indexOf('?');
  const path = q < 0 ? u : u.slice(0, q);
  try {
    if (decodeURIComponent(path).includes('\0')) return 'the path contains a NUL character';
  } catch {
    return 'the path has a broken %-escape';
  }
  return undefined;
}
