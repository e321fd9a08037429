import { describe, expect, it } from 'vitest';
import { renderInline, renderParagraphs } from './inline-markdown.ts';

describe('renderInline', () => {
  it('renders code, bold, emphasis and links', () => {
    expect(
      renderInline(
        'Run `docker ps` on port **8080**, *inside* it; see [docs](https://docs.docker.com).',
      ),
    ).toBe(
      'Run <code>docker ps</code> on port <strong>8080</strong>, <em>inside</em> it; see <a href="https://docs.docker.com">docs</a>.',
    );
  });

  it('keeps code spans literal, including Markdown and HTML inside them', () => {
    expect(renderInline('Use `-p HOST:CONTAINER` and `a **b** <c>`.')).toBe(
      'Use <code>-p HOST:CONTAINER</code> and <code>a **b** &lt;c&gt;</code>.',
    );
    expect(renderInline('``a `tick` here``')).toBe('<code>a `tick` here</code>');
  });

  it('lets emphasis wrap code spans', () => {
    expect(renderInline('two services: **`web`**, and *`redis`* on **port `8000`**')).toBe(
      'two services: <strong><code>web</code></strong>, and <em><code>redis</code></em> on <strong>port <code>8000</code></strong>',
    );
  });

  it('escapes HTML in text and refuses javascript: links', () => {
    expect(renderInline('<script>alert(1)</script> & "quotes"')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;',
    );
    expect(renderInline('[click](javascript:alert(1))')).toBe('[click](javascript:alert(1))');
  });

  it('leaves snake_case words and escaped stars alone', () => {
    expect(renderInline('the redis_data folder and 2 \\* 3')).toBe(
      'the redis_data folder and 2 * 3',
    );
  });
});

describe('renderParagraphs', () => {
  it('splits on blank lines', () => {
    expect(renderParagraphs('One\nline.\n\nTwo.')).toBe('<p>One\nline.</p><p>Two.</p>');
  });
});
