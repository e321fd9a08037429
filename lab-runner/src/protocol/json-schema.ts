import { z } from 'zod';
import { labManifestSchema } from './lab-manifest.ts';
import { moduleSchema } from './lesson.ts';
import { clientMessageSchema, serverMessageSchema } from './messages.ts';
import { openApiDocument } from './openapi.ts';
import { questionListSchema } from './questions.ts';
import { webhookEventSchema } from './webhook-events.ts';

/**
 * JSON Schemas for editors (lab.yaml, module.yaml) and for writers of other clients, and the
 * read API's OpenAPI document.
 */
export function jsonSchemas(): Record<string, unknown> {
  const input = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    title,
  });
  return {
    'lab.schema.json': input(labManifestSchema, 'Slipway lab manifest (labs/<id>/lab.yaml)'),
    'module.schema.json': input(
      moduleSchema,
      'Slipway course module (content/<NN-module>/module.yaml)',
    ),
    'questions.schema.json': input(
      questionListSchema,
      "Slipway lesson questions (the `questions:` list in a lesson's front matter)",
    ),
    'client-message.schema.json': input(
      clientMessageSchema,
      'Slipway lab WebSocket: message from the browser',
    ),
    'server-message.schema.json': input(
      serverMessageSchema,
      'Slipway lab WebSocket: message from the runner',
    ),
    'webhook-event.schema.json': input(
      webhookEventSchema,
      'Slipway webhook event (the body of a signed webhook POST)',
    ),
    'read-api.openapi.json': openApiDocument(),
  };
}
