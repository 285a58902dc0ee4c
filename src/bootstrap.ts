import { INestApplicationContext } from '@nestjs/common';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { Logger as PinoRoot } from 'pino';
import { AppModule } from './app.module';
import { checkAdmin } from './auth/admin-auth';
import { createLogger } from './common/logging';
import { serveOpenApi } from './openapi-document';
import { QUEUE_DASHBOARD } from './queue/queues';
import { registerHttpMetrics } from './metrics/http-metrics';
import { Metrics } from './metrics/metrics';
import { answerClientError } from './common/client-errors';
import { DomainError } from './common/domain-error';
import { toErrorResponse } from './common/error-response';
import { registerJsonBodyParser } from './common/json-body';
import { AppConfig } from './config/app-config';
import { startEmbeddedDatabase } from './database/embedded-database';
import { runMigrations } from './database/migrate';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface Started {
  app: INestApplicationContext;
  /** The address HTTP is served on. */
  url: string;
  /** Stops taking work, lets what is in flight finish, and closes every connection. */
  close(): Promise<void>;
}

export interface Database {
  url: string;
  /** Connections in the pool: 1 for the embedded database. */
  poolSize: number;
  close(): Promise<void>;
}

const WORKER_ROUTES = /^\/(health\/(live|ready)|metrics)(\?|$)/;
const WORKER_ONLY = new DomainError(
  404,
  'NOT_FOUND',
  'a worker serves only /health/live, /health/ready and /metrics',
);

/**
 * Starts the role the configuration names: the HTTP API, the job worker, or both. Every role listens on PORT; a
 * worker serves only its health and metrics there.
 */
export async function start(config: AppConfig, port = config.PORT): Promise<Started> {
  const logger = createLogger(config);
  const database = await openDatabase(config, logger);
  if (!config.REDIS_URL) {
    logger.info(
      'jobs run in this process; set REDIS_URL to use Redis (BullMQ) and separate worker processes',
    );
  }
  resolveAdminKey(config, logger);
  if (config.MIGRATIONS_RUN) {
    const applied = await runMigrations(database.url);
    if (applied.length > 0) logger.info(`migrations applied: ${applied.join(', ')}`);
  }
  const module = AppModule.forRoot(config, database, logger);
  const stop = (app: INestApplicationContext) => async () => {
    await app.close();
    await database.close();
  };

  const adapter = new FastifyAdapter({
    bodyLimit: config.MAX_BODY_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_SECONDS * 1000,
    // Node 20 enforces the timeout only when the server is created with it (Fastify sets it afterwards), and
    // looks for late requests every 30 s unless told otherwise.
    http: { requestTimeout: config.REQUEST_TIMEOUT_SECONDS * 1000, connectionsCheckingInterval: 1000 },
    clientErrorHandler: answerClientError,
    // User ids may be up to 255 characters (emails, say); Fastify's default stops path parameters at 100.
    routerOptions: { maxParamLength: 512 },
    // A caller's request id is kept when it is sane, so logs line up across systems.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      // Kept on the raw request too, where the request logger (pino-http) finds it.
      request.id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      return request.id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  const fastify = app.getHttpAdapter().getInstance();
  // Security headers on every answer (Content-Security-Policy, nosniff, frame denial, HSTS…). CORS stays off.
  // Not upgrade-insecure-requests: a self-hosted service is often reached over plain HTTP inside a network.
  await app.register(helmet, { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  registerJsonBodyParser(fastify);
  registerHttpMetrics(fastify, app.get(Metrics));
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  if (config.servesApi) serveOpenApi(app);
  else {
    // A worker answers only its probes and Prometheus: its counters (actions, runs…) are its own.
    fastify.addHook('onRequest', (request, reply, done) => {
      if (WORKER_ROUTES.test(request.url)) return done();
      const { status, body } = toErrorResponse(WORKER_ONLY, request.id);
      void reply.code(status).send(body);
    });
  }
  // The queue dashboard is served by its own Fastify plugin, outside Nest's guards: checked here.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (
      !request.url.startsWith(QUEUE_DASHBOARD) ||
      checkAdmin(request.headers, config.ADMIN_API_KEY!) === 'ok'
    ) {
      return done();
    }
    void reply.redirect(`/ui/login?next=${encodeURIComponent(QUEUE_DASHBOARD)}`, 303);
  });
  await app.listen(port, '0.0.0.0');
  const url = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
  logger.info(`${config.ROLE} listening on ${url}`);
  return { app, url, close: stop(app) };
}

/** PostgreSQL at DATABASE_URL, or the embedded one in DATA_DIR. */
async function openDatabase(config: AppConfig, logger: PinoRoot): Promise<Database> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, poolSize: 20, close: () => Promise.resolve() };
  const embedded = await startEmbeddedDatabase(config.DATA_DIR);
  logger.info(`embedded database at ${config.DATA_DIR}; set DATABASE_URL to use PostgreSQL`);
  return { ...embedded, poolSize: 1 };
}

/**
 * Without ADMIN_API_KEY (never in production: the configuration refuses it), a key is generated on the first
 * start, shown once, and kept in DATA_DIR for the next starts.
 */
function resolveAdminKey(config: AppConfig, logger: PinoRoot): void {
  if (config.ADMIN_API_KEY) return;
  const file = resolve(config.DATA_DIR, 'admin-api-key');
  if (existsSync(file)) {
    config.ADMIN_API_KEY = readFileSync(file, 'utf8').trim();
    logger.info(`admin API key: the one kept in ${file}; set ADMIN_API_KEY to choose your own`);
    return;
  }
  config.ADMIN_API_KEY = randomBytes(24).toString('base64url');
  mkdirSync(config.DATA_DIR, { recursive: true });
  writeFileSync(file, `${config.ADMIN_API_KEY}\n`, { mode: 0o600 });
  logger.info(`admin API key (shown once, kept in ${file}): ${config.ADMIN_API_KEY}`);
}
