import { join, relative } from 'node:path';
import { loadCourseImages } from '../../../lab-runner/src/labs/course-images.ts';
import { type LabLoadFailure, loadLabs } from '../../../lab-runner/src/labs/load-labs.ts';

/** What a lesson page shows of a lab: no check scripts, no sandbox settings. */
export interface PublicTask {
  id: string;
  title: string;
  /** Markdown (inline: `code`, **bold**, *emphasis*, [links](...)). */
  description: string;
  hint: string;
  /** Shell commands that complete the task, one a line, shown behind "Show solution". */
  solution: string;
}

/** A port served inside the learner's sandbox that the lab widget can open. */
export interface PublicPreview {
  port: number;
  title: string;
  /** Where to open it, starting with `/`. */
  path: string;
}

export interface PublicLab {
  id: string;
  /** lab.yaml relative to the repository root. */
  file: string;
  title: string;
  summary: string | undefined;
  previews: PublicPreview[];
  tasks: PublicTask[];
}

export interface LabCatalog {
  /** The labs folder relative to the repository root, for messages. */
  labsDir: string;
  labs: Map<string, PublicLab>;
  failures: LabLoadFailure[];
}

export interface LabDirs {
  root: string;
  labsDir?: string;
  imagesDir?: string;
}

/** Loads every lab the way the runner does (same loader, same messages). */
export function loadLabCatalog({ root, labsDir, imagesDir }: LabDirs): LabCatalog {
  const images = loadCourseImages(imagesDir ?? join(root, 'images'));
  const dir = labsDir ?? join(root, 'labs');
  const loaded = loadLabs(dir, images, root);
  const labs = new Map<string, PublicLab>();
  for (const [id, lab] of loaded.labs) {
    labs.set(id, {
      id,
      file: lab.file,
      title: lab.title,
      summary: lab.summary,
      previews: lab.previews.map((p) => ({ port: p.port, title: p.title, path: p.path })),
      tasks: lab.tasks.map((t) => ({
        id: t.id,
        title: t.title,
        description: t.description,
        hint: t.hint,
        solution: t.solution,
      })),
    });
  }
  return { labsDir: relative(root, dir) || dir, labs, failures: loaded.failures };
}

/** The build error for broken lab manifests, or undefined when every lab loads. */
export function labFailuresMessage(failures: readonly LabLoadFailure[]): string | undefined {
  if (failures.length === 0) return undefined;
  const count =
    failures.length === 1 ? 'A lab definition has' : `${failures.length} lab definitions have`;
  return `${count} errors, so the site cannot be built. Fix these and build again:\n${failures
    .map((f) => f.message)
    .join('\n')}`;
}

const knownIds = (catalog: LabCatalog) =>
  [...catalog.labs.keys(), ...catalog.failures.map((f) => f.id)].sort().join(', ') || 'none';

/**
 * Checks one reference from a lesson to a lab. Returns the build error, or undefined when the
 * lab exists and loads. `where` names the lesson (and line), `what` how it refers to the lab.
 */
export function checkLabReference(
  catalog: LabCatalog,
  id: string,
  where: string,
  what = `<Lab id="${id}" />`,
): string | undefined {
  if (catalog.labs.has(id)) return undefined;
  const broken = catalog.failures.find((f) => f.id === id);
  if (broken) return `${where}: ${what} uses a lab whose definition has errors:\n${broken.message}`;
  return `${where}: ${what} refers to a lab that does not exist: there is no ${catalog.labsDir}/${id}/lab.yaml. Known labs: ${knownIds(catalog)}.`;
}
