import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ActionMapping } from '../mappings/action-mapping.entity';
import { executionOrder } from '../mappings/evaluate';
import { SourceEnvironment } from '../sources/source-environment.entity';
import { Metrics } from '../metrics/metrics';
import { Dispatcher } from '../queue/dispatcher';
import { ActionRunner, RunOutcome } from './action-runner';
import { ExecutionStatus } from './action-execution.entity';
import { overallStatus } from './event-status';
import { EventStatus, SourceEvent } from './source-event.entity';

/**
 * An event whose processing keeps failing (not its actions: the processing itself) is given up after this many
 * claims beyond its actions' own retries.
 */
export const MAX_PROCESSING_FAILURES = 10;

// Takes the event unless it is finished or another worker holds a live lease on it.
const CLAIM_SQL = `
UPDATE source_events
SET status = 'processing', processing_attempts = processing_attempts + 1,
    lease_expires_at = now() + make_interval(secs => $2)
WHERE id = $1 AND (status = 'accepted' OR (status = 'processing' AND lease_expires_at < now()))
RETURNING id`;

/** The event's source was deleted while the event waited (events have no foreign key to their source). */
class SourceGoneError extends Error {
  constructor() {
    super('the source of this event was deleted');
  }
}

@Injectable()
export class EventProcessingService {
  private readonly logger = new Logger(EventProcessingService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly actions: ActionRunner,
    private readonly dispatcher: Dispatcher,
    private readonly metrics: Metrics,
  ) {}

  /** Runs the event's mappings. Safe to call any number of times for the same event. */
  async process(eventId: string): Promise<void> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [claimed] = await this.db.query<[unknown[], number]>(CLAIM_SQL, [
      eventId,
      this.config.PROCESSING_LEASE_SECONDS,
    ]);
    if (claimed.length === 0) return;
    const event = await this.db.manager.findOneByOrFail(SourceEvent, { id: eventId });
    try {
      const limit = this.config.ACTION_MAX_ATTEMPTS + MAX_PROCESSING_FAILURES;
      if (event.processingAttempts > limit) {
        await this.finish(event, 'failed', `gave up after ${limit} processing attempts`);
        return;
      }
      const outcomes = await this.runMappings(event);
      const waits = outcomes.flatMap((o) => (o.retryInSeconds === undefined ? [] : [o.retryInSeconds]));
      if (waits.length > 0) {
        await this.retryLater(event, Math.min(...waits));
        return;
      }
      const statuses = await this.db.query<{ status: ExecutionStatus }[]>(
        'SELECT status FROM action_executions WHERE event_id = $1',
        [event.id],
      );
      await this.finish(event, overallStatus(statuses.map((row) => row.status)), null);
    } catch (error) {
      if (error instanceof SourceGoneError) {
        await this.finish(event, 'failed', error.message);
        return;
      }
      // Hand the event back so that a retry need not wait for the lease to run out.
      await this.db
        .query(
          `UPDATE source_events SET status = 'accepted', lease_expires_at = NULL WHERE id = $1 AND status = 'processing'`,
          [event.id],
        )
        .catch((releaseError: Error) =>
          this.logger.warn(`could not release event ${event.id}: ${releaseError.message}`),
        );
      throw error;
    }
  }

  /** The event's enabled mappings for its type (only those a replay names, if it names some), in order. */
  private async runMappings(event: SourceEvent): Promise<RunOutcome[]> {
    const settings = await this.db.manager.findOneBy(SourceEnvironment, { id: event.sourceEnvironmentId });
    if (!settings) throw new SourceGoneError();
    const types = event.eventType === null ? ['*'] : [event.eventType, '*'];
    const mappings = await this.db.manager.find(ActionMapping, {
      where: {
        sourceEnvironmentId: settings.id,
        enabled: true,
        eventType: In(types),
        ...(event.replay?.mapping_ids ? { id: In(event.replay.mapping_ids) } : {}),
      },
    });
    mappings.sort(executionOrder);
    const outcomes: RunOutcome[] = [];
    for (const mapping of mappings) {
      const outcome = await this.actions.run(
        event,
        mapping,
        settings.environmentId,
        event.replay?.force ?? false,
      );
      this.metrics.actionExecutions.inc({ action: mapping.action, status: outcome.status });
      outcomes.push(outcome);
    }
    return outcomes;
  }

  /**
   * Keeps the event claimed until the retry is due, and queues a job for then. Should the job be lost, the
   * reconciler finds the lapsed lease. A forced replay is not forced again: what it re-ran has run.
   */
  private async retryLater(event: SourceEvent, seconds: number): Promise<void> {
    await this.db.query(
      `UPDATE source_events SET lease_expires_at = now() + make_interval(secs => $2),
         replay = CASE WHEN replay IS NULL THEN NULL ELSE jsonb_set(replay, '{force}', 'false') END
       WHERE id = $1`,
      [event.id, seconds],
    );
    // A little after the lease lapses, or the job would find the event still claimed.
    await this.dispatcher.dispatchEventIn(event.id, seconds + 0.5, `retry-${event.processingAttempts}`);
  }

  private async finish(event: SourceEvent, status: EventStatus, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE source_events SET status = $2, error = $3, processed_at = now(), lease_expires_at = NULL, replay = NULL
       WHERE id = $1`,
      [event.id, status, error],
    );
    this.metrics.processingSeconds.observe({ status }, (Date.now() - event.receivedAt.getTime()) / 1000);
  }
}
