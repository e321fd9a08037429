import { describe, expect, it } from 'vitest';
import { ApiTokenStore } from '../accounts/api-token-store.ts';
import { InstructorStore } from '../accounts/instructor-store.ts';
import { openDatabase } from '../progress/database.ts';
import { tokenCommand } from './instructor-tokens.ts';

function run(db: ReturnType<typeof openDatabase>, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = tokenCommand(
    db,
    args,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

describe('npm run instructor -- token', () => {
  it('creates a token printed once, lists it by prefix and revokes it', () => {
    const db = openDatabase(':memory:');
    const wanda = new InstructorStore(db).create('wanda', 'x');
    const created = run(db, 'create', 'wanda', '--label', 'grades sync');
    expect(created.code).toBe(0);
    const token = created.out[0]!;
    expect(new ApiTokenStore(db).authenticate(token)).toEqual(wanda);

    const listed = run(db, 'list', 'wanda');
    expect(listed.out).toHaveLength(1);
    expect(listed.out[0]).toContain('grades sync');
    expect(listed.out[0]).toContain(token.slice(0, 12));
    expect(listed.out[0]).not.toContain(token);

    const id = listed.out[0]!.split('\t')[0]!;
    expect(run(db, 'revoke', 'wanda', id).code).toBe(0);
    expect(new ApiTokenStore(db).authenticate(token)).toBe(undefined);
    expect(run(db, 'revoke', 'wanda', id).code).toBe(1);
  });

  it('says what is wrong: no such instructor, no command, a bad label', () => {
    const db = openDatabase(':memory:');
    new InstructorStore(db).create('wanda', 'x');
    expect(run(db, 'create', 'nobody').err[0]).toContain('no instructor "nobody"');
    expect(run(db, 'rotate', 'wanda').code).toBe(2);
    expect(run(db, 'create', 'wanda', '--label', '').code).toBe(2);
    expect(run(db, 'list', 'wanda').out).toEqual([]);
  });
});
