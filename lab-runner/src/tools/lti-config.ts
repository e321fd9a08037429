/**
 * The values an LMS administrator needs to register Slipway as an LTI 1.3 tool:
 *   npm run lti -- config          (text)
 *   npm run lti -- config --json   (the same as JSON)
 * Read from the runner's own settings (SLIPWAY_PUBLIC_ORIGIN, SLIPWAY_DATA_DIR); the tool key is
 * made in the data directory if the runner has not made it yet.
 */
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { loadOrCreateToolKey } from '../lti/tool-key.ts';
import { describeToolValues, toolValues } from '../lti/tool-values.ts';

const [command, ...flags] = process.argv.slice(2);
if (command !== 'config') {
  process.stderr.write('usage: npm run lti -- config [--json]\n');
  process.exit(2);
}
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
const host = config.host.includes(':') ? `[${config.host}]` : config.host;
const origin = config.publicOrigin ?? `http://${host}:${config.port}`;
const key = await loadOrCreateToolKey(join(config.dataDir, 'lti-tool-key.json'));
const values = toolValues(origin, key.publicJwk);
process.stdout.write(
  flags.includes('--json')
    ? `${JSON.stringify(values, null, 2)}\n`
    : `${describeToolValues(values)}\n`,
);
if (!origin.startsWith('https:'))
  process.stderr.write(
    '\nNote: the site is not on https. LMSs post launches from their own site, which needs https and SLIPWAY_COOKIE_SECURE=true; set SLIPWAY_PUBLIC_ORIGIN.\n',
  );
