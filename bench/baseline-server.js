'use strict';
// The "best case" for the work the ingestion endpoint does: parse JSON, one INSERT, one queue add, answer.
// No Nest, no validation, no idempotency window: whatever Signalbox adds on top shows up as the gap to this.
const { randomUUID } = require('node:crypto');
const Fastify = require('fastify');
const { Pool } = require('pg');
const { Queue } = require('bullmq');

const PORT = Number(process.env.PORT || 3100);
const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = process.env.QUEUE_PREFIX || 'sbbench-baseline';

const INSERT_SQL =
  'INSERT INTO bench_events (id, key, payload) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING id';

async function main() {
  // Same pool size as the service, so the comparison is about code, not connections.
  const pool = new Pool({ connectionString: DATABASE_URL, max: 20 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_events (id uuid primary key, key text unique, payload jsonb not null, received_at timestamptz default now())',
  );
  const queue = new Queue('events', { connection: { url: REDIS_URL }, prefix: QUEUE_PREFIX });

  const app = Fastify({ logger: false });
  app.post('/ingest', async (request, reply) => {
    const body = request.body;
    const id = randomUUID();
    const { rows } = await pool.query(INSERT_SQL, [id, body.messageId, body]);
    if (rows.length === 0) return reply.code(200).send({ status: 'duplicate', event_id: null });
    const eventId = rows[0].id;
    await queue.add('events.process', { eventId }, { jobId: 'event-' + eventId, removeOnComplete: true });
    return reply.code(202).send({ status: 'accepted', event_id: eventId });
  });

  await app.listen({ port: PORT, host: '127.0.0.1' });

  const stop = async () => {
    await app.close();
    await queue.close();
    await pool.end();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error('baseline server failed to start:', error);
  process.exit(1);
});
