/**
 * Makes the store loadable by a plain `node` child process. Under ts-jest the
 * sources are TypeScript, so they are transpiled into a temp directory, with
 * the TypeScript JS API when the installed compiler has one, else with the
 * `tsc` command-line compiler. When the tests themselves run from compiled
 * JavaScript the compiled store is used directly.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface TsApi {
  transpileModule(src: string, opts: { compilerOptions: Record<string, unknown>; fileName?: string }): { outputText: string };
  ModuleKind: { CommonJS: unknown };
  ScriptTarget: { ES2022: unknown };
}

function tsApi(): TsApi | undefined {
  try {
    const ts = require('typescript') as Partial<TsApi>;
    return typeof ts.transpileModule === 'function' ? (ts as TsApi) : undefined;
  } catch {
    return undefined;
  }
}

function tscBin(): string {
  const pkgPath = require.resolve('typescript/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { bin?: string | Record<string, string> };
  const rel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.tsc;
  if (!rel) throw new Error('cannot find the tsc binary of the installed typescript package');
  return path.join(path.dirname(pkgPath), rel);
}

/** Returns the path of a CommonJS entry point for devserver/store, plus a cleanup function. */
export function storeEntryForChild(): { entry: string; cleanup: () => void } {
  const entry = require.resolve('../../../devserver/store');
  if (entry.endsWith('.js')) return { entry, cleanup: () => undefined };

  const srcDir = path.dirname(entry);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-child-'));
  const cleanup = (): void => fs.rmSync(outDir, { recursive: true, force: true });
  const files = fs.readdirSync(srcDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  const ts = tsApi();
  if (ts) {
    for (const f of files) {
      const src = fs.readFileSync(path.join(srcDir, f), 'utf8');
      const out = ts.transpileModule(src, {
        fileName: f,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      fs.writeFileSync(path.join(outDir, f.replace(/\.ts$/, '.js')), out.outputText);
    }
  } else {
    execFileSync(
      process.execPath,
      [
        tscBin(),
        '--outDir', outDir,
        '--rootDir', srcDir,
        '--module', 'commonjs',
        '--target', 'es2022',
        '--types', 'node',
        '--skipLibCheck',
        '--noCheck',
        ...files.map((f) => path.join(srcDir, f)),
      ],
      { stdio: 'pipe' },
    );
  }
  return { entry: path.join(outDir, 'index.js'), cleanup };
}
