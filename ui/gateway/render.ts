/**
 * GET /render?content=&theme=: the sandboxed page in which the UI shows markdown (workflow
 * summaries and details), rendered and sanitized by the package's own render-markdown utility.
 */
import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';

type Hast = unknown;
interface MarkdownModule {
  process(markdown: string): Promise<Hast>;
  render(hast: Hast): Promise<string>;
}

// A real dynamic import (TypeScript's CommonJS output would turn `import()` into require()).
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;
let markdown: Promise<MarkdownModule | undefined> | undefined;

function loadMarkdown(): Promise<MarkdownModule | undefined> {
  markdown ??= importEsm('@temporalio/ui/utilities/render-markdown').then(
    (m) => m as MarkdownModule,
    () => undefined,
  );
  return markdown;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CSS = `*,body{margin:0;padding:0;border:0;font-size:100%;vertical-align:baseline}
body{overscroll-behavior:none;position:relative;padding:1rem;white-space:pre-line;font-family:sans-serif}
h1{font-size:2em}h2{font-size:1.5em}h3{font-size:1.17em}h4{font-size:1em}h5{font-size:.83em}h6{font-size:.67em}
table{border-collapse:collapse;border-spacing:0}ul,ol{white-space:normal}li{list-style-position:inside}li *{display:inline}
a{border-radius:.25rem;text-decoration:underline;text-underline-offset:2px;cursor:pointer}
blockquote{padding-left:.5rem;border-left:4px solid #92a4c3;background:#e8efff;color:#121416}
code{font-family:monospace;padding:.125rem .25rem;border-radius:.25rem;background:#e8efff;color:#121416}
pre{font-family:monospace;padding:.25rem;border-radius:.25rem;background:#e8efff;color:#121416}pre code{padding:0}
body[data-theme=light]{background-color:#fff;color:#121416}body[data-theme=light] a{color:#444ce7}
body[data-theme=dark]{background-color:#141414;color:#f8fafc}body[data-theme=dark] a{color:#8098f9}`;

export async function renderMarkdown(res: ServerResponse, query: URLSearchParams): Promise<void> {
  const content = query.get('content') ?? '';
  const theme = query.get('theme') ?? '';
  const nonce = crypto.randomBytes(16).toString('hex');
  const md = await loadMarkdown();
  const html = md ? await md.render(await md.process(content)) : `<p>${escapeHtml(content)}</p>`;
  const themeAttr = theme === 'dark' || theme === 'light' ? ` data-theme="${theme}"` : '';
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `base-uri 'self'; default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; frame-ancestors 'self'; form-action 'none'; sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox;`,
  });
  res.end(
    `<!DOCTYPE html><html><head><title>Rendered Markdown</title><base target="_blank"><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width, initial-scale=1"><style nonce="${nonce}">${CSS}</style></head>` +
      `<body class="prose"${themeAttr}><main>${html}</main></body></html>`,
  );
}
