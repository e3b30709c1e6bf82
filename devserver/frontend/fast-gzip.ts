/**
 * Workers gzip every request. grpc-js's server inflates each message through a new zlib stream,
 * about 270 µs of CPU for a small message; a one-shot synchronous inflate of the same bounded
 * message takes about 33 µs, and decoding it in JavaScript (inflate.ts) a few. This replaces that
 * one method of grpc-js's server call, keeping its size limit and error statuses; any other layout
 * of grpc-js keeps its own path.
 */
import zlib from 'node:zlib';
import { status } from '@grpc/grpc-js';
import { gunzipSmall } from './inflate';

interface ServerCall {
  maxReceiveMessageSize: number;
  decompressMessage(message: Buffer, encoding: string): Buffer | Promise<Buffer>;
}

let installed = false;

export function installFastGzip(): void {
  if (installed) return;
  installed = true;
  let mod: { BaseServerInterceptingCall?: { prototype: ServerCall } };
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    mod = require('@grpc/grpc-js/build/src/server-interceptors');
  } catch {
    return;
  }
  const proto = mod.BaseServerInterceptingCall?.prototype;
  if (!proto || typeof proto.decompressMessage !== 'function') return;
  const original = proto.decompressMessage;
  proto.decompressMessage = function (this: ServerCall, message: Buffer, encoding: string) {
    if (encoding !== 'gzip' && encoding !== 'deflate') return original.call(this, message, encoding);
    const max = this.maxReceiveMessageSize;
    const opts = max > 0 ? { maxOutputLength: max } : {};
    try {
      const body = message.subarray(5);
      // Most requests are a few hundred bytes: decoded in JavaScript (see inflate.ts), else zlib.
      const small = encoding === 'gzip' ? gunzipSmall(body, max > 0 ? max : Infinity) : undefined;
      if (small) return Promise.resolve(small);
      return Promise.resolve(encoding === 'gzip' ? zlib.gunzipSync(body, opts) : zlib.inflateSync(body, opts));
    } catch (err) {
      const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      return Promise.reject(
        tooBig
          ? { code: status.RESOURCE_EXHAUSTED, details: `Received message that decompresses to a size larger than ${max}` }
          : { code: status.INTERNAL, details: 'Failed to decompress message' },
      );
    }
  };
}
