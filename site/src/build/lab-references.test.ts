import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mdxToJs } from 'satteri';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labReferences } from './lab-references.ts';
import { loadLabCatalog } from './labs.ts';
import { type Fixture, makeFixture, writeGoodLab } from './test-fixtures.ts';

let f: Fixture;
let loads: number;
beforeEach(() => {
  f = makeFixture();
  writeGoodLab(f, 'first-containers');
  writeGoodLab(f, 'volumes');
  loads = 0;
});
afterEach(() => f.cleanup());

/** Compiles MDX the way Astro 7 does (Sätteri), with the plugin, as if it were `file`. */
function compile(file: string, source: string) {
  const plugin = labReferences({
    contentDir: join(f.root, 'content'),
    root: f.root,
    catalog: () => {
      loads += 1;
      return loadLabCatalog({ root: f.root });
    },
  });
  return mdxToJs(source, {
    fileURL: pathToFileURL(join(f.root, file)),
    mdastPlugins: [plugin],
  });
}

const importLine = "import Lab from '@slipway/Lab.astro';\n\n";

describe('labReferences', () => {
  it('lets a lesson with a known lab through', async () => {
    const out = await compile(
      'content/01-a/02-lab.mdx',
      `${importLine}# Lab\n\n<Lab id="first-containers" />\n`,
    );
    expect(out.code).toContain('first-containers');
    expect(loads).toBe(1);
  });

  it('fails naming the lesson file, the line, the unknown id and the known ids', () => {
    expect(() =>
      compile(
        'content/01-a/02-lab.mdx',
        `${importLine}Some text.\n\n<Lab id="frist-containers" />\n`,
      ),
    ).toThrowError(
      'content/01-a/02-lab.mdx:5: <Lab id="frist-containers" /> refers to a lab that does not exist: there is no labs/frist-containers/lab.yaml. Known labs: first-containers, volumes.',
    );
  });

  it('reports every bad reference in a lesson at once, inline ones included', () => {
    let message = '';
    try {
      compile(
        'content/01-a/02-lab.mdx',
        `${importLine}Inline <Lab id="one-bad" /> here.\n\n<Lab id={labId} />\n\n<Lab />\n`,
      );
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/^content\/01-a\/02-lab\.mdx:3: <Lab id="one-bad" \/> refers to a lab/),
      'content/01-a/02-lab.mdx:5: <Lab id=...> must be a plain string such as id="first-containers", so the build can check that the lab exists',
      'content/01-a/02-lab.mdx:7: <Lab /> needs an id naming its lab, e.g. <Lab id="first-containers" />',
    ]);
  });

  it('asks for the import when a lesson uses <Lab> without it', () => {
    expect(() => compile('content/01-a/02-lab.mdx', '<Lab id="volumes" />\n')).toThrowError(
      "content/01-a/02-lab.mdx: uses <Lab /> without importing it; add this line after the front matter: import Lab from '@slipway/Lab.astro';",
    );
  });

  it('ignores <Lab> inside code blocks and files outside the content folder', () => {
    expect(() =>
      compile('content/01-a/01-doc.mdx', '```mdx\n<Lab id="not-checked" />\n```\n'),
    ).not.toThrow();
    expect(() => compile('elsewhere/page.mdx', '<Lab id="not-checked" />\n')).not.toThrow();
    expect(loads).toBe(0);
  });
});
