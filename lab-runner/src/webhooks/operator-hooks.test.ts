import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { readOperatorWebhooks } from './operator-hooks.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const hook = { url: 'https://lms.example.org/slipway', events: ['task.passed'], secret: SECRET };
let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('SLIPWAY_WEBHOOKS', () => {
  it('is empty by default, and reads a JSON array in place', () => {
    expect(readOperatorWebhooks(undefined)).toEqual([]);
    expect(readOperatorWebhooks('  ')).toEqual([]);
    expect(readOperatorWebhooks(JSON.stringify([hook]))).toEqual([hook]);
  });

  it('reads a file, relative to the root', () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-hooks-'));
    writeFileSync(join(dir, 'hooks.json'), JSON.stringify([hook]));
    expect(readOperatorWebhooks('hooks.json', dir)).toEqual([hook]);
    expect(() => readOperatorWebhooks('missing.json', dir)).toThrow(/cannot read .*ENOENT/);
  });

  it('names every problem', () => {
    expect(() =>
      readOperatorWebhooks(
        JSON.stringify([{ url: 'ftp://x', events: ['task.failed'], secret: 'abc' }]),
      ),
    ).toThrow(/\[0\]\.url: .*http.*\[0\]\.events\[0\]: .*task\.passed.*\[0\]\.secret: /);
    expect(() => readOperatorWebhooks('[{"url": ')).toThrow('the value is not JSON');
    expect(() => readOperatorWebhooks(JSON.stringify([hook, hook]))).toThrow('listed twice');
  });

  it('reaches the configuration, and a bad one stops the start with the variable’s name', () => {
    const c = loadConfig({ SLIPWAY_WEBHOOKS: JSON.stringify([hook]) }, '/repo');
    expect(c.webhooks).toEqual([hook]);
    expect(loadConfig({}, '/repo').webhooks).toEqual([]);
    expect(() => loadConfig({ SLIPWAY_WEBHOOKS: '[1]' }, '/repo')).toThrow(
      /^invalid configuration:\nenvironment: SLIPWAY_WEBHOOKS: /,
    );
    expect(() => loadConfig({ SLIPWAY_WEBHOOK_ALLOWED_NETWORKS: 'lan' })).toThrow(
      'SLIPWAY_WEBHOOK_ALLOWED_NETWORKS: "lan" is not an address',
    );
  });
});
