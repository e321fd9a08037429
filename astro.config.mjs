// @ts-check
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { readCourse, sidebarFor } from './site/src/build/course.ts';
import { slipway } from './site/src/build/integration.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const contentDir = fileURLToPath(new URL('./content/', import.meta.url));
// The same settings (and defaults) as the lab runner, so the site shows the labs it runs.
const labsDir = resolve(root, process.env.SLIPWAY_LABS_DIR || 'labs');
const imagesDir = resolve(root, process.env.SLIPWAY_IMAGES_DIR || 'images');

// The sidebar comes from the content folder: one group per module (module.yaml's title),
// lessons in NN- order. A broken folder (no module.yaml, a lesson without a title...) stops
// here with every problem listed.
const course = readCourse(contentDir, root);

export default defineConfig({
  srcDir: './site/src',
  publicDir: './site/public',
  outDir: './dist',
  trailingSlash: 'always',
  integrations: [
    slipway({ root, contentDir, labsDir, imagesDir, course }),
    starlight({
      title: 'Slipway',
      description: 'A hands-on Docker course with a real Docker engine in your browser.',
      favicon: '/favicon.svg',
      logo: { src: './site/src/assets/logo.svg', replacesTitle: false },
      sidebar: sidebarFor(course),
      customCss: ['./site/src/styles/course.css'],
      // Expressive Code's settings (the Run buttons of ```sh run blocks) are in ec.config.mjs.
      components: {
        // The sidebar marks done lessons (GET /api/progress, in the browser).
        Sidebar: './site/src/components/overrides/Sidebar.astro',
        // The end of each lesson: reading it to there marks it read.
        MarkdownContent: './site/src/components/overrides/MarkdownContent.astro',
      },
      lastUpdated: false,
      pagination: true,
      markdown: { processedDirs: ['./content/'] },
    }),
  ],
  vite: {
    build: {
      rolldownOptions: {
        onLog(level, log, handler) {
          // Astro marks compiled MDX with a "use astro:head-inject" directive that Astro itself
          // reads; the bundler's warning about module-level directives does not apply to it.
          if (log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes('astro:head-inject'))
            return;
          handler(level, log);
        },
      },
    },
    resolve: {
      alias: { '@slipway': fileURLToPath(new URL('./site/src/components', import.meta.url)) },
    },
  },
});
