import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { DomainError } from './domain-error';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received; signatures are computed over it. */
    rawBody?: Buffer;
    /** The same body decoded (it is valid UTF-8), kept so nothing decodes it twice. */
    rawText?: string;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Real events nest a few levels; a body nested thousands deep is an attack on every recursive walk after it
 * (Postgres, templates, the trace), so it is refused at the door.
 */
export const MAX_JSON_DEPTH = 100;

/** Whether `value` has arrays or objects nested more than `limit` levels deep; stops at the first one that is. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (nestedDeeperThan(item, limit - 1)) return true;
  }
  return false;
}

/**
 * Every body is read as JSON whatever its content type says: PostHog's webhook destination may send JSON as
 * text/plain or with no content type at all. Keys that would reach a prototype are refused, as are bytes that
 * are not UTF-8 and nesting past MAX_JSON_DEPTH.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (request, raw: Buffer, done) => {
    request.rawBody = raw;
    if (raw.length === 0) {
      done(null, undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(raw);
      request.rawText = text;
    } catch {
      done(new DomainError(400, 'INVALID_ENCODING', 'body is not valid UTF-8'), undefined);
      return;
    }
    let body: unknown;
    try {
      body = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      done(
        new DomainError(400, 'INVALID_JSON', `body is not valid JSON: ${(error as Error).message}`),
        undefined,
      );
      return;
    }
    if (nestedDeeperThan(body, MAX_JSON_DEPTH)) {
      done(
        new DomainError(400, 'INVALID_JSON', `body is nested deeper than ${MAX_JSON_DEPTH} levels`),
        undefined,
      );
      return;
    }
    done(null, body);
  });
}
