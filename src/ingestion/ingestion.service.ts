import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { sqlState } from '../common/database-errors';
import { DomainError } from '../common/domain-error';
import { Dispatcher } from '../queue/dispatcher';
import { verifyRequest } from '../sources/verification';
import { Envelope, eventType, idempotencyKey, occurredAt, storedHeaders } from './event-fields';
import { IngestionSource, IngestionSources } from './ingestion-sources';
import {
  IngestionTokenNotFoundError,
  InvalidEventBodyError,
  VerificationFailedError,
} from './ingestion.errors';

export interface IncomingRequest {
  rawBody: Buffer;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
}

export type IngestionResult = { status: 'accepted' | 'duplicate'; event_id: string };

/**
 * One statement claims the idempotency key and inserts the event, and checks that the cached settings are still
 * current. A key already held within its window makes the insert a no-op; a held key whose window has passed is
 * taken over. Concurrent copies serialise on the key's primary key, so exactly one is accepted.
 */
const INGEST_SQL = `
WITH settings AS (
  SELECT id FROM source_environments WHERE id = $1 AND version = $2 AND enabled
), claim AS (
  INSERT INTO idempotency_keys (source_environment_id, key, event_id, expires_at)
  SELECT id, $3, $4, now() + make_interval(secs => $5) FROM settings WHERE $3::text IS NOT NULL
  ON CONFLICT (source_environment_id, key) DO UPDATE
    SET event_id = excluded.event_id, expires_at = excluded.expires_at
    WHERE idempotency_keys.expires_at <= now()
  RETURNING event_id
), inserted AS (
  INSERT INTO source_events
    (id, source_environment_id, event_type, idempotency_key, idempotency_note, verification, payload, headers, query, occurred_at)
  SELECT $4, id, $6, $3, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12 FROM settings
  WHERE $3::text IS NULL OR EXISTS (SELECT 1 FROM claim)
  RETURNING id
)
SELECT EXISTS (SELECT 1 FROM settings) AS settings_current,
       EXISTS (SELECT 1 FROM inserted) AS accepted,
       (SELECT event_id FROM idempotency_keys WHERE source_environment_id = $1 AND key = $3) AS original_event_id`;

// A duplicate that raced its original sees no committed key in the statement's snapshot; it looks again.
const ORIGINAL_SQL = `SELECT event_id FROM idempotency_keys WHERE source_environment_id = $1 AND key = $2`;

interface IngestRow {
  settings_current: boolean;
  accepted: boolean;
  original_event_id: string | null;
}

// Postgres refuses some valid JSON in jsonb: \u0000, lone surrogates, extreme nesting.
const UNSTORABLE_JSON: Record<string, string> = {
  '22P05': 'body contains a character Postgres cannot store (such as \\u0000)',
  '22P02': 'body contains text Postgres cannot store as JSON',
  '54001': 'body is nested too deeply',
};

@Injectable()
export class IngestionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sources: IngestionSources,
    private readonly dispatcher: Dispatcher,
  ) {}

  // The hot statement goes straight to the pool as a named statement: parsed and planned once per connection.
  private get pool(): Pool {
    return (this.db.driver as PostgresDriver).master as Pool;
  }

  async receive(token: string, request: IncomingRequest): Promise<IngestionResult> {
    // The second and third tries follow a stale cache entry or a race with an expiring key; both are rare.
    for (let attempt = 0; attempt < 3; attempt++) {
      const source = await this.sources.lookup(token, attempt > 0);
      if (!source) throw new IngestionTokenNotFoundError();
      const verified = verifyRequest(
        source.verification,
        request.rawBody,
        request.headers,
        Date.now() / 1000,
      );
      if (!verified.ok) {
        // The cached settings may predate a change of verification: judge by fresh ones before refusing.
        if (attempt === 0) continue;
        throw new VerificationFailedError(verified.reason);
      }
      const result = await this.tryIngest(source, request);
      if (result) return result;
    }
    throw new DomainError(
      503,
      'SERVICE_UNAVAILABLE',
      'the source changed while the event was being received; retry',
    );
  }

  private async tryIngest(
    source: IngestionSource,
    request: IncomingRequest,
  ): Promise<IngestionResult | null> {
    if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
      throw new InvalidEventBodyError('body must be a JSON object');
    }

    const envelope: Envelope = { body: request.body, headers: request.headers, query: request.query };
    const key = idempotencyKey(envelope, source.idempotencyKeyPath, source.idempotencyKeyPathText);
    const eventId = randomUUID();
    const secretHeader = source.verification.type === 'header' ? source.verification.header : undefined;
    let row: IngestRow;
    try {
      ({
        rows: [row],
      } = await this.pool.query<IngestRow>({
        name: 'ingest_event',
        text: INGEST_SQL,
        values: [
          source.id,
          source.version,
          key.key,
          eventId,
          source.idempotencyWindowSeconds,
          eventType(envelope, source.eventTypePath),
          key.note,
          source.verification.type,
          request.rawBody.toString('utf8'),
          JSON.stringify(storedHeaders(request.headers, secretHeader)),
          JSON.stringify(request.query),
          occurredAt(envelope, source.timestampPath),
        ],
      }));
    } catch (error) {
      const state = sqlState(error);
      if (state && state in UNSTORABLE_JSON) throw new InvalidEventBodyError(UNSTORABLE_JSON[state]);
      throw error;
    }

    if (!row.settings_current) return null;
    if (row.accepted) {
      void this.dispatcher.dispatchEvent(eventId);
      return { status: 'accepted', event_id: eventId };
    }
    const original =
      row.original_event_id ??
      (await this.db.query<{ event_id: string }[]>(ORIGINAL_SQL, [source.id, key.key]))[0]?.event_id;
    return original ? { status: 'duplicate', event_id: original } : null;
  }
}
