import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';

const BATCH = 1000;

/**
 * What retention deletes, a batch at a time: each statement is short, touches only old rows, and takes no lock
 * that ingestion waits on. $1: the retention in days. Unfinished events and runs are never deleted, however old.
 */
const PURGES = {
  // Expired keys no longer make anything a duplicate.
  idempotency_keys: `
    DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT ${BATCH}))`,
  // Their action executions and attempts go with them (ON DELETE CASCADE).
  events: `
    DELETE FROM source_events WHERE id = ANY(ARRAY(
      SELECT id FROM source_events
      WHERE received_at < now() - make_interval(days => $1) AND status NOT IN ('accepted', 'processing')
      LIMIT ${BATCH}))`,
  // Their step executions go with them.
  workflow_runs: `
    DELETE FROM workflow_runs WHERE id = ANY(ARRAY(
      SELECT id FROM workflow_runs
      WHERE status IN ('completed', 'failed', 'cancelled') AND updated_at < now() - make_interval(days => $1)
      LIMIT ${BATCH}))`,
};

/** Periodically deletes what is past EVENT_RETENTION_DAYS, and expired idempotency keys. */
@Injectable()
export class Retention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Retention.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), this.config.RETENTION_INTERVAL_SECONDS * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over every kind; overlapping calls share it. */
  purge(): Promise<void> {
    this.running ??= this.purgeAll()
      .catch((error: Error) => this.logger.warn(`retention pass failed: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async purgeAll(): Promise<void> {
    for (const [kind, sql] of Object.entries(PURGES)) {
      let deleted = 0;
      let batch: number;
      do {
        const params = sql.includes('$1') ? [this.config.EVENT_RETENTION_DAYS] : [];
        [, batch] = await this.db.query<[unknown[], number]>(sql, params);
        deleted += batch;
      } while (batch === BATCH && !this.stopping);
      if (deleted > 0) {
        this.metrics.purged.inc({ kind }, deleted);
        this.logger.log(`retention deleted ${deleted} ${kind.replace('_', ' ')}`);
      }
    }
  }
}
