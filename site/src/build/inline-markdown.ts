/**
 * A small inline Markdown renderer for lab task descriptions and hints: `code`, **bold**,
 * *emphasis* and [links](https://...). Everything else is text; HTML in the input is escaped,
 * never passed through.
 */

const escapeHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Only web and site-relative links; `javascript:` and friends stay text. */
const safeHref = (href: string) => /^(https?:\/\/|\/|#)/.test(href);

function renderText(text: string): string {
  // Backslash escapes keep a literal * _ ` [ or ] (CommonMark style).
  const escapes: string[] = [];
  const protectedText = text.replace(/\\([\\`*_[\]])/g, (_, ch: string) => {
    escapes.push(ch);
    return `\uE000${escapes.length - 1}\uE001`;
  });
  let html = escapeHtml(protectedText);
  html = html.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label: string, href: string) =>
    safeHref(href.replace(/&amp;/g, '&')) ? `<a href="${href}">${label}</a>` : whole,
  );
  html = html.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>');
  html = html.replace(/__(?=\S)([\s\S]*?\S)__/g, '<strong>$1</strong>');
  html = html.replace(/\*(?=\S)([\s\S]*?\S)\*/g, '<em>$1</em>');
  html = html.replace(/(^|[^\w])_(?=\S)([\s\S]*?\S)_(?![\w])/g, '$1<em>$2</em>');
  return html.replace(/\uE000(\d+)\uE001/g, (_, i: string) => escapeHtml(escapes[Number(i)]!));
}

/** Renders one paragraph of inline Markdown to HTML. */
export function renderInline(markdown: string): string {
  // Code spans first: nothing inside them is Markdown. Each becomes a placeholder while the
  // text around it is rendered, so emphasis can wrap code (**`web`**) as in CommonMark.
  const spans: string[] = [];
  const text = markdown.trim().replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, _ticks, body: string) => {
    const inner = body.replace(/\n/g, ' ');
    const trimmed = /^ .* $/.test(inner) && inner.trim() !== '' ? inner.slice(1, -1) : inner;
    spans.push(`<code>${escapeHtml(trimmed)}</code>`);
    return `\uE002${spans.length - 1}\uE003`;
  });
  return renderText(text).replace(/\uE002(\d+)\uE003/g, (_, i: string) => spans[Number(i)]!);
}

/** Renders Markdown that may hold several paragraphs (blank-line separated) to `<p>`s. */
export function renderParagraphs(markdown: string): string {
  return markdown
    .trim()
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${renderInline(p)}</p>`)
    .join('');
}
