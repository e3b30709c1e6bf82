// SvelteKit shell over the npm package @temporalio/ui: static output (no server-side rendering),
// every unknown path answered by index.html, as Temporal's own UI server does.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const here = path.dirname(fileURLToPath(import.meta.url));
// ui/build.mjs builds into a fresh folder and swaps it in; a plain `vite build` writes dist/ui/app.
const outDir = process.env.UI_OUT_DIR || path.resolve(here, '../../dist/ui/app');
const uiPackage = path.resolve(here, '../../node_modules/@temporalio/ui/dist');

/** @type {import('@sveltejs/kit').Config} */
export default {
  // `script: true`: route scripts may use TypeScript-only syntax such as enums.
  preprocess: vitePreprocess({ script: true }),
  kit: {
    adapter: adapter({ pages: outDir, assets: outDir, fallback: 'index.html', strict: false }),
    // The package's export map resolves neither its directory imports nor its assets: alias to dist/.
    alias: { '@temporalio/ui': uiPackage },
    prerender: { entries: [] },
  },
};
