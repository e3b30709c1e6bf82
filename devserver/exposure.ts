/**
 * Who can reach the engine. It binds 127.0.0.1 unless told otherwise; bound to any other address,
 * every client that reaches it may read and change every workflow, so the engine says so at startup.
 */
import dns from 'node:dns/promises';
import net from 'node:net';

function isLoopbackIp(ip: string): boolean {
  if (net.isIPv4(ip)) return ip.startsWith('127.');
  const v = ip.toLowerCase();
  if (v === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(v)) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  return !!mapped && mapped[1].startsWith('127.');
}

/** Whether binding `host` keeps the port to this machine (a name counts when all its addresses do). */
export async function isLoopback(host: string): Promise<boolean> {
  const h = host.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(h)) return isLoopbackIp(h);
  try {
    const addrs = await dns.lookup(h, { all: true });
    return addrs.length > 0 && addrs.every((a) => isLoopbackIp(a.address));
  } catch {
    return false;
  }
}

export const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

export interface Exposure {
  ip: string;
  port: number;
  tls: boolean;
  clientCa: boolean;
}

/** The startup warning for the gRPC frontend, if it is reachable beyond this machine without client checks. */
export async function grpcExposureWarning(x: Exposure): Promise<string | undefined> {
  if (await isLoopback(x.ip)) return undefined;
  const addr = hostPort(x.ip, x.port);
  if (!x.tls) {
    return `the engine listens on ${addr} without TLS: anyone on the network who can reach this address can read and change every workflow (inputs, results, histories) and read the traffic. ` +
      'Bind to 127.0.0.1 (the default), or give a certificate: --tls-cert-path FILE --tls-key-path FILE, ' +
      'and --tls-client-ca-path FILE to admit only clients with a certificate signed by that CA.';
  }
  if (!x.clientCa) {
    return `the engine listens on ${addr} with TLS but admits any client: anyone on the network who can reach this address can read and change every workflow. ` +
      'Add --tls-client-ca-path FILE to admit only clients with a certificate signed by that CA.';
  }
  return undefined;
}
