import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { markdownToHtml, mdxToJs } from 'satteri';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCourse } from './course.ts';
import { loadLabCatalog } from './labs.ts';
import { lessonChecks } from './lesson-checks.ts';
import { type Fixture, makeFixture, writeGoodLab } from './test-fixtures.ts';

let f: Fixture;
let loads: number;
beforeEach(() => {
  f = makeFixture();
  writeGoodLab(f, 'first-containers');
  writeGoodLab(f, 'volumes');
  writeGoodLab(f, 'unshown');
  f.write('content/01-a/module.yaml', 'title: Module A\n');
  f.write('content/01-a/05-vol.mdx', '---\ntitle: Volumes\nlab: volumes\n---\n');
  loads = 0;
});
afterEach(() => f.cleanup());

/** Compiles a lesson the way Astro 7 does (Sätteri), with the plugin, as if it were `file`. */
function compile(file: string, source: string) {
  const plugin = lessonChecks({
    contentDir: join(f.root, 'content'),
    root: f.root,
    catalog: () => {
      loads += 1;
      return loadLabCatalog({ root: f.root });
    },
    course: () => readCourse(join(f.root, 'content'), f.root),
  });
  const options = { fileURL: pathToFileURL(join(f.root, file)), mdastPlugins: [plugin] };
  return file.endsWith('.md') ? markdownToHtml(source, options) : mdxToJs(source, options);
}

/** The build error of compiling `source`, one problem per line ('' when it compiles). */
function problems(file: string, source: string): string[] {
  try {
    compile(file, source);
  } catch (err) {
    return (err as Error).message.split('\n');
  }
  return [];
}

const labLesson = (lab: string, body: string) =>
  `---\ntitle: A lab\nlab: ${lab}\n---\n\nimport Lab from '@slipway/Lab.astro';\nimport TaskLink from '@slipway/TaskLink.astro';\n\n${body}`;
// Line 9 of a labLesson is the first line of its body.

describe('<Lab id>', () => {
  it('lets a lesson with a known lab through', () => {
    const out = compile(
      'content/01-a/02-lab.mdx',
      labLesson('first-containers', '<Lab id="first-containers" />\n'),
    );
    expect((out as { code: string }).code).toContain('first-containers');
    expect(loads).toBe(1);
  });

  it('fails naming the lesson file, the line, the unknown id and the known ids', () => {
    expect(
      problems(
        'content/01-a/02-lab.mdx',
        labLesson('first-containers', 'Text.\n\n<Lab id="frist-containers" />\n'),
      ),
    ).toContain(
      'content/01-a/02-lab.mdx:11: <Lab id="frist-containers" /> refers to a lab that does not exist: there is no labs/frist-containers/lab.yaml. Known labs: first-containers, unshown, volumes.',
    );
  });

  it('reports every bad reference in a lesson at once, inline ones included', () => {
    expect(
      problems(
        'content/01-a/02-lab.mdx',
        labLesson(
          'first-containers',
          'Inline <Lab id="one-bad" /> here.\n\n<Lab id={labId} />\n\n<Lab />\n\n<Lab id="first-containers" />\n',
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /^content\/01-a\/02-lab\.mdx:9: <Lab id="one-bad" \/> refers to a lab that does not exist/,
      ),
      'content/01-a/02-lab.mdx:11: <Lab id=...> must be a plain string such as id="first-containers", so the build can check that the lab exists',
      'content/01-a/02-lab.mdx:13: <Lab /> needs an id naming its lab, e.g. <Lab id="first-containers" />',
    ]);
  });

  it('asks for the import when a lesson uses <Lab> without it', () => {
    expect(
      problems(
        'content/01-a/02-lab.mdx',
        '---\ntitle: T\nlab: volumes\n---\n\n<Lab id="volumes" />\n',
      ),
    ).toEqual([
      "content/01-a/02-lab.mdx: uses <Lab /> without importing it; add this line after the front matter: import Lab from '@slipway/Lab.astro';",
    ]);
  });

  it('ignores <Lab> inside code blocks and files outside the content folder', () => {
    expect(problems('content/01-a/01-doc.mdx', '```mdx\n<Lab id="not-checked" />\n```\n')).toEqual(
      [],
    );
    expect(problems('elsewhere/page.mdx', '<Lab id="not-checked" />\n')).toEqual([]);
    expect(loads).toBe(0);
  });
});

describe('front matter lab:', () => {
  it('must be there when the lesson shows a lab', () => {
    expect(
      problems(
        'content/01-a/02-lab.mdx',
        '---\ntitle: T\n---\n\nimport Lab from \'@slipway/Lab.astro\';\n\n<Lab id="volumes" />\n',
      ),
    ).toEqual([
      'content/01-a/02-lab.mdx:7: this lesson shows <Lab id="volumes" />, so its front matter needs "lab: volumes" (the sidebar and the course overview show the lab\'s progress through it)',
    ]);
  });

  it('must name the lab the lesson shows', () => {
    expect(
      problems('content/01-a/02-lab.mdx', labLesson('volumes', '<Lab id="first-containers" />\n')),
    ).toEqual([
      'content/01-a/02-lab.mdx:9: front matter "lab: volumes" names a lab this lesson does not show; it shows <Lab id="first-containers" />. Make the two the same.',
    ]);
    expect(problems('content/01-a/02-lab.mdx', labLesson('volumes', 'No lab here.\n'))).toEqual([
      `content/01-a/02-lab.mdx: front matter "lab: volumes" names a lab this lesson does not show; add <Lab id="volumes" /> (import Lab from '@slipway/Lab.astro';) or remove the "lab:" line`,
    ]);
  });
});

describe('<TaskLink>', () => {
  const lesson = (link: string) =>
    labLesson('first-containers', `See ${link} below.\n\n<Lab id="first-containers" />\n`);

  it('links to a task of the lab on the page, or of a lab another lesson shows', () => {
    expect(
      problems(
        'content/01-a/02-lab.mdx',
        lesson('<TaskLink lab="first-containers" task="two">task two</TaskLink>'),
      ),
    ).toEqual([]);
    expect(
      problems('content/01-a/02-lab.mdx', lesson('<TaskLink lab="volumes" task="one" />')),
    ).toEqual([]);
  });

  it('fails naming the file and line when the lab does not exist', () => {
    expect(
      problems(
        'content/01-a/02-lab.mdx',
        lesson('<TaskLink lab="frist-containers" task="one">x</TaskLink>'),
      ),
    ).toEqual([
      'content/01-a/02-lab.mdx:9: <TaskLink lab="frist-containers" task="one"> refers to a lab that does not exist: there is no labs/frist-containers/lab.yaml. Known labs: first-containers, unshown, volumes.',
    ]);
  });

  it('fails naming the file, the line and the lab’s tasks when the task does not exist', () => {
    expect(
      problems(
        'content/01-a/02-lab.mdx',
        lesson('<TaskLink lab="first-containers" task="three">x</TaskLink>'),
      ),
    ).toEqual([
      'content/01-a/02-lab.mdx:9: <TaskLink lab="first-containers" task="three"> refers to a task that does not exist: labs/first-containers/lab.yaml has no task "three". Its tasks: one, two.',
    ]);
  });

  it('fails when no lesson shows the lab, or when the ids are not plain strings', () => {
    expect(
      problems(
        'content/01-a/02-lab.mdx',
        lesson('<TaskLink lab="unshown" task="one">x</TaskLink>'),
      ),
    ).toEqual([
      'content/01-a/02-lab.mdx:9: <TaskLink lab="unshown" task="one"> links to a lab that no lesson shows; add <Lab id="unshown" /> (and "lab: unshown" in the front matter) to a lesson first.',
    ]);
    expect(
      problems('content/01-a/02-lab.mdx', lesson('<TaskLink lab="volumes" task={t}>x</TaskLink>')),
    ).toEqual([
      'content/01-a/02-lab.mdx:9: <TaskLink> needs plain string lab and task attributes, e.g. <TaskLink lab="first-containers" task="run-web">, so the build can check that the task exists',
    ]);
  });

  it('asks for the import', () => {
    expect(
      problems(
        'content/01-a/03-read.mdx',
        '---\ntitle: T\n---\n\nRead <TaskLink lab="volumes" task="one">this</TaskLink>.\n',
      ),
    ).toEqual([
      "content/01-a/03-read.mdx: uses <TaskLink> without importing it; add this line after the front matter: import TaskLink from '@slipway/TaskLink.astro';",
    ]);
  });
});

describe('run blocks', () => {
  const withLab = (block: string) =>
    labLesson('first-containers', `${block}\n\n<Lab id="first-containers" />\n`);

  it('accepts sh, bash, shell and console blocks on a page with a lab', () => {
    for (const lang of ['sh', 'bash', 'shell']) {
      expect(
        problems('content/01-a/02-lab.mdx', withLab(`\`\`\`${lang} run\ndocker ps\n\`\`\``)),
      ).toEqual([]);
    }
    expect(
      problems(
        'content/01-a/02-lab.mdx',
        withLab('```console title="Try it" run\n$ docker ps\nCONTAINER ID\n```'),
      ),
    ).toEqual([]);
    expect(problems('content/01-a/02-lab.mdx', withLab('```python\nrun = 1\n```'))).toEqual([]);
  });

  it('fails naming the file and line when the lesson has no lab', () => {
    expect(
      problems(
        'content/01-a/03-read.mdx',
        '---\ntitle: T\n---\n\nText.\n\n```sh run\ndocker ps\n```\n',
      ),
    ).toEqual([
      'content/01-a/03-read.mdx:7: a `run` code block types into the lab terminal of its page, but this lesson has no <Lab />; add one, or remove "run"',
    ]);
    // .md lessons are checked before the build (markdown-lessons.ts), not here.
    expect(
      problems('content/01-a/03-read.md', '---\ntitle: T\n---\n\n```bash run\nls\n```\n'),
    ).toEqual([]);
  });

  it('fails for run blocks outside the content folder', () => {
    expect(problems('site/src/pages/about.md', '# About\n\n```sh run\nls\n```\n')).toEqual([
      'site/src/pages/about.md:3: `run` code blocks only work in lessons under content/, next to a <Lab />; remove "run"',
    ]);
  });

  it('fails for a language that is not a shell', () => {
    expect(problems('content/01-a/02-lab.mdx', withLab('```python run\nprint(1)\n```'))).toEqual([
      'content/01-a/02-lab.mdx:9: a `run` code block must be sh, bash, shell or console, not "python"',
    ]);
    expect(problems('content/01-a/02-lab.mdx', withLab('```run\ndocker ps\n```'))).toEqual([
      'content/01-a/02-lab.mdx:9: a `run` code block needs a language: sh, bash, shell or console (e.g. ```sh run)',
    ]);
  });

  it('fails for an empty block, and for a console block without a $ prompt', () => {
    expect(problems('content/01-a/02-lab.mdx', withLab('```sh run\n\n```'))).toEqual([
      'content/01-a/02-lab.mdx:9: this `run` code block is empty; put the commands to run in it',
    ]);
    expect(problems('content/01-a/02-lab.mdx', withLab('```console run\ndocker ps\n```'))).toEqual([
      'content/01-a/02-lab.mdx:9: this `run` code block has no command to run: in a console block, commands start with "$ "',
    ]);
  });
});
