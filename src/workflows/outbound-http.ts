import { lookup, LookupAddress, LookupAllOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';

/** How much of a response body is kept in the run's record. */
export const RESPONSE_BODY_LIMIT = 16 * 1024;

/** A target that must not be called: nothing was sent, and trying again cannot help. */
export class RefusedTargetError extends Error {}

export interface OutboundRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Hostnames (or `*.example.com`) that may be called; empty for any. */
  allowedHosts: readonly string[];
}

export interface OutboundResponse {
  status: number;
  /** The body as text, cut at RESPONSE_BODY_LIMIT bytes. */
  body: string;
  truncated: boolean;
  contentType: string | undefined;
  retryAfter: string | undefined;
}

/**
 * Link-local addresses: where cloud metadata services answer (169.254.169.254, fd00:ec2::254), with credentials
 * for the machine. Private and loopback addresses are allowed: calling one's own services is the point of a
 * self-hosted engine; WORKFLOW_HTTP_ALLOWED_HOSTS narrows targets further.
 */
export function isLinkLocalAddress(address: string): boolean {
  const ip = address.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return isLinkLocalAddress(mapped[1]);
  if (isIP(ip) === 4) return ip.startsWith('169.254.');
  if (isIP(ip) === 6) return /^fe[89ab][0-9a-f]:/.test(ip) || ip === 'fd00:ec2::254';
  return false;
}

export function isHostAllowed(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  return (
    allowedHosts.length === 0 ||
    allowedHosts.some((allowed) =>
      allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) : host === allowed,
    )
  );
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;
type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: Error | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for sockets that resolves names as usual but refuses any that lead to a link-local address. It runs
 * on every connection, so a name cannot pass a check and then resolve elsewhere.
 */
export const guardedLookup =
  (resolve: Resolve = lookup) =>
  (hostname: string, options: object, callback: LookupCallback): void =>
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((a) => isLinkLocalAddress(a.address));
      if (refused) {
        return callback(
          new RefusedTargetError(`${hostname} resolves to ${refused.address}, a link-local address`),
          [],
        );
      }
      if ((options as LookupAllOptions).all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });

/**
 * Sends one request and reads at most RESPONSE_BODY_LIMIT bytes of the answer. Redirects are not followed.
 * Throws RefusedTargetError for a forbidden target, and the network's error (or a timeout) otherwise.
 */
export function sendRequest(request: OutboundRequest): Promise<OutboundResponse> {
  const { url } = request;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new RefusedTargetError(`${url.protocol} URLs are not allowed`));
  }
  if (!isHostAllowed(url.hostname, request.allowedHosts)) {
    return Promise.reject(new RefusedTargetError(`${url.hostname} is not in WORKFLOW_HTTP_ALLOWED_HOSTS`));
  }
  if (isLinkLocalAddress(url.hostname)) {
    return Promise.reject(new RefusedTargetError(`${url.hostname} is a link-local address`));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const fail = (error: Error) =>
      reject(
        error.name === 'AbortError' || error.name === 'TimeoutError'
          ? new Error(`no complete answer within ${request.timeoutMs / 1000} s`)
          : error,
      );
    const outgoing = client.request(
      url,
      {
        method: request.method,
        headers: request.headers,
        lookup: guardedLookup(),
        signal: AbortSignal.timeout(request.timeoutMs),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const done = () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
            contentType: response.headers['content-type'],
            retryAfter: response.headers['retry-after'],
          });
        response.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = RESPONSE_BODY_LIMIT - size;
          chunks.push(chunk.subarray(0, room));
          size += Math.min(chunk.length, room);
          if (chunk.length > room) {
            truncated = true;
            response.destroy();
            done();
          }
        });
        response.on('end', done);
        response.on('error', (error) => (truncated ? undefined : fail(error)));
      },
    );
    outgoing.on('error', fail);
    outgoing.end(request.body);
  });
}
