import { describe, expect, it } from 'vitest';
import { InstructorStore } from '../accounts/instructor-store.ts';
import { openDatabase } from '../progress/database.ts';
import { ClassStore } from './class-store.ts';

describe('ClassStore', () => {
  it('keeps whether a class asks its learners to sign in, and lets it change', () => {
    const db = openDatabase(':memory:');
    const teacher = new InstructorStore(db).create('wanda', 'x');
    const classes = new ClassStore(db);
    const open = classes.create(teacher.id, 'Open', ['basics']);
    const closed = classes.create(teacher.id, 'Closed', ['basics'], new Date(), true);
    expect(classes.byId(open.id)?.requireSignIn).toBe(false);
    expect(classes.byJoinCode(closed.joinCode)?.requireSignIn).toBe(true);
    classes.setRequireSignIn(closed.id, false);
    expect(classes.ownedBy(closed.id, teacher.id)?.requireSignIn).toBe(false);
    db.close();
  });
});
