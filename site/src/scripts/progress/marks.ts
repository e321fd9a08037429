import { fractionText, type LessonProgress, type LessonRef, progressLabel } from './summary.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

function checkIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '12');
  svg.setAttribute('height', '12');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute(
    'd',
    'M9.55 17.6a1 1 0 0 1-.7-.3l-4.2-4.2a1 1 0 1 1 1.4-1.4l3.5 3.5 8.4-8.4a1 1 0 1 1 1.4 1.4l-9.1 9.1a1 1 0 0 1-.7.3',
  );
  svg.append(path);
  return svg;
}

/** The lesson an element stands for, from its `data-lesson-id` and `data-lesson-lab`. */
export function lessonOf(el: HTMLElement): LessonRef | undefined {
  const id = el.dataset.lessonId;
  if (!id) return undefined;
  return { id, lab: el.dataset.lessonLab || undefined };
}

/**
 * Shows a lesson's progress on `el` (`data-progress`) and in a small mark inside `slot`: a
 * check when done, "3/5" for a lab in progress, nothing otherwise. Screen readers hear the
 * state after the lesson's name.
 */
export function showProgress(el: HTMLElement, slot: HTMLElement, p: LessonProgress): void {
  el.dataset.progress = p.state;
  let mark = slot.querySelector<HTMLElement>(':scope > .slipway-mark');
  if (p.state === 'none') {
    mark?.remove();
    return;
  }
  const key = `${p.state}:${p.done ?? ''}/${p.total ?? ''}`;
  if (mark?.dataset.key === key) return;
  if (!mark) {
    mark = document.createElement('span');
    mark.className = 'slipway-mark';
    slot.append(mark);
  }
  mark.dataset.key = key;
  mark.dataset.state = p.state;
  const visible = fractionText(p);
  const hidden = document.createElement('span');
  hidden.className = 'slipway-sr-only';
  hidden.textContent = ` (${progressLabel(p)})`;
  if (visible) {
    const text = document.createElement('span');
    text.setAttribute('aria-hidden', 'true');
    text.textContent = visible;
    mark.replaceChildren(text, hidden);
  } else {
    mark.replaceChildren(checkIcon(), hidden);
  }
}
