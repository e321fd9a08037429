import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { slipwayError } from '../errors/catalogue.ts';
import { friendlyParse } from '../protocol/index.ts';

const MAX_BODY = 16 * 1024;

/** Reads a small JSON body and validates it; problems come back as BAD_REQUEST in words. */
export async function readJson<S extends z.ZodType>(
  req: IncomingMessage,
  schema: S,
): Promise<z.output<S>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw slipwayError('BAD_REQUEST', { detail: 'the body is too large' });
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw slipwayError('BAD_REQUEST', { detail: 'the body is not JSON' });
  }
  const parsed = friendlyParse(schema, json);
  if (!parsed.ok) {
    throw slipwayError('BAD_REQUEST', {
      detail: parsed.problems
        .map((p) => (p.field ? `${p.field}: ${p.expected}` : p.expected))
        .join('; '),
    });
  }
  return parsed.value;
}
