import type { MdxJsxFlowElement, MdxJsxTextElement } from 'satteri';

export type JsxElement = Readonly<MdxJsxFlowElement | MdxJsxTextElement>;

/**
 * A JSX attribute of an MDX element as the build can check it: `missing`, `computed`
 * (`id={x}`, `{...props}`, or a bare `id`), or its plain string value.
 */
export function stringAttribute(
  node: JsxElement,
  name: string,
): { kind: 'missing' } | { kind: 'computed' } | { kind: 'string'; value: string } {
  const attr = node.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === name);
  if (attr?.type !== 'mdxJsxAttribute') {
    // A spread could set it; the build cannot tell.
    if (node.attributes.some((a) => a.type === 'mdxJsxExpressionAttribute'))
      return { kind: 'computed' };
    return { kind: 'missing' };
  }
  if (typeof attr.value !== 'string') return { kind: 'computed' };
  return { kind: 'string', value: attr.value };
}

/** Whether an MDX `import` line brings in `name` (default or named import). */
export function importsComponent(esm: string, name: string, from: string): boolean {
  const escaped = from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return (
    new RegExp(`\\bimport\\s+${name}\\s+from\\s+['"]${escaped}['"]`).test(esm) ||
    new RegExp(`\\bimport\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from`).test(esm)
  );
}
