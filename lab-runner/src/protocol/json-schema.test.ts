import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from './json-schema.ts';

describe('exported JSON Schemas', () => {
  it('are committed and current (run `npm run schema` after changing a schema)', () => {
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      const committed = readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8');
      expect(JSON.parse(committed), name).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it('describe the lab manifest fields an editor should offer', () => {
    const lab = jsonSchemas()['lab.schema.json'] as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(lab.properties)).toEqual(
      expect.arrayContaining(['title', 'images', 'setup', 'solve', 'tasks', 'sandbox']),
    );
    expect(lab.required).toEqual(expect.arrayContaining(['title', 'tasks']));
  });
});
