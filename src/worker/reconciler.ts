import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { Dispatcher, Redispatch } from '../queue/dispatcher';

const BATCH = 500;

// Accepted events past the grace period (their dispatch was lost, or Redis forgot it) and events whose
// worker's lease ran out (it died mid-job).
// The tag names the state the event is found in, so that sweeps of the same state queue one job. It is never
// the first job's id: a worker killed between taking that job and claiming the event would hold the id until
// BullMQ's stalled-job check, some 30 s later. (So an event waiting in a backlog past the grace period gets one
// more job, which finds it taken and does nothing.)
const DUE_EVENTS_SQL = `
SELECT id, 'sweep-' || processing_attempts AS tag FROM source_events
WHERE (status = 'accepted' AND received_at < now() - make_interval(secs => $1))
   OR (status = 'processing' AND lease_expires_at < now())
ORDER BY received_at
LIMIT ${BATCH}`;

// Unfinished runs due for longer than the grace period with no live lease: their job was lost (a Redis
// flush, say) or their worker died.
const DUE_RUNS_SQL = `
SELECT id, 'sweep-' || (extract(epoch FROM COALESCE(lease_expires_at, next_step_at)) * 1000)::bigint AS tag
FROM workflow_runs
WHERE status IN ('queued', 'running', 'waiting') AND next_step_at < now() - make_interval(secs => $1)
  AND (lease_expires_at IS NULL OR lease_expires_at < now())
ORDER BY next_step_at
LIMIT ${BATCH}`;

/**
 * Postgres says what is due; Redis only says what is queued. Periodically dispatches again every event and
 * workflow run that is due but not being worked on. Dispatching is idempotent (job ids derive from the event's
 * or the run's id and state), so several workers may sweep at once.
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
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.RECONCILER_INTERVAL_SECONDS * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns how many events and runs were dispatched again. Overlapping calls share one pass. */
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
    const grace = [this.config.RECONCILER_GRACE_SECONDS];
    const events = await this.db.query<Redispatch[]>(DUE_EVENTS_SQL, grace);
    const runs = await this.db.query<Redispatch[]>(DUE_RUNS_SQL, grace);
    const dispatchedEvents = await this.dispatcher.redispatch('events', events);
    const dispatchedRuns = await this.dispatcher.redispatch('workflows', runs);
    this.metrics.redispatched.inc({ queue: 'events' }, dispatchedEvents);
    this.metrics.redispatched.inc({ queue: 'workflows' }, dispatchedRuns);
    if (dispatchedEvents + dispatchedRuns > 0) {
      this.logger.log(`dispatched ${dispatchedEvents} event(s) and ${dispatchedRuns} workflow run(s) again`);
    }
    return dispatchedEvents + dispatchedRuns;
  }
}
