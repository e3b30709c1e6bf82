/**
 * The built app (dist/ui/app): files as they are, hashed assets cached for good, and every other
 * path answered by index.html so the app's own router shows the page (as the UI server does).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt', '.ttf']);

/** Where `npm run build` puts the app, from both the compiled gateway and its TypeScript source. */
export function defaultAssetsDir(): string {
  const candidates = [path.resolve(__dirname, '..', 'app'), path.resolve(__dirname, '..', '..', 'dist', 'ui', 'app')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? candidates[candidates.length - 1];
}

export class StaticFiles {
  private readonly gzipped = new Map<string, Buffer>();

  constructor(readonly dir: string) {}

  get built(): boolean {
    return fs.existsSync(path.join(this.dir, 'index.html'));
  }

  serve(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    if (!this.built) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`The Web UI is not built (no ${path.join(this.dir, 'index.html')}): run "npm run build".\n`);
      return;
    }
    let rel: string;
    try {
      rel = path.normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    } catch {
      rel = '';
    }
    let file = path.join(this.dir, rel);
    const inside = file.startsWith(this.dir + path.sep);
    const isFile = inside && fs.statSync(file, { throwIfNoEntry: false })?.isFile();
    if (!isFile) {
      if (pathname.startsWith('/_app/')) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Not Found\n');
        return;
      }
      file = path.join(this.dir, 'index.html');
    }
    const ext = path.extname(file);
    const headers: Record<string, string> = {
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': pathname.startsWith('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    let body: Buffer = fs.readFileSync(file);
    if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      const key = `${file}@${fs.statSync(file).mtimeMs}`;
      let gz = this.gzipped.get(key);
      if (!gz) {
        gz = zlib.gzipSync(body, { level: 6 });
        this.gzipped.set(key, gz);
      }
      body = gz;
      headers['Content-Encoding'] = 'gzip';
      headers.Vary = 'Accept-Encoding, Cookie';
    }
    headers['Content-Length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
