/** Writes the JSON Schemas to lab-runner/schema/ (committed; a unit test keeps them current). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { jsonSchemas } from '../protocol/json-schema.ts';

const dir = new URL('../../schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(new URL(name, dir), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote lab-runner/schema/${name}`);
}
