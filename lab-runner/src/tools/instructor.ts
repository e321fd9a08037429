/**
 * Instructor accounts from the command line (there is no default account and no sign-up page):
 *   npm run instructor -- create <username>
 *   npm run instructor -- set-password <username>
 *   npm run instructor -- list
 *   npm run instructor -- token create|list|revoke … (see instructor-tokens.ts)
 * The password is read from SLIPWAY_INSTRUCTOR_PASSWORD, else asked for twice on the terminal
 * (not echoed), else read as one line from standard input.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InstructorStore } from '../accounts/instructor-store.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../accounts/passwords.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../progress/database.ts';
import { TOKEN_USAGE, tokenCommand } from './instructor-tokens.ts';

async function ask(question: string): Promise<string> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY,
  });
  if (process.stdin.isTTY) {
    // Mute the echo of what is typed after the question.
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(
      rl,
    );
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) write(s);
    };
  }
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  if (process.stdin.isTTY) process.stdout.write('\n');
  return answer;
}

async function password(): Promise<string> {
  const fromEnv = process.env.SLIPWAY_INSTRUCTOR_PASSWORD;
  if (fromEnv) return fromEnv;
  const first = await ask(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `);
  if (process.stdin.isTTY && (await ask('Again: ')) !== first)
    throw new Error('the two passwords differ');
  return first;
}

async function main(): Promise<number> {
  const [command, username] = process.argv.slice(2);
  const config = loadConfig(process.env);
  const db = openDatabase(join(config.dataDir, 'slipway.db'));
  const store = new InstructorStore(db);
  try {
    if (command === 'token')
      return tokenCommand(db, process.argv.slice(3), console.log, console.error);
    if (command === 'list') {
      const rows = db
        .prepare('SELECT username, created_at AS createdAt FROM instructors ORDER BY username')
        .all();
      for (const r of rows as Array<{ username: string; createdAt: string }>)
        console.log(`${r.username}\t${r.createdAt}`);
      return 0;
    }
    if ((command !== 'create' && command !== 'set-password') || !username) {
      console.error(
        `usage: npm run instructor -- create <username> | set-password <username> | list\n       ${TOKEN_USAGE}`,
      );
      return 2;
    }
    const hash = await hashPassword(await password());
    if (command === 'create') {
      store.create(username, hash);
      console.log(`instructor "${username}" created; log in at /instructor/`);
    } else if (!store.setPassword(username, hash)) {
      console.error(`there is no instructor "${username}"`);
      return 1;
    } else {
      console.log(`password of "${username}" changed; their sessions were ended`);
    }
    return 0;
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 1;
  } finally {
    db.close();
  }
}

process.exitCode = await main();
