import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  plugins: [sveltekit()],
  // The UI calls /api/v1 on VITE_API; empty means the origin that served the page (our gateway).
  define: {
    'import.meta.env.VITE_API': JSON.stringify(''),
    'import.meta.env.VITE_TEMPORAL_UI_BUILD_TARGET': JSON.stringify('local'),
    'import.meta.env.VITE_DARK_MODE': JSON.stringify(''),
  },
  resolve: {
    alias: [
      { find: /^monaco-editor$/, replacement: path.join(here, 'src/lib/monaco-markdown.js') },
      // Language workers for languages the UI never edits: the editor's own worker stands in.
      {
        find: /^monaco-editor\/esm\/vs\/language\/(typescript\/ts|css\/css|html\/html|json\/json)\.worker/,
        replacement: 'monaco-editor/esm/vs/editor/editor.worker',
      },
    ],
  },
  logLevel: process.env.UI_BUILD_VERBOSE ? 'info' : 'warn',
  build: {
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 100_000,
  },
});
