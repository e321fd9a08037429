import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { friendlyParse, type OperatorWebhook, operatorWebhooksSchema } from '../protocol/index.ts';

/**
 * `SLIPWAY_WEBHOOKS`: the operator's endpoints, which get the events of every class. The
 * value is a JSON array, or (anything not starting with `[`) the path of a file holding one,
 * so secrets can stay out of the environment. Throws one message naming every problem.
 */
export function readOperatorWebhooks(
  setting: string | undefined,
  root = process.cwd(),
): OperatorWebhook[] {
  const value = setting?.trim();
  if (!value) return [];
  let text = value;
  let source = 'the value';
  if (!value.startsWith('[')) {
    source = resolve(root, value);
    try {
      text = readFileSync(source, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source} is not JSON: ${(err as Error).message}`);
  }
  const parsed = friendlyParse(operatorWebhooksSchema, json);
  if (!parsed.ok)
    throw new Error(
      parsed.problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.expected}`).join('; '),
    );
  const urls = parsed.value.map((h) => h.url);
  const twice = urls.find((u, i) => urls.indexOf(u) !== i);
  if (twice) throw new Error(`${twice} is listed twice: give it one entry with every event`);
  return parsed.value;
}
