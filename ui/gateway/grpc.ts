/** The gateway's one gRPC channel to a Temporal frontend (the embedded engine or any cluster). */
import * as grpc from '@grpc/grpc-js';
import type * as PB from 'protobufjs';
import { HttpRule } from './http-rules';

export interface TlsOptions {
  /** PEM of the CA that signed the server's certificate (default: the system's roots). */
  serverRootCACertificate?: Buffer;
  /** mTLS client certificate and key, PEM. */
  clientCertPair?: { crt: Buffer; key: Buffer };
  /** Name to expect in the server's certificate when it differs from the address's host. */
  serverNameOverride?: string;
}

export interface FrontendOptions {
  /** host:port of the Temporal frontend's gRPC endpoint. */
  address: string;
  tls?: boolean | TlsOptions;
  /** Sent as `authorization: Bearer <apiKey>` when the browser sends no Authorization itself. */
  apiKey?: string;
}

export interface CallHandle {
  response: Promise<PB.Message>;
  cancel(): void;
}

export class FrontendClient {
  private readonly client: grpc.Client;

  constructor(readonly options: FrontendOptions) {
    const tls = options.tls === true ? {} : options.tls || undefined;
    const credentials = tls
      ? grpc.credentials.createSsl(tls.serverRootCACertificate ?? null, tls.clientCertPair?.key ?? null, tls.clientCertPair?.crt ?? null)
      : grpc.credentials.createInsecure();
    const channelOptions: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': 128 * 1024 * 1024,
      'grpc.max_send_message_length': 128 * 1024 * 1024,
      'grpc.keepalive_time_ms': 30_000,
    };
    if (tls && typeof tls === 'object' && tls.serverNameOverride) {
      channelOptions['grpc.ssl_target_name_override'] = tls.serverNameOverride;
      channelOptions['grpc.default_authority'] = tls.serverNameOverride;
    }
    this.client = new grpc.Client(options.address, credentials, channelOptions);
  }

  call(rule: HttpRule, request: PB.Message, metadata: grpc.Metadata, deadlineMs: number): CallHandle {
    if (this.options.apiKey && !metadata.get('authorization').length) metadata.set('authorization', `Bearer ${this.options.apiKey}`);
    let call: grpc.ClientUnaryCall | undefined;
    const response = new Promise<PB.Message>((resolve, reject) => {
      call = this.client.makeUnaryRequest(
        `/${rule.service}/${rule.method}`,
        (m: PB.Message) => Buffer.from(rule.requestType.encode(m).finish()),
        (b: Buffer) => rule.responseType.decode(b),
        request,
        metadata,
        { deadline: Date.now() + deadlineMs },
        (err, res) => (err ? reject(err) : resolve(res as PB.Message)),
      );
    });
    return { response, cancel: () => call?.cancel() };
  }

  close(): void {
    this.client.close();
  }
}

/** Headers the UI server forwards as gRPC metadata (grpc-gateway's rules plus Temporal's). */
export function metadataFromHeaders(headers: Record<string, string | string[] | undefined>, uiVersion: string): grpc.Metadata {
  const md = new grpc.Metadata();
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  for (const name of ['authorization', 'authorization-extras', 'caller-type']) {
    const v = one(headers[name]);
    if (v) md.set(name, v);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('grpc-metadata-') && value !== undefined) md.set(name.slice('grpc-metadata-'.length), one(value)!);
  }
  md.set('client-name', 'temporal-ui');
  md.set('client-version', uiVersion);
  return md;
}
