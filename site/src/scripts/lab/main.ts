import { LabController } from './controller.ts';
import { wireRunButtons } from './run-buttons.ts';

// Each <Lab> on the page gets its own controller; nothing is put on `window`.
const controllers = new Map<HTMLElement, LabController>();
for (const root of document.querySelectorAll<HTMLElement>('[data-lab]')) {
  if (root.dataset.js === 'on') continue;
  controllers.set(root, new LabController(root));
}
// Run buttons of the lesson's code blocks and of the tasks' solutions.
wireRunButtons(controllers);
