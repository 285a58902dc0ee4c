import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import {
  ADVANCE_RUN_JOB,
  AdvanceRunJob,
  EVENTS_QUEUE,
  eventJobId,
  PROCESS_EVENT_JOB,
  ProcessEventJob,
  runJobId,
  WORKFLOWS_QUEUE,
} from './queues';

/** An event or run to queue again, and a tag that tells this dispatch from earlier ones. */
export interface Redispatch {
  id: string;
  tag: string;
}

interface Dispatch<T> {
  data: T;
  jobId: string;
  delay: number;
}

/**
 * Hands committed work to the workers. Losing a dispatch loses nothing: the reconciler finds every event and
 * every workflow run that is due but not being worked on. Job ids derive from the event's or run's id, so
 * dispatching twice queues once. Callers need not await it: what a client is told depends on the commit, not
 * on Redis.
 */
@Injectable()
export class Dispatcher {
  private readonly logger = new Logger(Dispatcher.name);
  private batch: { ids: string[]; sent: Promise<number> } | undefined;

  constructor(
    @InjectQueue(EVENTS_QUEUE) private readonly events: Queue<ProcessEventJob>,
    @InjectQueue(WORKFLOWS_QUEUE) private readonly workflows: Queue<AdvanceRunJob>,
  ) {}

  /**
   * Queues one event. Events dispatched in the same turn of the event loop go to Redis in one round trip,
   * which under load saves most of the queue's cost on the ingestion path.
   */
  async dispatchEvent(eventId: string): Promise<boolean> {
    if (!this.batch) {
      const ids: string[] = [];
      const sent = new Promise<void>((next) => setImmediate(next)).then(() => {
        this.batch = undefined;
        return this.dispatchEvents(ids);
      });
      this.batch = { ids, sent };
    }
    this.batch.ids.push(eventId);
    return (await this.batch.sent) > 0;
  }

  /** Queues several events in one round trip; returns how many were handed over (all or none). */
  dispatchEvents(eventIds: string[]): Promise<number> {
    return this.add(
      this.events,
      PROCESS_EVENT_JOB,
      eventIds.map((eventId) => ({ data: { eventId }, jobId: eventJobId(eventId), delay: 0 })),
    );
  }

  /**
   * Queues an event to run after a delay (an action's retry, a replay). The job id is tagged so that it does not
   * collide with the event's job while that one is still running.
   */
  async dispatchEventIn(eventId: string, seconds: number, tag: string): Promise<boolean> {
    const job = { data: { eventId }, jobId: `${eventJobId(eventId)}-${tag}`, delay: seconds * 1000 };
    return (await this.add(this.events, PROCESS_EVENT_JOB, [job])) > 0;
  }

  /**
   * Queues again events the reconciler found due. Each job id is tagged with the event's state (`tag`), so it
   * cannot collide with a job of a worker that died mid-job: BullMQ keeps such a job, and ignores a new one with
   * its id, until its stalled-job check gives it back.
   */
  redispatchEvents(events: Redispatch[]): Promise<number> {
    return this.add(
      this.events,
      PROCESS_EVENT_JOB,
      events.map(({ id, tag }) => ({ data: { eventId: id }, jobId: `${eventJobId(id)}-${tag}`, delay: 0 })),
    );
  }

  /** Queues again runs the reconciler found due, as redispatchEvents does events. */
  redispatchRuns(runs: Redispatch[]): Promise<number> {
    return this.add(
      this.workflows,
      ADVANCE_RUN_JOB,
      runs.map(({ id, tag }) => ({ data: { runId: id }, jobId: `${runJobId(id)}-${tag}`, delay: 0 })),
    );
  }

  /** Queues workflow runs that are due now. */
  dispatchRuns(runIds: string[]): Promise<number> {
    return this.add(
      this.workflows,
      ADVANCE_RUN_JOB,
      runIds.map((runId) => ({ data: { runId }, jobId: runJobId(runId), delay: 0 })),
    );
  }

  /** Queues a run for when its next step is due (after a delay, between an http step's attempts). */
  async dispatchRunAt(runId: string, at: Date, tag: string): Promise<boolean> {
    // A little late rather than early: the worker checks the time against Postgres's clock.
    const delay = Math.max(0, at.getTime() - Date.now()) + 50;
    const job = { data: { runId }, jobId: `${runJobId(runId)}-${tag}`, delay };
    return (await this.add(this.workflows, ADVANCE_RUN_JOB, [job])) > 0;
  }

  private async add<T>(queue: Queue<T>, name: string, jobs: Dispatch<T>[]): Promise<number> {
    if (jobs.length === 0) return 0;
    try {
      await queue.addBulk(
        jobs.map(({ data, jobId, delay }) => ({
          name,
          data,
          opts: {
            jobId,
            delay,
            removeOnComplete: true,
            removeOnFail: true,
            attempts: 5,
            backoff: { type: 'exponential', delay: 1000 },
          },
        })) as Parameters<Queue<T>['addBulk']>[0],
      );
      return jobs.length;
    } catch (error) {
      this.logger.warn(
        `could not dispatch ${jobs.length} ${queue.name} job(s); the reconciler will: ${(error as Error).message}`,
      );
      return 0;
    }
  }
}
