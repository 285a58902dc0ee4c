import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { TEST_CLIENT, TestDatabase, waitFor } from '../helpers/app';

/**
 * The fault tests own the servers they break: a Redis and a PostgreSQL of their own on free loopback ports,
 * stopped, flushed and restarted at will without touching the machine's shared ones.
 */

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** A redis-server of the test's own that keeps nothing on disk: stopping it loses every key, as a crash does. */
export class LocalRedis {
  private process?: ChildProcess;
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<LocalRedis> {
    const redis = new LocalRedis(await freePort());
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(() => this.ping(), 10_000, `redis on ${this.port} to answer`);
  }

  /** SIGKILL: connections drop at once and nothing is kept. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }

  async flushAll(): Promise<void> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1 });
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  private async ping(): Promise<boolean> {
    const client = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}

/** PostgreSQL's programs: PG_BIN, or Debian's /usr/lib/postgresql/<newest>/bin. */
function postgresBin(program: string): string {
  const base = '/usr/lib/postgresql';
  const dir =
    process.env.PG_BIN ??
    (existsSync(base)
      ? join(base, readdirSync(base).sort((a, b) => Number(b) - Number(a))[0], 'bin')
      : undefined);
  if (!dir || !existsSync(join(dir, program))) {
    throw new Error(`PostgreSQL's ${program} was not found: set PG_BIN to the directory that holds initdb`);
  }
  return join(dir, program);
}

/** A PostgreSQL cluster of the test's own, in a temporary directory; the server refuses to run as root. */
export class LocalPostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<LocalPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-pg-'));
    const cluster = new LocalPostgres(dir, await freePort());
    if (process.getuid?.() === 0) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
    await cluster.run('initdb', ['-D', cluster.data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await cluster.start();
    return cluster;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
    await this.run('pg_ctl', ['-D', this.data, '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']);
  }

  /** `fast`: sessions are ended, as in a restart; `immediate`: the server dies, as in a crash. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  /** A new database with every migration applied, and a client for assertions. */
  async createDatabase(): Promise<TestDatabase> {
    const name = `signalbox_fault_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: this.url('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    await runMigrations(this.url(name));
    const database: TestDatabase = {
      name,
      url: this.url(name),
      client: await connectClient(this.url(name)),
      // The client in use then: a test that restarts the server replaces it.
      drop: () => database.client.end(),
    };
    return database;
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs one of PostgreSQL's programs, as the postgres user when this is root; never blocks the load. */
  private async run(program: string, args: string[]): Promise<void> {
    const command = postgresBin(program);
    const asPostgres = process.getuid?.() === 0;
    await promisify(execFile)(
      asPostgres ? 'runuser' : command,
      asPostgres ? ['-u', 'postgres', '--', command, ...args] : args,
    );
  }
}

/** A connection for assertions, named so that cutting the app off its database spares it. */
export async function connectClient(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: TEST_CLIENT });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const uidOf = (user: string) => Number(execFileSync('id', ['-u', user]).toString().trim());
const gidOf = (user: string) => Number(execFileSync('id', ['-g', user]).toString().trim());

/** One ingestion request, as the load generator saw it. */
export interface Sent {
  /** The event's messageId; duplicates repeat an earlier one. */
  key: string;
  duplicate: boolean;
  startedAt: number;
  latencyMs: number;
  /** 0 when no answer came (network error or the client's timeout). */
  status: number;
  eventId?: string;
}

export interface LoadOptions {
  url: string;
  perSecond: number;
  seconds: number;
  /** Share of requests that repeat an earlier event. */
  duplicates: number;
  event: (seq: number) => Record<string, unknown>;
}

export interface LoadResult {
  /** Every request made, retries included. */
  requests: Sent[];
  /** Unique events generated, by messageId. */
  events: Map<string, Record<string, unknown>>;
}

const REQUEST_TIMEOUT_MS = 15_000;
const RETRY_AFTER_MS = 1_000;
const RETRIES = 30;

/**
 * Sends events at a steady rate, like PostHog's destination: an answer of 429, 5xx or none is retried after a
 * second (up to 30 times), anything else is final. Resolves when every event has its final answer.
 */
export async function sendLoad(options: LoadOptions): Promise<LoadResult> {
  const requests: Sent[] = [];
  const events = new Map<string, Record<string, unknown>>();
  const keys: string[] = [];
  const deliveries: Promise<void>[] = [];
  const total = Math.round(options.perSecond * options.seconds);
  const start = Date.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / options.perSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const duplicate = keys.length > 0 && Math.random() < options.duplicates;
    let key: string;
    if (duplicate) key = keys[Math.floor(Math.random() * keys.length)];
    else {
      const event = options.event(events.size);
      key = String(event.messageId);
      events.set(key, event);
      keys.push(key);
    }
    deliveries.push(deliver(options.url, key, events.get(key)!, duplicate, requests));
  }
  await Promise.all(deliveries);
  return { requests, events };
}

async function deliver(
  url: string,
  key: string,
  event: Record<string, unknown>,
  duplicate: boolean,
  requests: Sent[],
): Promise<void> {
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    const startedAt = Date.now();
    const sent: Sent = { key, duplicate, startedAt, latencyMs: 0, status: 0 };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      sent.status = response.status;
      const body = (await response.json().catch(() => ({}))) as { event_id?: string };
      sent.eventId = body.event_id;
    } catch {
      sent.status = 0;
    }
    sent.latencyMs = Date.now() - startedAt;
    requests.push(sent);
    if (sent.status !== 0 && sent.status !== 429 && sent.status < 500) return;
    await sleep(RETRY_AFTER_MS);
  }
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Counts requests by status, e.g. { "202": 3400, "200": 380, "503": 12 }. */
export function statusCounts(requests: { status: number }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of requests) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

export const FAULT_REPORT = process.env.FAULT_REPORT ?? join(tmpdir(), 'signalbox-fault-report.jsonl');

/** Adds one fault's figures to the report printed at the end of the run (test/faults/global-teardown.ts). */
export function report(fault: string, figures: Record<string, unknown>): void {
  appendFileSync(FAULT_REPORT, `${JSON.stringify({ fault, ...figures })}\n`);
}

/** What the load's answers and the database say about a run under faults. */
export interface Tally {
  /** Unique events generated. */
  sent: number;
  /** HTTP requests made, retries and duplicates included. */
  requests: number;
  statuses: Record<string, number>;
  /** Unique events that got a 2xx in the end. */
  accepted: number;
  /** 2xx answers whose event_id is not in the database: must be 0. */
  lost: number;
  /** Events stored; must equal `accepted`. */
  stored: number;
  processed: number;
  /** Actions applied more than once for one (event, mapping): must be 0. */
  duplicateActions: number;
  /** Workflow runs started more than once for one event: must be 0. */
  duplicateRuns: number;
  p99Ms: number;
  maxMs: number;
}

export async function tally(load: LoadResult, db: Client, during?: [number, number]): Promise<Tally> {
  const answered = load.requests.filter((r) => r.status >= 200 && r.status < 300);
  const eventIds = [...new Set(answered.map((r) => r.eventId!))];
  const { rows: stored } = await db.query<{ id: string; status: string }>(
    `SELECT id, status FROM source_events WHERE id = ANY($1::uuid[])`,
    [eventIds],
  );
  const one = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);
  const latencies = (
    during ? load.requests.filter((r) => r.startedAt >= during[0] && r.startedAt <= during[1]) : load.requests
  ).map((r) => r.latencyMs);
  return {
    sent: load.events.size,
    requests: load.requests.length,
    statuses: statusCounts(load.requests),
    accepted: new Set(answered.map((r) => r.key)).size,
    lost: eventIds.length - stored.length,
    stored: await one(`SELECT count(*) AS n FROM source_events`),
    processed: stored.filter((row) => row.status === 'processed').length,
    duplicateActions: await one(
      `SELECT count(*) AS n FROM (SELECT execution_id FROM action_attempts WHERE status = 'succeeded'
        GROUP BY execution_id HAVING count(*) > 1) twice`,
    ),
    duplicateRuns: await one(
      `SELECT count(*) AS n FROM (SELECT source_event_id FROM workflow_runs WHERE source_event_id IS NOT NULL
        GROUP BY source_event_id HAVING count(*) > 1) twice`,
    ),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(0, ...latencies),
  };
}

/**
 * Events and runs the reconciler dispatched again, read off a worker's log: jobs a fault lost, and jobs merely
 * waiting longer than the grace period (their dispatch is then a no-op, as the job id is taken).
 */
export function reconcilerDispatches(output: string): { events: number; runs: number } {
  let events = 0;
  let runs = 0;
  for (const [, e, r] of output.matchAll(/dispatched (\d+) event\(s\) and (\d+) workflow run\(s\) again/g)) {
    events += Number(e);
    runs += Number(r);
  }
  return { events, runs };
}

/** p99 latency of the requests started in each phase: phases are [name, from ms, to ms] after `start`. */
export function p99ByPhase(load: LoadResult, start: number, phases: [string, number, number][]) {
  return Object.fromEntries(
    phases.map(([name, from, to]) => [
      name,
      percentile(
        load.requests
          .filter((r) => r.startedAt >= start + from && r.startedAt < start + to)
          .map((r) => r.latencyMs),
        99,
      ),
    ]),
  );
}
