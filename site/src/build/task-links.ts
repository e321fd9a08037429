import { type JsxElement, stringAttribute } from './jsx-attributes.ts';
import { checkLabReference, type LabCatalog } from './labs.ts';

/** How lessons import the task link; the build checks that the import is there. */
export const TASK_LINK_COMPONENT = 'TaskLink';
export const TASK_LINK_IMPORT = '@slipway/TaskLink.astro';

/** The id of a task's item in the lab widget, which TaskLink points at. */
export function taskAnchor(labId: string, taskId: string): string {
  return `task-${labId}-${taskId}`;
}

export interface TaskLinkContext {
  catalog: LabCatalog;
  /** Whether some lesson (or this page) shows the lab, so the link has somewhere to go. */
  shown: (labId: string) => boolean;
}

/**
 * Checks one `<TaskLink lab="..." task="...">`: both ids plain strings, the lab loads, the
 * task is one of its tasks, and a lesson shows the lab. Returns the build error, if any.
 */
export function taskLinkProblem(
  node: JsxElement,
  where: string,
  context: TaskLinkContext,
): string | undefined {
  const lab = stringAttribute(node, 'lab');
  const task = stringAttribute(node, 'task');
  if (lab.kind !== 'string' || task.kind !== 'string') {
    return `${where}: <TaskLink> needs plain string lab and task attributes, e.g. <TaskLink lab="first-containers" task="run-web">, so the build can check that the task exists`;
  }
  const what = `<TaskLink lab="${lab.value}" task="${task.value}">`;
  const labProblem = checkLabReference(context.catalog, lab.value, where, what);
  if (labProblem) return labProblem;
  const found = context.catalog.labs.get(lab.value)!;
  if (!found.tasks.some((t) => t.id === task.value)) {
    const tasks = found.tasks.map((t) => t.id).join(', ');
    return `${where}: ${what} refers to a task that does not exist: ${found.file} has no task "${task.value}". Its tasks: ${tasks}.`;
  }
  if (!context.shown(lab.value)) {
    return `${where}: ${what} links to a lab that no lesson shows; add <Lab id="${lab.value}" /> (and "lab: ${lab.value}" in the front matter) to a lesson first.`;
  }
  return undefined;
}
