import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { InvalidEventBodyError } from './ingestion.errors';

/** An event ready to be committed, with what ingestion read from it. */
export interface NewEvent {
  id: string;
  sourceEnvironmentId: string;
  /** The settings version the event was read with; the write is refused if the settings changed since. */
  settingsVersion: number;
  idempotencyKey: string | null;
  idempotencyWindowSeconds: number;
  idempotencyNote: string | null;
  eventType: string | null;
  verification: string;
  /** The request body exactly as received: valid JSON text, stored without being serialised again. */
  payload: string;
  headers: Record<string, string>;
  query: Record<string, unknown>;
  occurredAt: Date | null;
}

export type WriteOutcome =
  | { status: 'accepted' }
  | { status: 'duplicate'; originalEventId: string }
  /** The settings changed, or the original of a concurrent duplicate is not visible yet: read again and retry. */
  | { status: 'retry' };

/**
 * Claims each event's idempotency key and inserts the event in one statement, and checks that the settings it was
 * read with are still current. A key held within its window makes the insert a no-op; a held key whose window has
 * passed is taken over. Concurrent copies serialise on the key's primary key, so exactly one is accepted.
 * $1 is a JSON array of events (see toJsonRow).
 */
const WRITE_SQL = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json) AS t(
    id uuid, source_environment_id uuid, version int, key text, window_seconds int, note text,
    event_type text, verification text, payload jsonb, headers jsonb, query jsonb, occurred_at timestamptz)
), current AS (
  SELECT input.* FROM input JOIN source_environments settings
    ON settings.id = input.source_environment_id AND settings.version = input.version AND settings.enabled
), claim AS (
  INSERT INTO idempotency_keys (source_environment_id, key, event_id, expires_at)
  SELECT source_environment_id, key, id, now() + make_interval(secs => window_seconds) FROM current
  WHERE key IS NOT NULL
  ON CONFLICT (source_environment_id, key) DO UPDATE
    SET event_id = excluded.event_id, expires_at = excluded.expires_at
    WHERE idempotency_keys.expires_at <= now()
  RETURNING event_id
), inserted AS (
  INSERT INTO source_events
    (id, source_environment_id, event_type, idempotency_key, idempotency_note, verification, payload, headers, query, occurred_at)
  SELECT id, source_environment_id, event_type, key, note, verification, payload, headers, query, occurred_at
  FROM current WHERE key IS NULL OR id IN (SELECT event_id FROM claim)
  RETURNING id
)
SELECT input.id,
       input.id IN (SELECT id FROM current) AS settings_current,
       input.id IN (SELECT id FROM inserted) AS accepted,
       -- A correlated subquery, so each key is one index probe (a join would scan the whole table).
       (SELECT held.event_id FROM idempotency_keys held
        WHERE held.source_environment_id = input.source_environment_id AND held.key = input.key) AS original_event_id
FROM input`;

// A duplicate that raced its original sees no committed key in the statement's snapshot; it looks again.
const ORIGINAL_SQL = `SELECT event_id FROM idempotency_keys WHERE source_environment_id = $1 AND key = $2`;

const COUNT_DUPLICATE_SQL = `
UPDATE source_events SET duplicate_count = duplicate_count + 1, last_duplicate_at = now() WHERE id = $1`;

interface WriteRow {
  id: string;
  settings_current: boolean;
  accepted: boolean;
  original_event_id: string | null;
}

interface Pending {
  event: NewEvent;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: unknown) => void;
}

/** Statements in flight at once; requests arriving meanwhile wait and go together in the next one. */
const MAX_IN_FLIGHT = 4;
const MAX_BATCH_EVENTS = 100;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Group commit for ingestion. Each event is answered only after the statement that wrote it has committed, but
 * events that arrive while earlier statements are in flight share the next statement, so a burst costs a few
 * commits instead of one per event. An idle service writes each event alone, at once.
 */
@Injectable()
export class EventWriter {
  private readonly waiting: Pending[] = [];
  private inFlight = 0;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  write(event: NewEvent): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.commit(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /**
   * The oldest waiting events, at most one per idempotency key: a second copy waits for the next statement,
   * where it meets the committed key and becomes a duplicate.
   */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const keys = new Set<string>();
    let bytes = 0;
    for (let i = 0; i < this.waiting.length && batch.length < MAX_BATCH_EVENTS;) {
      const { event } = this.waiting[i];
      const key =
        event.idempotencyKey === null ? null : `${event.sourceEnvironmentId}/${event.idempotencyKey}`;
      if (
        (key !== null && keys.has(key)) ||
        (batch.length > 0 && bytes + event.payload.length > MAX_BATCH_BYTES)
      ) {
        i++;
        continue;
      }
      if (key !== null) keys.add(key);
      bytes += event.payload.length;
      batch.push(...this.waiting.splice(i, 1));
    }
    return batch;
  }

  private async commit(batch: Pending[]): Promise<void> {
    let rows: WriteRow[];
    try {
      const document = `[${batch.map((p) => toJsonRow(p.event)).join(',')}]`;
      ({ rows } = await this.pool.query<WriteRow>({
        name: 'write_events',
        text: WRITE_SQL,
        values: [document],
      }));
    } catch (error) {
      // One bad event (say, text Postgres cannot store) must not fail the others: write each alone.
      if (batch.length > 1) await Promise.all(batch.map((p) => this.commit([p])));
      else batch[0].reject(error);
      return;
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    if (batch.some((p) => !byId.has(p.event.id))) {
      // Postgres read no record for an event (json_to_recordset gives up on extreme nesting): find which, alone.
      if (batch.length > 1) await Promise.all(batch.map((p) => this.commit([p])));
      else batch[0].reject(new InvalidEventBodyError('body is nested too deeply to store'));
      return;
    }
    await Promise.all(
      batch.map(async (p) => {
        try {
          const outcome = await this.outcome(p.event, byId.get(p.event.id)!);
          // The original keeps count of its duplicates (one key cannot appear twice in a batch).
          if (outcome.status === 'duplicate')
            await this.db.query(COUNT_DUPLICATE_SQL, [outcome.originalEventId]);
          p.resolve(outcome);
        } catch (error) {
          p.reject(error);
        }
      }),
    );
  }

  private async outcome(event: NewEvent, row: WriteRow): Promise<WriteOutcome> {
    if (!row.settings_current) return { status: 'retry' };
    if (row.accepted) return { status: 'accepted' };
    const original =
      row.original_event_id ??
      (
        await this.db.query<{ event_id: string }[]>(ORIGINAL_SQL, [
          event.sourceEnvironmentId,
          event.idempotencyKey,
        ])
      )[0]?.event_id;
    return original ? { status: 'duplicate', originalEventId: original } : { status: 'retry' };
  }

  // The statement goes straight to the pool as a named statement: parsed and planned once per connection.
  private get pool(): Pool {
    return (this.db.driver as PostgresDriver).master as Pool;
  }
}

/** One element of the statement's JSON array; the payload is spliced in as received, not serialised again. */
function toJsonRow(event: NewEvent): string {
  const fields = JSON.stringify({
    id: event.id,
    source_environment_id: event.sourceEnvironmentId,
    version: event.settingsVersion,
    key: event.idempotencyKey,
    window_seconds: event.idempotencyWindowSeconds,
    note: event.idempotencyNote,
    event_type: event.eventType,
    verification: event.verification,
    headers: event.headers,
    query: event.query,
    occurred_at: event.occurredAt,
  });
  return `${fields.slice(0, -1)},"payload":${event.payload}}`;
}
