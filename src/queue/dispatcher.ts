import { Logger } from '@nestjs/common';
import { eventJobId, QueueName, runJobId } from './queues';

/** An event or run to queue again, and a tag that tells this dispatch from earlier ones. */
export interface Redispatch {
  id: string;
  tag: string;
}

/** One job: the event's or run's id, a job id that makes dispatching it twice queue it once, a delay in ms. */
export interface Job {
  id: string;
  jobId: string;
  delay: number;
}

/** Tries of a job whose handler throws (a database outage, say), with exponential backoff from 1 s. */
export const JOB_ATTEMPTS = 5;
export const JOB_BACKOFF_MS = 1000;

/**
 * Hands committed work to the workers: BullMQ on Redis, or in process when there is no Redis. Losing a dispatch
 * loses nothing: the reconciler finds every event and every workflow run that is due but not being worked on.
 * Job ids derive from the event's or run's id, so dispatching twice queues once. Callers need not await it:
 * what a client is told depends on the commit, not on the queue.
 */
export abstract class Dispatcher {
  protected readonly logger = new Logger(Dispatcher.name);
  private batch: { ids: string[]; sent: Promise<number> } | undefined;

  /** Queues the jobs; returns how many were handed over (all or none). Never throws. */
  protected abstract add(queue: QueueName, jobs: Job[]): Promise<number>;

  /** Checks that jobs can be queued (Redis answers); throws otherwise. */
  abstract ping(): Promise<void>;

  /** Jobs per queue and state, for the metrics. */
  abstract counts(): Promise<Record<QueueName, Record<string, number>>>;

  /**
   * Queues one event. Events dispatched in the same turn of the event loop are queued together, which under
   * load saves most of the queue's cost on the ingestion path.
   */
  async dispatchEvent(eventId: string): Promise<boolean> {
    if (!this.batch) {
      const ids: string[] = [];
      const sent = new Promise<void>((next) => setImmediate(next)).then(() => {
        this.batch = undefined;
        return this.add(
          'events',
          ids.map((id) => ({ id, jobId: eventJobId(id), delay: 0 })),
        );
      });
      this.batch = { ids, sent };
    }
    this.batch.ids.push(eventId);
    return (await this.batch.sent) > 0;
  }

  /**
   * Queues an event to run after a delay (an action's retry, a replay). The job id is tagged so that it does not
   * collide with the event's job while that one is still running.
   */
  async dispatchEventIn(eventId: string, seconds: number, tag: string): Promise<boolean> {
    const job = { id: eventId, jobId: `${eventJobId(eventId)}-${tag}`, delay: seconds * 1000 };
    return (await this.add('events', [job])) > 0;
  }

  /** Queues workflow runs that are due now. */
  dispatchRuns(runIds: string[]): Promise<number> {
    return this.add(
      'workflows',
      runIds.map((id) => ({ id, jobId: runJobId(id), delay: 0 })),
    );
  }

  /** Queues a run for when its next step is due (after a delay, between an http step's attempts). */
  async dispatchRunAt(runId: string, at: Date, tag: string): Promise<boolean> {
    // A little late rather than early: the worker checks the time against Postgres's clock.
    const delay = Math.max(0, at.getTime() - Date.now()) + 50;
    return (await this.add('workflows', [{ id: runId, jobId: `${runJobId(runId)}-${tag}`, delay }])) > 0;
  }

  /**
   * Queues again what the reconciler found due. Each job id is tagged with the item's state (`tag`), so it
   * cannot collide with a job of a worker that died mid-job: BullMQ keeps such a job, and ignores a new one with
   * its id, until its stalled-job check gives it back.
   */
  redispatch(queue: QueueName, items: Redispatch[]): Promise<number> {
    const jobId = queue === 'events' ? eventJobId : runJobId;
    return this.add(
      queue,
      items.map(({ id, tag }) => ({ id, jobId: `${jobId(id)}-${tag}`, delay: 0 })),
    );
  }
}
