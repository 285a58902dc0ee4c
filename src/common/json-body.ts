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
 * Every body is read as JSON whatever its content type says: PostHog's webhook destination may send JSON as
 * text/plain or with no content type at all. Keys that would reach a prototype are refused, as are bytes that
 * are not UTF-8.
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
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      done(
        new DomainError(400, 'INVALID_JSON', `body is not valid JSON: ${(error as Error).message}`),
        undefined,
      );
    }
  });
}
