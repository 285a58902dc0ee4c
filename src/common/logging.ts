import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino, { Logger } from 'pino';
import { AppConfig } from '../config/app-config';

/** The ingestion token is the credential of an ingestion URL: it never reaches the logs. */
const TOKEN_IN_PATH = /^(\/integrations\/receive\/)[^/?]+/;

/** JSON logs, one line each, at LOG_LEVEL. */
export function createLogger(config: AppConfig): Logger {
  return pino({ level: config.LOG_LEVEL, base: { pid: process.pid, role: config.ROLE } });
}

/**
 * Request logging and a request id (also the `x-request-id` answer header) on every line logged while a request
 * is handled. Requests are logged by method, route and status only: no headers (they carry credentials and
 * signatures), no bodies, and ingestion tokens masked. Successful requests log at debug, so that ingestion at
 * full speed does not flood the log.
 */
export function loggerModule(logger: Logger) {
  return LoggerModule.forRoot({
    // The default route pattern does not match with this Fastify adapter; this one matches every path.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      logger,
      // Fastify has already chosen the id (bootstrap's genReqId) and put it on the request.
      genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id: string }).id,
      customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'info' : 'debug',
      serializers: {
        req: (request: { id: string; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          url: request.url.replace(TOKEN_IN_PATH, '$1[token]'),
        }),
        res: (response: { statusCode: number }) => ({ status: response.statusCode }),
      },
    },
  });
}
