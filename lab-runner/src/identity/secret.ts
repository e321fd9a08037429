import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The cookie-signing key: kept in the data dir so learners stay themselves across restarts. */
export function loadOrCreateSecret(path: string): Buffer {
  try {
    const existing = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (existing.length >= 32) return existing;
  } catch {
    // Not there yet: create it below.
  }
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(path, `${secret.toString('base64')}\n`, { mode: 0o600 });
  return secret;
}
