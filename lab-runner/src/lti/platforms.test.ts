import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { platformFor, readLtiPlatforms } from './platforms.ts';

const dir = mkdtempSync(join(tmpdir(), 'slipway-lti-platforms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};
const moodle = {
  name: 'Moodle',
  issuer: 'https://moodle.example.org',
  clientId: 'abc',
  deploymentIds: ['1'],
  authLoginUrl: 'https://moodle.example.org/mod/lti/auth.php',
  tokenUrl: 'https://moodle.example.org/mod/lti/token.php',
  jwksUrl: 'https://moodle.example.org/mod/lti/certs.php',
};

describe('readLtiPlatforms', () => {
  it('is empty when unset', () => {
    expect(readLtiPlatforms(undefined)).toEqual([]);
  });

  it('reads a list of registrations', () => {
    const list = readLtiPlatforms(file('ok.json', [moodle]));
    expect(list).toEqual([moodle]);
    expect(platformFor(list, moodle.issuer)?.name).toBe('Moodle');
    expect(platformFor(list, moodle.issuer, 'other')).toBeUndefined();
  });

  it('names the file and each wrong field', () => {
    const path = file('bad.json', [
      { ...moodle, deploymentIds: [], tokenUrl: 'http://lms.example.org/t' },
    ]);
    const read = () => readLtiPlatforms(path);
    expect(read).toThrow(path);
    expect(read).toThrow('[0].deploymentIds');
    expect(read).toThrow('[0].tokenUrl: must be an https URL');
  });

  it('says when the file is missing, not JSON, or lists a registration twice', () => {
    expect(() => readLtiPlatforms(join(dir, 'nope.json'))).toThrow('ENOENT');
    expect(() => readLtiPlatforms(file('text.json', '{'))).toThrow('is not JSON');
    expect(() => readLtiPlatforms(file('twice.json', [moodle, moodle]))).toThrow('listed twice');
  });
});
