import { LabController } from './controller.ts';

// Each <Lab> on the page gets its own controller; nothing is put on `window`.
for (const root of document.querySelectorAll<HTMLElement>('[data-lab]')) {
  if (root.dataset.js === 'on') continue;
  new LabController(root);
}
