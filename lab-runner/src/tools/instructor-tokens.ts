/**
 * `npm run instructor -- token …`: an instructor's read API tokens from the command line.
 *   token create <username> [--label <label>]   prints the token, once
 *   token list <username>
 *   token revoke <username> <token id>
 */
import type { DatabaseSync } from 'node:sqlite';
import { ApiTokenStore } from '../accounts/api-token-store.ts';
import { InstructorStore } from '../accounts/instructor-store.ts';
import { createApiTokenBodySchema } from '../protocol/index.ts';

export const TOKEN_USAGE =
  'npm run instructor -- token create <username> [--label <label>] | token list <username> | token revoke <username> <token id>';

/** Runs one token command; returns the exit code. Output goes to the given writers. */
export function tokenCommand(
  db: DatabaseSync,
  args: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  const [command, username, ...rest] = args;
  if (!username || !['create', 'list', 'revoke'].includes(command ?? '')) {
    err(`usage: ${TOKEN_USAGE}`);
    return 2;
  }
  const me = new InstructorStore(db).byUsername(username);
  if (!me) {
    err(`there is no instructor "${username}"`);
    return 1;
  }
  const tokens = new ApiTokenStore(db);
  if (command === 'list') {
    for (const t of tokens.list(me.id))
      out(
        `${t.id}\t${t.prefix}…\t${t.label}\tcreated ${t.createdAt}\tused ${t.lastUsedAt ?? 'never'}`,
      );
    return 0;
  }
  if (command === 'revoke') {
    const id = rest[0];
    if (!id) {
      err(`usage: ${TOKEN_USAGE}`);
      return 2;
    }
    if (!tokens.revoke(me.id, id)) {
      err(`${username} has no token ${id}`);
      return 1;
    }
    out(`token ${id} revoked`);
    return 0;
  }
  const at = rest.indexOf('--label');
  const parsed = createApiTokenBodySchema.safeParse({
    label: at >= 0 ? (rest[at + 1] ?? '') : 'command line',
  });
  if (!parsed.success) {
    err('the label must be 1 to 60 characters');
    return 2;
  }
  const { token, info } = tokens.create(me.id, parsed.data.label);
  out(token);
  err(`token ${info.id} ("${info.label}") for ${me.username}: shown this once, keep it secret`);
  return 0;
}
