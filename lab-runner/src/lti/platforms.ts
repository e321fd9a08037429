import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { friendlyParse, type LtiPlatform, ltiPlatformsSchema } from '../protocol/index.ts';

/**
 * `SLIPWAY_LTI_PLATFORMS`: the path of a JSON file listing the LMSs that may launch Slipway,
 * each with the values its administrator sees when registering the tool. Throws one message
 * naming the file and every field that is wrong.
 */
export function readLtiPlatforms(setting: string | undefined, root = process.cwd()): LtiPlatform[] {
  const value = setting?.trim();
  if (!value) return [];
  const file = resolve(root, value);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = friendlyParse(ltiPlatformsSchema, json);
  if (!parsed.ok)
    throw new Error(
      `${file}: ${parsed.problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.expected}`).join('; ')}`,
    );
  const keys = parsed.value.map((p) => `${p.issuer} ${p.clientId}`);
  const twice = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (twice >= 0)
    throw new Error(
      `${file}: [${twice}]: the issuer ${parsed.value[twice]!.issuer} with client id ${parsed.value[twice]!.clientId} is listed twice`,
    );
  return parsed.value;
}

/** The registration a message is for: its issuer and, when the platform says, its client id. */
export function platformFor(
  platforms: readonly LtiPlatform[],
  issuer: string,
  clientId?: string,
): LtiPlatform | undefined {
  return platforms.find((p) => p.issuer === issuer && (!clientId || p.clientId === clientId));
}
