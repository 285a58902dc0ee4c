'use strict';
// Compares Signalbox's ingestion endpoint with a bare Fastify + pg + BullMQ server doing the same work.
// Everything runs on loopback against a throwaway database; see bench/README.md.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { Queue } = require('bullmq');

const ROOT = path.resolve(__dirname, '..');
const ADMIN_DB_URL = process.env.BENCH_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const DURATION = Number(process.env.BENCH_DURATION || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const WARMUP_SECONDS = 3;
const MAX_FAILED_SHARE = 0.01;
const TARGET_RATIO = 0.85;
const ADMIN_KEY = 'bench-admin-key-0123456789';
const DB_NAME = 'signalbox_bench';
const SERVICE_PREFIX = 'sbbench';
const BASELINE_PREFIX = 'sbbench-baseline';
const PAYLOAD_FILE = path.resolve(__dirname, '../../shared/posthog/knock-destination/user-signed-up.json');
const RESULTS_FILE = path.join(__dirname, 'results', 'latest.json');

const children = [];
const log = (...args) => console.log('[bench]', ...args);

function benchDbUrl() {
  const url = new URL(ADMIN_DB_URL);
  url.pathname = '/' + DB_NAME;
  return url.toString();
}

async function recreateDatabase() {
  const client = new Client({ connectionString: ADMIN_DB_URL });
  await client.connect();
  try {
    // FORCE ends sessions a crashed earlier run may have left behind.
    await client.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await client.end();
  }
}

// Jobs are never consumed (ROLE=api, no worker), so they would pile up in Redis; each run starts and ends with
// empty queues. Only the bench prefixes are touched.
async function resetQueues() {
  for (const prefix of [SERVICE_PREFIX, BASELINE_PREFIX]) {
    const queue = new Queue('events', { connection: { url: REDIS_URL }, prefix });
    try {
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function startChild(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.benchName = name;
  children.push(child);
  return child;
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([child.exited, new Promise((r) => setTimeout(() => r(null), 5000))]);
  if (killed === null) {
    log(`${child.benchName} ignored SIGTERM for 5 s; sending SIGKILL`);
    child.kill('SIGKILL');
    await child.exited;
  }
}

async function cleanup() {
  await Promise.all(children.map(stopChild));
}

// Polls until `ready(status)` holds; fails fast if the child dies instead of waiting out the timeout.
async function waitForHttp(child, url, options, ready, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let died = null;
  void child.exited.then((how) => (died = how));
  while (Date.now() < deadline) {
    if (died) throw new Error(`${child.benchName} exited during start-up (${JSON.stringify(died)})`);
    try {
      const response = await fetch(url, { ...options, signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (ready(response.status)) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${child.benchName} did not answer ${url} within ${timeoutMs / 1000} s`);
}

async function createSource(serviceUrl) {
  const response = await fetch(`${serviceUrl}/v1/sources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key: 'bench', name: 'Bench', type: 'posthog' }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`POST /v1/sources answered ${response.status}: ${JSON.stringify(body)}`);
  const development = body.environments.find((e) => e.environment === 'development');
  if (!development) throw new Error(`no development environment in ${JSON.stringify(body)}`);
  // Whatever PUBLIC_URL produced, send the load to the loopback address the service listens on.
  const url = new URL(development.ingestion_url);
  return `${serviceUrl}${url.pathname}`;
}

// The body is split once around the messageId so each request only pays for a string concat, not a
// JSON.stringify: the load generator shares the 2 CPUs with both servers.
const runId = Date.now().toString(36);
let counter = 0;
const MARK = '__BENCH_MESSAGE_ID__';
const [bodyHead, bodyTail] = JSON.stringify({
  ...JSON.parse(fs.readFileSync(PAYLOAD_FILE, 'utf8')),
  messageId: MARK,
}).split(MARK);

function load(targetUrl, duration) {
  const url = new URL(targetUrl);
  return autocannon({
    url: url.origin,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/json' },
        // A unique messageId per request, so the service's dedupe never short-circuits the insert.
        setupRequest: (request) => {
          request.body = `${bodyHead}${runId}-${counter++}${bodyTail}`;
          return request;
        },
      },
    ],
  });
}

function summarise(target, result) {
  const failed = result.non2xx + result.errors;
  return {
    target,
    requests_per_second: result.requests.average,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests_sent: result.requests.sent,
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    failed_share: failed / Math.max(result.requests.sent, 1),
    status_codes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
  };
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const fmt = (n, digits = 1) => n.toFixed(digits);

function printTable(summary) {
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'];
  const rows = ['service', 'baseline'].map((t) => [
    t,
    fmt(summary[t].requests_per_second),
    fmt(summary[t].p50_ms),
    fmt(summary[t].p99_ms),
    String(summary[t].non_2xx),
    String(summary[t].errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log('\n' + line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r)));
}

async function main() {
  // A hard stop, so a hung child or load run can never keep the script alive (about 110 s with defaults).
  const budgetMs = (60 + 2 * WARMUP_SECONDS + 4 * DURATION) * 1000;
  const watchdog = setTimeout(() => {
    console.error(`[bench] FAILED: still running after ${budgetMs / 1000} s; giving up`);
    void cleanup().finally(() => process.exit(1));
  }, budgetMs);
  watchdog.unref();

  if (!fs.existsSync(path.join(ROOT, 'dist/src/main.js')))
    throw new Error('dist/src/main.js missing: run `npm run build`');

  log(`recreating database ${DB_NAME} and emptying the bench queues`);
  await recreateDatabase();
  await resetQueues();
  const databaseUrl = benchDbUrl();

  const servicePort = await freePort();
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const service = startChild('service', ['dist/src/main.js'], {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    ADMIN_API_KEY: ADMIN_KEY,
    ROLE: 'api',
    PORT: String(servicePort),
    PUBLIC_URL: serviceUrl,
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: SERVICE_PREFIX,
    // Counted, as in production, but never reached: one URL takes all the load here.
    INGESTION_RATE_LIMIT_PER_SECOND: '1000000',
  });
  const auth = { headers: { authorization: `Bearer ${ADMIN_KEY}` } };
  await waitForHttp(service, `${serviceUrl}/v1/environments`, auth, (status) => status === 200);
  const serviceIngestUrl = await createSource(serviceUrl);
  log(`service ready on ${serviceUrl}`);

  const baselinePort = await freePort();
  const baselineUrl = `http://127.0.0.1:${baselinePort}`;
  const baseline = startChild('baseline', [path.join(__dirname, 'baseline-server.js')], {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    PORT: String(baselinePort),
    QUEUE_PREFIX: BASELINE_PREFIX,
  });
  // The baseline listens only after creating its table, so any HTTP answer (404 on GET /) means ready.
  await waitForHttp(baseline, `${baselineUrl}/`, {}, () => true);
  log(`baseline ready on ${baselineUrl}`);

  const targets = { service: serviceIngestUrl, baseline: `${baselineUrl}/ingest` };

  for (const target of ['service', 'baseline']) {
    log(`warm-up: ${target}, ${WARMUP_SECONDS} s`);
    await load(targets[target], WARMUP_SECONDS);
  }

  // Alternating order evens out drift (autovacuum, page cache, the other tenants of this machine).
  const runs = [];
  for (const target of ['service', 'baseline', 'baseline', 'service']) {
    log(`measuring: ${target}, ${DURATION} s at ${CONNECTIONS} connections`);
    const run = summarise(target, await load(targets[target], DURATION));
    runs.push(run);
    log(
      `  ${fmt(run.requests_per_second)} req/s, p50 ${run.p50_ms} ms, p99 ${run.p99_ms} ms, ` +
        `non-2xx ${run.non_2xx}, errors ${run.errors}, status ${JSON.stringify(run.status_codes)}`,
    );
  }

  const summary = {};
  for (const target of ['service', 'baseline']) {
    const mine = runs.filter((r) => r.target === target);
    summary[target] = {
      requests_per_second: mean(mine.map((r) => r.requests_per_second)),
      p50_ms: mean(mine.map((r) => r.p50_ms)),
      p99_ms: mean(mine.map((r) => r.p99_ms)),
      non_2xx: mine.reduce((a, r) => a + r.non_2xx, 0),
      errors: mine.reduce((a, r) => a + r.errors, 0),
    };
  }
  const ratio = {
    requests_per_second: summary.service.requests_per_second / summary.baseline.requests_per_second,
    p99: summary.service.p99_ms / summary.baseline.p99_ms,
  };
  const failedRuns = runs.filter((r) => r.failed_share > MAX_FAILED_SHARE);

  printTable(summary);
  console.log(`\nratio (service / baseline requests/s): ${fmt(ratio.requests_per_second, 2)}`);
  console.log(`ratio (service / baseline p99 latency): ${fmt(ratio.p99, 2)}`);
  console.log(
    `target: >= ${TARGET_RATIO} of baseline requests/s: ${ratio.requests_per_second >= TARGET_RATIO ? 'met' : 'NOT met'}`,
  );

  const failures = runs.filter((r) => r.non_2xx > 0 || r.errors > 0);
  if (failures.length > 0) {
    console.log('\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
    for (const r of failures) {
      console.log(
        `!!! ${r.target}: ${r.non_2xx} non-2xx and ${r.errors} errors (${r.timeouts} timeouts) ` +
          `of ${r.requests_sent} requests (${fmt(r.failed_share * 100, 2)}%), status ${JSON.stringify(r.status_codes)}`,
      );
    }
    console.log('!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
  }

  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  const report = {
    finished_at: new Date().toISOString(),
    config: { duration_seconds: DURATION, connections: CONNECTIONS, warmup_seconds: WARMUP_SECONDS },
    summary,
    ratio,
    target_ratio: TARGET_RATIO,
    runs,
  };
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');
  log(`written ${path.relative(ROOT, RESULTS_FILE)}`);

  if (failedRuns.length > 0) {
    console.error(
      `[bench] FAILED: ${failedRuns.length} run(s) had more than ${MAX_FAILED_SHARE * 100}% failed requests`,
    );
    return 1;
  }
  return 0;
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void cleanup().finally(() => process.exit(1));
  });
}

main()
  .catch((error) => {
    console.error('[bench] FAILED:', error.message);
    return 1;
  })
  .then(async (code) => {
    await cleanup();
    // The jobs nobody consumed would otherwise stay in Redis until the next run.
    await resetQueues().catch((error) => console.error('[bench] could not empty the queues:', error.message));
    process.exit(code);
  });
