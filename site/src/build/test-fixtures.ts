import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throw-away repository layout (content/, labs/, images/) for tests. */
export interface Fixture {
  root: string;
  write(path: string, text: string): void;
  cleanup(): void;
}

export function makeFixture(): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'slipway-site-'));
  return {
    root,
    write(path, text) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export const goodLabYaml = `title: Good lab
summary: A lab for tests.
images: [nginx]
tasks:
  - id: one
    title: Task one
    description: Run \`docker ps\` and look at **everything**.
    hint: Think about it.
    check: checks/one.sh
    solution: echo one
  - id: two
    title: Task two
    description: Do two.
    hint: Think harder.
    check: checks/two.sh
    solution: echo two
`;

/** Writes a lab that loads (checks, solve script and the nginx course image included). */
export function writeGoodLab(f: Fixture, id: string, yaml = goodLabYaml): void {
  f.write(`labs/${id}/lab.yaml`, yaml);
  f.write(`labs/${id}/checks/one.sh`, 'pass\n');
  f.write(`labs/${id}/checks/two.sh`, 'pass\n');
  f.write(`labs/${id}/solve.sh`, 'true\n');
  f.write('images/course/nginx/tags', 'nginx:latest\n');
}
