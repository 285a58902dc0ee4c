import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ActionMapping } from '../mappings/action-mapping.entity';
import { executionOrder } from '../mappings/evaluate';
import { SourceEnvironment } from '../sources/source-environment.entity';
import { ActionRunner } from './action-runner';
import { ExecutionStatus } from './action-execution.entity';
import { overallStatus } from './event-status';
import { EventStatus, SourceEvent } from './source-event.entity';

/** An event that keeps failing to process (not its actions: the processing itself) is given up after this. */
export const MAX_PROCESSING_ATTEMPTS = 10;

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
      if (event.processingAttempts > MAX_PROCESSING_ATTEMPTS) {
        await this.finish(event.id, 'failed', `gave up after ${MAX_PROCESSING_ATTEMPTS} processing attempts`);
        return;
      }
      const statuses = await this.runMappings(event);
      await this.finish(event.id, overallStatus(statuses), null);
    } catch (error) {
      if (error instanceof SourceGoneError) {
        await this.finish(event.id, 'failed', error.message);
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

  private async runMappings(event: SourceEvent): Promise<ExecutionStatus[]> {
    const settings = await this.db.manager.findOneBy(SourceEnvironment, { id: event.sourceEnvironmentId });
    if (!settings) throw new SourceGoneError();
    const types = event.eventType === null ? ['*'] : [event.eventType, '*'];
    const mappings = await this.db.manager.find(ActionMapping, {
      where: { sourceEnvironmentId: settings.id, enabled: true, eventType: In(types) },
    });
    mappings.sort(executionOrder);
    const statuses: ExecutionStatus[] = [];
    for (const mapping of mappings)
      statuses.push(await this.actions.run(event, mapping, settings.environmentId));
    return statuses;
  }

  private async finish(eventId: string, status: EventStatus, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE source_events SET status = $2, error = $3, processed_at = now(), lease_expires_at = NULL WHERE id = $1`,
      [eventId, status, error],
    );
  }
}
