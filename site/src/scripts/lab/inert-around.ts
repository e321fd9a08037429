/**
 * Everything on a page but one element, made inert while that element stands alone (a lab in
 * focus mode): no focus, no clicks, nothing for a screen reader, as outside a modal dialog.
 */

/**
 * The nodes beside `node` and beside each of its ancestors below `top`: together with the path
 * itself, the whole tree under `top`. Making these inert leaves `node` (and its ancestors, which
 * must stay live for it to be) the only live part.
 */
export function besidePath<T>(
  node: T,
  top: T,
  parentOf: (n: T) => T | null,
  childrenOf: (n: T) => Iterable<T>,
): T[] {
  const beside: T[] = [];
  for (let at = node; at !== top; ) {
    const parent = parentOf(at);
    if (parent === null) break;
    for (const child of childrenOf(parent)) if (child !== at) beside.push(child);
    at = parent;
  }
  return beside;
}

/** Makes the rest of the document inert; the function returned undoes exactly that. */
export function inertAround(el: HTMLElement): () => void {
  const changed = besidePath<Element>(
    el,
    el.ownerDocument.body,
    (n) => n.parentElement,
    (n) => n.children,
  ).filter((n): n is HTMLElement => n instanceof HTMLElement && !n.inert);
  for (const n of changed) n.inert = true;
  return () => {
    for (const n of changed) n.inert = false;
  };
}
