/**
 * Request bodies with a size limit: every body the gateway reads (the /api/v1 calls, the codec
 * endpoint, the codec login form) goes through `readBody`, and a body past the limit is answered
 * 413 without being kept: Node discards the rest of it once the answer is sent (within the
 * server's request timeout), so the client reads the 413 instead of a broken connection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest request body the gateway reads (the UI's calls and codec batches are far smaller). */
export const MAX_REQUEST_BODY = 4 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** The body as text; rejects with BodyTooLargeError as soon as it (or its Content-Length) passes `limit`. */
export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= limit) {
        chunks.push(c);
        return;
      }
      req.off('data', onData);
      req.pause();
      reject(new BodyTooLargeError(limit));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Answers 413 (the rest of the body is discarded, not kept). */
export function sendTooLarge(res: ServerResponse, err: BodyTooLargeError, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code: 8, message: err.message, details: [] });
  res.writeHead(413, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}
