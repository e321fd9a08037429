/** Prints the README's configuration table from the settings in config.ts. */
import { settings } from '../config.ts';

console.log('| Env var | Default | Meaning |');
console.log('| --- | --- | --- |');
for (const s of settings) {
  const def = s.default.startsWith('(') ? s.default : `\`${s.default}\``;
  console.log(`| \`${s.env}\` | ${def} | ${s.doc} |`);
}
