import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { sqlState } from '../common/database-errors';
import { DomainError } from '../common/domain-error';
import { AcceptedResponse } from '../events/dto/event.response';
import { Dispatcher } from '../queue/dispatcher';
import { verifyRequest } from '../sources/verification';
import { Envelope, eventType, idempotencyKey, occurredAt, storedHeaders } from './event-fields';
import { EventWriter, NewEvent, WriteOutcome } from './event-writer';
import { IngestionSource, IngestionSources } from './ingestion-sources';
import { IngestionLabels } from '../metrics/http-metrics';
import {
  IngestionTokenNotFoundError,
  InvalidEventBodyError,
  VerificationFailedError,
} from './ingestion.errors';

export interface IncomingRequest {
  rawBody: Buffer;
  /** rawBody decoded. */
  rawText: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  /** Set by receive() once it knows whose URL this is, for the metrics: known even when the event is refused. */
  source?: IngestionLabels;
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
    private readonly sources: IngestionSources,
    private readonly writer: EventWriter,
    private readonly dispatcher: Dispatcher,
  ) {}

  async receive(token: string, request: IncomingRequest): Promise<AcceptedResponse> {
    // The second and third tries follow a stale cache entry or a race with an expiring key; both are rare.
    for (let attempt = 0; attempt < 3; attempt++) {
      const source = await this.sources.lookup(token, attempt > 0);
      if (!source) throw new IngestionTokenNotFoundError();
      request.source = { source: source.sourceKey, environment: source.environment };
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
  ): Promise<AcceptedResponse | null> {
    if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
      throw new InvalidEventBodyError('body must be a JSON object');
    }

    const envelope: Envelope = { body: request.body, headers: request.headers, query: request.query };
    const key = idempotencyKey(envelope, source.idempotencyKeyPath, source.idempotencyKeyPathText);
    const secretHeader = source.verification.type === 'header' ? source.verification.header : undefined;
    const event: NewEvent = {
      id: randomUUID(),
      sourceEnvironmentId: source.id,
      settingsVersion: source.version,
      idempotencyKey: key.key,
      idempotencyWindowSeconds: source.idempotencyWindowSeconds,
      idempotencyNote: key.note,
      eventType: eventType(envelope, source.eventTypePath),
      verification: source.verification.type,
      payload: request.rawText,
      headers: storedHeaders(request.headers, secretHeader),
      query: request.query,
      occurredAt: occurredAt(envelope, source.timestampPath),
    };
    let outcome: WriteOutcome;
    try {
      outcome = await this.writer.write(event);
    } catch (error) {
      const state = sqlState(error);
      if (state && state in UNSTORABLE_JSON) throw new InvalidEventBodyError(UNSTORABLE_JSON[state]);
      throw error;
    }
    switch (outcome.status) {
      case 'accepted':
        void this.dispatcher.dispatchEvent(event.id);
        return { status: 'accepted', event_id: event.id };
      case 'duplicate':
        return { status: 'duplicate', event_id: outcome.originalEventId };
      case 'retry':
        return null;
    }
  }
}
