import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CourseImage } from './course-images.ts';
import { loadLabs } from './load-labs.ts';

const images = new Map<string, CourseImage>([
  ['nginx', { name: 'nginx', source: 'slipway/course-nginx:latest', tags: ['nginx:latest'] }],
]);

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-labs-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function writeLab(
  id: string,
  yaml: string,
  files: Record<string, string> = { 'checks/one.sh': 'pass', 'solve.sh': 'true' },
) {
  const dir = join(root, 'labs', id);
  mkdirSync(join(dir, 'checks'), { recursive: true });
  writeFileSync(join(dir, 'lab.yaml'), yaml);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

const good = `title: Good lab
images: [nginx]
tasks:
  - id: one
    title: Task one
    description: Do one.
    hint: Think.
    check: checks/one.sh
    solution: echo one
`;

describe('loadLabs', () => {
  it('loads a valid lab with its scripts and images', () => {
    writeLab('good', good);
    const { labs, failures } = loadLabs(join(root, 'labs'), images, root);
    expect(failures).toEqual([]);
    const lab = labs.get('good')!;
    expect(lab.title).toBe('Good lab');
    expect(lab.tasks[0]!.checkScript).toBe('pass');
    // Without solve.sh, labs:test runs the tasks' solutions in order.
    expect(lab.solveScript).toBe('set -e\necho one');
    expect(lab.previews).toEqual([]);
    expect(lab.images.map((i) => i.tags)).toEqual([['nginx:latest']]);
  });

  it('uses solve.sh when the manifest names one, and reads previews', () => {
    writeLab('solved', `${good}solve: solve.sh\npreviews:\n  - { port: 3000, title: UI }\n`);
    const lab = loadLabs(join(root, 'labs'), images, root).labs.get('solved')!;
    expect(lab.solveScript).toBe('true');
    expect(lab.previews).toEqual([{ port: 3000, title: 'UI', path: '/' }]);
  });

  it('names the file, the field and what was expected; other labs still load', () => {
    writeLab('good', good);
    writeLab('broken', good.replace('title: Task one', 'title: 7'));
    const { labs, failures } = loadLabs(join(root, 'labs'), images, root);
    expect([...labs.keys()]).toEqual(['good']);
    expect(failures.map((f) => f.message)).toEqual([
      'labs/broken/lab.yaml: tasks[0].title: expected a string, got a whole number',
    ]);
  });

  it('reports a missing check script by field', () => {
    writeLab('nocheck', good, { 'solve.sh': 'true' });
    const { failures } = loadLabs(join(root, 'labs'), images, root);
    expect(failures[0]!.message).toBe(
      'labs/nocheck/lab.yaml: tasks[0].check: file "checks/one.sh" does not exist in labs/nocheck',
    );
  });

  it('reports an unknown course image with the known ones', () => {
    writeLab('img', good.replace('[nginx]', '[nginx, redsi]'));
    const { failures } = loadLabs(join(root, 'labs'), images, root);
    expect(failures[0]!.message).toBe(
      'labs/img/lab.yaml: images[1]: unknown course image "redsi" (known: nginx)',
    );
  });

  it('reports YAML syntax errors with a line and column', () => {
    writeLab('yaml', 'title: [unclosed\ntasks: x\n');
    const { failures } = loadLabs(join(root, 'labs'), images, root);
    expect(failures[0]!.message).toMatch(
      /^labs\/yaml\/lab\.yaml: line \d+, column \d+: not valid YAML: /,
    );
  });

  it('reports a folder without lab.yaml and ignores _shared folders', () => {
    mkdirSync(join(root, 'labs', 'empty'), { recursive: true });
    mkdirSync(join(root, 'labs', '_lib'), { recursive: true });
    const { failures } = loadLabs(join(root, 'labs'), images, root);
    expect(failures.map((f) => f.message)).toEqual([
      'labs/empty/lab.yaml: file is missing (every lab folder needs a lab.yaml)',
    ]);
  });
});
