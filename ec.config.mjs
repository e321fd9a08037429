// @ts-check
// Expressive Code settings (code blocks in lessons and the <Code> component in the lab widget).
// They live in this file, not in astro.config.mjs, because the <Code> component can only read
// plugins from here. Part of the site: see site/README.md.
import { defineEcConfig } from '@astrojs/starlight/expressive-code';
import { slipwayRunButtons } from './site/src/build/ec-run-button.ts';

export default defineEcConfig({
  // ```sh run blocks get a Run button that types them into the page's lab terminal.
  plugins: [slipwayRunButtons()],
});
