import { plainToInstance, Transform } from 'class-transformer';
import { existsSync } from 'node:fs';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value !== '' ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** Every setting the service reads, named as the environment variable that sets it. */
export class AppConfig {
  /** 0 picks any free port (the tests use it). */
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT = 3000;

  /** Unset: an embedded PostgreSQL (PGlite) keeps the data in DATA_DIR. */
  @IsOptional() @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false }) DATABASE_URL?: string;

  /** Unset: jobs run in this process instead of on BullMQ. */
  @IsOptional() @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false }) REDIS_URL?: string;

  /** Bearer key for every /v1 route. Unset outside production: generated once and kept in DATA_DIR. */
  @IsOptional() @IsString() @MinLength(16) ADMIN_API_KEY?: string;

  /** Requests a minute to the management API, per API key (or per address without one). */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000) RATE_LIMIT_PER_MINUTE = 1200;

  /** Events a second per ingestion URL; more get 429 with Retry-After, which PostHog retries. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000) INGESTION_RATE_LIMIT_PER_SECOND = 1000;

  /** Finished events (with their action records) and finished workflow runs are deleted after this many days. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650) EVENT_RETENTION_DAYS = 30;

  /** How often a worker deletes what is past retention, and expired idempotency keys. */
  @Transform(toInt) @IsInt() @Min(1) @Max(86400) RETENTION_INTERVAL_SECONDS = 3600;

  /** How long a stopping process (SIGTERM) waits for requests and jobs in flight before it exits anyway. */
  @Transform(toInt) @IsInt() @Min(1) @Max(600) SHUTDOWN_TIMEOUT_SECONDS = 25;

  /** Where the embedded database and a generated admin key are kept. */
  @IsString() DATA_DIR = './data';

  /** `production` makes DATABASE_URL, REDIS_URL and ADMIN_API_KEY required. */
  @IsOptional() @IsString() NODE_ENV?: string;

  @IsIn(ROLES) ROLE: Role = 'all';

  /** Base of the ingestion URLs handed to PostHog; defaults to http://localhost:PORT. */
  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_tld: false }) PUBLIC_URL?: string;

  @IsIn(LOG_LEVELS) LOG_LEVEL: LogLevel = 'info';

  @Transform(toInt) @IsInt() @Min(1024) @Max(64 * 1024 * 1024) MAX_BODY_BYTES = 1024 * 1024;

  /** A request must arrive whole within this long (408 otherwise), so slow senders cannot hold connections. */
  @Transform(toInt) @IsInt() @Min(1) @Max(600) REQUEST_TIMEOUT_SECONDS = 30;

  @Transform(toBool) @IsBoolean() MIGRATIONS_RUN = true;

  /** Redis key prefix for the queues, so several deployments (or test runs) can share one Redis. */
  @Matches(/^[a-z0-9_-]{1,32}$/) QUEUE_PREFIX = 'signalbox';

  /** Jobs one worker process runs at once. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) WORKER_CONCURRENCY = 20;

  /** How often the reconciler looks for events that are due but not being processed. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600) RECONCILER_INTERVAL_SECONDS = 5;

  /** How old an `accepted` event must be before the reconciler dispatches it again. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600) RECONCILER_GRACE_SECONDS = 10;

  /** How long a worker owns an event it is processing; past that, another may take it over. */
  @Transform(toInt) @IsInt() @Min(5) @Max(3600) PROCESSING_LEASE_SECONDS = 60;

  /** Tries of an action that fails for a reason other than its inputs (a lock timeout, say), first one included. */
  @Transform(toInt) @IsInt() @Min(1) @Max(20) ACTION_MAX_ATTEMPTS = 5;

  /** Wait before the first retry of a failed action or http step; it doubles with every further retry. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600) ACTION_RETRY_DELAY_SECONDS = 5;

  /** How long an action waits for a row lock before it fails (and is retried). */
  @Transform(toInt) @IsInt() @Min(100) @Max(60000) ACTION_LOCK_TIMEOUT_MS = 5000;

  /**
   * Requests one worker process sends at once to the same host (host:port) from http steps; further runs calling
   * it come back a second or two later, leaving their worker slot to runs that call other hosts.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) WORKFLOW_HTTP_CONCURRENCY_PER_HOST = 5;

  /** Hosts that workflow http steps may call, comma-separated; `*.example.com` allows subdomains. Empty: any. */
  @IsOptional()
  @Matches(
    /^\s*((\*\.)?[a-zA-Z0-9.-]+|\[[0-9a-fA-F:.]+\])(\s*,\s*((\*\.)?[a-zA-Z0-9.-]+|\[[0-9a-fA-F:.]+\]))*\s*$/,
    {
      message: 'WORKFLOW_HTTP_ALLOWED_HOSTS must be host names separated by commas',
    },
  )
  WORKFLOW_HTTP_ALLOWED_HOSTS?: string;

  get allowedHttpHosts(): string[] {
    return (this.WORKFLOW_HTTP_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean);
  }

  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://localhost:${this.PORT}`).replace(/\/+$/, '');
  }

  /** Serves the API, the web view and the docs (a worker serves only its health and metrics). */
  get servesApi(): boolean {
    return this.ROLE !== 'worker';
  }

  get consumesJobs(): boolean {
    return this.ROLE !== 'api';
  }
}

export class ConfigError extends Error {}

/** Reads `.env` from the working directory when there is one; variables already set win. */
function processEnvironment(): NodeJS.ProcessEnv {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

/** Reads and validates the environment; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = processEnvironment()): AppConfig {
  const known = Object.keys(new AppConfig()).concat([
    'DATABASE_URL',
    'REDIS_URL',
    'ADMIN_API_KEY',
    'PUBLIC_URL',
    'NODE_ENV',
    'WORKFLOW_HTTP_ALLOWED_HOSTS',
  ]);
  const present = Object.fromEntries(
    known.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]),
  );
  const config = plainToInstance(AppConfig, present);
  const errors = validateSync(config, { forbidUnknownValues: true });
  const lines = errors.map((e) => {
    const shown = e.property === 'ADMIN_API_KEY' ? '(hidden)' : JSON.stringify(e.value);
    return `  ${e.property}=${shown ?? '(unset)'}: ${Object.values(e.constraints ?? {}).join('; ')}`;
  });
  if (config.NODE_ENV === 'production') {
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_API_KEY'] as const) {
      if (!config[name]) lines.push(`  ${name}=(unset): required when NODE_ENV=production`);
    }
  }
  // The embedded database and the in-process queue belong to one process.
  if (config.ROLE !== 'all') {
    for (const name of ['DATABASE_URL', 'REDIS_URL'] as const) {
      if (!config[name]) lines.push(`  ${name}=(unset): required when ROLE=${config.ROLE}`);
    }
  }
  if (lines.length > 0) throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  return config;
}
