import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from './domain-error';
import { toErrorResponse } from './error-response';

const CLIENT_ERRORS: Record<string, DomainError> = {
  ERR_HTTP_REQUEST_TIMEOUT: new DomainError(
    408,
    'REQUEST_TIMEOUT',
    'the request did not arrive whole within REQUEST_TIMEOUT_SECONDS',
  ),
  HPE_HEADER_OVERFLOW: new DomainError(
    431,
    'HEADERS_TOO_LARGE',
    'the request line and headers are larger than 16 KiB',
  ),
};
const NOT_HTTP = new DomainError(400, 'BAD_REQUEST', 'the request is not valid HTTP/1.1');

/**
 * Answers requests that Node refuses before any route sees them (too slow, headers too large, not HTTP) in the
 * API's error shape, then closes the connection, as Node itself does. Used as Fastify's clientErrorHandler.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } = toErrorResponse(CLIENT_ERRORS[error.code ?? ''] ?? NOT_HTTP, randomUUID());
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
  // Closed at once, a socket with unread request bytes is reset, and the answer can be lost: wait a little.
  setTimeout(() => socket.destroy(), 1000).unref();
}
