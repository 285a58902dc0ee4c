import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Dispatcher } from '../queue/dispatcher';

const BATCH = 500;

// Accepted events past the grace period (their dispatch was lost, or Redis forgot it) and events whose
// worker's lease ran out (it died mid-job).
const DUE_SQL = `
SELECT id FROM source_events
WHERE (status = 'accepted' AND received_at < now() - make_interval(secs => $1))
   OR (status = 'processing' AND lease_expires_at < now())
ORDER BY received_at
LIMIT ${BATCH}`;

/**
 * Postgres says what is due; Redis only says what is queued. Periodically dispatches again every event that is
 * due but not being worked on. Dispatching is idempotent (the job id is the event's), so several workers may
 * sweep at once.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dispatcher: Dispatcher,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.RECONCILER_INTERVAL_SECONDS * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns how many events were dispatched again. Overlapping calls share one pass. */
  sweep(): Promise<number> {
    this.running ??= this.dispatchDue()
      .catch((error: Error) => {
        this.logger.warn(`reconciler pass failed: ${error.message}`);
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async dispatchDue(): Promise<number> {
    const due = await this.db.query<{ id: string }[]>(DUE_SQL, [this.config.RECONCILER_GRACE_SECONDS]);
    const dispatched = await this.dispatcher.dispatchEvents(due.map((row) => row.id));
    if (dispatched > 0) this.logger.log(`dispatched ${dispatched} due event(s) again`);
    return dispatched;
  }
}
