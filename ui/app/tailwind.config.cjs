// Temporal's own Tailwind setup: its theme plugin, and its components in the content glob.
// CommonJS on purpose: Tailwind loads it through jiti, which also resolves the package's
// extensionless ESM imports (native Node ESM refuses them).
const path = require('node:path');
const defaultTheme = require('tailwindcss/defaultTheme');

const uiPackage = path.resolve(__dirname, '../../node_modules/@temporalio/ui/dist');
const theme = require(path.join(uiPackage, 'theme/plugin.js'));

module.exports = {
  content: [path.join(__dirname, 'src/**/*.{html,js,svelte,ts}'), path.join(uiPackage, '**/*.{svelte,js}')],
  darkMode: ['selector', '[data-theme="dark"]'],
  theme: {
    fontFamily: {
      sans: ['Inter', ...defaultTheme.fontFamily.sans],
      mono: ['Noto Sans Mono', ...defaultTheme.fontFamily.mono],
    },
    extend: {
      animation: { 'spin-slow': 'spin 3s linear infinite' },
      zIndex: { 100: '100' },
    },
  },
  plugins: [theme.default, theme.textStyles],
};
