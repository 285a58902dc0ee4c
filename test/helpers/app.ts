import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import { ADMIN_API_KEY, databaseUrl, REDIS_URL, withAdminClient } from './services';

/**
 * The e2e suite drives the built service (`node dist/src/main.js`) as real processes: NestJS 12 is ESM-only and
 * Jest cannot load ESM into CommonJS before Node 24.9. It is also how users and the fault tests run it.
 */
const MAIN = resolve(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface TestDatabase {
  name: string;
  url: string;
  /** A plain connection for assertions on rows. */
  client: Client;
  drop(): Promise<void>;
}

/** application_name of the tests' own connections, so that cutting the app off its database spares them. */
export const TEST_CLIENT = 'signalbox-tests';

/** A fresh, migrated database copied from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.SIGNALBOX_TEST_TEMPLATE;
  if (!template)
    throw new Error(
      'SIGNALBOX_TEST_TEMPLATE is unset: run the e2e suite through jest (test/global-setup.ts)',
    );
  const name = `${template.replace('_tpl_', '_')}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const client = new Client({ connectionString: databaseUrl(name), application_name: TEST_CLIENT });
  // The teardown may drop the database under a connection a failed test left open.
  client.on('error', () => undefined);
  await client.connect();
  return {
    name,
    url: databaseUrl(name),
    client,
    drop: async () => {
      await client.end();
      await withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Tests poll the API every 50 ms; the rate-limit tests set their own limits. */
const NO_RATE_LIMITS = { RATE_LIMIT_PER_MINUTE: '1000000', INGESTION_RATE_LIMIT_PER_SECOND: '1000000' };

/** Redis key prefixes of this test run all start so; the global teardown deletes their keys. */
export function runQueuePrefix(): string {
  const template = process.env.SIGNALBOX_TEST_TEMPLATE ?? '';
  return `sbt${template.slice(template.lastIndexOf('_') + 1)}_`;
}

/** A queue prefix of its own for one test's processes. */
export function testQueuePrefix(): string {
  return `${runQueuePrefix()}${randomBytes(4).toString('hex')}`;
}

/** Environment for a Signalbox process in tests: its own queue prefix, a free port, quiet logs. */
export function testEnv(
  database: TestDatabase,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    REDIS_URL,
    ADMIN_API_KEY,
    QUEUE_PREFIX: testQueuePrefix(),
    LOG_LEVEL: 'info',
    PORT: '0',
    ...NO_RATE_LIMITS,
    ...overrides,
  };
}

export interface TestApp {
  /** http://127.0.0.1:<port>: the API, or a worker's health and metrics. */
  url: string;
  env: Record<string, string>;
  process: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  http(): ReturnType<typeof request>;
  /** Requests with the admin key. */
  admin: {
    get: (path: string) => request.Test;
    post: (path: string, body?: object) => request.Test;
    patch: (path: string, body: object) => request.Test;
    put: (path: string, body: object) => request.Test;
    delete: (path: string) => request.Test;
  };
  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
  close(signal?: NodeJS.Signals): Promise<void>;
}

const READY = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/** Starts `node dist/src/main.js` on a test database and Redis and waits until it is ready. */
export function startApp(database: TestDatabase, overrides: Record<string, string> = {}): Promise<TestApp> {
  return startProcess(testEnv(database, overrides));
}

/**
 * Starts the service with neither PostgreSQL nor Redis: the embedded database in `dataDir` and in-process jobs.
 * Without an ADMIN_API_KEY in `overrides`, the service makes one and the helpers use it.
 */
export function startEmbeddedApp(dataDir: string, overrides: Record<string, string> = {}): Promise<TestApp> {
  return startProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'info', PORT: '0', ...NO_RATE_LIMITS, ...overrides });
}

async function startProcess(env: Record<string, string>): Promise<TestApp> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does)`);
  const child = spawn(process.execPath, [MAIN], {
    // Away from the repository, so that a developer's .env cannot leak into the test's settings.
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`app did not start within 30 s:\n${output}`)), 30000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY.exec(output);
      if (match) {
        clearTimeout(timer);
        ready(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`app exited with code ${code} before it was ready:\n${output}`));
    });
  });
  const key = env.ADMIN_API_KEY ?? readFileSync(resolve(env.DATA_DIR, 'admin-api-key'), 'utf8').trim();
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${key}`);
  return {
    url,
    env,
    process: child,
    output: () => output,
    http: () => request(url),
    admin: {
      get: (path) => auth(request(url).get(path)),
      post: (path, body) => auth(request(url).post(path)).send(body),
      patch: (path, body) => auth(request(url).patch(path)).send(body),
      put: (path, body) => auth(request(url).put(path)).send(body),
      delete: (path) => auth(request(url).delete(path)),
    },
    close: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Deletes every Redis key of one queue prefix: what a Redis flush does to this app, and nothing else. */
export async function flushQueues(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) removed += await redis.del(...keys);
    } while (cursor !== '0');
    return removed;
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
