#!/usr/bin/env node
// Builds the Web UI (ui/app, SvelteKit over @temporalio/ui) into dist/ui/app.
// Skips the build when nothing it depends on changed: the app's sources, this script and the
// locked versions of the packages. Builds into a fresh folder and swaps it in, under a lock, so
// a gateway serving dist/ui/app and a second build running at the same time both stay safe.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const appDir = path.join(here, 'app');
const outDir = path.join(root, 'dist', 'ui', 'app');
const stampFile = path.join(outDir, '.build-stamp');
const lockDir = path.join(root, 'dist', 'ui', '.build-lock');
const force = process.argv.includes('--force');

function inputsHash() {
  const hash = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === '.svelte-kit' || entry.name === 'node_modules') continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else hash.update(path.relative(root, p)).update(fs.readFileSync(p));
    }
  };
  walk(appDir);
  hash.update(fs.readFileSync(fileURLToPath(import.meta.url)));
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const versions = Object.entries(lock.packages ?? {}).map(([k, v]) => `${k}@${v.version}`).sort();
  hash.update(versions.join('\n'));
  return hash.digest('hex');
}

const upToDate = (h) => !force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === h;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withLock(fn) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {}
      if (Number.isInteger(owner) && !alive(owner)) fs.rmSync(lockDir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

const hash = inputsHash();
if (upToDate(hash)) {
  console.log('ui: dist/ui/app is up to date');
  process.exit(0);
}
await withLock(async () => {
  if (upToDate(hash)) return; // another build finished it while we waited
  const started = Date.now();
  const fresh = `${outDir}.build-${process.pid}`;
  fs.rmSync(fresh, { recursive: true, force: true });
  process.env.UI_OUT_DIR = fresh;
  process.chdir(appDir); // SvelteKit reads svelte.config.js from the working directory
  // generate .svelte-kit/tsconfig.json before Vite reads ui/app/tsconfig.json, which extends it
  const sync = spawnSync(process.execPath, [path.join(root, 'node_modules/@sveltejs/kit/svelte-kit.js'), 'sync'], { stdio: 'inherit' });
  if (sync.status !== 0) throw new Error('svelte-kit sync failed');
  const { build } = await import('vite');
  await build({ root: appDir, configFile: path.join(appDir, 'vite.config.js') });
  fs.writeFileSync(path.join(fresh, '.build-stamp'), hash);
  const old = `${outDir}.old-${process.pid}`;
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(fresh, outDir);
  fs.rmSync(old, { recursive: true, force: true });
  console.log(`ui: built dist/ui/app in ${Math.round((Date.now() - started) / 1000)} s`);
});
