import { z } from 'zod';
import {
  apiClassListSchema,
  apiClassSchema,
  apiErrorSchema,
  apiLabProgressSchema,
  apiLearnerDetailSchema,
  apiLearnerProgressSchema,
  apiPageQuerySchema,
  apiProgressPageSchema,
  apiQuestionStateSchema,
  apiTaskStateSchema,
} from './read-api.ts';

/** The read API's paths, as the runner routes them and the document describes them. */
export const READ_API_PATHS = {
  classes: '/api/v1/classes',
  progress: '/api/v1/classes/{classId}/progress',
  learner: '/api/v1/classes/{classId}/learners/{learnerId}',
  openapi: '/api/v1/openapi.json',
} as const;

/** Every schema with an id (its `.meta`): each becomes a component of its own. */
const named = [
  apiErrorSchema,
  apiClassListSchema,
  apiClassSchema,
  apiProgressPageSchema,
  apiLearnerProgressSchema,
  apiLabProgressSchema,
  apiLearnerDetailSchema,
  apiTaskStateSchema,
  apiQuestionStateSchema,
] as const;

/** The schemas as JSON Schemas under components, referring to one another by id. */
function components(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const schema of named) {
    const id = (schema.meta() as { id: string }).id;
    registry.add(schema, { id });
  }
  const out = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'output',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(
    Object.entries(out.schemas).map(([id, { $schema: _, $id: __, ...s }]) => [id, s]),
  );
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string, description: string) => ({
  description,
  content: { 'application/json': { schema: ref(id) } },
});
const errors = {
  '401': json('Error', 'No valid API token (API_TOKEN_INVALID).'),
  '404': json('Error', 'No such class or learner among the token owner’s classes.'),
};
const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});

function queryParams() {
  const shape = z.toJSONSchema(apiPageQuerySchema, { io: 'input' }) as {
    properties: Record<string, { description?: string }>;
  };
  return Object.entries(shape.properties).map(([name, { description, ...schema }]) => ({
    name,
    in: 'query',
    required: false,
    description,
    schema,
  }));
}

/** The OpenAPI 3.1 document of the read API, made from the schemas its answers are checked by. */
export function openApiDocument(): Record<string, unknown> {
  const classId = pathParam('classId', 'A class of the token’s instructor.');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Slipway read API',
      version: '1',
      description:
        'Read-only access to an instructor’s classes and their learners’ progress. Every request but this document’s needs `Authorization: Bearer <token>`, a token made in the instructor dashboard or with `npm run instructor -- token create`.',
    },
    security: [{ bearerToken: [] }],
    paths: {
      [READ_API_PATHS.classes]: {
        get: {
          operationId: 'listClasses',
          summary: 'The token owner’s classes, newest first.',
          responses: { '200': json('ClassList', 'The classes.'), '401': errors['401'] },
        },
      },
      [READ_API_PATHS.progress]: {
        get: {
          operationId: 'classProgress',
          summary: 'A page of a class’s learners and their progress, ordered by learner id.',
          parameters: [classId, ...queryParams()],
          responses: {
            '200': json('ProgressPage', 'One page of learners.'),
            '400': json('Error', 'A bad `limit` or `cursor` (BAD_REQUEST).'),
            ...errors,
          },
        },
      },
      [READ_API_PATHS.learner]: {
        get: {
          operationId: 'learnerDetail',
          summary: 'One learner of a class, task by task.',
          parameters: [classId, pathParam('learnerId', 'A learner of the class.')],
          responses: { '200': json('LearnerDetail', 'The learner.'), ...errors },
        },
      },
      [READ_API_PATHS.openapi]: {
        get: {
          operationId: 'openApiDocument',
          summary: 'This document.',
          security: [],
          responses: { '200': { description: 'The OpenAPI document.' } },
        },
      },
    },
    components: {
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer' } },
      schemas: components(),
    },
  };
}
