import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');

export interface CourseLab {
  id: string;
  /** URL of the lesson that embeds the lab. */
  lesson: string;
  tasks: Array<{ id: string; solution: string }>;
  previews: Array<{ port: number; title: string }>;
}

const stripOrder = (s: string) => s.replace(/^\d+-/, '');

/** Every lab with the lesson that embeds it (front matter `lab:`), read from the repo. */
export function courseLabs(): CourseLab[] {
  const lessons = new Map<string, string>();
  for (const mod of readdirSync(join(root, 'content'), { withFileTypes: true })) {
    if (!mod.isDirectory()) continue;
    for (const file of readdirSync(join(root, 'content', mod.name))) {
      if (!file.endsWith('.mdx')) continue;
      const text = readFileSync(join(root, 'content', mod.name, file), 'utf8');
      const lab = /^---[\s\S]*?^lab:\s*([a-z0-9-]+)\s*$[\s\S]*?^---/m.exec(text)?.[1];
      if (lab)
        lessons.set(lab, `/${stripOrder(mod.name)}/${stripOrder(file.replace(/\.mdx$/, ''))}/`);
    }
  }
  return readdirSync(join(root, 'labs'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && lessons.has(d.name))
    .map((d) => {
      const manifest = parse(readFileSync(join(root, 'labs', d.name, 'lab.yaml'), 'utf8'));
      return {
        id: d.name,
        lesson: lessons.get(d.name)!,
        tasks: manifest.tasks.map((t: { id: string; solution: string }) => ({
          id: t.id,
          solution: t.solution,
        })),
        previews: manifest.previews ?? [],
      };
    })
    .sort((a, b) => a.lesson.localeCompare(b.lesson));
}
