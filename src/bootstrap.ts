import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { registerJsonBodyParser } from './common/json-body';
import { AppConfig } from './config/app-config';
import { runMigrations } from './database/migrate';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface Started {
  app: INestApplicationContext;
  /** The address HTTP is served on, when this role serves HTTP. */
  url?: string;
}

/** Starts the role the configuration names: the HTTP API, the job worker, or both. */
export async function start(config: AppConfig, port = config.PORT): Promise<Started> {
  if (config.MIGRATIONS_RUN) {
    const applied = await runMigrations(config.DATABASE_URL);
    if (applied.length > 0) new Logger('Migrations').log(`applied ${applied.join(', ')}`);
  }
  const module = AppModule.forRoot(config);

  if (!config.servesHttp) {
    const app = await NestFactory.createApplicationContext(module, { logger: logLevels(config) });
    app.enableShutdownHooks();
    await app.init();
    new Logger('Signalbox').log('worker started');
    return { app };
  }

  const adapter = new FastifyAdapter({
    bodyLimit: config.MAX_BODY_BYTES,
    // User ids may be up to 255 characters (emails, say); Fastify's default stops path parameters at 100.
    maxParamLength: 512,
    // A caller's request id is kept when it is sane, so logs line up across systems.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bodyParser: false,
    logger: logLevels(config),
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  app.enableShutdownHooks();
  await app.listen(port, '0.0.0.0');
  const url = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
  new Logger('Signalbox').log(`${config.ROLE} listening on ${url}`);
  return { app, url };
}

function logLevels(config: AppConfig): ('fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose')[] | false {
  const order = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  const cut = { fatal: 1, error: 2, warn: 3, info: 4, debug: 5, trace: 6, silent: 0 }[config.LOG_LEVEL];
  return cut === 0 ? false : order.slice(0, cut);
}
