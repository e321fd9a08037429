/** The class page's tooltip: the `data-tip` of whatever the pointer is over. */
import { required } from '../dom.ts';

/** Where a tip goes: centred over its target and kept on screen, or below when no room above. */
export function tipPosition(
  target: Pick<DOMRect, 'left' | 'width' | 'top' | 'bottom'>,
  tip: Pick<DOMRect, 'width' | 'height'>,
  viewportWidth: number,
): { left: number; top: number } {
  const left = Math.min(
    viewportWidth - tip.width - 8,
    Math.max(8, target.left + target.width / 2 - tip.width / 2),
  );
  const above = target.top - tip.height - 8;
  return { left, top: above > 8 ? above : target.bottom + 8 };
}

export function wireTooltip(root: HTMLElement): void {
  const tooltip = required('[data-tooltip]', root);
  const show = (target: HTMLElement) => {
    const text = target.dataset.tip;
    if (!text) return;
    tooltip.textContent = text;
    tooltip.hidden = false;
    const at = tipPosition(
      target.getBoundingClientRect(),
      tooltip.getBoundingClientRect(),
      window.innerWidth,
    );
    tooltip.style.left = `${at.left}px`;
    tooltip.style.top = `${at.top}px`;
  };
  root.addEventListener('mouseover', (e) => {
    const target = (e.target as Element).closest<HTMLElement>('[data-tip]');
    if (target) show(target);
    else tooltip.hidden = true;
  });
  root.addEventListener('mouseleave', () => {
    tooltip.hidden = true;
  });
  window.addEventListener(
    'scroll',
    () => {
      tooltip.hidden = true;
    },
    { passive: true },
  );
}
