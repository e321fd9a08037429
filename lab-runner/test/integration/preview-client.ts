/**
 * A preview opened the way a browser does it: the site's `/preview/...` address answers with a
 * redirect to the preview origin's entry, which sets the lab's preview cookie and redirects to
 * the page. Tests use this to reach a previewed app and to look at each step.
 */
export interface OpenedPreview {
  /** The final response from the preview origin. */
  res: Response;
  /** `name=value` of the preview cookie the entry set. */
  cookie: string;
  /** The entry address the site sent the browser to. */
  entry: string;
}

export async function openPreview(
  siteUrl: string,
  path: string,
  learnerCookie: string,
): Promise<OpenedPreview> {
  const site = await fetch(`${siteUrl}${path}`, {
    headers: { cookie: learnerCookie },
    redirect: 'manual',
  });
  if (site.status !== 303)
    throw new Error(`the site answered ${site.status}: ${await site.text()}`);
  const entry = site.headers.get('location')!;
  const entered = await fetch(entry, { redirect: 'manual' });
  if (entered.status !== 303)
    throw new Error(`the entry answered ${entered.status}: ${await entered.text()}`);
  const cookie = entered.headers.get('set-cookie')!.split(';')[0]!;
  const page = new URL(entered.headers.get('location')!, entry).toString();
  // A browser sends the site's cookies here too (cookies ignore ports).
  const res = await fetch(page, {
    headers: { cookie: `${learnerCookie}; ${cookie}` },
    redirect: 'manual',
  });
  return { res, cookie, entry };
}
