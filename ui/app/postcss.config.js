import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autoprefixer from 'autoprefixer';
import tailwindcss from 'tailwindcss';
import nesting from 'tailwindcss/nesting/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export default {
  plugins: [autoprefixer(), nesting(), tailwindcss({ config: path.join(here, 'tailwind.config.cjs') })],
};
