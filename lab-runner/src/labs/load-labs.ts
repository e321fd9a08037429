import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import {
  formatProblems,
  friendlyParse,
  type InputProblem,
  type LabManifest,
  labManifestSchema,
  type TaskManifest,
} from '../protocol/index.ts';
import type { CourseImage } from './course-images.ts';

export interface LabTask extends TaskManifest {
  /** The check script's text, run by the runner inside the sandbox. */
  checkScript: string;
}

export interface Lab {
  id: string;
  /** Path of lab.yaml relative to the repository root, for messages. */
  file: string;
  dir: string;
  title: string;
  summary: string | undefined;
  sandbox: LabManifest['sandbox'];
  images: CourseImage[];
  setupScript: string | undefined;
  /** solve.sh, or the tasks' solutions in order. */
  solveScript: string;
  previews: LabManifest['previews'];
  tasks: LabTask[];
}

export interface LabLoadFailure {
  id: string;
  file: string;
  problems: InputProblem[];
  /** `file: field: expected` lines, ready to print. */
  message: string;
}

export interface LoadedLabs {
  labs: Map<string, Lab>;
  failures: LabLoadFailure[];
}

/** Folders starting with `_` or `.` hold shared files, not labs. */
const isLabFolder = (name: string) => !name.startsWith('_') && !name.startsWith('.');

/**
 * Reads every `labs/<id>/lab.yaml`. A broken lab never stops the others from loading; each
 * failure names the file, the field and what was expected.
 */
export function loadLabs(
  labsDir: string,
  images: ReadonlyMap<string, CourseImage>,
  root = process.cwd(),
): LoadedLabs {
  const labs = new Map<string, Lab>();
  const failures: LabLoadFailure[] = [];
  if (!existsSync(labsDir)) return { labs, failures };
  const ids = readdirSync(labsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && isLabFolder(d.name))
    .map((d) => d.name)
    .sort();
  for (const id of ids) {
    const result = loadLab(join(labsDir, id), images, root);
    if ('problems' in result) failures.push(result);
    else labs.set(id, result);
  }
  return { labs, failures };
}

export function loadLab(
  dir: string,
  images: ReadonlyMap<string, CourseImage>,
  root = process.cwd(),
): Lab | LabLoadFailure {
  const id = dir.split('/').filter(Boolean).at(-1) ?? dir;
  const path = join(dir, 'lab.yaml');
  const file = relative(root, path) || path;
  const fail = (problems: InputProblem[]): LabLoadFailure => ({
    id,
    file,
    problems,
    message: formatProblems(file, problems),
  });

  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) {
    return fail([
      { field: '', expected: 'the lab folder name must be lowercase letters, digits and dashes' },
    ]);
  }
  if (!existsSync(path))
    return fail([{ field: '', expected: 'file is missing (every lab folder needs a lab.yaml)' }]);

  const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true });
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((e) => ({
        field: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '',
        expected: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    );
  }
  const parsed = friendlyParse(labManifestSchema, doc.toJS());
  if (!parsed.ok) return fail(parsed.problems);
  const m = parsed.value;

  const problems: InputProblem[] = [];
  const readScript = (rel: string, field: string): string => {
    const p = join(dir, rel);
    if (!existsSync(p)) {
      problems.push({
        field,
        expected: `file "${rel}" does not exist in ${relative(root, dir) || dir}`,
      });
      return '';
    }
    return readFileSync(p, 'utf8');
  };

  const labImages: CourseImage[] = [];
  m.images.forEach((name, i) => {
    const img = images.get(name);
    if (img) labImages.push(img);
    else {
      const known = [...images.keys()].sort().join(', ') || 'none';
      problems.push({
        field: `images[${i}]`,
        expected: `unknown course image "${name}" (known: ${known})`,
      });
    }
  });
  const tasks = m.tasks.map((t, i) => ({
    ...t,
    checkScript: readScript(t.check, `tasks[${i}].check`),
  }));
  const setupScript = m.setup === undefined ? undefined : readScript(m.setup, 'setup');
  const solveScript =
    m.solve === undefined
      ? ['set -e', ...m.tasks.map((t) => t.solution)].join('\n')
      : readScript(m.solve, 'solve');
  if (problems.length > 0) return fail(problems);

  return {
    id,
    file,
    dir,
    title: m.title,
    summary: m.summary,
    sandbox: m.sandbox,
    images: labImages,
    setupScript,
    solveScript,
    previews: m.previews,
    tasks,
  };
}
