import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  MdastPluginDefinition,
  MdxJsxFlowElement,
  MdxJsxTextElement,
  PluginFactoryContext,
} from 'satteri';
import { checkLabReference, type LabCatalog } from './labs.ts';

/** How lessons import the lab widget; the check also makes sure the import is there. */
export const LAB_COMPONENT = 'Lab';
export const LAB_IMPORT = '@slipway/Lab.astro';

export interface LabReferenceOptions {
  /** Absolute path of the content folder; files elsewhere are not checked. */
  contentDir: string;
  /** Repository root, to name files relative to it. */
  root: string;
  /** The labs as they are now (called once per lesson, so dev servers see edits). */
  catalog: () => LabCatalog;
}

/** Thrown when lessons refer to labs that do not exist or are broken; fails the build. */
export class LabReferenceError extends Error {
  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'LabReferenceError';
  }
}

type LabElement = Readonly<MdxJsxFlowElement | MdxJsxTextElement>;

/**
 * What a `<Lab ... />` element says about its lab: the id, or a problem with how it is
 * written. Only a plain string id can be checked at build time.
 */
export function labIdOf(node: LabElement): { id: string } | { problem: string } {
  const attr = node.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'id');
  if (attr?.type !== 'mdxJsxAttribute') {
    return { problem: '<Lab /> needs an id naming its lab, e.g. <Lab id="first-containers" />' };
  }
  if (typeof attr.value !== 'string') {
    return {
      problem: `<Lab id=...> must be a plain string such as id="first-containers", so the build can check that the lab exists`,
    };
  }
  return { id: attr.value };
}

/**
 * A Sätteri mdast plugin (Astro 7's Markdown pipeline) that checks every `<Lab id="...">` in
 * the course's MDX lessons and fails the build naming the lesson, the line, the unknown id
 * and the labs that do exist.
 */
export function labReferences(options: LabReferenceOptions) {
  const contentDir = options.contentDir.endsWith(sep)
    ? options.contentDir
    : options.contentDir + sep;
  return ({ fileURL, sourceFormat }: PluginFactoryContext): MdastPluginDefinition | undefined => {
    if (!fileURL || sourceFormat !== 'mdx') return undefined;
    const path = fileURLToPath(fileURL);
    if (!path.startsWith(contentDir)) return undefined;
    const file = relative(options.root, path) || path;
    const problems: string[] = [];
    let usesLab = false;
    let importsLab = false;
    let catalog: LabCatalog | undefined;

    const visit = (node: LabElement) => {
      if (node.name !== LAB_COMPONENT) return;
      usesLab = true;
      const line = node.position?.start.line;
      const where = line === undefined ? file : `${file}:${line}`;
      const found = labIdOf(node);
      if ('problem' in found) {
        problems.push(`${where}: ${found.problem}`);
        return;
      }
      catalog ??= options.catalog();
      const problem = checkLabReference(catalog, found.id, where);
      if (problem) problems.push(problem);
    };

    return {
      name: 'slipway-lab-references',
      options: { position: true },
      mdxjsEsm(node) {
        if (
          /\bimport\s+Lab\s+from\s+['"]@slipway\/Lab\.astro['"]/.test(node.value) ||
          /\bimport\s*\{[^}]*\bLab\b[^}]*\}\s*from/.test(node.value)
        )
          importsLab = true;
      },
      mdxJsxFlowElement: visit,
      mdxJsxTextElement: visit,
      after() {
        if (usesLab && !importsLab) {
          problems.push(
            `${file}: uses <Lab /> without importing it; add this line after the front matter: import Lab from '${LAB_IMPORT}';`,
          );
        }
        if (problems.length > 0) throw new LabReferenceError(problems);
      },
    };
  };
}
